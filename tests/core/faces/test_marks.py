"""faces.marks: the parent's decisions applied to the faces a scan found."""

from __future__ import annotations

from photoscan.faces.marks import apply, same_face, scaled, undo
from photoscan.model import ChildLevel, Decisions, Face, FaceMark, FaceSource, Mark

ADULT = Face((100, 100, 200, 200), 40.0, False, ChildLevel.ADULT)
POSSIBLE = Face((300, 100, 400, 200), 23.0, True, ChildLevel.POSSIBLE_CHILD)
NEAR = Face((110, 105, 215, 210), 38.0, False, ChildLevel.ADULT)  # overlaps ADULT


def test_same_face_by_overlap_or_containment() -> None:
    assert same_face((0, 0, 100, 100), (10, 10, 110, 110))  # IoU 0.68
    assert same_face((0, 0, 100, 100), (20, 20, 60, 60))  # small box inside a big one
    assert not same_face((0, 0, 100, 100), (90, 90, 200, 200))
    assert not same_face((0, 0, 10, 10), (10, 0, 20, 10))  # touching is not overlapping


def test_a_mark_goes_to_the_best_overlapping_face_once() -> None:
    decisions = Decisions(marks=(FaceMark((108, 104, 214, 209), Mark.CHILD),))
    faces = apply((ADULT, NEAR), decisions)
    assert [f.level for f in faces] == [ChildLevel.ADULT, ChildLevel.CHILD]  # NEAR fits best
    assert faces[1].detected is ChildLevel.ADULT and faces[1].mark is Mark.CHILD


def test_not_a_child_clears_a_possible_child_and_can_be_taken_back() -> None:
    decisions = Decisions(marks=(FaceMark(POSSIBLE.box, Mark.NOT_CHILD),))
    faces = apply((ADULT, POSSIBLE), decisions)
    assert not faces[1].child and faces[1].level is ChildLevel.ADULT
    assert undo(faces) == (ADULT, POSSIBLE)
    assert apply(faces, Decisions()) == (ADULT, POSSIBLE)
    assert apply(faces, decisions) == faces  # applying again changes nothing


def test_lost_faces_only_ever_make_it_more_careful() -> None:
    decisions = Decisions(
        marks=(
            FaceMark((600, 600, 650, 650), Mark.CHILD),  # its face is not found any more
            FaceMark((800, 800, 850, 850), Mark.NOT_CHILD),
        ),
        added=((605, 602, 652, 648),),  # the same face, also drawn: one face, not two
    )
    faces = apply((ADULT,), decisions)
    assert faces[0] == ADULT
    assert [(f.box, f.source, f.child) for f in faces[1:]] == [
        ((600, 600, 650, 650), FaceSource.PARENT, True)
    ]


def test_a_drawn_box_the_detector_now_finds_marks_that_face() -> None:
    faces = apply((ADULT,), Decisions(added=((98, 98, 205, 204),)))
    assert len(faces) == 1 and faces[0].child and faces[0].mark is Mark.CHILD


def test_scaled_maps_boxes_into_a_preview() -> None:
    decisions = Decisions(
        marks=(FaceMark((100, 200, 300, 400), Mark.CHILD),), added=((0, 0, 10, 10),)
    )
    half = scaled(decisions, (0.5, 0.25))
    assert half.marks[0].box == (50, 50, 150, 100)
    assert half.added == ((0, 0, 5, 2),)
    assert scaled(decisions, (1.0, 1.0)) is decisions
