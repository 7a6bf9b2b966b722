"""The scan progress bar: what is being done, how far, about how long is left, and Cancel."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from photoscan.gui.window.eta import TimeLeft

PHASE_WORDS = {"metadata": "Reading metadata", "faces": "Looking for faces"}
TICK_MS = 1000  # the time left is said again every second, photo finished or not


class ScanBar(QWidget):
    """Progress bar with a count, an ETA and Cancel."""

    def __init__(self, parent: Any = None, clock: Callable[[], float] | None = None) -> None:
        super().__init__(parent)
        self._clock = clock or time.monotonic
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
        self._done, self._total = 0, 0
        self._time_left = TimeLeft()
        self.ticker = QTimer(self)
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(self._on_ticker_timeout)

    def begin(self) -> None:
        self._phase = ""
        self.bar.setRange(0, 0)  # busy until the first count
        self.label.setText("Looking for photos…")
        self.cancel_button.setEnabled(True)
        self.show()

    def update_progress(self, phase: str, done: int, total: int) -> None:
        now = self._clock()
        if phase != self._phase:
            self._phase = phase
            self._time_left.restart(now, done)
        self._time_left.observe(now, done)
        self._done, self._total = done, total
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(min(done, total))
        self._say(now)
        if not self.ticker.isActive():
            self.ticker.start()

    def hideEvent(self, event: Any) -> None:
        self.ticker.stop()
        super().hideEvent(event)

    def _say(self, now: float) -> None:
        words = PHASE_WORDS.get(self._phase, self._phase.capitalize())
        text = f"{words}: {self._done:,} of {self._total:,}"
        left = self._time_left.text(now, self._total)
        self.label.setText(text + (f" · {left}" if left else ""))

    @Slot()
    def _on_ticker_timeout(self) -> None:
        if self._phase and self.cancel_button.isEnabled():  # "Cancelling…" stays
            self._say(self._clock())
