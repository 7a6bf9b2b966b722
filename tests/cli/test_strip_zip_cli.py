"""``photoscan strip/share EXPORT.zip --out DIR``: clean copies of a zip export (it used to
print "unsupported format" and exit 0); in place refused with the reason (exit 2)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from photoscan.cli.main import main
from tests.core.strip import fixtures
from tests.core.strip.test_exports import write_zip


def _zip(tmp_path: Path) -> Path:
    return write_zip(
        tmp_path / "flickr.zip",
        {
            "album/IMG_1.jpg": fixtures.dirty_jpeg(),
            "album/photo_123.json": b'{"geo": {"latitude": "47.6"}}',
            "=cmd.png": fixtures.dirty_png(),
        },
    )


def test_strip_a_zip_to_copies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _zip(tmp_path)
    out = tmp_path / "out"
    assert main(["strip", str(path), "--out", str(out), "--json", "-"]) == 0
    doc = json.loads(capsys.readouterr().out)
    status = {Path(f["path"]).name: f["status"] for f in doc["files"]}
    assert status == {"IMG_1.jpg": "stripped", "photo_123.json": "refused", "=cmd.png": "stripped"}
    assert (out / "album" / "IMG_1.jpg").is_file() and (out / "=cmd.png").is_file()
    assert not (out / "album" / "photo_123.json").exists()
    assert fixtures.ARTIST.encode() not in (out / "album" / "IMG_1.jpg").read_bytes()


def test_strip_a_zip_in_place_is_refused_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _zip(tmp_path)
    before = path.read_bytes()
    code = main(["strip", str(path), "--in-place", "--backup-dir", str(tmp_path / "b")])
    assert code == 2
    assert "cannot be changed in place" in capsys.readouterr().err
    assert path.read_bytes() == before and not (tmp_path / "b").exists()


def test_a_zip_that_cannot_be_read_is_a_usage_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    assert main(["strip", str(broken), "--out", str(tmp_path / "out")]) == 2


def test_share_a_zip_renamed_writes_a_private_escaped_mapping(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _zip(tmp_path)
    out = tmp_path / "out"
    args = ["share", str(path), "--out", str(out), "--rename", "--blur", "none", "--json", "-"]
    assert main(args) == 0
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    mapping = out / "photoscan-names.csv"
    assert doc["names_file"] == str(mapping)
    assert "do not share it" in doc["next"] and "do not share it" in captured.err
    assert mapping.stat().st_mode & 0o777 == 0o600
    rows = list(csv.reader(mapping.read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["copy", "original"]
    originals = {copy: original for copy, original in rows[1:]}
    written = {Path(f["output"]).name: f for f in doc["files"] if f["output"]}
    assert set(originals) == set(written) == {"photo-0001.png", "photo-0002.jpg"}
    assert originals["photo-0001.png"] == f"{path}/=cmd.png"
    assert originals["photo-0002.jpg"] == f"{path}/album/IMG_1.jpg"
    # A second run never replaces the first mapping.
    again = tmp_path / "again"
    assert main(["share", str(path), "--out", str(again), "--rename", "--blur", "none"]) == 0
    assert (again / "photoscan-names.csv").exists()


def test_share_prints_the_faces_found_and_hidden(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from photoscan import share
    from photoscan.model import Face

    child = Face(box=(4, 4, 20, 20), age=5.0, child=True)
    monkeypatch.setattr(share, "default_detector", lambda: lambda data: (child,))
    path = _zip(tmp_path)
    assert main(["share", str(path), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "faces: 1 found, 1 hidden" in out
