"""library.decide.Decider: what the app calls when the parent changes a decision."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from photoscan.library.db import LibraryError
from photoscan.library.decide import Decider
from photoscan.model import ChildLevel, Face, FaceSource, Mark, PhotoRecord, Recommendation
from photoscan.risk import assess

ADULT = Face((10, 10, 50, 50), 35.0, False, ChildLevel.ADULT)
POSSIBLE = Face((60, 10, 90, 40), 22.0, True, ChildLevel.POSSIBLE_CHILD)


def _record(path: str, *faces: Face) -> PhotoRecord:
    return assess(PhotoRecord(path, "JPEG", 100, 100, faces=faces, faces_scanned=True))


def test_marks_and_flags_come_back_applied(tmp_path: Path) -> None:
    (tmp_path / "kids").mkdir()
    (tmp_path / "kids" / "a.jpg").write_bytes(b"photo a")
    (tmp_path / "b.jpg").write_bytes(b"photo b")
    a = _record("kids/a.jpg", ADULT, POSSIBLE)
    b = _record("b.jpg")
    decider = Decider(tmp_path)
    try:
        marked = decider.mark_face(a, ADULT.box, Mark.CHILD)
        assert [f.level for f in marked.faces] == [ChildLevel.CHILD, ChildLevel.POSSIBLE_CHILD]
        cleared = decider.mark_photo(marked, Mark.NOT_CHILD)  # the grid's "Not a child"
        assert [f.child for f in cleared.faces] == [False, False]
        assert Recommendation.OK_TO_SHARE in cleared.recommendations
        drawn = decider.add_face(cleared, (5, 60, 30, 90))
        assert drawn.faces[-1].source is FaceSource.PARENT
        assert decider.remove_face(drawn, (5, 60, 30, 90)).faces == cleared.faces
        reviewed = decider.set_reviewed([drawn, b])
        assert [r.decisions.reviewed for r in reviewed] == [True, True]
        assert decider.refreshed(a).decisions.reviewed  # from the database, not the record
        assert not decider.can_mark(b) and decider.mark_photo(b, Mark.CHILD) == b
        assert decider.forget(reviewed[0]) == a
    finally:
        decider.close()


def test_a_photo_inside_a_zip_export(tmp_path: Path) -> None:
    export = tmp_path / "takeout.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("Google Photos/a.jpg", b"photo in a zip")
    decider = Decider(export)
    try:
        record = decider.set_hide_all([_record("Google Photos/a.jpg", ADULT)])[0]
        assert record.decisions.hide_all
        assert record.recommendations == (Recommendation.BLUR_FACES,)
    finally:
        decider.close()


def test_a_photo_that_cannot_be_read_saves_nothing(tmp_path: Path) -> None:
    decider = Decider(tmp_path)
    try:
        with pytest.raises(LibraryError, match="cannot be read now"):
            decider.set_reviewed([_record("gone.jpg")])
        assert decider.library.count() == 0
    finally:
        decider.close()
