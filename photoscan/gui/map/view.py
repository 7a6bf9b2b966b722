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

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QContextMenuEvent,
    QFocusEvent,
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
from photoscan.gui.map.camera import Camera
from photoscan.gui.map.clusters import Cluster, SpotTable, merge_spots, next_dot
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
PAN_KEYS = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, 1),
    Qt.Key.Key_Down: (0, -1),
}
EMPTY_TEXT = "No photo in this folder gives away its position"
FILTERED_TEXT = "None of the photos shown gives away its position"


class MapView(QWidget):
    spot_clicked = Signal(list, str)  # the paths of the photos under the dot, its caption
    dots_changed = Signal()  # the spots were rebuilt (the status line counts them)
    menu_requested = Signal(list, object)  # paths under the dot, where (global QPoint)

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
        self.camera = Camera()
        self._fitted = False
        self._press: QPointF | None = None
        self._hover: Cluster | None = None  # the dot under the pointer
        self._focus_paths: frozenset[str] | None = None  # the dot chosen by keyboard
        self._dragged = False
        self._dirty = True
        self._loader = JobRunner(self)
        self._loader.item_ready.connect(self._on_loader_item_ready)
        self._loader.job_failed.connect(self._on_loader_job_failed)
        self._load_started = False
        self._buttons: list[QToolButton] = []
        for text, tip, slot in (
            ("+", "Zoom in (+)", lambda: self.zoom_at(self.camera.centre(), 1.5)),
            ("−", "Zoom out (−)", lambda: self.zoom_at(self.camera.centre(), 1 / 1.5)),
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
        self.dots_changed.emit()
        # Tens of thousands of photos take a while: refresh less often while they stream in.
        elapsed_ms = (time.perf_counter() - started) * 1000
        self._timer.setInterval(max(REFRESH_MS, int(4 * elapsed_ms)))

    def spots(self) -> list[Spot]:
        return list(self._table.spots)

    def placed(self) -> int:
        """Photos on the map: those the sidebar lets through that give away a position."""
        return int(self._table.count.sum()) if self._table.spots else 0

    def dot_count(self) -> int:
        return len(self.clusters())

    # --- projection (``camera``) --------------------------------------------------------
    def _base_scale(self) -> float:
        return self.camera.base_scale()

    def scale(self) -> float:
        return self.camera.scale()

    def to_screen(self, lat: float, lon: float) -> QPointF:
        return self.camera.to_screen(lat, lon)

    def to_geo(self, point: QPointF) -> tuple[float, float]:
        return self.camera.to_geo(point)

    def _moved(self) -> None:
        self._clusters = None
        self.update()

    def fit(self) -> None:
        """Show every photo spot, with some world around it for context."""
        self._fitted = True
        self.camera.fit(self._table.spots)
        self._moved()

    def zoom_at(self, point: QPointF, factor: float) -> None:
        self.camera.zoom_at(point, factor)
        self._moved()

    # --- clusters -----------------------------------------------------------------------
    def clusters(self) -> list[Cluster]:
        """The dots at the current zoom (cached until the view or the photos change)."""
        if self._clusters is None:
            table, camera = self._table, self.camera
            s = camera.scale()
            xs = camera.width / 2 + (table.lon - camera.lon) * s
            ys = camera.height / 2 - (table.lat - camera.lat) * s
            self._clusters = merge_spots(table, xs, ys, camera.width, camera.height)
            self._hover = None
        return self._clusters

    def cluster_at(self, point: QPointF) -> Cluster | None:
        best, best_d = None, math.inf
        for c in self.clusters():
            d = math.hypot(c.x - point.x(), c.y - point.y())
            if d <= c.radius + 4 and d < best_d:
                best, best_d = c, d
        return best

    def focused(self) -> Cluster | None:
        """The dot chosen with the keyboard (the one holding its photos at this zoom)."""
        if self._focus_paths is None:
            return None
        return next((c for c in self.clusters() if self._focus_paths & set(c.paths)), None)

    def focus_dot(self, cluster: Cluster | None) -> None:
        self._focus_paths = frozenset(cluster.paths) if cluster is not None else None
        if cluster is not None:
            self.setAccessibleDescription(cluster.tooltip().replace("\n", ", "))
        self.update()

    # --- painting -----------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        self._paint_world(painter, palette)
        clusters = self.clusters()
        focused = self.focused() if self.hasFocus() else None
        for cluster in sorted(clusters, key=lambda c: c.count):
            ringed = cluster is self._hover or cluster is focused
            paint_dot(painter, palette, self.font(), cluster, ringed)
        caption = focused.caption() + " · Enter shows the photos" if focused else None
        paint_captions(painter, palette, self.font(), self.rect(), self.message(), caption)
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

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.camera.width, self.camera.height = self.width(), self.height()
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
                self.camera.drag(delta.x(), delta.y())
                self._press = pos
                self._moved()
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
                self.spot_clicked.emit(cluster.paths, cluster.caption())

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.cluster_at(event.position()) is None:
            self.zoom_at(event.position(), 2.0)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Right-click on a dot (or the menu key on the chosen one): actions for its photos."""
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            cluster = self.cluster_at(event.pos().toPointF())
            where: QPoint | None = event.globalPos()
        else:
            cluster = self.focused()
            where = self.mapToGlobal(QPointF(cluster.x, cluster.y).toPoint()) if cluster else None
        if cluster is not None and where is not None:
            self.menu_requested.emit(cluster.paths, where)
            event.accept()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        centre = self.camera.centre()
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if key in PAN_KEYS and ctrl:  # from dot to dot
            dx, dy = PAN_KEYS[key]
            target = next_dot(self.clusters(), self.focused(), dx, -dy)
            if target is not None:
                self.focus_dot(target)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            chosen = self.focused() or next_dot(self.clusters(), None, 0, 0)
            if chosen is not None:
                self.spot_clicked.emit(chosen.paths, chosen.caption())
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_at(centre, 1.5)
        elif key == Qt.Key.Key_Minus:
            self.zoom_at(centre, 1 / 1.5)
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_0):
            self.fit()
        elif key in PAN_KEYS:
            self.camera.step(*PAN_KEYS[key])
            self._moved()
        else:
            super().keyPressEvent(event)
