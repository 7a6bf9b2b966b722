"""The offline map: where the photos give their position away, with no tiles and no network.

The world is drawn from photoscan's own place table (``mapdata``): towns as faint dots on an
equirectangular projection, rasterised in numpy at screen resolution whenever the view
changes, so the dots stay crisp at every zoom. On top, one dot per spot, merged on screen
when dots would overlap, sized and labelled by the number of photos, in the child colour when
any of them shows a child and otherwise in the colour of the worst risk.

The map reads the main model through the filter proxy (what the sidebar lets through) and
rebuilds on a coalescing timer, never per streamed row.
"""

from __future__ import annotations

import math
import time
from typing import Any

from PySide6.QtCore import QEvent, QPointF, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QToolButton, QToolTip, QWidget

from photoscan.gui.library.photoinfo import PhotoFlag
from photoscan.gui.library.proxy import PhotoFilterProxy
from photoscan.gui.map.clusters import Cluster, SpotTable, merge_spots
from photoscan.gui.map.data import (
    Spot,
    Viewport,
    WorldDots,
    load_world,
    make_spots,
    raster,
)
from photoscan.gui.map.paint import land_colour, paint_captions, paint_dot, paint_graticule, tinted
from photoscan.gui.workers import JobRunner

REFRESH_MS = 250  # rows stream in: rebuild the spots at most this often
MAX_ZOOM = 600.0  # times the whole-world scale
WORLD_ZOOM = 1.6  # a fit zoomed in less than this shows the whole world instead
FIT_MAX_ZOOM = 24.0  # a first view never zooms in further than this on the photos
SOUTH, NORTH = -60.0, 85.0  # the inhabited latitudes (no town south of Tierra del Fuego)
PAN_KEYS = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, 1),
    Qt.Key.Key_Down: (0, -1),
}
EMPTY_TEXT = "No photo in this folder gives away its position"
FILTERED_TEXT = "None of the photos shown gives away its position"


def _inside(centre: float, half: float, low: float, high: float) -> float:
    """The centre of a view ``2 * half`` wide that stays within [low, high] (or the middle)."""
    if 2 * half >= high - low:
        return (low + high) / 2
    return min(max(centre, low + half), high - half)


class MapView(QWidget):
    spot_clicked = Signal(list)  # list[str]: the paths of the photos under the clicked dot

    def __init__(self, proxy: PhotoFilterProxy, parent: Any = None) -> None:
        super().__init__(parent)
        self.proxy = proxy
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Map of photo positions")
        self.setMinimumSize(200, 150)
        self.world: WorldDots | None = None
        self.world_failed = False
        self._world_image: QImage | None = None
        self._world_key: tuple[Viewport, int] | None = None
        self._table = SpotTable.of([])
        self._clusters: list[Cluster] | None = None
        self._has_any_gps = False
        self._lon, self._lat, self._zoom = 0.0, 20.0, 1.0
        self._fitted = False
        self._press: QPointF | None = None
        self._hover: Cluster | None = None  # the dot under the pointer
        self._dragged = False
        self._dirty = True
        self._loader = JobRunner(self)
        self._loader.item_ready.connect(self._on_loader_item_ready)
        self._loader.job_failed.connect(self._on_loader_job_failed)
        self._load_started = False
        self._buttons: list[QToolButton] = []
        for text, tip, slot in (
            ("+", "Zoom in (+)", lambda: self.zoom_at(self._centre(), 1.5)),
            ("−", "Zoom out (−)", lambda: self.zoom_at(self._centre(), 1 / 1.5)),
            ("Show All", "Show every photo's position (Home)", self.fit),
        ):
            button = QToolButton(self)
            button.setText(text)
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(slot)
            self._buttons.append(button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        model = proxy.photo_model()
        for signal in (model.rowsInserted, model.dataChanged, model.layoutChanged):
            signal.connect(self._schedule)
        model.modelReset.connect(self._on_model_reset)
        proxy.filter_changed.connect(self._schedule)

    # --- data ---------------------------------------------------------------------------
    def load_world(self) -> None:
        """Start loading the place table in a worker thread (once)."""
        if not self._load_started:
            self._load_started = True
            self._loader.start(lambda token: load_world())

    @property
    def loading(self) -> bool:
        return self._loader.is_running

    def message(self) -> str | None:
        """The text shown instead of dots, or None when there are dots."""
        if self._table.spots:
            return None
        return FILTERED_TEXT if self._has_any_gps else EMPTY_TEXT

    def wait(self, timeout_ms: int = 5_000) -> bool:
        return self._loader.wait(timeout_ms)

    @Slot(object)
    def _on_loader_item_ready(self, world: object) -> None:
        if isinstance(world, WorldDots):
            self.world = world
            self._world_image = None
            self.update()

    @Slot(str)
    def _on_loader_job_failed(self, message: str) -> None:
        self.world_failed = True  # the photo dots still show, on a plain background
        self.update()

    @Slot()
    def _schedule(self, *args: object) -> None:
        self._dirty = True
        if self.isVisible() and not self._timer.isActive():
            self._timer.start()

    @Slot()
    def _on_model_reset(self) -> None:
        self._fitted = False  # a new folder: fit its photos again
        self._schedule()

    @Slot()
    def refresh(self) -> None:
        """Rebuild the spots from the photos the sidebar lets through."""
        self._timer.stop()
        self._dirty = False
        started = time.perf_counter()
        proxy = self.proxy
        model = proxy.photo_model()
        records, flags = model.records(), model.flags_list()
        rows = [row for row, r in enumerate(records) if r.gps is not None]
        self._has_any_gps = bool(rows)
        rows = [row for row in rows if proxy.accepts_ignoring_paths(row)]
        children = int(PhotoFlag.CHILDREN)
        self._table = SpotTable.of(
            make_spots(
                [records[row] for row in rows], [bool(flags[row] & children) for row in rows]
            )
        )
        self._clusters = None
        if not self._fitted and self._table.spots:
            self.fit()
        self.update()
        # Tens of thousands of photos take a while: refresh less often while they stream in.
        elapsed_ms = (time.perf_counter() - started) * 1000
        self._timer.setInterval(max(REFRESH_MS, int(4 * elapsed_ms)))

    def spots(self) -> list[Spot]:
        return list(self._table.spots)

    # --- projection ---------------------------------------------------------------------
    def _base_scale(self) -> float:
        """Pixels per degree at which the inhabited world fills the widget."""
        return max(1e-3, min(self.width() / 360.0, self.height() / (NORTH - SOUTH)))

    def scale(self) -> float:
        return self._base_scale() * self._zoom

    def to_screen(self, lat: float, lon: float) -> QPointF:
        s = self.scale()
        return QPointF(
            self.width() / 2 + (lon - self._lon) * s, self.height() / 2 - (lat - self._lat) * s
        )

    def to_geo(self, point: QPointF) -> tuple[float, float]:
        s = self.scale()
        lon = self._lon + (point.x() - self.width() / 2) / s
        lat = self._lat - (point.y() - self.height() / 2) / s
        return lat, lon

    def _clamp(self) -> None:
        """Keep the zoom in range and the middle of the view over the world.

        The centre itself is clamped, not the view's edges: an edge clamp fights a zoom
        anchored at the pointer (in a tall pane Europe could not reach the middle).
        """
        self._zoom = min(max(self._zoom, 1.0), MAX_ZOOM)
        self._lon = min(max(self._lon, -180.0), 180.0)
        self._lat = min(max(self._lat, SOUTH), NORTH)
        self._clusters = None

    def fit(self) -> None:
        """Show every photo spot, with some world around it for context."""
        self._fitted = True
        if not self._table.spots:
            self._zoom, self._lon, self._lat = 1.0, 0.0, (SOUTH + NORTH) / 2
        else:
            lats = [s.lat for s in self._table.spots]
            lons = [s.lon for s in self._table.spots]
            span_lon = max(max(lons) - min(lons), 1e-6) * 1.4
            span_lat = max(max(lats) - min(lats), 1e-6) * 1.4
            base = self._base_scale()
            zoom = min(self.width() / (span_lon * base), self.height() / (span_lat * base))
            self._zoom = min(zoom, FIT_MAX_ZOOM)
            self._lon = (max(lons) + min(lons)) / 2
            self._lat = (max(lats) + min(lats)) / 2
            if self._zoom < WORLD_ZOOM:  # photos all over: the whole world, centred
                self._zoom, self._lon, self._lat = 1.0, 0.0, (SOUTH + NORTH) / 2
            # A first view shows no empty band beyond the world's edges where it can avoid it.
            s = self.scale()
            self._lon = _inside(self._lon, self.width() / s / 2, -180.0, 180.0)
            self._lat = _inside(self._lat, self.height() / s / 2, SOUTH, NORTH)
        self._clamp()
        self.update()

    def zoom_at(self, point: QPointF, factor: float) -> None:
        lat, lon = self.to_geo(point)
        self._zoom *= factor
        self._clamp()
        after_lat, after_lon = self.to_geo(point)  # keep the place under the pointer still
        self._lon += lon - after_lon
        self._lat += lat - after_lat
        self._clamp()
        self.update()

    # --- clusters -----------------------------------------------------------------------
    def clusters(self) -> list[Cluster]:
        """The dots at the current zoom (cached until the view or the photos change)."""
        if self._clusters is None:
            table, s = self._table, self.scale()
            xs = self.width() / 2 + (table.lon - self._lon) * s
            ys = self.height() / 2 - (table.lat - self._lat) * s
            self._clusters = merge_spots(table, xs, ys, self.width(), self.height())
            self._hover = None
        return self._clusters

    def cluster_at(self, point: QPointF) -> Cluster | None:
        best, best_d = None, math.inf
        for c in self.clusters():
            d = math.hypot(c.x - point.x(), c.y - point.y())
            if d <= c.radius + 4 and d < best_d:
                best, best_d = c, d
        return best

    # --- painting -----------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        self._paint_world(painter, palette)
        clusters = self.clusters()
        for cluster in sorted(clusters, key=lambda c: c.count):
            paint_dot(painter, palette, self.font(), cluster, cluster is self._hover)
        paint_captions(painter, palette, self.font(), self.rect(), self.message(), clusters)
        painter.end()

    def _paint_world(self, painter: QPainter, palette: QPalette) -> None:
        paint_graticule(painter, palette, self.to_screen)
        if self.world is None:
            return
        colour = land_colour(palette)
        north, west = self.to_geo(QPointF(0, 0))
        view = Viewport(west, north, self.scale(), self.width(), self.height())
        key = (view, colour.rgba())
        if self._world_image is None or self._world_key != key:
            self._world_image = tinted(raster(self.world, view), colour)
            self._world_key = key
        painter.drawImage(0, 0, self._world_image)

    # --- events -------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.load_world()
        if self._dirty:
            self.refresh()

    def _centre(self) -> QPointF:
        return QPointF(self.width() / 2, self.height() / 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        x = self.width() - 10
        for button in reversed(self._buttons):  # a row in the top-right corner
            button.adjustSize()
            x -= button.width()
            button.move(x, 10)
            x -= 4
        self._clusters = None
        if not self._fitted and self._table.spots:
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_at(event.position(), 1.25**steps)
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press, self._dragged = event.position(), False
            self.setCursor(Qt.CursorShape.ClosedHandCursor)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._press is not None:
            delta = pos - self._press
            if self._dragged or abs(delta.x()) + abs(delta.y()) > 4:
                self._dragged = True
                s = self.scale()
                self._lon -= delta.x() / s
                self._lat += delta.y() / s
                self._clamp()
                self._press = pos
                self.update()
            return
        cluster = self.cluster_at(pos)
        if cluster is not self._hover:
            self._hover = cluster
            self.update()
        if cluster is None:
            self.unsetCursor()
            QToolTip.hideText()
        else:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            QToolTip.showText(event.globalPosition().toPoint(), cluster.tooltip(), self)

    def leaveEvent(self, event: QEvent) -> None:
        super().leaveEvent(event)
        if self._hover is not None:
            self._hover = None
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return
        dragged, self._press = self._dragged, None
        self.unsetCursor()
        if not dragged:
            cluster = self.cluster_at(event.position())
            if cluster is not None:
                self.spot_clicked.emit(cluster.paths)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.cluster_at(event.position()) is None:
            self.zoom_at(event.position(), 2.0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        centre = self._centre()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_at(centre, 1.5)
        elif key == Qt.Key.Key_Minus:
            self.zoom_at(centre, 1 / 1.5)
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_0):
            self.fit()
        elif key in PAN_KEYS:
            dx, dy = PAN_KEYS[key]
            step = min(self.width(), self.height()) / 4 / self.scale()
            self._lon += dx * step
            self._lat += dy * step
            self._clamp()
            self.update()
        else:
            super().keyPressEvent(event)
