"""Help: a short guide, the keyboard shortcuts, and a legend of the badges and colours.

One dialog with three tabs (Help → How photoscan Works / Keyboard Shortcuts / Badges and
Colours open it at theirs). Everything in it comes from the code it explains: the legend
from the grid's ``BADGES``, the risk colours and the map's child colour; the shortcuts
from the window's own menus, plus the keys no menu shows. All text is ours (no file name or
metadata value appears here), so the guide may be rich text; links are not followed.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from photoscan.gui.icons import ADULT_COLOUR, CHILD_COLOUR, icon, risk_colour
from photoscan.gui.library.delegates import BADGES
from photoscan.model import RiskLevel
from photoscan.risk import LEVEL_THRESHOLDS

GUIDE = """
<h3>What photoscan does</h3>
<p>It reads every photo of a folder (or of a Flickr or Google Takeout <i>.zip</i>) and shows
what each one gives away before you share it: <b>children's faces</b>, <b>where it was
taken</b>, <b>people's names</b>, <b>device serial numbers</b>, hidden preview images, and
whether an export marks it public. Nothing leaves this computer; no map tiles, no network.</p>
<h3>Reading the window</h3>
<ul>
<li><b>Left</b>: filters with counts. Tick several to narrow down (children <i>and</i>
location); the search box finds file and place names.</li>
<li><b>Middle</b>: the photos as a grid, a table or a map (View menu, Ctrl+1/2/3). The
coloured bar under a thumbnail is its risk; the badges say why (Help → Badges and
Colours). A video shows a frame from it, with a film badge and its length.</li>
<li><b>Right</b>: the chosen photo in plain words — why it is a risk and what to do, with
buttons that do it. Select several photos and it counts what they give away together.</li>
</ul>
<h3>Fixing it</h3>
<ul>
<li><b>Strip</b> (Actions menu, or right-click a photo) removes the metadata without touching
the pixels. By default it writes cleaned copies to another folder; in place, it keeps a
backup of every original first.</li>
<li><b>Share-safe copies</b> also cover faces (children's by default) with a solid fill,
can make them smaller and give them neutral names — the dialog shows you the result for
one photo before anything is written. Videos are stripped like photos (every frame kept
as it is); a share-safe copy of a video is not made: blur faces in a video editor.</li>
<li><b>Export summary</b> writes a shareable report of the whole folder, locations left
out unless you ask.</li>
</ul>
<p>The detectors can be wrong. A face that was not checked is never called safe: look at
the photos that matter yourself. Correct them on the preview at the right: right-click a
face box to say it is a child's or not; drag over a face photoscan missed to mark it as a
child's. Your word is kept for every later scan.</p>
"""

# Keys that do something but sit in no menu.
OTHER_KEYS: tuple[tuple[str, str, str], ...] = (
    ("Photos", "Preview the current photo large (again to close)", "Space"),
    ("Photos", "Move between photos", "Arrow keys, Home, End"),
    ("Photos", "Add to the selection", "Shift+arrows, Ctrl+click"),
    ("Photos", "Actions for the selected photos", "Menu key, right-click"),
    ("Window", "Next pane (filters, photos, details)", "Tab, Shift+Tab"),
    ("Search", "Clear the search", "Escape"),
    ("Map", "Zoom in, zoom out, show all", "+  −  Home"),
    ("Map", "Move the map", "Arrow keys"),
    ("Map", "Go from dot to dot", "Ctrl+arrow keys"),
    ("Map", "Show the photos of the chosen dot", "Enter"),
)


def dot_icon(colour: QColor, size: int = 18) -> QIcon:
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(2, 2, size - 4, size - 4)
    painter.end()
    return QIcon(pixmap)


def bar_icon(colour: QColor, size: int = 18) -> QIcon:
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.fillRect(0, size // 2 - 2, size, 4, colour)
    painter.end()
    return QIcon(pixmap)


def box_icon(colour: QColor, size: int = 18) -> QIcon:
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(colour)
    painter.drawRect(2, 2, size - 5, size - 5)
    painter.drawRect(3, 3, size - 7, size - 7)
    painter.end()
    return QIcon(pixmap)


RISK_MEANING: dict[RiskLevel, str] = {
    RiskLevel.HIGH: "several things together, such as a child and where it was taken",
    RiskLevel.MEDIUM: "a location or a name, or several smaller details",
    RiskLevel.LOW: "small details such as a device id, the camera or the dates",
    RiskLevel.NONE: "nothing that identifies you or where you were",
}


def risk_words() -> list[tuple[RiskLevel | None, str]]:
    """What each risk colour means, with the score range the risk model gives it."""
    words: list[tuple[RiskLevel | None, str]] = []
    upper = 100
    for threshold, level in LEVEL_THRESHOLDS:
        span = f"{threshold}–{upper}" if upper < 100 else f"{threshold} or more"
        words.append(
            (level, f"{level.value.capitalize()} risk (score {span}): {RISK_MEANING[level]}")
        )
        upper = threshold - 1
    words.append(
        (RiskLevel.NONE, f"No risk found (under {upper + 1}): {RISK_MEANING[RiskLevel.NONE]}")
    )
    words.append((None, "Not assessed yet (the scan is still running)"))
    return words


def legend_rows() -> list[tuple[QIcon, str, str]]:
    """(icon, what it is, what it means) for every badge, colour and mark the app draws."""
    rows: list[tuple[QIcon, str, str]] = [
        (icon(badge.icon), badge.label, badge.meaning) for badge in BADGES
    ]
    rows += [
        (bar_icon(risk_colour(level)), "Bar under a photo", words) for level, words in risk_words()
    ]
    rows.append((dot_icon(QColor(CHILD_COLOUR)), "Map dot", "Some photos taken there show a child"))
    for level in (RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW):
        words = f"{level.value.capitalize()} risk: the worst among the photos taken there"
        rows.append((dot_icon(risk_colour(level)), "Map dot", words))
    rows.append(
        (dot_icon(risk_colour(RiskLevel.NONE)), "Map dot", "No risk found in the photos there")
    )
    rows.append(
        (
            box_icon(QColor(CHILD_COLOUR)),
            "Face box",
            "A face treated as a child's: a child or a possible child (please check)",
        )
    )
    rows.append((box_icon(QColor(ADULT_COLOUR)), "Face box", "A face estimated to be an adult's"))
    return rows


def _plain(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def legend_page(parent: QWidget) -> QScrollArea:
    page = QWidget()
    grid = QGridLayout(page)
    grid.setColumnStretch(2, 1)
    grid.setHorizontalSpacing(12)
    for row, (symbol, what, meaning) in enumerate(legend_rows()):
        picture = QLabel(page)
        picture.setPixmap(symbol.pixmap(QSize(22, 22)))
        picture.setAccessibleName(what)
        grid.addWidget(picture, row, 0)
        grid.addWidget(_plain(what, page), row, 1)
        grid.addWidget(_plain(meaning, page), row, 2)
    grid.setRowStretch(len(legend_rows()), 1)
    scroll = QScrollArea(parent)
    scroll.setWidgetResizable(True)
    scroll.setWidget(page)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    return scroll


def shortcuts_table(rows: Iterable[tuple[str, str, str]], parent: QWidget) -> QTableWidget:
    rows = list(rows)
    table = QTableWidget(len(rows), 3, parent)
    table.setHorizontalHeaderLabels(["Where", "What", "Keys"])
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            table.setItem(row, column, QTableWidgetItem(text))
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    return table


class HelpDialog(QDialog):
    GUIDE, SHORTCUTS, LEGEND = range(3)

    def __init__(self, shortcuts: Iterable[tuple[str, str, str]], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("photoscan Help")
        self.tabs = QTabWidget(self)
        self.guide = QLabel(GUIDE, self)
        self.guide.setTextFormat(Qt.TextFormat.RichText)
        self.guide.setWordWrap(True)
        self.guide.setOpenExternalLinks(False)
        self.guide.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.guide.setContentsMargins(12, 6, 12, 6)
        guide_scroll = QScrollArea(self)
        guide_scroll.setWidgetResizable(True)
        guide_scroll.setWidget(self.guide)
        guide_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.shortcuts = shortcuts_table([*shortcuts, *OTHER_KEYS], self)
        self.legend = legend_page(self)
        self.tabs.addTab(guide_scroll, "How photoscan Works")
        self.tabs.addTab(self.shortcuts, "Keyboard Shortcuts")
        self.tabs.addTab(self.legend, "Badges and Colours")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(760, 620)

    def present(self, tab: int) -> None:
        self.tabs.setCurrentIndex(tab)
        self.show()
        self.raise_()
        self.activateWindow()
