"""The middle of the window: the grid, the table or the map — or why nothing is shown.

``PhotoViews`` is the stack of the three views over one filter proxy and one selection
(the grid's, which the table shares), with the selection helpers the window and its
actions use, and the empty state that stands in for the grid and the table when there is
no photo to show (the map says it in its own words on its own background).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QStackedWidget

from photoscan.gui.library import views
from photoscan.gui.library.delegates import PhotoDelegate
from photoscan.gui.library.proxy import PhotoFilterProxy
from photoscan.gui.library.thumbnails import ThumbnailLoader
from photoscan.gui.map.view import MapView
from photoscan.gui.window.empty import EmptyReason, EmptyState, empty_reason
from photoscan.model import PhotoRecord

GRID, TABLE, MAP, EMPTY = range(4)  # the pages


class PhotoViews(QStackedWidget):
    def __init__(self, proxy: PhotoFilterProxy, loader: ThumbnailLoader, parent: Any) -> None:
        super().__init__(parent)
        self.proxy = proxy
        self.delegate = PhotoDelegate(loader)
        self.grid = views.make_grid(self, proxy, self.delegate)
        self.table = views.make_table(self, proxy)
        self.table.setSelectionModel(self.grid.selectionModel())
        self.map = MapView(proxy, self)
        self.empty = EmptyState(self)
        for page in (self.grid, self.table, self.map, self.empty):
            self.addWidget(page)
        self.chosen = GRID  # the view the user chose; EMPTY may stand in for it

    def choose(self, which: int, reason: EmptyReason | None) -> None:
        """Show view ``which`` (GRID, TABLE, MAP) and focus it, or why nothing is there."""
        self.chosen = which
        self.show_reason(reason, focus=True)

    def show_reason(self, reason: EmptyReason | None, focus: bool = False) -> None:
        """The chosen view, or the empty state saying ``reason``; the focus moves along
        only if the page had it (typing in the search box must not lose it)."""
        page = self.chosen if reason is None or self.chosen == MAP else EMPTY
        if reason is not None:
            self.empty.show_reason(reason)
        old = self.currentWidget()
        focus = focus or (old is not None and old.hasFocus())
        if self.currentIndex() != page:
            self.setCurrentIndex(page)
        new = self.currentWidget()
        if focus and new is not None:
            new.setFocus()

    def empty_reason(self, errors: int, scanning: bool) -> EmptyReason | None:
        """Why no photo is shown (``errors``: files not read; ``scanning``: more may come)."""
        proxy = self.proxy
        return empty_reason(
            proxy.photo_model().rowCount(),
            proxy.rowCount(),
            errors,
            proxy.search,
            bool(proxy.required) or proxy.paths is not None,
            scanning,
        )

    # --- the selection (one for the grid and the table) ---------------------------------
    def current_record(self) -> PhotoRecord | None:
        return views.current_record(self.grid)

    def selected_records(self) -> list[PhotoRecord]:
        return views.selected_records(self.grid)

    def selected_rows(self) -> list[int]:
        return views.selected_rows(self.grid)

    def selected_count(self) -> int:
        return len(views.selected_rows(self.grid))

    def select_row(self, row: int) -> None:
        """Make proxy row ``row`` the current and only selected photo."""
        views.make_current(self.grid, self.proxy.index(row, 0))

    def select_path(self, path: str) -> bool:
        """Make the photo at ``path`` current and selected; False when the filters hide it."""
        return views.select_path(self.grid, self.proxy, path)

    def select_all(self) -> None:
        self.grid.selectAll()

    def select_none(self) -> None:
        self.grid.selectionModel().clearSelection()

    def has_current(self) -> bool:
        return self.grid.selectionModel().currentIndex().isValid()

    def keep_current_visible(self) -> bool:
        """Scroll to the current photo; False when there is none."""
        current = self.grid.selectionModel().currentIndex()
        if current.isValid():
            self.grid.scrollTo(current)
        return current.isValid()
