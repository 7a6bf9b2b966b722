"""The main window: welcome page, then sidebar | grid, table or map | detail pane.

The window wires the parts together and holds no photo logic of its own: records come from
the ``ScanSession`` (the core's scan, in a child process), live in ``PhotoTableModel``, are
filtered by ``PhotoFilterProxy`` from the sidebar's choices (``Filters``) and shown by the
views (``PhotoViews``, which say why when nothing is shown) and, for the selection, by
the detail pane or the batch panel (``SelectionPresenter``); the menus are
``WindowActions`` (``menus``), the strip / share / export actions ``PhotoActions``, for
which the window is the ``ActionHost``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget

from photoscan.gui.actions.actions import PhotoActions
from photoscan.gui.dialogs import show_about
from photoscan.gui.icons import icon
from photoscan.gui.library import views
from photoscan.gui.library.models import PhotoTableModel
from photoscan.gui.library.photoinfo import PhotoFlag
from photoscan.gui.library.proxy import PhotoFilterProxy
from photoscan.gui.library.sidebar import FilterSidebar
from photoscan.gui.library.thumbnails import THUMB_SIZE, ThumbnailLoader
from photoscan.gui.theme import ThemeSwitcher
from photoscan.gui.window import layout, preferences
from photoscan.gui.window.autoselect import FirstPhoto
from photoscan.gui.window.empty import NextStep
from photoscan.gui.window.feedback import ScanFeedback
from photoscan.gui.window.filters import Filters
from photoscan.gui.window.help import HelpDialog
from photoscan.gui.window.menus import build_menus, menu_shortcuts
from photoscan.gui.window.middle import GRID, MAP, TABLE, PhotoViews
from photoscan.gui.window.scanbar import ScanBar
from photoscan.gui.window.selection import SelectionPresenter
from photoscan.gui.window.session import ScanSession
from photoscan.gui.window.status import StatusCounts, StatusLine, status_text
from photoscan.gui.window.welcome import (
    WelcomePage,
    ask_folder,
    ask_zip,
    cannot_open,
    dropped_folder,
    is_openable,
    remember_folder,
)
from photoscan.model import FileError, PhotoRecord
from photoscan.scan.events import ScanResult
from photoscan.scan.jobs import ScanOptions

log = logging.getLogger(__name__)

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
        self.prefs = preferences.load(settings)
        app = QApplication.instance()
        self.themes = ThemeSwitcher.of(app) if isinstance(app, QApplication) else None
        if self.themes is not None:
            self.themes.apply(self.prefs.theme)
        self.setWindowTitle("photoscan")
        self.setWindowIcon(icon("app"))
        self.setAcceptDrops(True)
        self.root: Path | None = None
        self.help_dialog: HelpDialog | None = None

        self.loader = loader or ThumbnailLoader(parent=self)
        self.model = PhotoTableModel(self)
        self.proxy = PhotoFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.session = ScanSession(self.model, self)
        self.welcome = WelcomePage(settings, self)
        self.sidebar = FilterSidebar(self)
        self.filters = Filters(self.sidebar, self.proxy, self.model, self)
        self.views = PhotoViews(self.proxy, self.loader, self)
        self.first_photo = FirstPhoto(self.views, self.proxy)
        self.grid, self.table, self.map = self.views.grid, self.views.table, self.views.map
        self.delegate = self.views.delegate
        self.scan_bar = ScanBar(self)
        self.scan_bar.hide()
        self.status, self.problems_button = layout.status_bar(self)
        self.status_line = StatusLine(self.status.setText, self._counts_text)
        self.feedback = ScanFeedback(
            self.session, self.scan_bar, self.problems_button, self.status, self
        )
        self.photo_actions = PhotoActions(self, self)
        self.selection = SelectionPresenter(
            self.views, self.model, self.loader, self.photo_actions, lambda: self.root,
            self.show_status, self, lambda: self.session.places,
        )  # fmt: skip
        self.selection.decisions.marks = self.session.marks  # marks win over later results
        self.detail, self.batch = self.selection.detail, self.selection.batch
        self.splitter = layout.three_panes(
            self, self.sidebar, self.scan_bar, self.views, self.selection.side
        )
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(self.splitter)
        self.setCentralWidget(self.pages)
        # thumbnails arrive in bursts: one repaint per frame
        self._repaint_timer = layout.single_shot(self, REPAINT_DELAY_MS)
        self._repaint_timer.timeout.connect(self.grid.viewport().update)
        pixelate = bool(settings.value("view/pixelate", False, type=bool))
        faces = self.options.faces and self.prefs.faces
        self.menu_actions = build_menus(self, faces, pixelate)
        menus = self.menu_actions
        self.photo_actions.install(self, menus.actions_menu, menus.file_menu, menus.restore_at)
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

    def current_record(self) -> PhotoRecord | None:
        return self.views.current_record()

    def selected_records(self) -> list[PhotoRecord]:
        return self.views.selected_records()

    def shown_records(self) -> list[PhotoRecord]:
        return views.shown_records(self.proxy)

    def select_path(self, path: str) -> bool:
        return self.views.select_path(path)

    def show_status(self, text: str) -> None:
        self.status_line.say(text)

    def pixelating(self) -> bool:
        return self.menu_actions.pixelate.isChecked()

    def copies_folder(self, suffix: str) -> Path | None:
        return None if self.root is None else self.prefs.copies_folder(self.root, suffix)

    # --- construction -------------------------------------------------------------------
    def _connect(self) -> None:
        actions = self.menu_actions
        actions.open.triggered.connect(self.choose_folder)
        actions.open_zip.triggered.connect(self.choose_zip)
        actions.rescan.triggered.connect(self.rescan)
        actions.faces.toggled.connect(self._on_faces_toggled)
        actions.quit.triggered.connect(self.close)
        actions.select_all.triggered.connect(self.views.select_all)
        actions.select_none.triggered.connect(self.views.select_none)
        actions.preferences.triggered.connect(self.edit_preferences)
        actions.grid.triggered.connect(lambda: self.show_view(GRID))
        actions.table.triggered.connect(lambda: self.show_view(TABLE))
        actions.map.triggered.connect(lambda: self.show_view(MAP))
        actions.pixelate.toggled.connect(self.set_pixelate_children)
        actions.clear_filters.triggered.connect(self.filters.clear)
        actions.find.triggered.connect(self.filters.find)
        actions.guide.triggered.connect(lambda: self.show_help(HelpDialog.GUIDE))
        actions.shortcuts.triggered.connect(lambda: self.show_help(HelpDialog.SHORTCUTS))
        actions.legend.triggered.connect(lambda: self.show_help(HelpDialog.LEGEND))
        actions.about.triggered.connect(lambda: show_about(self))
        self.detail.action_requested.connect(self.photo_actions.run_recommendation)
        self.session.controller.scan_started.connect(self.photo_actions.update_enabled)
        self.scan_completed.connect(self.photo_actions.update_enabled)
        self.welcome.open_folder_requested.connect(self.choose_folder)
        self.welcome.open_zip_requested.connect(self.choose_zip)
        self.welcome.folder_chosen.connect(self.open_folder)
        self.filters.narrowed.connect(self._keep_current_visible)
        self.filters.counted.connect(self._update_status)
        self.selection.changed.connect(self._update_status)
        self.loader.thumbnail_ready.connect(self._on_loader_thumbnail_ready)
        self.proxy.filter_changed.connect(self._on_proxy_filter_changed)
        self.proxy.rowsInserted.connect(self._on_proxy_rows_inserted)
        self.proxy.rowsRemoved.connect(self._update_empty)
        self.proxy.modelReset.connect(self._update_empty)
        self.session.scan_completed.connect(self._on_session_scan_completed)
        self.map.spot_clicked.connect(self.show_spot)
        self.map.dots_changed.connect(self._update_status)
        self.views.empty.step_requested.connect(self._on_empty_step_requested)
        for view in (self.grid, self.table):  # a click chooses, even the photo shown already:
            view.pressed.connect(self.first_photo.chosen)  # it stays

    # --- opening folders ----------------------------------------------------------------
    @Slot()
    def choose_folder(self) -> None:
        self._open_chosen(ask_folder)

    @Slot()
    def choose_zip(self) -> None:
        self._open_chosen(ask_zip)

    def _open_chosen(self, ask: Callable[[QMainWindow, Path], Path | None]) -> None:
        chosen = ask(self, self.root.parent if self.root else Path.home())
        if chosen is not None:
            self.open_folder(chosen)

    @Slot(object)
    def open_folder(self, folder: Path, select: str | None = None) -> None:
        """Show ``folder`` (or a .zip export) and scan it, ``select`` first once listed; a
        cached folder fills in at once. One that cannot be opened (moved, a disk not
        connected) says so on the welcome page."""
        folder = folder.expanduser().resolve()
        if not is_openable(folder):
            self.welcome.show_message(cannot_open(folder))
            self.status.setText(cannot_open(folder))
            if self.root is None:
                self.pages.setCurrentIndex(0)
            return
        self.session.controller.stop()
        previous, self.root = self.root, folder
        self.menu_actions.rescan.setEnabled(True)
        remember_folder(self.settings, folder)
        self.welcome.show_message("")
        self.welcome.refresh()
        self.setWindowTitle(f"{folder.name} — photoscan")
        self.loader.set_root(folder)
        self.model.clear()
        self.detail.set_root(folder)
        self.detail.show_record(None)
        self.first_photo.reset(select)
        self.filters.clear(keep_choices=folder == previous)  # a rescan keeps them
        self.pages.setCurrentIndex(1)
        self.feedback.begin()
        faces = self.menu_actions.faces.isChecked()
        self.session.start(folder, self.prefs.scan_options(self.options, faces))
        self._update_empty()
        self.grid.setFocus()

    @Slot()
    def rescan(self) -> None:
        """The folder read again, the photo shown kept shown (the parent's place in it)."""
        if self.root is not None:
            shown = self.views.current_record()
            self.open_folder(self.root, shown.path if shown is not None else None)

    @Slot()
    def cancel_scan(self) -> None:
        self.feedback.cancel()

    # --- preferences, help, view --------------------------------------------------------
    @Slot()
    def edit_preferences(self) -> None:
        dialog = preferences.PreferencesDialog(self.prefs, self)
        if self.photo_actions.ask(dialog):
            self.apply_preferences(dialog.preferences())

    def apply_preferences(self, prefs: preferences.Preferences) -> None:
        self.prefs = prefs
        preferences.save(self.settings, prefs)
        if self.themes is not None:
            self.themes.apply(prefs.theme)
        self.menu_actions.faces.setChecked(prefs.faces)

    @Slot(bool)
    def _on_faces_toggled(self, on: bool) -> None:
        if on != self.prefs.faces:
            self.prefs = replace(self.prefs, faces=on)
            preferences.save(self.settings, self.prefs)

    def show_help(self, tab: int) -> None:
        if self.help_dialog is None:
            self.help_dialog = HelpDialog(list(menu_shortcuts(self)), self)
        self.help_dialog.present(tab)

    @Slot(bool)
    def set_pixelate_children(self, on: bool) -> None:
        """Show children's faces as blocks everywhere (screen sharing, screenshots)."""
        self.settings.setValue("view/pixelate", on)
        self.delegate.pixelate_children = on
        self.selection.set_pixelate_children(on)
        self.grid.viewport().update()

    def show_view(self, which: int) -> None:
        """GRID, TABLE or MAP (the empty state stands in for them when nothing is shown)."""
        self.views.choose(which, self.views.empty_reason(len(self.errors), self.session.busy))
        self._update_status()

    @Slot()
    def _update_empty(self) -> None:
        self.views.show_reason(self.views.empty_reason(len(self.errors), self.session.busy))

    @Slot(object)
    def _on_empty_step_requested(self, step: NextStep) -> None:
        if step is NextStep.OPEN_FOLDER:
            self.choose_folder()
        elif step is NextStep.CLEAR_FILTERS:
            self.filters.clear()
        else:
            self.feedback.show_problems()

    @Slot(list, str)
    def show_spot(self, paths: list[str], caption: str = "") -> None:
        """A dot on the map was clicked: show just its photos in the grid, the first selected."""
        self.filters.show_spot(paths, caption)
        self.show_view(GRID)
        self.first_photo.select_first()

    # --- the photos shown ---------------------------------------------------------------
    @Slot(str, int)
    def _on_loader_thumbnail_ready(self, path: str, size: int) -> None:
        if size == THUMB_SIZE and not self._repaint_timer.isActive():
            self._repaint_timer.start()

    @Slot()
    def _on_proxy_rows_inserted(self) -> None:
        self.first_photo.rows_shown()  # the detail pane is never empty
        self._update_empty()

    @Slot()
    def _on_proxy_filter_changed(self) -> None:
        self._update_empty()
        self._update_status()

    @Slot()
    def _keep_current_visible(self) -> None:
        if self.views.keep_current_visible():
            return
        if self.proxy.rowCount():
            self._on_proxy_rows_inserted()
        else:
            self.detail.show_record(None)

    @Slot()
    def _update_status(self) -> None:
        if self.root is not None:  # the welcome page: nothing to count yet
            self.status_line.show_counts()

    def _counts_text(self) -> str:
        on_map = self.views.chosen == MAP
        counts = StatusCounts(
            self.model.rowCount(),
            self.proxy.rowCount(),
            self.views.selected_count(),
            self.proxy.paths is not None,
            self.map.placed() if on_map else None,
            self.map.dot_count() if on_map else 0,
            self.model.count(PhotoFlag.VIDEO),
            self.model.count(PhotoFlag.RECORDING),
        )
        return status_text(counts, self.last_result, self.session.finished_in)

    # --- the scan ---------------------------------------------------------------------
    @Slot(object)
    def _on_session_scan_completed(self, result: ScanResult) -> None:
        self.first_photo.scan_completed()
        self.filters.count()
        self._update_empty()
        self.scan_completed.emit(result)

    # --- drag and drop, geometry --------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_folder(event.mimeData().urls()) is None:
            event.ignore()
        else:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        folder = dropped_folder(event.mimeData().urls())
        if folder is not None:
            event.acceptProposedAction()
            self.open_folder(folder)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        layout.fit_to_screen(self)  # again now that the title bar's size is known

    def closeEvent(self, event: QCloseEvent) -> None:
        layout.save(self, self.splitter, self.views.chosen, self.settings)
        self.session.shutdown()
        self.photo_actions.runner.wait()
        self.selection.decisions.runner.wait()
        self.map.wait()
        self.loader.set_root(None)
        self.loader.wait_idle(3_000)
        super().closeEvent(event)
