"""The main window: welcome page, then sidebar | grid or table | detail pane.

The window wires the parts together and holds no photo logic of its own: records come from
``ScanController`` (the core's scan, in a thread), live in ``PhotoTableModel``, are filtered by
``PhotoFilterProxy`` from the sidebar's choices and shown by the views and the detail pane.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QItemSelectionModel,
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from photoscan.gui.actions.actions import PhotoActions
from photoscan.gui.detail.pane import DetailPane
from photoscan.gui.detail.preview import PreviewDialog
from photoscan.gui.icons import icon
from photoscan.gui.library.delegates import PhotoDelegate
from photoscan.gui.library.ingest import RecordFeeder
from photoscan.gui.library.models import RECORD_ROLE, PhotoTableModel
from photoscan.gui.library.proxy import PhotoFilterProxy
from photoscan.gui.library.sidebar import FilterSidebar
from photoscan.gui.library.thumbnails import THUMB_SIZE, ThumbnailLoader
from photoscan.gui.library.views import make_grid, make_table
from photoscan.gui.map.view import MapView
from photoscan.gui.window.menus import install_menus
from photoscan.gui.window.scanbar import ScanBar
from photoscan.gui.window.session import ScanEventsMixin
from photoscan.gui.window.welcome import WelcomePage, is_openable, remember_folder
from photoscan.gui.workers import ScanController
from photoscan.model import FileError, PhotoRecord
from photoscan.scan.events import ScanResult
from photoscan.scan.jobs import ScanOptions

log = logging.getLogger(__name__)

COUNTS_DELAY_MS = 120


class MainWindow(ScanEventsMixin, QMainWindow):
    scan_completed = Signal(object)  # ScanResult, once every record is in the model

    def __init__(
        self,
        settings: QSettings,
        options: ScanOptions | None = None,
        loader: ThumbnailLoader | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.options = options or ScanOptions()
        self.setWindowTitle("photoscan")
        self.setWindowIcon(icon("app"))
        self.setAcceptDrops(True)
        self.root: Path | None = None
        self.errors: list[FileError] = []
        self.last_result: ScanResult | None = None
        self._scan_started_at = 0.0
        self._finished_in = 0.0
        self._auto_selected: PhotoRecord | None = None

        self.loader = loader or ThumbnailLoader(parent=self)
        self.model = PhotoTableModel(self)
        self.proxy = PhotoFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.controller = ScanController(self)
        self.feeder = RecordFeeder(self.model, self)
        self._pending_result: ScanResult | None = None

        self.welcome = WelcomePage(settings, self)
        self.sidebar = FilterSidebar(self)
        self.delegate = PhotoDelegate(self.loader)
        self.grid = make_grid(self, self.proxy, self.delegate)
        self.table = make_table(self, self.proxy)
        self.table.setSelectionModel(self.grid.selectionModel())
        self.views = QStackedWidget(self)
        self.views.addWidget(self.grid)
        self.views.addWidget(self.table)
        self.map = MapView(self.proxy, self)
        self.views.addWidget(self.map)
        self.scan_bar = ScanBar(self)
        self.scan_bar.hide()
        self.detail = DetailPane(self.loader, self)
        self.preview_dialog: PreviewDialog | None = None

        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.setSpacing(0)
        middle_layout.addWidget(self.scan_bar)
        middle_layout.addWidget(self.views, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([230, 760, 520])
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(self.splitter)
        self.setCentralWidget(self.pages)

        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.problems_button = QToolButton(self)
        self.problems_button.setAutoRaise(True)
        self.problems_button.hide()
        self.statusBar().addWidget(self.status, 1)
        self.statusBar().addPermanentWidget(self.problems_button)

        self._repaint_timer = QTimer(self)  # thumbnails arrive in bursts: one repaint per frame
        self._repaint_timer.setSingleShot(True)
        self._repaint_timer.setInterval(30)
        self._repaint_timer.timeout.connect(self.grid.viewport().update)
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(COUNTS_DELAY_MS)
        install_menus(self)
        self.photo_actions = PhotoActions(self)
        self._connect()
        self._restore_geometry()
        self.set_pixelate_children(self.pixelate_action.isChecked())

    # --- construction -------------------------------------------------------------------
    def _connect(self) -> None:
        self.welcome.open_folder_requested.connect(self.choose_folder)
        self.welcome.open_zip_requested.connect(self.choose_zip)
        self.welcome.folder_chosen.connect(self.open_folder)
        self.sidebar.filter_changed.connect(self._on_sidebar_filter_changed)
        self.sidebar.search_changed.connect(self._on_sidebar_search_changed)
        self.grid.selectionModel().currentChanged.connect(self._on_selection_current_changed)
        self.model.dataChanged.connect(self._on_model_data_changed)
        self.loader.thumbnail_ready.connect(self._on_loader_thumbnail_ready)
        self.model.counts_changed.connect(self._counts_timer.start)
        self.model.modelReset.connect(self._counts_timer.start)
        self._counts_timer.timeout.connect(self._on_counts_timer_timeout)
        self.proxy.filter_changed.connect(self._update_status)
        self.proxy.rowsInserted.connect(self._on_proxy_rows_inserted)
        self.controller.photos_scanned.connect(self.feeder.enqueue)
        self.controller.faces_scanned.connect(self.feeder.enqueue)
        self.feeder.drained.connect(self._on_feeder_drained)
        self.feeder.settled.connect(self._on_feeder_settled)
        self.controller.files_failed.connect(self._on_controller_files_failed)
        self.controller.progress_changed.connect(self.scan_bar.update_progress)
        self.controller.scan_finished.connect(self._on_controller_scan_finished)
        self.controller.scan_failed.connect(self._on_controller_scan_failed)
        self.controller.scan_crashed.connect(self._on_controller_scan_crashed)
        self.scan_bar.cancel_button.clicked.connect(self.cancel_scan)
        self.problems_button.clicked.connect(self._on_problems_button_clicked)
        self.map.spot_clicked.connect(self.show_spot)

    # --- opening folders ----------------------------------------------------------------
    @Slot()
    def choose_folder(self) -> None:
        start = str(self.root.parent if self.root else Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Open a photo folder", start)
        if folder:
            self.open_folder(Path(folder))

    @Slot()
    def choose_zip(self) -> None:
        start = str(self.root.parent if self.root else Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self, "Open a Flickr or Google Takeout export", start, "Zip exports (*.zip)"
        )
        if path:
            self.open_folder(Path(path))

    @Slot(object)
    def open_folder(self, folder: Path) -> None:
        """Show ``folder`` (or a .zip export) and scan it; a cached folder fills in at once."""
        folder = folder.expanduser().resolve()
        if not is_openable(folder):
            self.status.setText(f"Cannot open {folder}: not a folder or a .zip export")
            return
        self.controller.stop()
        self.root = folder
        remember_folder(self.settings, folder)
        self.welcome.refresh()
        self.setWindowTitle(f"{folder.name} — photoscan")
        self.errors = []
        self.last_result = None
        self.feeder.clear()
        self._pending_result = None
        self.problems_button.hide()
        self.loader.set_root(folder)
        self.model.clear()
        self.detail.set_root(folder)
        self.detail.show_record(None)
        self._auto_selected = None
        self.clear_filters()
        self.pages.setCurrentIndex(1)
        self.scan_bar.begin()
        self._scan_started_at = time.monotonic()
        options = ScanOptions(
            faces=self.faces_action.isChecked(),
            workers=self.options.workers,
            use_cache=self.options.use_cache,
            include_hidden=self.options.include_hidden,
            face_settings=self.options.face_settings,
            places=self.options.places,
        )
        self.controller.start(folder, options)
        self.grid.setFocus()

    @Slot()
    def rescan(self) -> None:
        if self.root is not None:
            self.open_folder(self.root)

    @Slot()
    def cancel_scan(self) -> None:
        self.scan_bar.cancel_button.setEnabled(False)
        self.scan_bar.label.setText("Cancelling…")
        self.controller.cancel()

    @Slot(bool)
    def set_pixelate_children(self, on: bool) -> None:
        """Show children's faces as blocks everywhere (screen sharing, screenshots)."""
        self.settings.setValue("view/pixelate", on)
        self.delegate.pixelate_children = on
        self.detail.preview.pixelate_children = on
        if self.preview_dialog is not None:
            self.preview_dialog.preview.pixelate_children = on
            self.preview_dialog.preview.update()
        self.detail.preview.update()
        self.grid.viewport().update()

    def show_view(self, which: int) -> None:
        """0 grid, 1 table, 2 map."""
        self.views.setCurrentIndex(which)
        (self.grid, self.table, self.map)[which].setFocus()

    @Slot()
    def clear_filters(self) -> None:
        """Every photo again: the sidebar's categories, the search and the map's spot."""
        self.proxy.set_paths(None)
        self.sidebar.clear_filters()

    @Slot(list)
    def show_spot(self, paths: list[str]) -> None:
        """A dot on the map was clicked: show just its photos in the grid, the first selected."""
        self.proxy.set_paths(frozenset(paths))
        self.show_view(0)
        self._select_first()

    # --- selection, preview -------------------------------------------------------------
    def current_record(self) -> PhotoRecord | None:
        index = self.grid.selectionModel().currentIndex()
        record = index.data(RECORD_ROLE) if index.isValid() else None
        return record if isinstance(record, PhotoRecord) else None

    def select_path(self, path: str) -> bool:
        row = self.model.row_of(path)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.grid.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.grid.scrollTo(index)
        return True

    @Slot()
    def toggle_preview(self) -> None:
        if self.preview_dialog is not None and self.preview_dialog.isVisible():
            self.preview_dialog.accept()
            return
        record = self.current_record()
        if record is None:
            return
        if self.preview_dialog is None:
            self.preview_dialog = PreviewDialog(self.loader, self)
            self.preview_dialog.preview.pixelate_children = self.pixelate_action.isChecked()
        self.preview_dialog.show_record(record)
        self.preview_dialog.show()
        self.preview_dialog.raise_()
        self.preview_dialog.activateWindow()

    @Slot(QModelIndex, QModelIndex)
    def _on_selection_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self.detail.show_record(self.current_record())

    @Slot(QModelIndex, QModelIndex, list)
    def _on_model_data_changed(self, top: QModelIndex, bottom: QModelIndex, roles: list) -> None:
        shown = self.detail.record
        if shown is None:
            return
        row = self.model.row_of(shown.path)
        if row is not None and top.row() <= row <= bottom.row():
            self.detail.show_record(self.model.record(row))

    @Slot(str, int)
    def _on_loader_thumbnail_ready(self, path: str, size: int) -> None:
        if size == THUMB_SIZE and not self._repaint_timer.isActive():
            self._repaint_timer.start()

    @Slot()
    def _on_proxy_rows_inserted(self) -> None:
        # Select the first photo as soon as there is one, so the detail pane is never empty.
        if not self.grid.selectionModel().currentIndex().isValid():
            self._select_first()

    def _select_first(self) -> None:
        if self.proxy.rowCount():
            first = self.proxy.index(0, 0)
            self.grid.selectionModel().setCurrentIndex(
                first, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.grid.scrollTo(first)
            self._auto_selected = self.current_record()

    # --- filters ------------------------------------------------------------------------
    @Slot(object)
    def _on_sidebar_filter_changed(self, flags: object) -> None:
        self.proxy.set_filter(flags)  # type: ignore[arg-type]
        self._keep_current_visible()

    @Slot(str)
    def _on_sidebar_search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._keep_current_visible()

    def _keep_current_visible(self) -> None:
        current = self.grid.selectionModel().currentIndex()
        if current.isValid():
            self.grid.scrollTo(current)
        elif self.proxy.rowCount():
            self._on_proxy_rows_inserted()
        else:
            self.detail.show_record(None)

    @Slot()
    def _on_find_action_triggered(self) -> None:
        self.sidebar.search_box.setFocus()
        self.sidebar.search_box.selectAll()

    @Slot()
    def _on_counts_timer_timeout(self) -> None:
        self.sidebar.set_counts(self.model.counts())
        self._update_status()

    def _update_status(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        text = f"{total:,} photo{'s' if total != 1 else ''}"
        if shown != total:
            text = f"{shown:,} of {text} shown"
        if self.proxy.paths is not None:
            text += " · taken at one dot of the map (View → Clear Filters shows all)"
        if self.last_result is not None:
            elapsed = self._finished_in
            verb = "Scan cancelled" if self.last_result.cancelled else "Scanned"
            text += f" · {verb} in {elapsed:.1f} s"
        self.status.setText(text)

    # --- drag and drop, geometry --------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if len(urls) == 1 and urls[0].isLocalFile() and is_openable(Path(urls[0].toLocalFile())):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            event.acceptProposedAction()
            self.open_folder(Path(urls[0].toLocalFile()))

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 880)
        splitter = self.settings.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        view = str(self.settings.value("window/view", 0))
        self.show_view(int(view) if view in ("1", "2") else 0)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("window/view", self.views.currentIndex())
        self.settings.sync()
        self.controller.shutdown()
        self.photo_actions.runner.wait()
        self.map.wait()
        self.loader.set_root(None)
        self.loader.wait_idle(3_000)
        super().closeEvent(event)
