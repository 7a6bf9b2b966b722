"""The detail pane: one photo, what it gives away in plain words, and what to do about it.

Every string that came out of a file (names, captions, file names, place names) is hostile
input: labels are set to ``Qt.TextFormat.PlainText``, findings go into table items and every
tooltip goes through ``plain_tip``, so a caption like ``<img src=http://…>`` is shown as those
characters and never rendered or fetched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from photoscan.cli.plainwords import field_words
from photoscan.gui.detail.preview import PreviewWidget
from photoscan.gui.detail.words import (
    SHARE_ACTIONS,
    action_words,
    faces_text,
    frames_text,
    is_video,
)
from photoscan.gui.icons import risk_colour
from photoscan.gui.library import files
from photoscan.gui.library.thumbnails import ThumbnailLoader
from photoscan.gui.plaintext import plain_tip
from photoscan.model import FindingKind, PhotoRecord, Recommendation, RiskLevel

MAX_VALUE_CHARS = 500  # a caption can be megabytes; the tooltip shows the start
MAX_CELL_CHARS = 200  # and the cell less: its words wrap, and a row of 30 lines hides the rest
NAME_SHARE = 0.3  # the most of the findings table's width its What or Detail column takes

KIND_WORDS: dict[FindingKind, str] = {
    FindingKind.LOCATION: "Location",
    FindingKind.PERSON: "A person's name",
    FindingKind.DEVICE: "Device id",
    FindingKind.CAMERA: "Camera model",
    FindingKind.THUMBNAIL: "Hidden preview image",
    FindingKind.DATETIME: "Date and time",
    FindingKind.TEXT: "Caption, comment or keywords",
    FindingKind.MINOR: "Says a child is shown",
    FindingKind.SOFTWARE: "Software",
    FindingKind.VISIBILITY: "Visibility on export",
    FindingKind.FACE_REGION: "Face areas",
    FindingKind.HISTORY: "Edit history",
}
_KIND_ORDER = {kind: rank for rank, kind in enumerate(KIND_WORDS)}


def kind_rank(kind: FindingKind) -> int:
    """Where a parent looks first: location, names, ids… (``KIND_WORDS``'s order)."""
    return _KIND_ORDER.get(kind, len(_KIND_ORDER))


FINDING_HEADERS = (
    ("What", "What kind of thing the file gives away"),
    ("Detail", "Point at a detail to see the field's own name (e.g. EXIF:Make)"),
    ("Value", "What the file says"),
)


def plain_label(text: str = "", parent: Any = None) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setText(text)
    return label


def short(value: str, most: int = MAX_VALUE_CHARS) -> str:
    return value if len(value) <= most else value[:most] + "…"


# Recommendations the window can act on at once, with the button's words.
ACTION_BUTTONS: dict[Recommendation, str] = {
    Recommendation.STRIP_LOCATION: "Strip location…",
    Recommendation.STRIP_METADATA: "Strip metadata…",
    Recommendation.BLUR_CHILDREN: "Blur children and share…",
    Recommendation.BLUR_FACES: "Blur faces and share…",
}


class DetailPane(QWidget):
    path_copied = Signal(str)
    action_requested = Signal(object)  # a Recommendation the user wants carried out

    def __init__(self, loader: ThumbnailLoader, parent: Any = None) -> None:
        super().__init__(parent)
        self._root: Path | None = None
        self._record: PhotoRecord | None = None
        self.preview = PreviewWidget(loader, self)

        self.title = plain_label()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.risk_label = plain_label()
        self.risk_dot = plain_label("●")
        self.risk_dot.setWordWrap(False)
        dot_font = self.risk_dot.font()
        dot_font.setPointSizeF(dot_font.pointSizeF() * 1.4)
        self.risk_dot.setFont(dot_font)
        bold = self.risk_label.font()
        bold.setBold(True)
        self.risk_label.setFont(bold)
        risk_row = QHBoxLayout()
        risk_row.addWidget(self.risk_dot)
        risk_row.addWidget(self.risk_label, 1)
        self.faces_label = plain_label()
        self.frames_label = plain_label()  # a video: the frames its faces were found in
        self.reasons_label = plain_label()
        self.actions_label = plain_label()
        self.action_buttons: dict[Recommendation, QPushButton] = {}
        # a grid the buttons flow through: three in a row did not fit a narrow pane
        self._action_grid = action_row = QGridLayout()
        action_row.setContentsMargins(0, 0, 0, 0)
        for recommendation, words in ACTION_BUTTONS.items():
            button = QPushButton(words, self)
            button.clicked.connect(lambda _=False, r=recommendation: self.action_requested.emit(r))
            button.hide()
            self.action_buttons[recommendation] = button
        self.findings = QTableWidget(0, 3, self)
        for column, (words, tip) in enumerate(FINDING_HEADERS):
            header_item = QTableWidgetItem(words)
            header_item.setToolTip(tip)
            self.findings.setHorizontalHeaderItem(column, header_item)
        self.findings.verticalHeader().setVisible(False)
        self.findings.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.findings.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Cells wrap at word boundaries and rows grow to fit: in a narrow pane (a 1024-pixel
        # screen leaves the table under 300 pixels) "Hidden preview image" reads as two
        # lines, never as "Hidden preview i…".
        self.findings.setWordWrap(True)
        self.findings.setAlternatingRowColors(True)
        header = self.findings.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.findings.setMinimumHeight(140)
        self.findings.setTabKeyNavigation(False)  # Tab leaves the table: the next pane

        self.no_findings = plain_label(
            "Nothing found in the file: no location, names, ids or other metadata.", self
        )
        self.no_findings.hide()

        self.open_button = QPushButton("Show in file manager", self)
        self.copy_button = QPushButton("Copy path", self)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)

        info = QWidget(self)
        self._info_box = box = QVBoxLayout(info)
        box.addWidget(self.title)
        box.addLayout(risk_row)
        box.addWidget(self.faces_label)
        box.addWidget(self.frames_label)
        box.addWidget(_heading("Why"))
        box.addWidget(self.reasons_label)
        box.addWidget(_heading("What to do"))
        box.addWidget(self.actions_label)
        box.addLayout(action_row)
        self.findings_heading = _heading("Found in the file")
        box.addWidget(self.findings_heading)
        box.addWidget(self.findings, 1)
        # with no table, the sentence takes the room left over: the lines above keep their
        # spacing instead of spreading down the pane
        box.addWidget(self.no_findings, 1, Qt.AlignmentFlag.AlignTop)
        box.addLayout(buttons)
        self._scroll = scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(info)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.preview)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([400, 460])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.show_record(None)

    @property
    def record(self) -> PhotoRecord | None:
        return self._record

    def set_root(self, root: Path | None) -> None:
        self._root = root

    def full_path(self) -> Path | None:
        if self._root is None or self._record is None:
            return None
        return files.photo_path(self._root, self._record.path)

    def show_record(self, record: PhotoRecord | None) -> None:
        self._record = record
        self.preview.set_record(record)
        enabled = record is not None
        self.open_button.setEnabled(enabled)
        self.copy_button.setEnabled(enabled)
        wanted = set(record.recommendations) if record is not None else set()
        if record is not None and is_video(record):
            wanted -= SHARE_ACTIONS  # no share-safe copy of a video: the words say what to do
        for recommendation, button in self.action_buttons.items():
            button.setVisible(recommendation in wanted)
        self._flow_buttons()
        if record is None:
            self.title.setText("No photo selected")
            self.risk_dot.setStyleSheet("QLabel { color: transparent; }")
            for label in (self.risk_label, self.faces_label, self.frames_label, self.reasons_label):
                label.setText("")
            self.actions_label.setText("")
            self.findings.setRowCount(0)
            self.findings.show()
            self.no_findings.hide()
            return
        self.title.setText(record.path.rsplit("/", 1)[-1])
        self.title.setToolTip(plain_tip(record.path))
        self._show_risk(record)
        self.faces_label.setText(faces_text(record))
        self.frames_label.setText(frames_text(record))
        self.frames_label.setVisible(bool(self.frames_label.text()))
        reasons = record.risk.reasons if record.risk else ()
        self.reasons_label.setText("\n".join(f"• {r}" for r in reasons) or "Nothing found.")
        self.actions_label.setText(
            "\n".join(f"• {words}" for words in action_words(record)) or "• Fine to share"
        )
        findings = sorted(record.findings, key=lambda f: kind_rank(f.kind))  # stable
        self.findings.setVisible(bool(findings))  # not an empty white box: say so
        self.no_findings.setVisible(not findings)
        self.findings.setRowCount(len(findings))
        for row, finding in enumerate(findings):
            # The plain words the CLI summary uses; the field's own name (what ExifTool
            # and the JSON call it) stays one hover away for the photographer who wants it.
            cells = (
                (KIND_WORDS.get(finding.kind, finding.kind.value), None),
                (words := field_words(finding.field), f"{words} (field {finding.field})"),
                (finding.value, None),
            )
            for column, (text, tip) in enumerate(cells):
                item = QTableWidgetItem(short(text, MAX_CELL_CHARS))
                item.setToolTip(plain_tip(short(tip or text)))
                self.findings.setItem(row, column, item)
        self._fit_columns()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()
        self._flow_buttons()

    def _flow_buttons(self) -> None:
        """The shown action buttons left to right, on as many rows as the pane's width needs."""
        grid = self._action_grid
        margins = self._info_box.contentsMargins()
        room = self._scroll.viewport().width() - margins.left() - margins.right()
        spacing = max(grid.horizontalSpacing(), 0)
        row = column = used = 0
        for button in self.action_buttons.values():
            grid.removeWidget(button)
            if button.isHidden():
                continue
            width = button.sizeHint().width()
            if column and used + spacing + width > room:
                row, column, used = row + 1, 0, 0
            grid.addWidget(button, row, column)
            used += (spacing if column else 0) + width
            column += 1
        grid.setColumnStretch(len(self.action_buttons), 1)

    def _fit_columns(self) -> None:
        """What and Detail as wide as their words, each at most ``NAME_SHARE`` of the table
        but never narrower than its longest word, so the Value column keeps the rest; the
        words wrap and each row is as tall as its cells need."""
        table = self.findings
        header = table.horizontalHeader()
        cap = max(80, int(table.viewport().width() * NAME_SHARE))
        for column in (0, 1):
            wanted = max(table.sizeHintForColumn(column), header.sectionSizeHint(column))
            header.resizeSection(column, max(min(wanted, cap), self._longest_word(column)))
        table.resizeRowsToContents()

    def _longest_word(self, column: int) -> int:
        """The width a cell of ``column`` needs for its longest word on one line."""
        table = self.findings
        metrics = table.fontMetrics()
        margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table)
        widest = 0
        for row in range(table.rowCount()):
            item = table.item(row, column)
            for word in item.text().split() if item is not None else ():
                widest = max(widest, metrics.horizontalAdvance(word))
        return widest + 2 * (margin + 1) + 2

    def _show_risk(self, record: PhotoRecord) -> None:
        if record.risk is None:
            self.risk_label.setText("Risk: not assessed yet")
            self.risk_dot.setStyleSheet(f"QLabel {{ color: {risk_colour(None).name()}; }}")
            return
        level = record.risk.level
        words = "No risk found" if level is RiskLevel.NONE else f"{level.value.capitalize()} risk"
        self.risk_label.setText(f"{words} · score {record.risk.score}/100")
        # The dot carries the colour; the words keep the palette's text colour, readable on
        # light and dark themes alike (yellow text on white is not).
        self.risk_dot.setStyleSheet(f"QLabel {{ color: {risk_colour(level).name()}; }}")

    @Slot()
    def _on_open_button_clicked(self) -> None:
        if self._root is not None and self._record is not None:
            files.show_in_folder(self._root, self._record.path)

    @Slot()
    def _on_copy_button_clicked(self) -> None:
        if self._root is not None and self._record is not None:
            self.path_copied.emit(files.copy_paths(self._root, [self._record.path]))


def _heading(text: str) -> QLabel:
    label = plain_label(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label
