"""What narrows the photos shown: the sidebar's categories, the search, a map dot.

``Filters`` carries the sidebar's choices to the filter proxy, keeps the sidebar's counts
up to date (once a burst of records is over, not per record) and shows the map dot's
filter in the sidebar with the others, so a short grid always says why it is short. The
window hears ``narrowed`` and keeps the current photo in sight.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from photoscan.gui.library.models import PhotoTableModel
from photoscan.gui.library.photoinfo import PhotoFlag
from photoscan.gui.library.proxy import PhotoFilterProxy
from photoscan.gui.library.sidebar import FilterSidebar

COUNTS_DELAY_MS = 120


class Filters(QObject):
    narrowed = Signal()  # the sidebar's choices or the search changed what is shown
    counted = Signal()  # the sidebar's counts were brought up to date

    def __init__(
        self, sidebar: FilterSidebar, proxy: PhotoFilterProxy, model: PhotoTableModel, parent: Any
    ) -> None:
        super().__init__(parent)
        self.sidebar, self.proxy, self.model = sidebar, proxy, model
        self.spot_caption = ""  # the map dot whose photos are shown, if any
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(COUNTS_DELAY_MS)
        self._counts_timer.timeout.connect(self.count)
        model.counts_changed.connect(self._counts_timer.start)
        model.modelReset.connect(self._counts_timer.start)
        sidebar.filter_changed.connect(self._on_sidebar_filter_changed)
        sidebar.search_changed.connect(self._on_sidebar_search_changed)
        sidebar.spot_cleared.connect(self._on_sidebar_spot_cleared)
        proxy.filter_changed.connect(self._on_proxy_filter_changed)

    def clear(self, keep_choices: bool = False) -> None:
        """Every photo again: the sidebar's categories, the search and the map's dot; with
        ``keep_choices`` (the same folder read again) the categories and search stay."""
        self.proxy.set_paths(None)
        if not keep_choices:
            self.sidebar.clear_filters()

    def show_spot(self, paths: list[str], caption: str) -> None:
        self.spot_caption = caption or f"Map dot · {len(paths)} photos"
        self.proxy.set_paths(frozenset(paths))

    def find(self) -> None:
        self.sidebar.search_box.setFocus()
        self.sidebar.search_box.selectAll()

    @Slot()
    def count(self) -> None:
        self._counts_timer.stop()
        self.sidebar.set_counts(self.model.counts())
        self.counted.emit()

    @Slot(object)
    def _on_sidebar_filter_changed(self, flags: PhotoFlag) -> None:
        self.proxy.set_filter(flags)
        self.narrowed.emit()

    @Slot(str)
    def _on_sidebar_search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self.narrowed.emit()

    @Slot()
    def _on_sidebar_spot_cleared(self) -> None:
        self.proxy.set_paths(None)
        self.narrowed.emit()

    @Slot()
    def _on_proxy_filter_changed(self) -> None:
        self.sidebar.set_spot(None if self.proxy.paths is None else self.spot_caption)
