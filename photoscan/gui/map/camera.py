"""Where the map looks: the centre, the zoom and the projection to and from the screen.

An equirectangular view over a widget of ``width`` x ``height`` pixels; plain arithmetic
with no painting, so fitting, zooming and panning are tested without a widget. The centre
is clamped, not the view's edges: an edge clamp fights a zoom anchored at the pointer (in a
tall pane Europe could not reach the middle).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF

from photoscan.gui.map.data import Spot

MAX_ZOOM = 600.0  # times the whole-world scale
WORLD_ZOOM = 1.6  # a fit zoomed in less than this shows the whole world instead
FIT_MAX_ZOOM = 24.0  # a first view never zooms in further than this on the photos
SOUTH, NORTH = -60.0, 85.0  # the inhabited latitudes (no town south of Tierra del Fuego)


def _inside(centre: float, half: float, low: float, high: float) -> float:
    """The centre of a view ``2 * half`` wide that stays within [low, high] (or the middle)."""
    if 2 * half >= high - low:
        return (low + high) / 2
    return min(max(centre, low + half), high - half)


@dataclass
class Camera:
    width: int = 200
    height: int = 150
    lon: float = 0.0
    lat: float = 20.0
    zoom: float = 1.0

    def base_scale(self) -> float:
        """Pixels per degree at which the inhabited world fills the widget."""
        return max(1e-3, min(self.width / 360.0, self.height / (NORTH - SOUTH)))

    def scale(self) -> float:
        return self.base_scale() * self.zoom

    def to_screen(self, lat: float, lon: float) -> QPointF:
        s = self.scale()
        return QPointF(
            self.width / 2 + (lon - self.lon) * s, self.height / 2 - (lat - self.lat) * s
        )

    def to_geo(self, point: QPointF) -> tuple[float, float]:
        s = self.scale()
        lon = self.lon + (point.x() - self.width / 2) / s
        lat = self.lat - (point.y() - self.height / 2) / s
        return lat, lon

    def centre(self) -> QPointF:
        return QPointF(self.width / 2, self.height / 2)

    def clamp(self) -> None:
        """Keep the zoom in range and the middle of the view over the world."""
        self.zoom = min(max(self.zoom, 1.0), MAX_ZOOM)
        self.lon = min(max(self.lon, -180.0), 180.0)
        self.lat = min(max(self.lat, SOUTH), NORTH)

    def fit(self, spots: Sequence[Spot]) -> None:
        """Show every spot, with some world around it for context."""
        if not spots:
            self.zoom, self.lon, self.lat = 1.0, 0.0, (SOUTH + NORTH) / 2
            self.clamp()
            return
        lats = [s.lat for s in spots]
        lons = [s.lon for s in spots]
        span_lon = max(max(lons) - min(lons), 1e-6) * 1.4
        span_lat = max(max(lats) - min(lats), 1e-6) * 1.4
        base = self.base_scale()
        zoom = min(self.width / (span_lon * base), self.height / (span_lat * base))
        self.zoom = min(zoom, FIT_MAX_ZOOM)
        self.lon = (max(lons) + min(lons)) / 2
        self.lat = (max(lats) + min(lats)) / 2
        if self.zoom < WORLD_ZOOM:  # photos all over: the whole world, centred
            self.zoom, self.lon, self.lat = 1.0, 0.0, (SOUTH + NORTH) / 2
        # A first view shows no empty band beyond the world's edges where it can avoid it.
        s = self.scale()
        self.lon = _inside(self.lon, self.width / s / 2, -180.0, 180.0)
        self.lat = _inside(self.lat, self.height / s / 2, SOUTH, NORTH)
        self.clamp()

    def zoom_at(self, point: QPointF, factor: float) -> None:
        """Zoom by ``factor``, the place under ``point`` staying where it is."""
        lat, lon = self.to_geo(point)
        self.zoom *= factor
        self.clamp()
        after_lat, after_lon = self.to_geo(point)
        self.lon += lon - after_lon
        self.lat += lat - after_lat
        self.clamp()

    def drag(self, dx: float, dy: float) -> None:
        """The map follows the pointer by (dx, dy) pixels."""
        s = self.scale()
        self.lon -= dx / s
        self.lat += dy / s
        self.clamp()

    def step(self, dx: int, dy: int) -> None:
        """An arrow key: a quarter of the view in direction (dx, dy), north up."""
        step = min(self.width, self.height) / 4 / self.scale()
        self.lon += dx * step
        self.lat += dy * step
        self.clamp()
