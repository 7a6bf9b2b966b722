"""The scan cache: exact-key reuse, private files, faces apart, survives corruption."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from photoscan.model import (
    Face,
    FileError,
    Finding,
    FindingKind,
    Gps,
    PhotoRecord,
    Severity,
)
from photoscan.scan import cache as cache_mod
from photoscan.scan.cache import ScanCache, db_path
from photoscan.scan.jobs import FileKey, Outcome

RECORD = PhotoRecord(
    path="a/b.jpg",
    format="JPEG",
    width=40,
    height=30,
    gps=Gps(47.6205, -122.3493, "exif", 12.5),
    findings=(Finding(FindingKind.PERSON, "EXIF:Artist", "Jane Doe", Severity.HIGH),),
    sidecars=("a/b.xmp",),
)
KEY = FileKey("/photos/a/b.jpg", 1234, 1_700_000_000_000_000_000, "a/b.xmp:10:5")


def test_roundtrip_and_exact_key() -> None:
    with ScanCache() as c:
        c.store(KEY, Outcome(record=RECORD))
        c.store(
            FileKey("/photos/x.pdf", 5, 6),
            Outcome(error=FileError("x.pdf", "nope"), not_photo=True),
        )
    with ScanCache() as c:
        hits = c.lookup([KEY, FileKey("/photos/x.pdf", 5, 6)])
        assert hits[KEY.path] == Outcome(record=RECORD)
        assert hits["/photos/x.pdf"] == Outcome(error=FileError("x.pdf", "nope"), not_photo=True)
        changed = [
            FileKey(KEY.path, KEY.size + 1, KEY.mtime_ns, KEY.sidecars),
            FileKey(KEY.path, KEY.size, KEY.mtime_ns + 1, KEY.sidecars),
            FileKey(KEY.path, KEY.size, KEY.mtime_ns, ""),
        ]
        for key in changed:
            assert c.lookup([key]) == {}


def test_new_scanner_version_invalidates(monkeypatch: pytest.MonkeyPatch) -> None:
    with ScanCache() as c:
        c.store(KEY, Outcome(record=RECORD))
    monkeypatch.setattr(cache_mod, "scanner_version", lambda: "9.9.9+r99+code")
    with ScanCache() as c:
        assert c.lookup([KEY]) == {}


def test_files_are_private() -> None:
    with ScanCache() as c:
        c.store(KEY, Outcome(record=RECORD))
    path = db_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_faces_are_keyed_by_settings() -> None:
    faces = (Face((1, 2, 30, 40), 6.5, True),)
    with ScanCache() as c:
        c.store_faces(KEY, "settings-a", faces)
        c.store_faces(FileKey("/photos/bad.jpg", 1, 1), "settings-a", "cannot decode")
    with ScanCache() as c:
        assert c.lookup_faces([KEY], "settings-a") == {KEY.path: faces}
        assert c.lookup_faces([KEY], "settings-b") == {}
        assert c.lookup_faces([FileKey("/photos/bad.jpg", 1, 1)], "settings-a") == {
            "/photos/bad.jpg": "cannot decode"
        }
        assert c.lookup([KEY]) == {}  # faces do not count as a metadata result


def test_corrupt_database_is_rebuilt_with_a_warning(tmp_path: Path) -> None:
    path = db_path()
    path.write_bytes(b"this is not a database" * 100)
    with ScanCache() as c:
        assert c.enabled
        assert any("rebuilding" in w for w in c.warnings)
        c.store(KEY, Outcome(record=RECORD))
    with ScanCache() as c:
        assert c.lookup([KEY]) == {KEY.path: Outcome(record=RECORD)}
        assert c.warnings == []


def test_scanner_version_follows_the_code() -> None:
    version = cache_mod.scanner_version()
    assert version.startswith(f"{cache_mod.__version__}+r{cache_mod.READERS_VERSION}+")
    assert len(version.rsplit("+", 1)[1]) == 12


def test_unwritable_cache_location_disables_caching(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with ScanCache(blocker / "sub" / "scan-cache.sqlite3") as c:
        assert not c.enabled and c.warnings
        c.store(KEY, Outcome(record=RECORD))
        assert c.lookup([KEY]) == {}


def test_covers_only_when_every_row_is_current() -> None:
    other = FileKey("/photos/a/c.jpg", 1, 2)
    with ScanCache() as c:
        c.store(KEY, Outcome(record=RECORD))
        assert c.covers([KEY], [], "s")
        assert not c.covers([KEY, other], [], "s")  # a file without a row (uncacheable)
        assert not c.covers([FileKey(KEY.path, KEY.size + 1, KEY.mtime_ns, KEY.sidecars)], [], "s")
        assert not c.covers([KEY], [KEY], "s")  # faces wanted, none stored
        c.store_faces(KEY, "s", ())
        assert c.covers([KEY], [KEY], "s")
        assert not c.covers([KEY], [KEY], "other settings")


def test_a_changed_sidecar_is_a_quiet_miss_and_a_damaged_row_a_warned_one() -> None:
    member = FileKey("/t.zip/Takeout/b.jpg", 99, 7, "Takeout/b.jpg:1234:0a1b2c3d|")
    with ScanCache() as c:
        c.store(KEY, Outcome(record=RECORD))
        c.store(member, Outcome(record=RECORD))  # a zip member's tag, no sidecars
    with ScanCache() as c:
        assert c.lookup([member]) == {member.path: Outcome(record=RECORD)}
        assert c.lookup([FileKey(KEY.path, KEY.size, KEY.mtime_ns, "a/b.xmp:11:5")]) == {}
        assert c.warnings == []
    with sqlite3.connect(db_path()) as conn:
        conn.execute("UPDATE files SET outcome = '[1, 2]'")
    with ScanCache() as c:
        assert c.lookup([KEY, member]) == {}
        assert len(c.warnings) == 1, c.warnings
