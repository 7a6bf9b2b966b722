"""The detail pane for several photos at once: what they give away together, and the actions.

With more than one photo selected there is no single photo to describe; the parent wants
to know how many of them show children, give away where they were taken or name someone,
and to act on all of them at once. The counts come from the model's per-photo filter bits
(``PhotoFlag``, the sidebar's categories), so a selection of 50,000 is counted in
milliseconds; the buttons ask the window's actions to run on the selection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from photoscan.gui.icons import icon
from photoscan.gui.library.photoinfo import ALL_RISK_FLAGS, PhotoFlag, count_words
from photoscan.gui.theme import set_quiet

# (flag, icon, what a photo with it does): the lines of the panel, most serious first
LINES: tuple[tuple[PhotoFlag, str, str, str], ...] = (
    (PhotoFlag.CHILDREN, "child", "shows a child", "show children"),
    (
        PhotoFlag.LOCATION,
        "location",
        "gives away where it was taken",
        "give away where they were taken",
    ),
    (
        PhotoFlag.REPEATED_PLACE,
        "repeated",
        "was taken at a place you return to",
        "were taken at places you return to",
    ),
    (PhotoFlag.NAMES, "name", "names a person", "name a person"),
    (PhotoFlag.DEVICE, "device", "carries a device id", "carry a device id"),
    (PhotoFlag.THUMBNAIL, "thumbnail", "hides a preview image", "hide a preview image"),
    (PhotoFlag.PUBLIC, "public", "was public on export", "were public on export"),
)


@dataclass(frozen=True, slots=True)
class BatchCounts:
    photos: int
    by_flag: dict[PhotoFlag, int]
    unchecked_faces: int  # photos whose faces were not (yet) checked
    videos: int = 0  # of ``photos``, videos
    recordings: int = 0  # and sound recordings

    def count(self, flag: PhotoFlag) -> int:
        return self.by_flag.get(flag, 0)

    @property
    def with_risk(self) -> int:
        """Photos with something to remove or hide (any risk above none)."""
        return self.photos - self.count(PhotoFlag.RISK_NONE)


def batch_counts(flags: Sequence[int], faces_checked: Sequence[bool]) -> BatchCounts:
    """Counts over one selection from each photo's filter bits and whether its faces were
    checked (``flags[i]`` and ``faces_checked[i]`` belong to the same photo)."""
    by_flag = {
        flag: sum(1 for f in flags if f & flag)
        for flag in (*(line[0] for line in LINES), *PhotoFlag(ALL_RISK_FLAGS))
    }
    unchecked = sum(1 for checked in faces_checked if not checked)
    videos = sum(1 for f in flags if f & PhotoFlag.VIDEO)
    recordings = sum(1 for f in flags if f & PhotoFlag.RECORDING)
    return BatchCounts(len(flags), by_flag, unchecked, videos, recordings)


def line_text(n: int, total: int, one: str, many: str) -> str:
    """'3 show children', '1 shows a child', 'All 12 show children'."""
    if n == total > 1:
        return f"All {total:,} {many}"
    return f"{n:,} {one}" if n == 1 else f"{n:,} {many}"


class BatchPanel(QScrollArea):
    """Scrolls, so that a short window is never held taller by it."""

    strip_requested = Signal(bool)  # only the location
    share_requested = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Selected photos")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        inner = QWidget(self)
        self.setWidget(inner)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        self.lines: dict[PhotoFlag, tuple[QLabel, QLabel]] = {}
        for row, (flag, icon_name, _one, _many) in enumerate(LINES):
            picture = QLabel(self)
            picture.setPixmap(icon(icon_name).pixmap(QSize(20, 20)))
            text = QLabel(self)
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setWordWrap(True)
            grid.addWidget(picture, row, 0)
            grid.addWidget(text, row, 1)
            self.lines[flag] = (picture, text)
        self.faces_label = QLabel(self)
        self.faces_label.setTextFormat(Qt.TextFormat.PlainText)
        self.faces_label.setWordWrap(True)
        self.strip_button = QPushButton(self)
        self.location_button = QPushButton("Strip Only the Location…", self)
        self.share_button = QPushButton(self)
        self.strip_button.clicked.connect(lambda: self.strip_requested.emit(False))
        self.location_button.clicked.connect(lambda: self.strip_requested.emit(True))
        self.share_button.clicked.connect(self.share_requested)
        self.hint = QLabel(
            "Right-click the photos for more (open, show in folder, copy paths, mark them "
            "reviewed, mark their faces a child's or not). "
            "Edit → Select None goes back to one photo.",
            self,
        )
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setWordWrap(True)
        set_quiet(self.hint)
        layout = QVBoxLayout(inner)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addSpacing(6)
        layout.addLayout(grid)
        layout.addWidget(self.faces_label)
        layout.addSpacing(10)
        for button in (self.strip_button, self.location_button, self.share_button):
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addSpacing(10)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        self.counts: BatchCounts | None = None

    def show_counts(self, counts: BatchCounts) -> None:
        self.counts = counts
        n = counts.photos
        self.title.setText(f"{count_words(n, counts.videos, counts.recordings)} selected")
        risky = counts.with_risk
        high = counts.count(PhotoFlag.RISK_HIGH)
        summary = f"{risky:,} of them give something away" if risky else "Nothing found in them"
        if high:
            summary += f", {high:,} at high risk"
        self.summary.setText(summary + ".")
        for flag, (picture, text) in self.lines.items():
            found = counts.count(flag)
            one, many = next((o, m) for f, _i, o, m in LINES if f is flag)
            picture.setVisible(bool(found))
            text.setVisible(bool(found))
            text.setText(line_text(found, n, one, many))
        unchecked = counts.unchecked_faces
        self.faces_label.setText(
            f"Faces not checked in {unchecked:,} of them: they may show children."
            if unchecked
            else ""
        )
        self.faces_label.setVisible(bool(unchecked))
        self.strip_button.setText(f"Strip {n:,} Photos…")
        self.share_button.setText(f"Share-Safe Copies of {n:,}…")
        self.location_button.setVisible(counts.count(PhotoFlag.LOCATION) > 0)
