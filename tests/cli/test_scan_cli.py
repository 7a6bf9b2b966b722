"""``photoscan scan``: JSON contract, human summary, exit codes, Ctrl-C."""

from __future__ import annotations

import io
import json
import os
import signal
import stat
from pathlib import Path

import pytest
from PIL import Image

from photoscan import scanworker
from photoscan.cli import main
from photoscan.metadata.base import Source
from photoscan.model import Extraction
from photoscan.scanworker import Readers
from photoscan.sidecars import SidecarInfo, SidecarKind


def _photo(path: Path, gps: bool = True) -> None:
    exif = Image.Exif()
    exif[0x013B] = "Jane Doe"  # Artist
    if gps:
        exif[0x8825] = {
            1: "N",
            2: (47.0, 37.0, 13.8),
            3: "W",
            4: (122.0, 20.0, 57.48),
        }
    Image.new("RGB", (32, 24), "green").save(path, "JPEG", exif=exif)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    (root / "trip").mkdir(parents=True)
    _photo(root / "trip" / "seattle.jpg")
    _photo(root / "plain.jpg", gps=False)
    (root / "readme.txt").write_text("not a photo")
    (root / ".git").mkdir()
    (root / ".git" / "x.jpg").write_bytes(b"")
    return root


def test_json_to_stdout_is_only_json_and_follows_the_contract(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", str(library), "--json", "-", "--no-faces"]) == 0
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert err == ""
    assert doc["root"] == str(library)
    assert doc["cancelled"] is False
    assert set(doc) >= {"root", "photoscan_version", "photos", "errors"}
    photos = {p["path"]: p for p in doc["photos"]}
    assert set(photos) == {"plain.jpg", "trip/seattle.jpg"}
    seattle = photos["trip/seattle.jpg"]
    assert seattle["format"] == "JPEG" and (seattle["width"], seattle["height"]) == (32, 24)
    assert seattle["gps"]["lat"] == pytest.approx(47.6205, abs=1e-4)
    assert seattle["gps"]["lon"] == pytest.approx(-122.3493, abs=1e-4)
    assert photos["plain.jpg"]["gps"] is None
    assert seattle["place"] is None or set(seattle["place"]) == {"name", "country", "repeated"}
    assert seattle["faces"] == []
    for finding in seattle["findings"]:
        assert set(finding) == {"kind", "field", "value", "severity"}
    assert any(f["kind"] == "person" and f["value"] == "Jane Doe" for f in seattle["findings"])
    assert set(seattle["risk"]) == {"level", "score", "reasons"}
    assert isinstance(seattle["recommendations"], list)
    assert doc["errors"] == [{"path": "readme.txt", "reason": doc["errors"][0]["reason"]}]
    assert doc["errors"][0]["reason"].startswith("unsupported format")
    assert doc["skipped"] == [{"path": ".git/", "reason": "hidden or system folder (not scanned)"}]


def test_human_summary_and_private_json_file(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out" / "report.json"
    target.parent.mkdir()
    assert main(["scan", str(library), "--no-faces", "--json", str(target)]) == 0
    out, err = capsys.readouterr()
    assert "2 photos, 1 not scanned" in out
    assert "1 photo with GPS coordinates" in out
    assert "readme.txt" in out
    assert f"Full result written to {target}" in out
    assert err == ""  # stderr is no terminal here: no progress bar
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert len(json.loads(target.read_text())["photos"]) == 2


@pytest.mark.parametrize(
    "argv",
    [
        ["scan", "/nonexistent/photos"],
        ["scan", __file__],
        ["scan", ".", "--workers", "0"],
        ["scan"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().out == ""


def interrupting_extract(source: Source) -> Extraction:
    """Acts like the user pressing Ctrl-C while the first file is being read."""
    os.kill(os.getpid(), signal.SIGINT)
    return Extraction(source.fmt, 1, 1)


def unused_sidecar(kind: SidecarKind, data: bytes, name: str, photo: str | None) -> SidecarInfo:
    raise AssertionError("no sidecars in this test")


def test_ctrl_c_exits_130_with_partial_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "JPEG")
    for i in range(5):
        (root / f"{i}.jpg").write_bytes(buf.getvalue())
    readers = Readers(interrupting_extract, unused_sidecar)
    monkeypatch.setattr(scanworker, "default_readers", lambda: readers)
    assert main(["scan", str(root), "--no-faces", "--no-cache", "--json", "-"]) == 130
    doc = json.loads(capsys.readouterr().out)
    assert doc["cancelled"] is True
    assert 1 <= len(doc["photos"]) < 5
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_unreadable_root_exits_2(
    library: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_scandir = os.scandir

    def scandir(path: object) -> object:
        if Path(str(path)) == library:
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
    assert main(["scan", str(library), "--no-faces"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "permission denied" in err
