"""The three levels: child (confident), possible child, adult; and the JSON contract."""

from __future__ import annotations

import pytest

from photoscan.faces.age import decide
from photoscan.faces.levels import LevelSettings, level_of
from photoscan.faces.settings import FaceAnalysis, FaceSettings
from photoscan.model import ChildLevel, Face
from photoscan.scan import jsonio

BANDS = LevelSettings(
    child_below=22.0, child_probability=0.6, possible_below=28.0, possible_probability=0.3
)


@pytest.mark.parametrize(
    ("estimate", "p_minor", "level"),
    [
        (8.0, 0.9, ChildLevel.CHILD),
        (21.9, 0.0, ChildLevel.CHILD),
        (22.0, 0.0, ChildLevel.POSSIBLE_CHILD),  # the lines are "under"
        (27.9, 0.1, ChildLevel.POSSIBLE_CHILD),
        (28.0, 0.1, ChildLevel.ADULT),
        (40.0, 0.6, ChildLevel.CHILD),  # most of the probability under 18
        (40.0, 0.3, ChildLevel.POSSIBLE_CHILD),
        (40.0, 0.29, ChildLevel.ADULT),
        (None, 0.0, ChildLevel.ADULT),
    ],
)
def test_levels(estimate: float | None, p_minor: float, level: ChildLevel) -> None:
    assert level_of(estimate, p_minor, BANDS) is level


def test_decide_gives_the_level_and_treats_possible_children_as_children() -> None:
    settings = FaceSettings(levels=BANDS)
    possible = decide(FaceAnalysis((0, 0, 9, 9), (25.0, 26.0), 0.1), settings)
    assert (possible.level, possible.child, possible.age) == (ChildLevel.POSSIBLE_CHILD, True, 25.5)
    adult = decide(FaceAnalysis((0, 0, 9, 9), (35.0,), 0.0), settings)
    assert (adult.level, adult.child) == (ChildLevel.ADULT, False)


def test_face_level_defaults_from_child_and_must_agree() -> None:
    assert Face((0, 0, 1, 1), 5.0, True).level is ChildLevel.CHILD
    assert Face((0, 0, 1, 1), 50.0, False).level is ChildLevel.ADULT
    with pytest.raises(ValueError):
        Face((0, 0, 1, 1), 25.0, False, ChildLevel.POSSIBLE_CHILD)


def test_json_keeps_child_and_adds_level() -> None:
    faces = (
        Face((0, 0, 5, 5), 26.0, True, ChildLevel.POSSIBLE_CHILD),
        Face((9, 9, 20, 20), 40.0, False),
    )
    listed = jsonio.faces_to_list(faces)
    mine = {"source": "detector", "mark": None, "detected_level": None}  # the parent's fields
    assert listed == [
        {"box": [0, 0, 5, 5], "age": 26.0, "child": True, "level": "possible_child", **mine},
        {"box": [9, 9, 20, 20], "age": 40.0, "child": False, "level": "adult", **mine},
    ]
    assert jsonio.faces_from_list(listed) == faces
    old = [{"box": [0, 0, 5, 5], "age": 6.0, "child": True}]  # a record from before levels
    assert jsonio.faces_from_list(old)[0].level is ChildLevel.CHILD
