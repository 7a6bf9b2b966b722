"""One folder's scan as the window sees it: records into the model, errors counted, the end.

``ScanSession`` owns the scan (``ScanController``: the core's scan in a child process) and
the ``RecordFeeder`` that pours its records into the model in time-boxed slices, and it
decides when the scan is over: only once the controller has finished *and* every record it
sent is in the model. It tells the window in signals, past tense; the window shows them.
Marks the parent makes meanwhile (``marks``, filled by the photo menu's ``DecisionRunner``)
are applied to every record the scan delivers after them, its final result included, and
to ``last_result`` (what the summary export reads) when they are made after the scan ended.
A marked photo is assessed again with the scan's repeated places (``places``), known from
the places pass on, so it keeps "a place you return to" before the scan ends.
(It used to be a mixin sharing the window's private state.)
"""

from __future__ import annotations

import dataclasses
import logging
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from photoscan.gui.actions.decisions import SessionMarks
from photoscan.gui.library.ingest import RecordFeeder
from photoscan.gui.library.models import PhotoTableModel
from photoscan.gui.workers import ScanController
from photoscan.model import FileError, PhotoRecord, PlaceGroup, RiskContext
from photoscan.places.context import context_of
from photoscan.scan.events import ScanResult
from photoscan.scan.jobs import ScanOptions

log = logging.getLogger(__name__)


class ScanSession(QObject):
    errors_changed = Signal(int)  # how many files could not be read so far
    scan_completed = Signal(object)  # ScanResult, once every record is in the model
    scan_failed = Signal(str)  # the folder cannot be scanned, in plain words
    scan_crashed = Signal(str)  # an unexpected error's name (details in the log)

    def __init__(self, model: PhotoTableModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = model
        self.controller = ScanController(self)
        self.marks = SessionMarks()
        self.feeder = RecordFeeder(model, self, self._marked)
        self.errors: list[FileError] = []
        self._result: ScanResult | None = None
        self._marks_seen = 0  # ``marks.version`` when ``_result`` last got them
        self.finished_in = 0.0  # seconds the last scan took
        self._started_at = 0.0
        self._pending_result: ScanResult | None = None
        self._places: tuple[PlaceGroup, ...] = ()  # the running scan's, from its places pass
        self.controller.photos_scanned.connect(self.feeder.enqueue)
        self.controller.faces_scanned.connect(self.feeder.enqueue)
        self.controller.places_found.connect(self._on_controller_places_found)
        self.controller.files_failed.connect(self._on_controller_files_failed)
        self.controller.scan_finished.connect(self._on_controller_scan_finished)
        self.controller.scan_failed.connect(self.scan_failed)
        self.controller.scan_crashed.connect(self.scan_crashed)
        self.feeder.drained.connect(self._on_feeder_drained)
        self.feeder.settled.connect(self._on_feeder_settled)

    def start(self, root: Path, options: ScanOptions) -> None:
        """Forget the last scan (records, errors, result) and scan ``root``."""
        self.controller.stop()
        self.errors = []
        self.last_result = None
        self.feeder.clear()
        self.marks.clear()
        self._pending_result = None
        self._places = ()
        self.model.clear()
        self._started_at = time.monotonic()
        self.controller.start(root, options)

    @property
    def last_result(self) -> ScanResult | None:
        """The last scan's result, with every mark made since applied to its photos."""
        result = self._result
        if result is not None and self._marks_seen != self.marks.version:
            self._marks_seen = self.marks.version
            photos = tuple(self._marked(list(result.photos)))
            result = self._result = dataclasses.replace(result, photos=photos)
        return result

    @last_result.setter
    def last_result(self, result: ScanResult | None) -> None:
        self._result, self._marks_seen = result, self.marks.version

    @property
    def places(self) -> tuple[PlaceGroup, ...]:
        """The places of the last scan, or of the running one once its places pass is done."""
        return self._result.places if self._result is not None else self._places

    def _context(self) -> RiskContext:
        """The repeated places a marked photo is assessed with."""
        places = self.places
        return context_of(places) if places else RiskContext()

    def _marked(self, records: list[PhotoRecord]) -> list[PhotoRecord]:
        return self.marks.apply(records, self._context)

    @property
    def busy(self) -> bool:
        """A scan runs, or its records are still going into the model."""
        return self.controller.is_running or self.feeder.pending > 0

    def cancel(self) -> None:
        self.controller.cancel()

    def shutdown(self) -> None:
        self.controller.shutdown()

    @Slot(tuple)
    def _on_controller_places_found(self, places: tuple[PlaceGroup, ...]) -> None:
        self._places = places

    @Slot(list)
    def _on_controller_files_failed(self, errors: list[FileError]) -> None:
        self.errors.extend(errors)
        self.errors_changed.emit(len(self.errors))

    @Slot(object)
    def _on_controller_scan_finished(self, result: ScanResult) -> None:
        self.finished_in = time.monotonic() - self._started_at
        self._pending_result = result
        if not self.feeder.pending:
            self._on_feeder_drained()

    @Slot()
    def _on_feeder_drained(self) -> None:
        result, self._pending_result = self._pending_result, None
        if result is not None:
            self._finish(result)

    @Slot()
    def _on_feeder_settled(self) -> None:
        if self.model.has_unsorted_tail:  # a flood of cached results is over: sort it once
            self.model.resort()

    def _finish(self, result: ScanResult) -> None:
        self.last_result = result
        photos = self._marked(list(result.photos))
        result = self.last_result = dataclasses.replace(result, photos=tuple(photos))
        changed = [r for r in photos if self.model.record_for(r.path) != r]
        if changed:
            self.model.add_records(changed)
        self.model.resort()
        if result.errors and len(result.errors) != len(self.errors):
            self.errors = list(result.errors)
            self.errors_changed.emit(len(self.errors))
        log.info(
            "scan finished: %d photos, %d errors, cancelled=%s",
            len(result.photos),
            len(result.errors),
            result.cancelled,
        )
        self.scan_completed.emit(result)
