"""The two views of the photo model: the thumbnail grid and the sortable table.

One model, one proxy, no widget per photo: the grid is a ``QListView`` in icon mode painted by
``PhotoDelegate``; the table shows the same rows with sortable columns. They share one
selection, which the helpers below read and set.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QListView, QTableView, QWidget

from photoscan.gui.library.delegates import CELL, PhotoDelegate
from photoscan.gui.library.models import RECORD_ROLE, PhotoTableModel
from photoscan.gui.library.photoinfo import Column
from photoscan.gui.library.proxy import PhotoFilterProxy
from photoscan.model import PhotoRecord


def make_grid(parent: QWidget, proxy: PhotoFilterProxy, delegate: PhotoDelegate) -> QListView:
    grid = QListView(parent)
    grid.setModel(proxy)
    grid.setModelColumn(Column.NAME)
    grid.setViewMode(QListView.ViewMode.IconMode)
    grid.setResizeMode(QListView.ResizeMode.Adjust)
    grid.setMovement(QListView.Movement.Static)
    grid.setUniformItemSizes(True)  # one size: layout of 50k items stays O(1) per item
    grid.setGridSize(CELL)
    grid.setSpacing(0)
    grid.setLayoutMode(QListView.LayoutMode.Batched)
    grid.setBatchSize(500)
    grid.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    grid.setMouseTracking(True)
    grid.setWordWrap(False)
    grid.setAccessibleName("Photos")
    delegate.setParent(grid)
    grid.setItemDelegate(delegate)
    return grid


def make_table(parent: QWidget, proxy: PhotoFilterProxy) -> QTableView:
    table = QTableView(parent)
    table.setModel(proxy)
    # The indicator first: enabling sorting sorts at once by the indicator's column.
    table.horizontalHeader().setSortIndicator(Column.RISK, Qt.SortOrder.DescendingOrder)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(24)
    table.horizontalHeader().setStretchLastSection(True)
    table.setColumnWidth(Column.NAME, 240)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)  # Tab goes to the next pane, not the next cell
    table.setAccessibleName("Photos (table)")
    return table


def current_record(view: QAbstractItemView) -> PhotoRecord | None:
    index = view.selectionModel().currentIndex()
    record = index.data(RECORD_ROLE) if index.isValid() else None
    return record if isinstance(record, PhotoRecord) else None


def selected_rows(view: QAbstractItemView) -> list[int]:
    """The proxy rows selected (once each, whatever the columns), in view order."""
    return sorted({index.row() for index in view.selectionModel().selectedIndexes()})


def selected_records(view: QAbstractItemView) -> list[PhotoRecord]:
    """The selected photos (the current one when nothing is selected), in view order."""
    seen: dict[str, PhotoRecord] = {}
    for index in sorted(view.selectionModel().selectedIndexes(), key=lambda i: i.row()):
        record = index.data(RECORD_ROLE)
        if isinstance(record, PhotoRecord):
            seen.setdefault(record.path, record)
    current = current_record(view)
    if not seen and current is not None:
        seen[current.path] = current
    return list(seen.values())


def shown_records(proxy: PhotoFilterProxy) -> list[PhotoRecord]:
    """Every photo the filters let through, in view order."""
    records = (proxy.index(row, 0).data(RECORD_ROLE) for row in range(proxy.rowCount()))
    return [r for r in records if isinstance(r, PhotoRecord)]


def make_current(view: QAbstractItemView, index: QModelIndex) -> None:
    """``index`` the current and only selected photo, scrolled into sight."""
    view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    view.scrollTo(index)


def select_path(view: QAbstractItemView, proxy: PhotoFilterProxy, path: str) -> bool:
    """Make the photo ``path`` current in ``view`` (False: not listed, or filtered out)."""
    model = proxy.sourceModel()
    assert isinstance(model, PhotoTableModel)
    row = model.row_of(path)
    index = proxy.mapFromSource(model.index(row, 0)) if row is not None else None
    if index is None or not index.isValid():
        return False
    make_current(view, index)
    return True
