"""Run face detection over many photos in worker processes, streaming results.

Why a process pool: dlib's HOG detector and the age model hold the GIL-free C++ work per
call, but face_recognition/Pillow glue does not, and a crash in native code on a hostile file
must not take the app down. Each worker loads the models once (pool initializer), reads the
file itself (only paths cross the pipe, never pixels) and decodes at working size.

Memory stays bounded: at most ``window`` jobs are submitted at a time (default two per
worker), so at most one decoded image per worker exists and the job iterable is consumed
lazily. Results stream back in completion order.

Cancel: the token is checked every 0.1 s. On cancel, queued jobs are dropped
(``cancel_futures``) and the workers are terminated, because a running dlib call cannot be
interrupted and a large photo can take seconds; ``run`` returns within a second. The next
``run`` starts fresh workers.

A worker that dies (native crash) breaks the whole executor; the jobs then in flight are
retried once on fresh workers, one at a time, so the file that crashes is reported as a
``FileError`` and its neighbours still get their faces.

Usage (from ``photoscan.scan.run``)::

    with FacePool(workers=2, settings=FaceSettings()) as pool:
        for key, result in pool.run(((rel, root / rel) for rel in paths), cancel):
            faces_or_error = result   # tuple[Face, ...] | FileError (FileError.path == key)
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import sys
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import TracebackType
from typing import Final

from photoscan.cancel import CancelToken
from photoscan.errors import PhotoscanError
from photoscan.faces.analyse import detect_faces, load_models
from photoscan.faces.settings import FaceSettings
from photoscan.limits import MAX_FILE_BYTES
from photoscan.model import Face, FileError
from photoscan.source.fileref import FileRef, read_bytes

POLL_SECONDS: Final = 0.1

FaceResult = tuple[Face, ...] | FileError

_worker_settings = FaceSettings()


def _init_worker(settings: FaceSettings) -> None:
    """Per-process setup: Ctrl-C belongs to the parent; load the models once."""
    global _worker_settings
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_settings = settings
    load_models()
    if settings.detector == "yunet":  # the default detector (issue 11), loaded up front too
        from photoscan.faces import yunet

        # Missing or damaged: each file then says why (its ``detect_faces`` raises it again)
        # instead of the whole pool breaking here.
        with contextlib.suppress(yunet.ModelMissing):
            yunet.load()


def _work(key: str, ref: FileRef) -> FaceResult:
    """Faces of one file or zip member, or why not (per-file failures are data)."""
    try:
        data = read_bytes(ref, MAX_FILE_BYTES)  # a zip member: this worker opens the zip
        # RAW/DNG: the largest embedded preview, boxes in the record's size (the name tells
        # NEF from TIFF)
        return detect_faces(data, _worker_settings, key, previews=True)
    except PhotoscanError as error:
        return FileError(key, str(error) or type(error).__name__)
    except OSError as error:
        return FileError(key, f"cannot read file: {error.strerror or error}")
    except (RuntimeError, ValueError, MemoryError) as error:  # dlib/onnx on hostile pixels
        return FileError(key, f"face detection failed: {type(error).__name__}: {error}")
    except Exception as error:  # decoders raise what they like (pillow-heif: EOFError)
        return FileError(key, f"face detection failed: {type(error).__name__}")


def _context() -> multiprocessing.context.BaseContext:
    """fork when this process has a single thread (the CLI): workers inherit the imports and
    start ~0.3 s sooner. Otherwise forkserver (spawn off Linux): the GUI scans from a thread,
    and forking a threaded process can deadlock in the child. The models themselves are
    always loaded after the fork, in the worker (dlib/onnxruntime state is not fork-safe)."""
    if sys.platform.startswith("linux"):
        if threading.active_count() == 1:
            return multiprocessing.get_context("fork")
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


class FacePool:
    """A pool of face workers; use as a context manager, call ``run`` (possibly repeatedly)."""

    def __init__(self, workers: int, settings: FaceSettings, window: int | None = None) -> None:
        self._workers = max(1, workers)
        self._settings = settings
        self._window = max(1, window if window is not None else 2 * self._workers)
        self._executor: ProcessPoolExecutor | None = None
        # Chosen once: a restart after cancel or a crash forks the same way even while the
        # old executor's helper threads are still winding down (ProcessPoolExecutor itself
        # forks next to its own manager thread; only the caller's threads make fork unsafe).
        self._mp_context = _context()

    def __enter__(self) -> FacePool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _ensure_executor(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self._workers,
                mp_context=self._mp_context,
                initializer=_init_worker,
                initargs=(self._settings,),
            )
        return self._executor

    def run(
        self, jobs: Iterable[tuple[str, FileRef | Path]], cancel: CancelToken | None = None
    ) -> Iterator[tuple[str, FaceResult]]:
        """Yield ``(key, faces or FileError)`` per job, in completion order.

        ``jobs`` is consumed lazily; at most ``window`` are in flight. Returns early (without
        raising) once ``cancel`` is set; the remaining jobs get no result.
        """
        todo = iter(jobs)
        # future -> (key, path, suspect); a suspect is a job retried after a worker crash.
        pending: dict[Future[FaceResult], tuple[str, FileRef | Path, bool]] = {}
        retry: list[tuple[str, FileRef | Path]] = []
        exhausted = False
        try:
            while True:
                if cancel is not None and cancel.is_cancelled:
                    self._abort()
                    return
                # After a crash, suspects run alone so the guilty file is identified.
                limit = 1 if retry else self._window
                while len(pending) < limit and (retry or not exhausted):
                    if retry:
                        key, path = retry.pop(0)
                        suspect = True
                    else:
                        job = next(todo, None)
                        if job is None:
                            exhausted = True
                            break
                        (key, path), suspect = job, False
                    future = self._ensure_executor().submit(_work, key, FileRef.of(path))
                    pending[future] = (key, path, suspect)
                if not pending:
                    return
                done, _ = wait(pending, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
                broken = False
                for future in done:
                    key, path, suspect = pending.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        broken = True
                        if suspect:
                            yield key, FileError(key, "the face detector crashed on this file")
                        else:
                            retry.append((key, path))
                        continue
                    yield key, result
                if broken:
                    # Every other job in flight fails with the pool: retry them one by one.
                    retry.extend((key, path) for key, path, _ in pending.values())
                    pending.clear()
                    self._abort()
        finally:
            for future in pending:
                future.cancel()

    def _abort(self) -> None:
        """Drop queued work and kill the workers now (a running dlib call can't be stopped)."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        processes = list(getattr(executor, "_processes", {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=0.5)
        # Let the executor's manager thread notice and exit promptly.
        manager = getattr(executor, "_executor_manager_thread", None)
        if isinstance(manager, threading.Thread):
            manager.join(timeout=0.5)

    def close(self) -> None:
        """Stop the workers; any queued work is dropped."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
