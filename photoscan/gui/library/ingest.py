"""Feeds scan results into the model a slice at a time, so the window never freezes.

A scan can deliver records faster than the views can absorb them (a cached 50,000-photo
folder arrives in seconds). Records are queued here and moved into the model from a
zero-delay timer in slices of at most ``BUDGET_SECONDS`` of work (or one ``BULK_CHUNK`` appended
unsorted during a flood), so the event loop keeps painting and answering input between
slices. ``drained`` fires when the queue is empty; ``settled`` once nothing new has come for
``SETTLE_MS``, which is when a flood's unsorted tail gets sorted (one re-sort, not one per
chunk). ``adjust`` sees each slice just before it goes in (the parent's marks made since the
records were read: ``SessionMarks``).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from photoscan.gui.library.models import BULK_INSERT, PhotoTableModel
from photoscan.model import PhotoRecord

BUDGET_SECONDS = 0.012
BULK_CHUNK = 1500  # records appended per tick in a flood (~20 ms of Python per chunk)


SETTLE_MS = 400


class RecordFeeder(QObject):
    drained = Signal()
    settled = Signal()

    def __init__(
        self,
        model: PhotoTableModel,
        parent: Any = None,
        adjust: Callable[[list[PhotoRecord]], list[PhotoRecord]] | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._adjust = adjust or (lambda records: records)
        self._queue: deque[PhotoRecord] = deque()
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.settled)

    @property
    def pending(self) -> int:
        return len(self._queue)

    def enqueue(self, records: list[PhotoRecord]) -> None:
        self._settle.stop()
        self._queue.extend(records)
        if self._queue and not self._timer.isActive():
            self._timer.start()

    def clear(self) -> None:
        self._queue.clear()
        self._timer.stop()
        self._settle.stop()

    @Slot()
    def _on_timer_timeout(self) -> None:
        queue, add, adjust = self._queue, self._model.add_records, self._adjust
        if len(queue) > BULK_INSERT:  # a flood: append in chunks, sorted once it is over
            add(adjust([queue.popleft() for _ in range(min(BULK_CHUNK, len(queue)))]))
        else:
            deadline = time.perf_counter() + BUDGET_SECONDS
            while queue and time.perf_counter() < deadline:
                add(adjust([queue.popleft() for _ in range(min(16, len(queue)))]))
        if not queue:
            self._timer.stop()
            self._settle.start()
            self.drained.emit()
