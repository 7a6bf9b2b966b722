"""Which photo the detail pane shows before the parent chooses one.

The pane is never empty while photos are shown: the first row is selected as soon as there
is one, and when the scan completes the first row again (the riskiest, the grid being
sorted by risk) — unless the parent has chosen a photo, by a click (even on the photo
already shown) or by asking for one when opening the folder, which then stays.
"""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel

from photoscan.gui.window.middle import PhotoViews
from photoscan.model import PhotoRecord


class FirstPhoto:
    def __init__(self, views: PhotoViews, proxy: QSortFilterProxyModel) -> None:
        self.views = views
        self.proxy = proxy
        self.auto: PhotoRecord | None = None  # selected for the parent, not by them
        self.wanted: str | None = None  # a photo to select once the scan lists it

    def reset(self, wanted: str | None = None) -> None:
        """A new folder: nothing chosen yet; ``wanted`` is selected once it is listed."""
        self.auto, self.wanted = None, wanted

    def chosen(self) -> None:
        """The parent clicked a photo: it stays, whatever the scan finds next."""
        self.auto = None

    def rows_shown(self) -> None:
        if self.wanted is not None and self.views.select_path(self.wanted):
            self.auto = self.wanted = None  # as if the parent chose it: it stays
        elif not self.views.has_current():
            self.select_first()

    def select_first(self) -> None:
        if self.proxy.rowCount():
            self.views.select_row(0)
            self.auto = self.views.current_record()

    def scan_completed(self) -> None:
        current = self.views.current_record()
        if self.auto is not None and current is not None and current.path == self.auto.path:
            self.select_first()  # not chosen yet: show the riskiest photo
