"""The two views of the photo model: the thumbnail grid and the sortable table.

One model, one proxy, no widget per photo: the grid is a ``QListView`` in icon mode painted by
``PhotoDelegate``; the table shows the same rows with sortable columns.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QListView, QTableView, QWidget

from photoscan.gui.library.delegates import CELL, PhotoDelegate
from photoscan.gui.library.photoinfo import Column
from photoscan.gui.library.proxy import PhotoFilterProxy


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
    table.setAccessibleName("Photos (table)")
    return table
