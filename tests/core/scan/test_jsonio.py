"""The scan document's ``place`` object round-trips, including ``repeated``."""

from __future__ import annotations

from photoscan.model import Gps, PhotoRecord, Place
from photoscan.scan.jsonio import record_from_dict, record_to_dict


def test_place_repeated_round_trips_and_defaults_to_false() -> None:
    record = PhotoRecord(
        "a.jpg", "JPEG", 10, 10, gps=Gps(52.1, 4.5, "exif"), place=Place("Leiden", "NL", True)
    )
    doc = record_to_dict(record)
    assert doc["place"] == {"name": "Leiden", "country": "NL", "repeated": True}
    assert record_from_dict(doc).place == Place("Leiden", "NL", repeated=True)
    old = dict(doc, place={"name": "Leiden", "country": "NL"})  # written before the field
    assert record_from_dict(old).place == Place("Leiden", "NL", repeated=False)


def test_the_parents_decisions_and_face_fields_round_trip() -> None:
    from photoscan.model import ChildLevel, Decisions, Face, FaceMark, Mark
    from photoscan.risk import assess

    decisions = Decisions(
        marks=(FaceMark((0, 0, 10, 10), Mark.NOT_CHILD),),
        added=((50, 50, 70, 70),),
        reviewed=True,
        dismissed=((80, 80, 90, 90),),
    )
    possible = Face((0, 0, 10, 10), 23.0, True, ChildLevel.POSSIBLE_CHILD)
    record = assess(PhotoRecord("a.jpg", "JPEG", 100, 100, faces=(possible,)), None, decisions)
    doc = record_to_dict(record)
    assert doc["faces"] == [
        {
            "box": [0, 0, 10, 10],
            "age": 23.0,
            "child": False,
            "level": "adult",
            "source": "detector",
            "mark": "not_child",
            "detected_level": "possible_child",
        },
        {
            "box": [50, 50, 70, 70],
            "age": None,
            "child": True,
            "level": "child",
            "source": "parent",
            "mark": "child",
            "detected_level": None,
        },
    ]
    assert doc["decisions"]["reviewed"] is True
    assert doc["decisions"]["hide_all_faces"] is False
    assert record_from_dict(doc) == record
    assert record_to_dict(PhotoRecord("b.jpg", "JPEG", 1, 1))["decisions"] is None
    old_face = {"box": [1, 2, 3, 4], "age": 30.0, "child": False}  # stored before the fields
    old = record_from_dict(dict(doc, faces=[old_face], decisions=None))
    assert old.faces == (Face((1, 2, 3, 4), 30.0, False),)
