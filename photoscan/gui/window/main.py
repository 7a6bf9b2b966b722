"""The main window: welcome page, then sidebar | grid, table or map | detail pane.

The window wires the parts together and holds no photo logic of its own: records come from
the ``ScanSession`` (the core's scan, in a child process), live in ``PhotoTableModel``, are
filtered by ``PhotoFilterProxy`` from the sidebar's choices and shown by the views and the
detail pane; the menus are ``WindowActions`` (``menus``), the strip / share / export actions
``PhotoActions``, for which the window is the ``ActionHost``.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QSettings, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMainWindow, QStackedWidget

from photoscan.gui.actions.actions import PhotoActions
from photoscan.gui.detail.pane import DetailPane
from photoscan.gui.detail.preview import PreviewDialog
from photoscan.gui.dialogs import problems_dialog, show_about
from photoscan.gui.icons import icon
from photoscan.gui.library import views
from photoscan.gui.library.delegates import PhotoDelegate
from photoscan.gui.library.models import PhotoTableModel
from photoscan.gui.library.proxy import PhotoFilterProxy
from photoscan.gui.library.sidebar import FilterSidebar
from photoscan.gui.library.thumbnails import THUMB_SIZE, ThumbnailLoader
from photoscan.gui.map.view import MapView
from photoscan.gui.window import layout
from photoscan.gui.window.menus import build_menus, space_shortcut
from photoscan.gui.window.scanbar import ScanBar
from photoscan.gui.window.session import ScanSession
from photoscan.gui.window.welcome import WelcomePage, is_openable, remember_folder
from photoscan.model import FileError, PhotoRecord
from photoscan.scan.events import ScanResult
from photoscan.scan.jobs import ScanOptions

log = logging.getLogger(__name__)

COUNTS_DELAY_MS = 120
REPAINT_DELAY_MS = 30


class MainWindow(QMainWindow):
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
        self._auto_selected: PhotoRecord | None = None
        self._wanted: str | None = None  # a photo to select once the scan lists it

        self.loader = loader or ThumbnailLoader(parent=self)
        self.model = PhotoTableModel(self)
        self.proxy = PhotoFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.session = ScanSession(self.model, self)

        self.welcome = WelcomePage(settings, self)
        self.sidebar = FilterSidebar(self)
        self.delegate = PhotoDelegate(self.loader)
        self.grid = views.make_grid(self, self.proxy, self.delegate)
        self.table = views.make_table(self, self.proxy)
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

        self.splitter = layout.three_panes(
            self, self.sidebar, self.scan_bar, self.views, self.detail
        )
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(self.splitter)
        self.setCentralWidget(self.pages)

        self.status, self.problems_button = layout.status_bar(self)
        # thumbnails arrive in bursts: one repaint per frame; counts once a burst is over
        self._repaint_timer = layout.single_shot(self, REPAINT_DELAY_MS)
        self._repaint_timer.timeout.connect(self.grid.viewport().update)
        self._counts_timer = layout.single_shot(self, COUNTS_DELAY_MS)
        pixelate = bool(settings.value("view/pixelate", False, type=bool))
        self.menu_actions = build_menus(self, self.options.faces, pixelate)
        self.photo_actions = PhotoActions(self, self)
        self.photo_actions.install(self)
        self._connect()
        self.show_view(layout.restore(self, self.splitter, settings))
        self.set_pixelate_children(self.menu_actions.pixelate.isChecked())

    # --- what the photo actions see of the window (actions.host.ActionHost) -------------
    @property
    def errors(self) -> list[FileError]:
        return self.session.errors

    @property
    def last_result(self) -> ScanResult | None:
        return self.session.last_result

    def selected_records(self) -> list[PhotoRecord]:
        return views.selected_records(self.grid)

    def shown_records(self) -> list[PhotoRecord]:
        return views.shown_records(self.proxy)

    def show_status(self, text: str) -> None:
        self.status.setText(text)

    # --- construction -------------------------------------------------------------------
    def _connect(self) -> None:
        actions = self.menu_actions
        actions.open.triggered.connect(self.choose_folder)
        actions.open_zip.triggered.connect(self.choose_zip)
        actions.rescan.triggered.connect(self.rescan)
        actions.quit.triggered.connect(self.close)
        actions.grid.triggered.connect(lambda: self.show_view(0))
        actions.table.triggered.connect(lambda: self.show_view(1))
        actions.map.triggered.connect(lambda: self.show_view(2))
        actions.pixelate.toggled.connect(self.set_pixelate_children)
        actions.clear_filters.triggered.connect(self.clear_filters)
        actions.find.triggered.connect(self._on_find_action_triggered)
        actions.about.triggered.connect(lambda: show_about(self))
        for view in (self.grid, self.table):
            space_shortcut(view).activated.connect(self.toggle_preview)
        self.detail.action_requested.connect(self.photo_actions.run_recommendation)
        self.session.controller.scan_started.connect(self.photo_actions.update_enabled)
        self.scan_completed.connect(self.photo_actions.update_enabled)
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
        self.session.controller.progress_changed.connect(self.scan_bar.update_progress)
        self.session.errors_changed.connect(self._on_session_errors_changed)
        self.session.scan_completed.connect(self._on_session_scan_completed)
        self.session.scan_failed.connect(self._on_session_scan_failed)
        self.session.scan_crashed.connect(self._on_session_scan_crashed)
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
    def open_folder(self, folder: Path, select: str | None = None) -> None:
        """Show ``folder`` (or a .zip export) and scan it, ``select`` first once listed."""
        folder = folder.expanduser().resolve()
        if not is_openable(folder):
            self.status.setText(f"Cannot open {folder}: not a folder or a .zip export")
            return
        self.session.controller.stop()
        self.root = folder
        remember_folder(self.settings, folder)
        self.welcome.refresh()
        self.setWindowTitle(f"{folder.name} — photoscan")
        self.problems_button.hide()
        self.loader.set_root(folder)
        self.model.clear()
        self.detail.set_root(folder)
        self.detail.show_record(None)
        self._auto_selected, self._wanted = None, select
        self.clear_filters()
        self.pages.setCurrentIndex(1)
        self.scan_bar.begin()
        self.session.start(folder, replace(self.options, faces=self.menu_actions.faces.isChecked()))
        self.grid.setFocus()

    @Slot()
    def rescan(self) -> None:
        if self.root is not None:
            self.open_folder(self.root)

    @Slot()
    def cancel_scan(self) -> None:
        self.scan_bar.cancel_button.setEnabled(False)
        self.scan_bar.label.setText("Cancelling…")
        self.session.cancel()

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
        return views.current_record(self.grid)

    def select_path(self, path: str) -> bool:
        return views.select_path(self.grid, self.proxy, path)

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
            self.preview_dialog.preview.pixelate_children = self.menu_actions.pixelate.isChecked()
        self.preview_dialog.present(record)

    @Slot(QModelIndex, QModelIndex)
    def _on_selection_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self.detail.show_record(self.current_record())

    @Slot(QModelIndex, QModelIndex, list)
    def _on_model_data_changed(
        self, top: QModelIndex, bottom: QModelIndex, roles: list[int]
    ) -> None:
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
        if self._wanted is not None and self.select_path(self._wanted):
            self._auto_selected = self._wanted = None  # as if the user chose it: it stays
        elif not self.grid.selectionModel().currentIndex().isValid():
            self._select_first()

    def _select_first(self) -> None:
        if self.proxy.rowCount():
            views.make_current(self.grid, self.proxy.index(0, 0))
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
        spot = self.proxy.paths is not None
        total, shown, elapsed = (
            self.model.rowCount(),
            self.proxy.rowCount(),
            self.session.finished_in,
        )
        self.status.setText(layout.status_text(total, shown, spot, self.last_result, elapsed))

    # --- the scan ---------------------------------------------------------------------
    @Slot(int)
    def _on_session_errors_changed(self, count: int) -> None:
        self.problems_button.setText(f"{count} file{'s' if count != 1 else ''} not read")
        self.problems_button.show()

    @Slot(object)
    def _on_session_scan_completed(self, result: ScanResult) -> None:
        auto = self._auto_selected
        current = self.current_record()
        if auto is not None and current is not None and current.path == auto.path:
            self._select_first()  # the user has not chosen yet: show the riskiest photo
        self.scan_bar.hide()
        self._on_counts_timer_timeout()
        self.scan_completed.emit(result)

    @Slot(str)
    def _on_session_scan_failed(self, message: str) -> None:
        self.scan_bar.hide()
        self.status.setText(f"Cannot scan: {message}")

    @Slot(str)
    def _on_session_scan_crashed(self, name: str) -> None:
        self.scan_bar.hide()
        self.status.setText(
            f"The scan stopped because of an unexpected error ({name}); see the log."
        )

    @Slot()
    def _on_problems_button_clicked(self) -> None:
        problems_dialog(self.errors, self).exec()

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

    def closeEvent(self, event: QCloseEvent) -> None:
        layout.save(self, self.splitter, self.views.currentIndex(), self.settings)
        self.session.shutdown()
        self.photo_actions.runner.wait()
        self.map.wait()
        self.loader.set_root(None)
        self.loader.wait_idle(3_000)
        super().closeEvent(event)
