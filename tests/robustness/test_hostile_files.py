"""Issue 10 §2: hostile files give a per-file reason, a valid JSON document, exit 0 or 2.

Every case runs the real command line in a sandbox (``Workspace``) and is held to the same
bars: no traceback, no hang (killed after 10 s), peak RSS under 300 MB, nothing written
outside the target, and stdout that is a JSON document in strict UTF-8. Cases that break a
promise today are strict xfails naming what breaks; each turns into a pass when its fix
lands (and strict makes the mark's removal part of that fix).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.robustness import hostile_files as hostile
from tests.robustness.runner import entry_named
from tests.robustness.workspace import Workspace

FAILED_OR_REFUSED = ("failed", "refused")


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace.create(tmp_path / "ws")


def _refused_with_reason(doc: dict[str, Any], name: str) -> None:
    entry = entry_named(doc["files"], name)
    assert entry["status"] in FAILED_OR_REFUSED and entry["reason"], entry
    assert entry["output"] is None, entry


def _no_output_named(ws: Workspace, name: str) -> None:
    assert not [p for p in ws.out.rglob("*") if p.name.startswith(name)]


# --- a decompression bomb --------------------------------------------------------------------


def test_share_refuses_a_decompression_bomb(ws: Workspace) -> None:
    (ws.inputs / "bomb.png").write_bytes(hostile.bomb_png())
    (ws.inputs / "ok.jpg").write_bytes(hostile.gps_jpeg())
    doc = ws.run("share", ws.inputs, "--out", ws.out, "--json", "-").document()
    _refused_with_reason(doc, "bomb.png")
    bomb = entry_named(doc["files"], "bomb.png")
    assert "bomb.png" in bomb["path"]
    assert bomb["reason"].startswith("picture too large: 900 megapixels is over the 200-")
    assert "refused from its header, nothing decoded" in bomb["reason"]
    assert entry_named(doc["files"], "ok.jpg")["status"] in ("stripped", "reencoded")
    _no_output_named(ws, "bomb")


def test_strip_and_scan_take_a_decompression_bomb_in_their_stride(ws: Workspace) -> None:
    """strip works on chunks, never on pixels; the scan refuses to look for faces from the
    size in its header (no face worker starts: ``tests/core/scan/test_run.py``)."""
    (ws.inputs / "bomb.png").write_bytes(hostile.bomb_png())
    doc = ws.run("strip", ws.inputs, "--out", ws.out, "--json", "-").document()
    assert entry_named(doc["files"], "bomb.png")["status"] in ("stripped", "already_clean")
    scanned = ws.run("scan", ws.inputs, "--no-cache", "--json", "-").document()
    record = entry_named(scanned["photos"], "bomb.png")
    assert record["faces"] == [] and not record["faces_scanned"]
    assert record["face_error"].startswith("picture too large: 30000x30000 pixels (900 mega")


# --- XMP: nested entities, deep nesting ------------------------------------------------------

_XMP_CASES = [
    pytest.param(hostile.entity_xmp_jpeg, id="nested-entities"),
    pytest.param(hostile.deep_xmp_jpeg, id="deep-nesting"),
]


@pytest.mark.parametrize("build", _XMP_CASES)
def test_strip_only_location_on_hostile_xmp(ws: Workspace, build: Any) -> None:
    (ws.inputs / "x.jpg").write_bytes(build())
    doc = ws.run(
        "strip", ws.inputs, "--only", "location", "--out", ws.out, "--json", "-"
    ).document()
    entry = entry_named(doc["files"], "x.jpg")
    if entry["status"] in FAILED_OR_REFUSED:
        assert entry["reason"] and not (ws.out / "x.jpg").exists()
    else:
        assert entry["status"] == "stripped", entry
        assert hostile.gps_in_bytes((ws.out / "x.jpg").read_bytes()) == []


@pytest.mark.parametrize("build", [hostile.entity_xmp_jpeg, hostile.deep_xmp_jpeg])
def test_scan_lists_a_photo_with_hostile_xmp(ws: Workspace, build: Any) -> None:
    (ws.inputs / "x.jpg").write_bytes(build())
    doc = ws.run("scan", ws.inputs, "--no-faces", "--no-cache", "--json", "-").document()
    assert [p["path"] for p in doc["photos"]] + [e["path"] for e in doc["errors"]] == ["x.jpg"]


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["scan", "IN", "--no-faces", "--no-cache", "--json", "-"], id="scan"),
        pytest.param(["strip", "IN", "--out", "OUT", "--json", "-"], id="strip"),
    ],
)
def test_extended_xmp_declaring_megabytes_costs_what_the_file_holds(
    ws: Workspace, args: list[str]
) -> None:
    (ws.inputs / "x.jpg").write_bytes(hostile.extended_xmp_bomb_jpeg())
    filled = [str(ws.inputs) if a == "IN" else str(ws.out) if a == "OUT" else a for a in args]
    doc = ws.run(*filled).document()
    assert len(doc.get("photos", doc.get("files", []))) == 1


# --- file names that are not UTF-8 -----------------------------------------------------------

_UNDECODABLE = os.fsdecode(b"caf\xe9.jpg")
# How a name's undecodable byte may be carried through: the JSON escape of the lone
# surrogate (round-trips with os.fsencode), scan's printable escape, or U+FFFD.
_SHOWN = {_UNDECODABLE, "caf\\xe9.jpg", "caf\ufffd.jpg"}


def _undecodable_photo(ws: Workspace) -> None:
    (ws.inputs / _UNDECODABLE).write_bytes(hostile.gps_jpeg())


@pytest.mark.parametrize("command", ["strip", "share"])
def test_json_on_stdout_carries_an_undecodable_name(ws: Workspace, command: str) -> None:
    _undecodable_photo(ws)
    doc = ws.run(command, ws.inputs, "--out", ws.out, "--json", "-").document()
    (entry,) = doc["files"]
    assert Path(entry["path"]).name in _SHOWN and entry["status"] in ("stripped", "reencoded")


def test_json_file_carries_an_undecodable_name(ws: Workspace) -> None:
    _undecodable_photo(ws)
    target = ws.root / "strip.json"
    ws.run("strip", ws.inputs, "--out", ws.out, "--json", target, outputs=(target,))
    (entry,) = json.loads(target.read_bytes().decode("utf-8"))["files"]
    assert Path(entry["path"]).name in _SHOWN
    assert target.stat().st_mode & 0o777 == 0o600  # it says where every copy is


@pytest.mark.parametrize("command", ["strip", "share"])
def test_human_output_shows_an_undecodable_name(ws: Workspace, command: str) -> None:
    _undecodable_photo(ws)
    result = ws.run(command, ws.inputs, "--out", ws.out, exit_codes=(0,))
    assert b"caf\\xe9.jpg" in result.stdout


def test_report_shows_an_undecodable_name(ws: Workspace) -> None:
    _undecodable_photo(ws)
    target = ws.out / "report.html"
    ws.out.mkdir()
    ws.run("report", ws.inputs, "--no-faces", "-o", target)
    html = target.read_bytes().decode("utf-8")
    assert "caf\ufffd.jpg" in html or "caf\\xe9.jpg" in html


def test_scan_json_carries_an_undecodable_name(ws: Workspace) -> None:
    _undecodable_photo(ws)
    doc = ws.run("scan", ws.inputs, "--no-faces", "--no-cache", "--json", "-").document()
    (record,) = doc["photos"]
    assert record["path"] in _SHOWN and record["gps"] is not None


# --- a FIFO, a link to /dev/zero -------------------------------------------------------------


def _fifo_folder(ws: Workspace) -> None:
    (ws.inputs / "a.jpg").write_bytes(hostile.gps_jpeg())
    os.mkfifo(ws.inputs / "pipe.jpg")


def _zero_folder(ws: Workspace) -> None:
    (ws.inputs / "a.jpg").write_bytes(hostile.gps_jpeg())
    (ws.inputs / "zero.jpg").symlink_to("/dev/zero")


@pytest.mark.parametrize(
    ("command", "make", "name"),
    [
        pytest.param(command, make, name, id=f"{command}-{kind}")
        for command in ("strip", "share")
        for make, name, kind in (
            (_fifo_folder, "pipe.jpg", "fifo"),
            (_zero_folder, "zero.jpg", "dev-zero"),
        )
    ],
)
def test_a_file_that_is_not_regular_is_refused_not_read(
    ws: Workspace, command: str, make: Any, name: str
) -> None:
    """Opened without blocking and refused by the type of the opened descriptor (a FIFO
    used to hang strip and share; /dev/zero was read to the 1 GiB cap, or without any)."""
    make(ws)
    doc = ws.run(command, ws.inputs, "--out", ws.out, "--json", "-").document()
    _refused_with_reason(doc, name)
    assert "not a regular file" in entry_named(doc["files"], name)["reason"]
    assert entry_named(doc["files"], "a.jpg")["status"] in ("stripped", "reencoded")
    _no_output_named(ws, Path(name).stem)


@pytest.mark.parametrize("make", [_fifo_folder, _zero_folder], ids=["fifo", "dev-zero"])
def test_scan_refuses_a_file_that_is_not_regular(ws: Workspace, make: Any) -> None:
    make(ws)
    doc = ws.run("scan", ws.inputs, "--no-faces", "--no-cache", "--json", "-").document()
    (error,) = doc["errors"]
    assert error["reason"] and [p["path"] for p in doc["photos"]] == ["a.jpg"]


# --- a folder link pointing outside the folder ----------------------------------------------


def test_every_photo_the_scan_reports_is_in_the_strip_result(ws: Workspace) -> None:
    """strip plans from the scan's own walk (folder links followed, each folder once)."""
    album, elsewhere = ws.inputs / "album", ws.root / "elsewhere"
    album.mkdir()
    elsewhere.mkdir()
    (album / "own.jpg").write_bytes(hostile.gps_jpeg())
    (elsewhere / "linked.jpg").write_bytes(hostile.gps_jpeg(1.5, 2.5))
    (album / "ext").symlink_to(elsewhere, target_is_directory=True)
    scanned = ws.run("scan", ws.inputs, "--no-faces", "--no-cache", "--json", "-").document()
    reported = {p["path"] for p in scanned["photos"]}
    assert reported == {"album/own.jpg", "album/ext/linked.jpg"}
    doc = ws.run("strip", ws.inputs, "--out", ws.out, "--json", "-").document()
    listed = {str(Path(f["path"]).relative_to(ws.inputs)): f for f in doc["files"]}
    assert reported <= set(listed), f"dropped: {reported - set(listed)}"
    assert all(listed[p]["status"] for p in reported)


# --- a zip member needing an unknown zip version ---------------------------------------------


def test_zip_member_with_an_unknown_version_is_one_error(ws: Workspace) -> None:
    photo = hostile.gps_jpeg()
    members = {"Takeout/Google Photos/a.jpg": photo, "Takeout/Google Photos/b.jpg": photo}
    archive = ws.inputs / "takeout-20240101T000000Z-001.zip"
    archive.write_bytes(hostile.zip_with_unknown_version(members, "Takeout/Google Photos/a.jpg"))
    doc = ws.run("scan", archive, "--no-faces", "--no-cache", "--json", "-").document()
    error = entry_named(doc["errors"], "a.jpg")
    assert "unsupported zip feature" in error["reason"]
    assert [p["path"] for p in doc["photos"]] == ["Takeout/Google Photos/b.jpg"]
