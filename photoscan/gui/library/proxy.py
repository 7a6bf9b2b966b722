"""The filter in front of the photo model: sidebar categories, risk levels and search.

Sorting is delegated to the source model (see ``models``); this proxy only filters.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal, Slot

from photoscan.gui.library.models import ModelIndex, PhotoTableModel
from photoscan.gui.library.photoinfo import ALL_RISK_FLAGS, PhotoFlag


class PhotoFilterProxy(QSortFilterProxyModel):
    """Filters by category bits and a search text; sorting is delegated to the source.

    Categories combine with AND ("children" and "location"); risk levels combine with OR among
    themselves ("high" or "medium"), and AND with the rest.
    """

    filter_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._required = 0
        self._risk_any = 0
        self._needle = ""
        self._paths: frozenset[str] | None = None  # the map's chosen spot, or None
        self._model: PhotoTableModel | None = None
        self._accept: list[bool] = []
        self._accept_stamp = -1
        # Re-filter a row when it changes (faces arrived); the proxy itself never sorts.
        self.setDynamicSortFilter(True)

    def photo_model(self) -> PhotoTableModel:
        model = self.sourceModel()
        assert isinstance(model, PhotoTableModel)
        return model

    @property
    def required(self) -> PhotoFlag:
        return PhotoFlag(self._required | self._risk_any)

    @property
    def search(self) -> str:
        return self._needle

    def set_filter(self, flags: PhotoFlag, search: str | None = None) -> None:
        """Show only photos with every category in ``flags`` (and one of its risk levels)."""
        bits = int(flags)
        required, risk_any = bits & ~int(ALL_RISK_FLAGS), bits & int(ALL_RISK_FLAGS)
        needle = self._needle if search is None else search.strip().casefold()
        if (required, risk_any, needle) == (self._required, self._risk_any, self._needle):
            return
        self._required, self._risk_any, self._needle = required, risk_any, needle
        self._prime()
        # A full invalidate re-maps in one pass; the row-wise variant emits one removal per
        # gap and took up to 300 ms for 50,000 rows.
        self.invalidate()
        self.filter_changed.emit()

    def set_search(self, text: str) -> None:
        self.set_filter(self.required, text)

    @property
    def paths(self) -> frozenset[str] | None:
        return self._paths

    def set_paths(self, paths: frozenset[str] | None) -> None:
        """Show only these photos (a spot clicked on the map); None shows every photo again."""
        if paths == self._paths:
            return
        self._paths = paths
        self.invalidate()
        self.filter_changed.emit()

    def setSourceModel(self, model: Any) -> None:
        # Connected before the proxy's own handlers, so the answers are ready when it asks.
        if isinstance(model, PhotoTableModel):
            model.layoutChanged.connect(self._prime)
            model.modelReset.connect(self._prime)
        super().setSourceModel(model)
        self._model = model if isinstance(model, PhotoTableModel) else None

    @Slot()
    def _prime(self) -> None:
        """Decide every row at once, in one Python loop, for the re-filter that follows.

        Qt asks ``filterAcceptsRow`` once per row; answering from this list instead of
        recomputing halves the cost of a full re-filter (50,000 calls into Python).
        """
        model = self._model if self._model is not None else self.sourceModel()
        if not isinstance(model, PhotoTableModel):
            return
        required, risk_any, needle = self._required, self._risk_any, self._needle
        flags, texts = model.flags_list(), model.search_list()
        accept = [f & required == required and (not risk_any or bool(f & risk_any)) for f in flags]
        if needle:
            accept = [a and needle in t for a, t in zip(accept, texts, strict=True)]
        self._accept, self._accept_stamp = accept, model.stamp

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        if not self.accepts_ignoring_paths(source_row):
            return False
        paths, model = self._paths, self._model
        return paths is None or model is None or model.record(source_row).path in paths

    def accepts_ignoring_paths(self, source_row: int) -> bool:
        """The sidebar's verdict alone: the map shows every photo it lets through."""
        model = self._model
        if model is None:
            return True
        if self._accept_stamp == model.stamp:
            return self._accept[source_row]
        flags = model.flags_at(source_row)  # a row inserted or changed since _prime()
        if flags & self._required != self._required:
            return False
        if self._risk_any and not flags & self._risk_any:
            return False
        return not self._needle or self._needle in model.search_text_at(source_row)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.photo_model().sort(column, order)
