"""The dots of the map: photo spots merged on screen when their dots would overlap.

Kept apart from the widget: pure geometry on numpy arrays plus the look of one dot (colour,
size, tooltip), so it can be measured and tested without painting.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtGui import QColor

from photoscan.gui.icons import CHILD_COLOUR, risk_colour
from photoscan.gui.map.data import RISK_ORDER, Spot

MAX_RADIUS = 30.0
CELL_PX = 2 * MAX_RADIUS + 1  # the grid that finds touching dots: the 3x3 cells around
BUCKET_PX = 6.0  # spots this close on screen are pooled before merging
MERGE_PX = 18.0  # dots closer than this on screen (or touching) become one


def radius(count: int) -> float:
    """A dot grows with the log of its photos: 1 → 6 px, 10 → 14 px, 1000+ → 30 px."""
    return min(MAX_RADIUS, 6.0 + 2.5 * math.log2(max(count, 1)))


@dataclass
class Cluster:
    """Spots that share one dot at the current zoom (``count`` and ``children`` kept summed)."""

    x: float
    y: float
    spots: list[Spot]
    count: int
    children: int
    index: int = 0  # its place in the list of dots

    @property
    def paths(self) -> list[str]:
        return [p for spot in self.spots for p in spot.paths]

    @property
    def radius(self) -> float:
        return radius(self.count)

    def colour(self) -> QColor:
        if self.children:
            return QColor(CHILD_COLOUR)
        return risk_colour(max((s.risk for s in self.spots), key=RISK_ORDER.__getitem__))

    def caption(self) -> str:
        """A short name for the dot: its town with the most photos, and how many photos."""
        photos_at: Counter[str] = Counter()
        for spot in self.spots:
            if spot.place:
                photos_at[spot.place] += len(spot.paths)
        where = photos_at.most_common(1)[0][0] if photos_at else "Map dot"
        if len(photos_at) > 1:
            where += f" and {len(photos_at) - 1} more"
        return f"{where} · {self.count} photo{'s' if self.count != 1 else ''}"

    def tooltip(self) -> str:
        """The towns with the most photos first, how many photos, how many show a child."""
        photos_at: Counter[str] = Counter()
        for spot in self.spots:
            if spot.place:
                photos_at[spot.place] += len(spot.paths)
        places = [place for place, _ in photos_at.most_common(3)]
        lines = [" · ".join(places)] if places else []
        if len(photos_at) > len(places):
            more = len(photos_at) - len(places)
            lines.append(f"and {more} more place{'s' if more != 1 else ''}")
        if not places:
            spot = self.spots[0]
            lines.append(f"{spot.lat:.4f}, {spot.lon:.4f}")
        n = self.count
        lines.append(f"{n} photo{'s' if n != 1 else ''}")
        if self.children:
            lines.append(f"{self.children} show{'s' if self.children == 1 else ''} a child")
        return "\n".join(lines)


@dataclass(frozen=True)
class SpotTable:
    """The spots and, as arrays, what clustering needs of them."""

    spots: Sequence[Spot]
    lat: np.ndarray
    lon: np.ndarray
    count: np.ndarray
    children: np.ndarray

    @classmethod
    def of(cls, spots: Sequence[Spot]) -> SpotTable:
        return cls(
            spots,
            np.array([s.lat for s in spots], dtype=np.float64),
            np.array([s.lon for s in spots], dtype=np.float64),
            np.array([len(s.paths) for s in spots], dtype=np.int64),
            np.array([s.children for s in spots], dtype=np.int64),
        )


def merge_spots(table: SpotTable, xs: np.ndarray, ys: np.ndarray, w: int, h: int) -> list[Cluster]:
    """Merge spots (at screen positions ``xs``, ``ys``) whose dots would touch, biggest first.

    Spots more than a dot off the ``w`` x ``h`` screen are left out.

    The spots on screen are first pooled per few-pixel bucket in numpy, so the greedy
    Python pass sees at most one entry per bucket, not one per spot (50,000 spots).
    """
    if not table.spots:
        return []
    m = 2 * MAX_RADIUS
    inside = np.flatnonzero((xs > -m) & (xs < w + m) & (ys > -m) & (ys < h + m))
    if not inside.size:
        return []
    keys = np.floor(ys[inside] / BUCKET_PX) * 1e6 + np.floor(xs[inside] / BUCKET_PX)
    _, bucket_of = np.unique(keys, return_inverse=True)
    counts = table.count[inside]
    order = np.lexsort((-counts, bucket_of))  # by bucket, the biggest spot first
    starts = np.flatnonzero(np.r_[True, np.diff(bucket_of[order]) != 0])
    lead = inside[order][starts]  # each bucket's dot sits on its biggest spot
    bucket_count = np.add.reduceat(counts[order], starts)
    bucket_children = np.add.reduceat(table.children[inside][order], starts)
    merged: list[Cluster] = []
    owner = np.empty(len(starts), dtype=np.intp)
    cells: dict[tuple[int, int], list[Cluster]] = {}
    for k in np.argsort(-bucket_count, kind="stable").tolist():
        x, y = float(xs[lead[k]]), float(ys[lead[k]])
        count, children = int(bucket_count[k]), int(bucket_children[k])
        cx, cy = int(x // CELL_PX), int(y // CELL_PX)
        reach = radius(count)
        target = next(
            (
                c
                for dx in (-1, 0, 1)
                for dy in (-1, 0, 1)
                for c in cells.get((cx + dx, cy + dy), ())
                if math.hypot(c.x - x, c.y - y) < max(MERGE_PX, c.radius + reach)
            ),
            None,
        )
        if target is None:
            target = Cluster(x, y, [], 0, 0, len(merged))
            merged.append(target)
            cells.setdefault((cx, cy), []).append(target)
        target.count += count
        target.children += children
        owner[k] = target.index
    # Hand every spot to its dot in one pass.
    cluster_of = owner[bucket_of]
    by_cluster = np.argsort(cluster_of, kind="stable")
    ids = cluster_of[by_cluster]
    spot_ids = inside[by_cluster].tolist()
    bounds = [*np.flatnonzero(np.r_[True, np.diff(ids) != 0]).tolist(), len(spot_ids)]
    for a, b in itertools.pairwise(bounds):
        merged[int(ids[a])].spots.extend(table.spots[i] for i in spot_ids[a:b])
    return merged


def next_dot(
    clusters: Sequence[Cluster], current: Cluster | None, dx: int, dy: int
) -> Cluster | None:
    """The dot to go to from ``current`` by an arrow in screen direction (dx, dy).

    The nearest dot within 60 degrees of that direction, off-axis distance counting double,
    so the arrows walk the dots as the eye sees them; with no current dot, the one with the
    most photos (where a parent would look first)."""
    if not clusters:
        return None
    if current is None:
        return max(clusters, key=lambda c: c.count)
    best, best_cost = None, math.inf
    for c in clusters:
        vx, vy = c.x - current.x, c.y - current.y
        along = vx * dx + vy * dy
        if c is current or along <= 0:
            continue
        across = abs(vx * dy - vy * dx)
        if across > along * math.sqrt(3):  # outside the 60-degree cone
            continue
        cost = along + 2 * across
        if cost < best_cost:
            best, best_cost = c, cost
    return best
