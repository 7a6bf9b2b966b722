"""The scan's child process: events arrive in batches, failures are reported, never hang."""

from __future__ import annotations

from pathlib import Path

from photoscan.scan.events import FilesDiscovered, PhotoScanned, ScanFinished
from photoscan.scan.jobs import ScanOptions
from photoscan.scan.process import ScanFailed, ScanProcess
from tests.gui.library.test_thumbnails import write_photo


def drain(process: ScanProcess) -> list[object]:
    events: list[object] = []
    while not process.ended:
        events.extend(process.next_events())
    return events


def test_child_process_streams_the_cores_events(tmp_path: Path) -> None:
    for name in ("a.jpg", "b.jpg"):
        write_photo(tmp_path / name)
    process = ScanProcess(tmp_path, ScanOptions(faces=False, use_cache=False))
    process.start()
    events = drain(process)
    assert isinstance(events[-1], ScanFinished) and not events[-1].result.cancelled
    assert any(isinstance(e, FilesDiscovered) and e.total == 2 for e in events)
    assert sorted(e.record.path for e in events if isinstance(e, PhotoScanned)) == [
        "a.jpg",
        "b.jpg",
    ]


def test_an_unscannable_root_is_reported_not_raised(tmp_path: Path) -> None:
    process = ScanProcess(tmp_path / "missing", ScanOptions(faces=False))
    process.start()
    events = drain(process)
    assert len(events) == 1 and isinstance(events[0], ScanFailed)
    assert "missing" in events[0].message
    assert process.next_events() == []


def test_cancel_before_start_still_ends_cleanly(tmp_path: Path) -> None:
    write_photo(tmp_path / "a.jpg")
    process = ScanProcess(tmp_path, ScanOptions(faces=False, use_cache=False))
    process.cancel()
    process.start()
    events = drain(process)
    assert isinstance(events[-1], ScanFinished) and events[-1].result.cancelled
