"""The filter sidebar: categories with live counts, combinable, and a search box.

Ticking several categories narrows the grid to photos that have all of them ("children" and
"location"); risk levels are alternatives among themselves ("high" or "medium"). The numbers
are over the whole folder, so they do not jump when a filter is ticked.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from photoscan.gui.icons import icon, risk_colour
from photoscan.gui.library.photoinfo import PhotoFlag
from photoscan.model import RiskLevel

FLAG_ROLE = Qt.ItemDataRole.UserRole + 10

GROUPS: tuple[tuple[str, tuple[tuple[PhotoFlag, str, str], ...]], ...] = (
    (
        "Shows",
        (
            (PhotoFlag.CHILDREN, "Children", "child"),
            (PhotoFlag.FACES, "Faces", "faces"),
        ),
    ),
    (
        "Gives away",
        (
            (PhotoFlag.LOCATION, "Location", "location"),
            (PhotoFlag.REPEATED_PLACE, "Places you return to", "repeated"),
            (PhotoFlag.NAMES, "People's names", "name"),
            (PhotoFlag.DEVICE, "Device IDs", "device"),
            (PhotoFlag.THUMBNAIL, "Hidden thumbnails", "thumbnail"),
            (PhotoFlag.PUBLIC, "Public on export", "public"),
        ),
    ),
    (
        "Risk",
        (
            (PhotoFlag.RISK_HIGH, "High", RiskLevel.HIGH.value),
            (PhotoFlag.RISK_MEDIUM, "Medium", RiskLevel.MEDIUM.value),
            (PhotoFlag.RISK_LOW, "Low", RiskLevel.LOW.value),
            (PhotoFlag.RISK_NONE, "None found", RiskLevel.NONE.value),
        ),
    ),
)
SEARCH_DELAY_MS = 150


def _dot(colour: QColor) -> QIcon:
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(6, 6, 20, 20)
    painter.end()
    return QIcon(pixmap)


class FilterSidebar(QWidget):
    filter_changed = Signal(object)  # PhotoFlag: every ticked category
    search_changed = Signal(str)
    spot_cleared = Signal()  # the user removed the map dot's filter

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.search_box = QLineEdit(self)
        self.search_box.setPlaceholderText("Search file or place name")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Search photos")
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search_box)
        escape.setContext(Qt.ShortcutContext.WidgetShortcut)
        escape.activated.connect(self.search_box.clear)
        # A dot clicked on the map narrows the photos to its own: shown here, with the other
        # filters, so it is never a hidden reason for a short grid.
        self.spot_button = QPushButton(self)
        self.spot_button.setIcon(icon("location"))
        self.spot_button.setToolTip("Show every photo again (remove the map dot's filter)")
        self.spot_button.setAccessibleName("Map dot filter")
        self.spot_button.clicked.connect(self.spot_cleared)
        self.spot_button.hide()
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(2)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tree.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.tree.setAccessibleName("Filters")
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._items: dict[PhotoFlag, QTreeWidgetItem] = {}
        for title, entries in GROUPS:
            group = QTreeWidgetItem(self.tree, [title, ""])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            for flag, label, icon_name in entries:
                item = QTreeWidgetItem(group, [label, "0"])
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Unchecked)
                item.setData(0, FLAG_ROLE, int(flag))
                item.setTextAlignment(
                    1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
                if title == "Risk":
                    item.setIcon(0, _dot(risk_colour(RiskLevel(icon_name))))
                else:
                    item.setIcon(0, icon(icon_name))
                self._items[flag] = item
        self.tree.expandAll()
        self.tree.itemChanged.connect(self._on_tree_item_changed)
        self.tree.itemActivated.connect(self._on_tree_item_activated)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)
        self.search_box.textChanged.connect(self._search_timer.start)
        self.search_box.returnPressed.connect(self._on_search_timer_timeout)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_box)
        layout.addWidget(self.spot_button)
        layout.addWidget(self.tree, 1)
        self._emitting = True

    def set_spot(self, text: str | None) -> None:
        """Show the map dot's filter (``text`` says which dot) or hide it (None)."""
        self.spot_button.setText(f"{text}  ✕" if text else "")
        self.spot_button.setVisible(text is not None)

    def item(self, flag: PhotoFlag) -> QTreeWidgetItem:
        return self._items[flag]

    def selected_flags(self) -> PhotoFlag:
        flags = PhotoFlag(0)
        for flag, item in self._items.items():
            if item.checkState(0) == Qt.CheckState.Checked:
                flags |= flag
        return flags

    def set_checked(self, flag: PhotoFlag, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        self._items[flag].setCheckState(0, state)

    def clear_filters(self) -> None:
        self._emitting = False
        for item in self._items.values():
            item.setCheckState(0, Qt.CheckState.Unchecked)
        self._emitting = True
        self.search_box.clear()
        self.filter_changed.emit(PhotoFlag(0))

    def set_counts(self, counts: dict[PhotoFlag, int]) -> None:
        self.tree.blockSignals(True)
        for flag, item in self._items.items():
            n = counts.get(flag, 0)
            item.setText(1, f"{n:,}")
            item.setToolTip(0, f"{n:,} photo{'' if n == 1 else 's'}")
        self.tree.blockSignals(False)

    def count_text(self, flag: PhotoFlag) -> str:
        return self._items[flag].text(1)

    @Slot(QTreeWidgetItem, int)
    def _on_tree_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if item.data(0, FLAG_ROLE) is not None and self._emitting:
            self.filter_changed.emit(self.selected_flags())

    @Slot(QTreeWidgetItem, int)
    def _on_tree_item_activated(self, item: QTreeWidgetItem, column: int) -> None:
        # Enter/double-click toggles, like Space does for checkable items.
        if item.data(0, FLAG_ROLE) is not None:
            checked = item.checkState(0) == Qt.CheckState.Checked
            item.setCheckState(0, Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    @Slot()
    def _on_search_timer_timeout(self) -> None:
        self._search_timer.stop()
        self.search_changed.emit(self.search_box.text())
