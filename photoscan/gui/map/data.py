"""What the map view draws, computed without painting: the world's dots and the photo spots.

The world has no coastline file: the GeoNames towns of photoscan's offline place table, drawn
as faint dots on an equirectangular projection, outline the continents well enough. The table
takes ~0.6 s to load (plus numpy and scipy), so ``load_world`` runs in a worker thread; it
returns plain arrays and never touches Qt.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from photoscan.model import PhotoRecord, RiskLevel
from photoscan.risk import is_child_photo

log = logging.getLogger(__name__)

BACKGROUND_MIN_POPULATION = 15_000  # the towns that draw the whole world
DETAIL_MIN_POPULATION = 1_000  # zoomed in: every town of the table
DETAIL_SCALE = 40.0  # pixels per degree from which the small towns are drawn too
DOT_SCALE = 8.0  # pixels per degree from which a town is a 2x2 dot
SPOT_DECIMALS = 4  # photos within ~10 m of each other are one spot

RISK_ORDER = {None: 0, RiskLevel.NONE: 1, RiskLevel.LOW: 2, RiskLevel.MEDIUM: 3, RiskLevel.HIGH: 4}


@dataclass(frozen=True)
class WorldDots:
    """Every town of the place table: latitude and longitude in degrees, inhabitants."""

    lat: np.ndarray
    lon: np.ndarray
    population: np.ndarray


@dataclass(frozen=True)
class Spot:
    """Photos taken at (nearly) the same place: one dot on the map."""

    lat: float
    lon: float
    paths: tuple[str, ...]
    children: int  # photos of the spot that show a child
    risk: RiskLevel | None  # the worst risk among them
    place: str  # "Leiden, NL", or "" when no record names a place


@dataclass(frozen=True)
class Viewport:
    """An equirectangular view: the top-left corner in degrees, pixels per degree, size."""

    west: float
    north: float
    scale: float
    width: int
    height: int


def raster(world: WorldDots, view: Viewport) -> np.ndarray:
    """The towns in view as an alpha mask (uint8, height x width): crowded pixels darker.

    Rasterised in numpy at screen resolution on every view change (a few ms for ~30,000
    towns), so the dots stay crisp at every zoom; zoomed in, the small towns join in.
    """
    minimum = DETAIL_MIN_POPULATION if view.scale > DETAIL_SCALE else BACKGROUND_MIN_POPULATION
    x = (world.lon - view.west) * view.scale
    y = (view.north - world.lat) * view.scale
    keep = (world.population >= minimum) & (x >= 0) & (x < view.width)
    keep &= (y >= 0) & (y < view.height)
    xi, yi = x[keep].astype(np.intp), y[keep].astype(np.intp)
    counts = np.zeros((view.height, view.width), dtype=np.uint16)
    np.add.at(counts, (yi, xi), 1)
    if view.scale > DOT_SCALE:  # zoomed in: 2x2 dots
        grown = counts.copy()
        grown[1:, :] += counts[:-1, :]
        grown[:, 1:] += counts[:, :-1]
        grown[1:, 1:] += counts[:-1, :-1]
        counts = grown
    return np.where(counts > 0, 150 + 35 * np.minimum(counts, 3), 0).astype(np.uint8)


def load_world() -> Iterator[WorldDots]:
    """The job of the map's loader thread: yields the world once, or nothing without a table."""
    from photoscan.places import geocode

    table = geocode.city_table()
    if table is None:
        return
    xyz = np.asarray(table.tree.data)
    radius = np.linalg.norm(xyz, axis=1)
    lat = np.degrees(np.arcsin(np.clip(xyz[:, 2] / radius, -1.0, 1.0)))
    lon = np.degrees(np.arctan2(xyz[:, 1], xyz[:, 0]))
    yield WorldDots(lat.astype(np.float32), lon.astype(np.float32), np.asarray(table.population))


def make_spots(records: Sequence[PhotoRecord], child: Sequence[bool] | None = None) -> list[Spot]:
    """Group the photos that have a position by rounded coordinates (same spot, one dot).

    ``child[i]`` says whether ``records[i]`` shows a child (the model has it as a flag bit
    already; without it, it is worked out here).
    """
    if child is None:
        child = [is_child_photo(r) for r in records]
    groups: dict[tuple[float, float], list[int]] = {}
    for i, record in enumerate(records):
        gps = record.gps
        if gps is not None:
            key = (round(gps.lat, SPOT_DECIMALS), round(gps.lon, SPOT_DECIMALS))
            groups.setdefault(key, []).append(i)
    spots = []
    for (lat, lon), members in groups.items():
        if len(members) == 1:  # the common case, kept cheap for 50,000 photos
            r = records[members[0]]
            spots.append(
                Spot(
                    lat,
                    lon,
                    (r.path,),
                    int(child[members[0]]),
                    r.risk.level if r.risk else None,
                    f"{r.place.name}, {r.place.country}" if r.place else "",
                )
            )
            continue
        rs = [records[i] for i in members]
        places = [f"{r.place.name}, {r.place.country}" for r in rs if r.place is not None]
        spots.append(
            Spot(
                lat=lat,
                lon=lon,
                paths=tuple(r.path for r in rs),
                children=sum(child[i] for i in members),
                risk=max(
                    (r.risk.level if r.risk else None for r in rs),
                    key=lambda level: RISK_ORDER.get(level, 0),
                ),
                place=max(set(places), key=places.count) if places else "",
            )
        )
    return spots
