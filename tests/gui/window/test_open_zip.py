"""The app's *Open .zip Export*: the scan child gets the zip path unchanged and scans it."""

from __future__ import annotations

import zipfile
from pathlib import Path

from photoscan.gui.window.welcome import is_openable
from photoscan.scan.events import PhotoScanned, ScanFinished
from photoscan.scan.jobs import ScanOptions
from photoscan.scan.process import ScanFailed, ScanProcess
from tests.core.scan.test_process import drain
from tests.gui.library.test_thumbnails import write_photo


def test_the_scan_child_scans_a_zip_export(tmp_path: Path) -> None:
    photo = write_photo(tmp_path / "a.jpg")
    archive = tmp_path / "takeout.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(photo, "Takeout/Google Photos/a.jpg")
    assert is_openable(archive)
    process = ScanProcess(archive, ScanOptions(faces=False, use_cache=False))
    process.start()
    events = drain(process)
    assert isinstance(events[-1], ScanFinished) and events[-1].result.root == archive
    assert [e.record.path for e in events if isinstance(e, PhotoScanned)] == [
        "Takeout/Google Photos/a.jpg"
    ]


def test_a_corrupt_zip_is_reported_in_plain_words(tmp_path: Path) -> None:
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"PK\x03\x04" + bytes(100))
    process = ScanProcess(archive, ScanOptions(faces=False))
    process.start()
    events = drain(process)
    assert any(isinstance(e, ScanFailed) and "cannot read zip export" in e.message for e in events)
