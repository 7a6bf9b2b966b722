"""Run the metadata pass's reads: in-process for small scans, else in a bounded process pool.

Files go to the workers in small batches (the per-task IPC cost is then negligible), at most
``3 × workers`` batches in flight, and results stream back as batches finish. The cancel
token is looked at every ``POLL_SECONDS``; queued batches are then dropped
(``cancel_futures``) and the generator returns at once.

Third-party parsers run on hostile files, and a crash in native code (or the OOM killer)
kills a worker and breaks the whole executor. Then every batch that was in flight is
retried one file at a time on fresh workers, alone, so the file that kills a worker is
identified and reported ("the reader crashed on this file") and its neighbours are still
read. A crash never reaches the scan, let alone the caller's process.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from typing import TypeVar

from photoscan.cancel import CancelToken
from photoscan.model import FileError
from photoscan.scan.jobs import Outcome, ReadJob
from photoscan.scan.worker import Readers, default_readers, init_worker, read_batch

INLINE_BELOW = 24  # fewer files to read than this: a pool costs more than it saves
MAX_BATCH = 16
POLL_SECONDS = 0.1  # how often a wait on the pool looks at the cancel token
CRASHED = "the reader crashed on this file"

Item = TypeVar("Item", bound=tuple[ReadJob, object])


def read_all(
    items: Sequence[Item], workers: int, readers: Readers | None, cancel: CancelToken
) -> Iterator[tuple[Item, Outcome]]:
    """``(item, outcome)`` for each ``(ReadJob, anything)`` item, in completion order."""
    if workers <= 1 or len(items) < INLINE_BELOW:
        for item in items:
            if cancel.is_cancelled:
                return
            yield item, read_batch([item[0]], readers)[0]
        return
    yield from _Pool(workers, readers).run(items, cancel)


def mp_context() -> BaseContext:
    """fork is cheapest (workers inherit the imports), but only safe single-threaded;
    the GUI scans from a thread, so it gets forkserver (or the platform default)."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context()


def _batches(items: Sequence[Item], workers: int) -> deque[list[Item]]:
    size = max(1, min(MAX_BATCH, len(items) // (workers * 8)))
    return deque(list(items[i : i + size]) for i in range(0, len(items), size))


def _failed(batch: list[Item], reason: str) -> list[Outcome]:
    return [
        Outcome(error=FileError(job.rel, reason), not_photo=True, cacheable=False)
        for job, _ in batch
    ]


class _Pool:
    def __init__(self, workers: int, readers: Readers | None) -> None:
        self._workers = workers
        self._readers = readers
        self._context = mp_context()
        if readers is None and self._context.get_start_method() == "fork":
            default_readers()  # import the readers once here; forked workers inherit them
        self._executor: ProcessPoolExecutor | None = None

    def _submit(self, batch: list[Item]) -> Future[list[Outcome]]:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self._workers, mp_context=self._context, initializer=init_worker
            )
        return self._executor.submit(read_batch, [job for job, _ in batch], self._readers)

    def _drop(self, wait_for_workers: bool) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=wait_for_workers, cancel_futures=True)

    def run(self, items: Sequence[Item], cancel: CancelToken) -> Iterator[tuple[Item, Outcome]]:
        pending = _batches(items, self._workers)
        suspects: deque[list[Item]] = deque()  # single files retried after a crash
        running: dict[Future[list[Outcome]], tuple[list[Item], bool]] = {}
        try:
            while True:
                limit = 1 if suspects else self._workers * 3  # suspects run alone
                while len(running) < limit and (suspects or pending) and not cancel.is_cancelled:
                    suspect = bool(suspects)
                    batch = suspects.popleft() if suspect else pending.popleft()
                    running[self._submit(batch)] = (batch, suspect)
                if not running or cancel.is_cancelled:
                    return
                finished, _ = wait(running, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
                broken = False
                for future in finished:
                    batch, suspect = running.pop(future)
                    try:
                        outcomes = future.result()
                    except BrokenProcessPool:
                        broken = True
                        if suspect:
                            yield batch[0], _failed(batch, CRASHED)[0]
                        else:
                            suspects.extend([item] for item in batch)
                        continue
                    except Exception as exc:  # e.g. a result that cannot be unpickled
                        outcomes = _failed(
                            batch, f"internal error reading file: {type(exc).__name__}"
                        )
                    yield from zip(batch, outcomes, strict=True)
                if broken:  # every batch still in flight died with the pool: retry alone
                    for batch, _ in running.values():
                        suspects.extend([item] for item in batch)
                    running.clear()
                    self._drop(wait_for_workers=False)
        finally:
            self._drop(wait_for_workers=not cancel.is_cancelled)
