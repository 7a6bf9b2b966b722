"""The one place where the core's scan generator meets Qt.

``photoscan.scan.run.scan()`` is a plain generator of events (TagStudio's core/qt split). It runs
in a child process (``scanprocess``: the GUI process keeps its interpreter lock); here a
``ScanWorker`` in a ``QThread`` reads the child's events and re-emits them as Qt signals, which
Qt queues to the GUI thread. The child sends events in batches (every 50 ms at most) and each
batch becomes one signal per kind, with only the latest progress, so a fast metadata pass over
thousands of files costs the GUI thread a few model inserts per frame, not one signal per
file. Cancel reaches the child's ``CancelToken``; the core stops between files and still ends
with ``ScanFinished``.

The user's actions (strip, share-safe copies, export) are core generators too, light enough
for a thread of this process: ``JobRunner`` iterates one in a ``QThread`` and re-emits each
item as a signal, with a ``CancelToken`` the core checks between files.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from photoscan.cancel import CancelToken
from photoscan.errors import PhotoscanError
from photoscan.model import FileError, PhotoRecord
from photoscan.scan.events import (
    FacesScanned,
    FileFailed,
    FilesDiscovered,
    PhotoScanned,
    PlacesFound,
    Progress,
    ScanFinished,
    ScanResult,
)
from photoscan.scan.jobs import ScanOptions
from photoscan.scan.process import ScanCrashed, ScanFailed, ScanProcess

log = logging.getLogger(__name__)


class ScanWorker(QObject):
    """Runs one scan in its thread; signals carry plain core objects (frozen dataclasses)."""

    files_discovered = Signal(int)
    photos_scanned = Signal(list)  # list[PhotoRecord]: metadata pass
    faces_scanned = Signal(list)  # list[PhotoRecord]: same paths again (faces, places, risk)
    places_found = Signal(tuple)  # tuple[PlaceGroup, ...]: before the records they changed
    files_failed = Signal(list)  # list[FileError]
    progress_changed = Signal(str, int, int)  # phase, done, total
    scan_finished = Signal(object)  # ScanResult
    scan_failed = Signal(str)  # the root cannot be scanned, in plain words
    scan_crashed = Signal(str)  # an unexpected exception (a bug), already logged

    def __init__(self, root: Path, options: ScanOptions) -> None:
        super().__init__()
        self._photos: list[PhotoRecord] = []
        self._faces: list[PhotoRecord] = []
        self._errors: list[FileError] = []
        self._progress: tuple[str, int, int] | None = None
        self.process = ScanProcess(root, options)

    def cancel(self) -> None:
        """Safe from any thread: tells the child process to stop."""
        self.process.cancel()

    @Slot()
    def run(self) -> None:
        process = self.process
        process.start()
        while not process.ended:
            for event in process.next_events():
                if isinstance(event, ScanFailed):
                    self._flush()
                    self.scan_failed.emit(event.message)
                elif isinstance(event, ScanCrashed):
                    log.error("scan failed unexpectedly: %s", event.name)
                    self._flush()
                    self.scan_crashed.emit(event.name)
                else:
                    self._handle(event)
            self._flush()  # the child already batched: one set of signals per batch

    def _handle(self, event: object) -> None:
        if isinstance(event, PhotoScanned):
            self._photos.append(event.record)
        elif isinstance(event, FacesScanned):
            self._faces.append(event.record)
        elif isinstance(event, PlacesFound):  # place names and repeated places: updates
            # The places first: a row the parent marks meanwhile is assessed with them.
            self.places_found.emit(event.places)
            self._faces.extend(event.records)
        elif isinstance(event, FileFailed):
            self._errors.append(event.error)
        elif isinstance(event, Progress):
            self._progress = (event.phase, event.done, event.total)
        elif isinstance(event, FilesDiscovered):
            self._flush()
            self.files_discovered.emit(event.total)
        elif isinstance(event, ScanFinished):
            self._flush()
            self.scan_finished.emit(event.result)
            return

    def _flush(self) -> None:
        if self._photos:
            self.photos_scanned.emit(self._photos)
            self._photos = []
        if self._faces:
            self.faces_scanned.emit(self._faces)
            self._faces = []
        if self._errors:
            self.files_failed.emit(self._errors)
            self._errors = []
        if self._progress is not None:
            self.progress_changed.emit(*self._progress)
            self._progress = None


class ScanController(QObject):
    """Starts, cancels and cleans up scans; re-exposes the worker's signals on the GUI side
    so the window connects once, whatever scan is running."""

    scan_started = Signal(object)  # root Path
    files_discovered = Signal(int)
    photos_scanned = Signal(list)
    faces_scanned = Signal(list)
    places_found = Signal(tuple)
    files_failed = Signal(list)
    progress_changed = Signal(str, int, int)
    scan_finished = Signal(object)  # ScanResult
    scan_failed = Signal(str)
    scan_crashed = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: ScanWorker | None = None
        self._root: Path | None = None
        self._retiring: dict[QThread, ScanWorker] = {}

    @property
    def is_running(self) -> bool:
        return self._thread is not None

    @property
    def root(self) -> Path | None:
        return self._root

    def start(self, root: Path, options: ScanOptions) -> None:
        """Scan ``root``; a running scan is cancelled first (and its late events ignored)."""
        self.stop()
        self._root = root
        thread = QThread(self)
        thread.setObjectName("photoscan-scan")
        worker = ScanWorker(root, options)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.files_discovered.connect(self.files_discovered)
        worker.photos_scanned.connect(self.photos_scanned)
        worker.faces_scanned.connect(self.faces_scanned)
        worker.places_found.connect(self.places_found)
        worker.files_failed.connect(self.files_failed)
        worker.progress_changed.connect(self.progress_changed)
        worker.scan_finished.connect(self._on_worker_scan_finished)
        worker.scan_failed.connect(self._on_worker_scan_failed)
        worker.scan_crashed.connect(self._on_worker_scan_crashed)
        self._thread, self._worker = thread, worker
        self.scan_started.emit(root)
        thread.start()

    def cancel(self) -> None:
        """Ask the core to stop; it finishes the file at hand and reports ``cancelled``."""
        if self._worker is not None:
            self._worker.cancel()

    def stop(self) -> None:
        """Cancel the running scan without waiting for it (opening another folder): its
        signals are cut off at once and its thread retires on its own within about a second."""
        thread, worker = self._thread, self._worker
        if thread is None or worker is None:
            return
        worker.cancel()
        for signal in (
            worker.files_discovered,
            worker.photos_scanned,
            worker.faces_scanned,
            worker.places_found,
            worker.files_failed,
            worker.progress_changed,
            worker.scan_finished,
            worker.scan_failed,
            worker.scan_crashed,
        ):
            signal.disconnect()
        self._thread, self._worker = None, None
        self._retiring[thread] = worker
        thread.finished.connect(self._on_retired_thread_finished)  # queued to this thread
        thread.quit()  # takes effect when the worker's run() returns

    @Slot()
    def _on_retired_thread_finished(self) -> None:
        thread = self.sender()
        worker = self._retiring.pop(thread, None)  # type: ignore[call-overload]
        if worker is not None:
            worker.deleteLater()
        if isinstance(thread, QThread):
            thread.deleteLater()

    def shutdown(self, timeout_ms: int = 5_000) -> None:
        """Cancel everything and wait (the window is closing; the process is about to end)."""
        workers = [*self._retiring.values(), *([self._worker] if self._worker else [])]
        threads = [*self._retiring, *([self._thread] if self._thread else [])]
        self.stop()
        for thread, worker in zip(threads, workers, strict=True):
            if not thread.wait(timeout_ms):
                worker.process.stop(0.5)  # kills it; the reader thread then ends
                thread.wait(3_000)

    def _end_thread(self) -> None:
        """The scan is over: let its thread finish on its own (the child process is exiting;
        waiting for it here would stall the GUI)."""
        thread, worker = self._thread, self._worker
        self._thread, self._worker = None, None
        if thread is not None and worker is not None:
            self._retiring[thread] = worker
            thread.finished.connect(self._on_retired_thread_finished)
            thread.quit()

    @Slot(object)
    def _on_worker_scan_finished(self, result: ScanResult) -> None:
        self._end_thread()
        self.scan_finished.emit(result)

    @Slot(str)
    def _on_worker_scan_failed(self, message: str) -> None:
        self._end_thread()
        self.scan_failed.emit(message)

    @Slot(str)
    def _on_worker_scan_crashed(self, name: str) -> None:
        self._end_thread()
        self.scan_crashed.emit(name)


Job = Callable[[CancelToken], Iterable[object]]


class JobWorker(QObject):
    """Iterates one core generator in its thread; every item becomes ``item_ready``."""

    item_ready = Signal(object)
    job_failed = Signal(str)  # the whole job could not run (a usage error), in plain words
    job_finished = Signal(bool)  # cancelled; always emitted last

    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job
        self.token = CancelToken()

    @Slot()
    def run(self) -> None:
        try:
            for item in self.job(self.token):
                self.item_ready.emit(item)
        except PhotoscanError as exc:  # UsageError from plan(): unsafe target and the like
            self.job_failed.emit(str(exc))
        except OSError as exc:
            self.job_failed.emit(f"cannot write: {exc.strerror or exc}")
        except Exception as exc:  # a bug: log it (type and frames only) and say so
            log.error("action failed unexpectedly: %s", type(exc).__name__, exc_info=True)
            self.job_failed.emit(f"unexpected error ({type(exc).__name__}); see the log")
        self.job_finished.emit(self.token.is_cancelled)


class JobRunner(QObject):
    """Runs one action job at a time off the GUI thread (``start``, ``cancel``, ``wait``)."""

    item_ready = Signal(object)
    job_failed = Signal(str)
    job_finished = Signal(bool)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: JobWorker | None = None

    @property
    def is_running(self) -> bool:
        return self._thread is not None

    def start(self, job: Job) -> None:
        if self._thread is not None:
            raise RuntimeError("a job is already running")
        thread = QThread(self)
        thread.setObjectName("photoscan-action")
        worker = JobWorker(job)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.item_ready.connect(self.item_ready)
        worker.job_failed.connect(self.job_failed)
        worker.job_finished.connect(self._on_worker_job_finished)
        self._thread, self._worker = thread, worker
        thread.start()

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.token.cancel()

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Cancel and wait for the thread (the window is closing)."""
        thread = self._thread
        self.cancel()
        return thread is None or bool(thread.wait(timeout_ms))

    @Slot(bool)
    def _on_worker_job_finished(self, cancelled: bool) -> None:
        thread, worker = self._thread, self._worker
        self._thread, self._worker = None, None
        if thread is not None and worker is not None:
            thread.quit()
            thread.wait()  # run() has returned: only the event loop is left to stop
            worker.deleteLater()
            thread.deleteLater()
        self.job_finished.emit(cancelled)
