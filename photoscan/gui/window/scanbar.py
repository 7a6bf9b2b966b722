"""The scan progress bar: what is being done, how far, about how long is left, and Cancel."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

PHASE_WORDS = {"metadata": "Reading metadata", "faces": "Looking for faces"}


def eta_text(seconds: float) -> str:
    if seconds < 60:
        return "less than a minute left"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} min left"
    return f"about {minutes // 60} h {minutes % 60:02d} min left"


class ScanBar(QWidget):
    """Progress bar with a count, an ETA and Cancel."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(14)
        self.cancel_button = QPushButton("Cancel", self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.label, 2)
        layout.addWidget(self.bar, 3)
        layout.addWidget(self.cancel_button)
        self._phase = ""
        self._t0, self._done0 = 0.0, 0

    def begin(self) -> None:
        self._phase = ""
        self.bar.setRange(0, 0)  # busy until the first count
        self.label.setText("Looking for photos…")
        self.cancel_button.setEnabled(True)
        self.show()

    def update_progress(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase != self._phase:
            self._phase, self._t0, self._done0 = phase, now, done
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(min(done, total))
        words = PHASE_WORDS.get(phase, phase.capitalize())
        text = f"{words}: {done:,} of {total:,}"
        elapsed, advanced = now - self._t0, done - self._done0
        if elapsed > 2 and advanced > 0 and done < total:
            text += " · " + eta_text((total - done) * elapsed / advanced)
        self.label.setText(text)
