"""What the middle of the window says when it has no photo to show, and what to do then.

An empty grid is a dead end: the parent cannot tell an empty folder from a search that
matched nothing or a folder whose every file was unreadable. ``empty_reason`` decides
which it is (a pure function of the counts), ``EmptyState`` says so in words with one
button that does the next step (open another folder, clear the filters, list the files
that could not be read).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from photoscan.gui.theme import set_quiet


class NextStep(enum.Enum):
    OPEN_FOLDER = "Open Another Folder…"
    CLEAR_FILTERS = "Clear Filters"
    SHOW_PROBLEMS = "Show Why"


@dataclass(frozen=True, slots=True)
class EmptyReason:
    title: str
    text: str
    step: NextStep


FORMATS = "JPEG, HEIC, PNG, WebP, GIF, TIFF, PSD, JPEG XL, JPEG 2000 and camera RAW"


def empty_reason(
    total: int, shown: int, errors: int, search: str, filtered: bool, scanning: bool
) -> EmptyReason | None:
    """Why nothing is shown, or None when there are photos to show (or may still come)."""
    if shown:
        return None
    if total:
        if search:
            title = f"No photo matches “{search}”"
            text = "The search looks in file names, folder names and place names."
        else:
            title = "No photo has everything the ticked filters ask for"
            text = "Filters combine: a photo must have all of them to show."
        if filtered and search:
            text += " The ticked filters narrow it down further."
        text += " Clear the filters (or press Escape in the search box) to see every photo."
        return EmptyReason(title, text, NextStep.CLEAR_FILTERS)
    if scanning:
        return None
    if errors:
        files = f"{errors:,} file{'s' if errors != 1 else ''}"
        return EmptyReason(
            "No photo here could be read",
            f"{files} looked like photos but could not be read: damaged, cut short or in a "
            "format photoscan does not know. The list says why for each file; the originals "
            "were not changed.",
            NextStep.SHOW_PROBLEMS,
        )
    return EmptyReason(
        "No photos in this folder",
        f"photoscan looks for {FORMATS} files here and in every folder inside. Open the "
        "folder that holds your photos, or a Flickr or Google Takeout .zip export.",
        NextStep.OPEN_FOLDER,
    )


class EmptyState(QWidget):
    step_requested = Signal(object)  # NextStep

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.reason: EmptyReason | None = None
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # the search text is the user's
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.text = QLabel(self)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setMaximumWidth(520)
        set_quiet(self.text)
        self.button = QPushButton(self)
        self.button.clicked.connect(self._on_button_clicked)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.text, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(8)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.setAccessibleName("No photos to show")

    def show_reason(self, reason: EmptyReason) -> None:
        self.reason = reason
        self.title.setText(reason.title)
        self.text.setText(reason.text)
        self.button.setText(reason.step.value)
        self.setAccessibleDescription(f"{reason.title}. {reason.text}")

    @Slot()
    def _on_button_clicked(self) -> None:
        if self.reason is not None:
            self.step_requested.emit(self.reason.step)
