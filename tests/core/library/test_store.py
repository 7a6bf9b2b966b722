"""The decisions database: what it keeps, where, and how it survives damage and company."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from photoscan import paths
from photoscan.library import store
from photoscan.library.db import LibraryError
from photoscan.library.store import Library, PhotoKey
from photoscan.model import Decisions, FaceMark, Mark

KEY = PhotoKey("a" * 64, 1234)
OTHER = PhotoKey("b" * 64, 999)


def test_lives_privately_in_the_data_folder_never_the_cache() -> None:
    with Library() as library:
        library.set_reviewed(KEY)
    path = store.db_path()
    assert path.parent == paths.data_dir()
    assert not str(path).startswith(str(paths.cache_dir()))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    for side in path.parent.glob("library.sqlite3-*"):  # the WAL's files
        assert stat.S_IMODE(side.stat().st_mode) == 0o600


def test_reading_without_a_file_makes_none() -> None:
    with Library(create=False) as library:
        assert library.sizes() == frozenset()
        assert library.decisions(KEY) == Decisions()
    assert not store.db_path().exists()


def test_every_decision_is_kept_and_read_back_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    with Library(path) as library:
        library.mark_face(KEY, (10, 10, 50, 50), Mark.CHILD)
        library.mark_face(KEY, (100, 10, 150, 60), Mark.NOT_CHILD)
        library.add_face(KEY, (200, 200, 240, 250))
        library.set_hide_all(KEY)
        library.set_reviewed(KEY)
        library.set_keep_private(KEY)
        library.dismiss(KEY, (300, 300, 320, 320))
    with Library(path) as library:
        assert library.decisions(KEY) == Decisions(
            marks=(
                FaceMark((10, 10, 50, 50), Mark.CHILD),
                FaceMark((100, 10, 150, 60), Mark.NOT_CHILD),
            ),
            added=((200, 200, 240, 250),),
            hide_all=True,
            reviewed=True,
            keep_private=True,
            dismissed=((300, 300, 320, 320),),
        )
        assert library.sizes() == {1234}
        assert library.marked_children() == [(KEY.sha256, (10, 10, 50, 50))]
        assert library.decisions(OTHER) == Decisions()


def test_a_new_mark_on_the_same_face_replaces_the_old_one(tmp_path: Path) -> None:
    with Library(tmp_path / "lib.sqlite3") as library:
        library.mark_face(KEY, (10, 10, 50, 50), Mark.CHILD)
        library.mark_face(KEY, (12, 11, 52, 49), Mark.NOT_CHILD)  # the same face, boxed again
        assert library.decisions(KEY).marks == (FaceMark((12, 11, 52, 49), Mark.NOT_CHILD),)
        library.mark_face(KEY, (12, 11, 52, 49), None)  # taken back
        assert library.decisions(KEY) == Decisions()
        assert library.sizes() == frozenset()  # nothing left: the photo is not hashed again


def test_marking_several_faces_and_taking_back_a_drawn_box(tmp_path: Path) -> None:
    with Library(tmp_path / "lib.sqlite3") as library:
        library.mark_faces(KEY, [(0, 0, 10, 10), (20, 0, 30, 10)], Mark.CHILD)
        assert len(library.decisions(KEY).marks) == 2
        library.add_face(KEY, (40, 40, 60, 60))
        library.remove_face(KEY, (41, 41, 60, 60))
        assert library.decisions(KEY).added == ()
        with pytest.raises(ValueError, match="not a box"):
            library.add_face(KEY, (5, 5, 5, 9))


def test_carry_over_copies_the_decisions_to_the_new_content(tmp_path: Path) -> None:
    with Library(tmp_path / "lib.sqlite3") as library:
        assert not library.carry_over(KEY, OTHER)
        library.mark_face(KEY, (10, 10, 50, 50), Mark.CHILD)
        library.set_reviewed(KEY)
        assert library.carry_over(KEY, OTHER)
        assert library.decisions(OTHER) == library.decisions(KEY)
        assert library.sizes() == {KEY.size, OTHER.size}
        library.forget(KEY)
        assert library.decisions(KEY) == Decisions()
        library.forget_all()
        assert library.count() == 0


def test_the_app_and_a_command_can_use_it_at_once(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    app, command = Library(path), Library(path)
    try:
        app.mark_face(KEY, (10, 10, 50, 50), Mark.CHILD)
        assert command.decisions(KEY).marks  # seen at once by the other connection
        command.set_reviewed(OTHER)
        app.add_face(OTHER, (1, 1, 9, 9))
        assert app.decisions(OTHER) == command.decisions(OTHER)
        assert app.decisions(OTHER).reviewed
        reader = sqlite3.connect(path)  # a reader mid-transaction never blocks a writer (WAL)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM photos").fetchone()
        app.set_hide_all(KEY)
        reader.close()
    finally:
        app.close()
        command.close()


def test_a_damaged_file_is_kept_aside_and_a_new_one_started(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    with Library(path) as library:
        library.set_reviewed(KEY)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page overwritten
    path.write_bytes(bytes(data))
    (tmp_path / "lib.sqlite3-wal").unlink(missing_ok=True)
    with Library(path) as library:
        assert library.decisions(KEY) == Decisions()
        assert any("damaged" in w for w in library.warnings)
        library.set_reviewed(OTHER)  # a fresh one works
        assert library.decisions(OTHER).reviewed
    kept = list(tmp_path.glob("lib.sqlite3.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == bytes(data)  # never deleted


def test_a_file_that_is_not_a_database_at_all(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    path.write_bytes(b"this is not SQLite, just text someone saved here\n" * 100)
    with Library(path) as library:
        assert library.sizes() == frozenset()
        library.set_reviewed(KEY)
    assert len(list(tmp_path.glob("lib.sqlite3.corrupt-*"))) == 1


def test_a_file_from_a_newer_photoscan_is_read_but_never_written(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    with Library(path) as library:
        library.set_reviewed(KEY)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version={len(store.MIGRATIONS) + 1}")
    with Library(path) as library:
        assert library.read_only and library.decisions(KEY).reviewed
        assert any("newer photoscan" in w for w in library.warnings)
        with pytest.raises(LibraryError, match="newer"):
            library.set_reviewed(OTHER)


def test_an_older_file_is_migrated_in_one_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "lib.sqlite3"
    with Library(path) as library:
        library.mark_face(KEY, (10, 10, 50, 50), Mark.CHILD)
    later = (*store.MIGRATIONS, "ALTER TABLE photos ADD COLUMN note TEXT;\nCREATE TABLE x (y);")
    monkeypatch.setattr(store, "MIGRATIONS", later)
    with Library(path) as library:
        assert library.decisions(KEY).marks  # kept through the upgrade
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(later)
        columns = [row[1] for row in conn.execute("PRAGMA table_info(photos)")]
        assert "note" in columns
    broken = (*later, "CREATE TABLE z (a);\nTHIS IS NOT SQL;")
    monkeypatch.setattr(store, "MIGRATIONS", broken)
    with Library(path) as library:  # a failing migration leaves the file as it was
        assert library.warnings
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(later)
        assert not conn.execute("SELECT name FROM sqlite_master WHERE name='z'").fetchall()


def test_an_unwritable_folder_is_a_warning_and_a_clear_error_never_a_crash(
    tmp_path: Path,
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    with Library(blocked / "lib.sqlite3") as library:
        assert library.decisions(KEY) == Decisions()
        assert library.warnings
        with pytest.raises(LibraryError, match="cannot be saved"):
            library.set_reviewed(KEY)
