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
