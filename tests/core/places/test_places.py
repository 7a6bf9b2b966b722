"""Places: offline reverse geocoding and the "place you return to" clustering."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from photoscan.model import Finding, FindingKind, Gps, PhotoRecord, Place, Severity
from photoscan.places.places import (
    PlacesSummary,
    analyze_places,
    apply_places,
    cluster,
    distance_m,
    offline_geocoder,
    parse_day,
    photo_date,
    places_json,
)
from photoscan.risk import assess
from photoscan.scan.places import place_records
from tests.core.places.test_geocode import no_network  # noqa: F401 (fixture)

LEIDEN = (52.1601, 4.4970)
M_PER_DEG_LAT = 111_195.0


def photo(path: str, lat: float, lon: float, day: str | None) -> PhotoRecord:
    findings = (
        (Finding(FindingKind.DATETIME, "EXIF:DateTimeOriginal", day, Severity.LOW),) if day else ()
    )
    return PhotoRecord(
        path, "JPEG", 10, 10, gps=Gps(lat, lon, "exif"), findings=findings, faces_scanned=True
    )


def library() -> list[PhotoRecord]:
    """Six photos within ~40 m of a Leiden house over three days; others spread elsewhere."""
    home = [
        photo(
            f"home/{i}.jpg",
            LEIDEN[0] + i * 0.00006,
            LEIDEN[1] + i * 0.00005,
            f"2024:0{m}:15 09:00:00",
        )
        for i, m in enumerate((1, 1, 2, 2, 3, 3))
    ]
    trips = [
        photo("trip/paris1.jpg", 48.8566, 2.3522, "2024:05:01 10:00:00"),
        photo("trip/paris2.jpg", 48.8606, 2.3376, "2024:05:02 10:00:00"),
        photo("trip/seattle.jpg", 47.6062, -122.3321, "2024:06:01 10:00:00"),
    ]
    # Five photos at one spot but on only two days: busy, not "returned to".
    event = [
        photo(f"event/{i}.jpg", 51.5074, -0.1278 + i * 0.0001, f"2024:07:0{1 + i % 2} 12:00:00")
        for i in range(5)
    ]
    return home + trips + event


@pytest.mark.usefixtures("no_network")
def test_only_the_spot_visited_on_three_days_is_repeated_and_named_offline() -> None:
    summary = analyze_places(library())
    repeated = [g for g in summary.places if g.repeated]
    assert len(repeated) == 1
    home = repeated[0]
    assert (home.name, home.country, home.photos, home.days) == ("Leiden", "NL", 6, 3)
    assert set(home.paths) == {f"home/{i}.jpg" for i in range(6)}
    assert set(summary.repeated_by_path) == set(home.paths)
    others = {g.name: g for g in summary.places if not g.repeated}
    assert others["Paris"].photos == 2 and others["Seattle"].photos == 1
    assert sum(g.photos for g in summary.places) == len(library())
    assert summary.by_path["trip/seattle.jpg"] == Place("Seattle", "US")


def test_repeated_place_raises_risk_with_a_plain_reason() -> None:
    records = library()
    summary = analyze_places(records, geocoder=fake_geocoder)
    context = summary.risk_context()
    home = assess(records[0], context)
    trip = assess(records[6], context)
    assert home.risk is not None and trip.risk is not None
    assert "Taken at a place you return to: 6 photos over 3 days, near Fakeville" in (
        home.risk.reasons
    )
    assert home.risk.score > trip.risk.score


def test_apply_places_marks_the_places_you_return_to() -> None:
    records = library()
    summary = analyze_places(records, geocoder=fake_geocoder)
    placed = {r.path: r.place for r in apply_places(records, summary)}
    assert placed["home/0.jpg"] == Place("Fakeville", "XX", repeated=True)
    assert placed["trip/paris1.jpg"] == Place("Fakeville", "XX", repeated=False)
    assert sum(1 for p in placed.values() if p is not None and p.repeated) == 6


def test_an_unnamed_place_you_return_to_is_still_marked() -> None:
    records = library()
    summary = analyze_places(records, geocoder=lambda points: [None for _ in points])
    home = apply_places(records, summary)[0]
    assert home.place == Place("", "", repeated=True)


def fake_geocoder(points: Sequence[tuple[float, float]]) -> list[Place | None]:
    return [Place("Fakeville", "XX") for _ in points]


@pytest.mark.parametrize(
    ("days", "repeated"),
    [
        (["2024:01:01", "2024:01:02", "2024:01:03", "2024:01:03", "2024:01:03"], True),
        (["2024:01:01", "2024:01:02", "2024:01:02", "2024:01:02", "2024:01:02"], False),
        (["2024:01:01", "2024:01:02", "2024:01:03", None, None], True),
        (["2024:01:01", "2024:01:02", "2024:01:03", "2024:01:04"], False),  # only 4 photos
        ([None] * 8, False),  # no dates at all
    ],
)
def test_rule_five_photos_three_days(days: list[str | None], repeated: bool) -> None:
    records = [photo(f"{i}.jpg", 10.0, 10.0 + i * 0.0001, d) for i, d in enumerate(days)]
    summary = analyze_places(records, geocoder=fake_geocoder)
    assert any(g.repeated for g in summary.places) is repeated


def test_photos_farther_than_100_m_do_not_form_a_place() -> None:
    step = 150 / M_PER_DEG_LAT  # 150 m apart, north-south
    records = [photo(f"{i}.jpg", 10.0 + i * step, 10.0, f"2024:01:0{i + 1}") for i in range(6)]
    assert not any(g.repeated for g in analyze_places(records, geocoder=fake_geocoder).places)


def test_cluster_never_chains_beyond_the_radius() -> None:
    step = 60 / M_PER_DEG_LAT
    points = [(10.0 + i * step, 10.0) for i in range(10)]  # a 540 m line of 60 m steps
    for members in cluster(points):
        for a in members:
            for b in members:
                # twice the radius, plus the ~10 m grid the positions are snapped to
                assert distance_m(points[a], points[b]) <= 200.0 + 15.0


def test_distance() -> None:
    assert distance_m((0.0, 0.0), (1.0, 0.0)) == pytest.approx(M_PER_DEG_LAT, rel=1e-3)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024:03:05 10:11:12", (2024, 3, 5)),
        ("2023-10-06 06:38:51 UTC", (2023, 10, 6)),
        ("2023-10-06T06:38:51+02:00", (2023, 10, 6)),
        ("0000:00:00 00:00:00", None),
        ("2024:13:40", None),
        ("yesterday", None),
    ],
)
def test_parse_day(value: str, expected: tuple[int, int, int] | None) -> None:
    day = parse_day(value)
    assert (day and (day.year, day.month, day.day)) == expected


def test_photo_date_prefers_the_original_date() -> None:
    findings = (
        Finding(FindingKind.DATETIME, "EXIF:ModifyDate", "2025:01:01 00:00:00", Severity.LOW),
        Finding(FindingKind.DATETIME, "EXIF:DateTimeOriginal", "2020:02:02 0:0:0", Severity.LOW),
        Finding(FindingKind.DATETIME, "Takeout:photoTakenTime", "2021-03-03", Severity.LOW),
    )
    record = PhotoRecord("a.jpg", "JPEG", 1, 1, findings=findings)
    day = photo_date(record)
    assert day is not None and (day.year, day.month, day.day) == (2020, 2, 2)


def test_json_has_no_coordinates_unless_asked() -> None:
    summary = analyze_places(library(), geocoder=fake_geocoder)
    plain = places_json(summary)
    assert all(set(item) == {"name", "country", "photos", "days", "repeated"} for item in plain)
    located = places_json(summary, include_locations=True)
    assert any("center" in item for item in located)


def test_apply_places_and_empty_library() -> None:
    records = library()
    summary = analyze_places(records, geocoder=fake_geocoder)
    placed = apply_places(records, summary)
    repeated = set(summary.repeated_by_path)
    assert all(r.place == Place("Fakeville", "XX", r.path in repeated) for r in placed)
    no_gps = PhotoRecord("x.jpg", "JPEG", 1, 1)
    assert analyze_places([no_gps]).places == ()
    assert offline_geocoder([]) == []


def test_thousands_of_photos_at_one_house_are_one_spot() -> None:
    step = 50 / M_PER_DEG_LAT / 20_000
    points = [(52.0 + i * step, 4.0 + (i % 7) * 1e-6) for i in range(20_000)]  # a 50 m line
    clusters = cluster(points)
    assert len(clusters) == 1 and len(clusters[0]) == 20_000


def test_place_records_names_places_and_reassesses_the_repeated_ones() -> None:
    records = [assess(r) for r in library()]
    placed, summary = place_records(records, geocoder=fake_geocoder)
    assert [r.path for r in placed] == [r.path for r in records]
    repeated = set(summary.repeated_by_path)
    assert all(r.place == Place("Fakeville", "XX", r.path in repeated) for r in placed)
    home = next(r for r in placed if r.path == "home/0.jpg")
    trip = next(r for r in placed if r.path == "trip/paris1.jpg")
    assert home.risk is not None and any("return to" in x for x in home.risk.reasons)
    assert trip.risk is not None and records[6].risk is not None
    assert "GPS pins where it was taken (near Fakeville)" in trip.risk.reasons
    assert trip.risk.score == records[6].risk.score
    assert summary.repeated_by_path.keys() == {f"home/{i}.jpg" for i in range(6)}
    unlocated = [PhotoRecord("x.jpg", "JPEG", 1, 1)]
    assert place_records(unlocated) == (tuple(unlocated), PlacesSummary())
