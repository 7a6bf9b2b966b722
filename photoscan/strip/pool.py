"""Copies made by forked worker processes (``batch.apply`` with ``workers`` > 1 and a batch
large enough to pay for them): jobs go out in chunks, results come back in plan order, and a
worker that dies fails its own files, not the batch.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from photoscan.cancel import CancelToken
from photoscan.strip.plan import Job
from photoscan.strip.types import FileResult, StripStatus

if TYPE_CHECKING:
    from concurrent.futures import Future

CHUNK = 16  # files per task sent to a worker process


def _run_chunk(call: Callable[[Job], FileResult], chunk: Sequence[Job]) -> list[FileResult]:
    return [call(job) for job in chunk]


def in_workers(
    jobs: Sequence[Job],
    call: Callable[[Job], FileResult],
    workers: int,
    cancel: CancelToken | None,
) -> Iterator[FileResult]:
    """Jobs go to the pool in chunks: one round trip per file would cost the parent as much
    as a small JPEG's whole strip. Results still come back in plan order."""
    size = max(1, min(CHUNK, len(jobs) // (8 * workers)))
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    window = 2 * workers
    pending: deque[tuple[Sequence[Job], Future[list[FileResult]]]] = deque()
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_ignore_ctrl_c
    ) as pool:
        try:
            for chunk in chunks:
                if cancel is not None and cancel.is_cancelled:
                    break
                pending.append((chunk, pool.submit(_run_chunk, call, chunk)))
                if len(pending) >= window:
                    yield from _outcome(*pending.popleft())
            # Cancelled: chunks not started are dropped; those a worker already took are
            # finished and reported, so every file written is in the results.
            if cancel is not None and cancel.is_cancelled:
                for _, future in pending:
                    future.cancel()
            while pending:
                chunk, future = pending.popleft()
                if not future.cancelled():
                    yield from _outcome(chunk, future)
        finally:
            for _, future in pending:
                future.cancel()


def _ignore_ctrl_c() -> None:
    """Workers leave Ctrl-C to the parent, which cancels between chunks: a worker stopped
    mid-chunk would have written files nobody reports."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _outcome(chunk: Sequence[Job], future: Future[list[FileResult]]) -> list[FileResult]:
    """A worker that died (killed, out of memory) fails its files, not the batch."""
    try:
        return future.result()
    except Exception as exc:  # BrokenProcessPool and friends
        reason = f"internal error: {type(exc).__name__}"
        return [FileResult(job.display, StripStatus.FAILED, reason=reason) for job in chunk]
