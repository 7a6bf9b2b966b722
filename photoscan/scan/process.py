"""Runs the core's scan in a child process, so the GUI process keeps its interpreter lock.

A scan is mostly Python: walking folders, reading results back from the worker pool,
assessing risk, writing the cache. Run in a thread of the GUI process, that work competes
with the GUI thread for the interpreter lock, and the event loop stalled for 100-700 ms at a
time on a busy 2-core machine (measured with a 10 ms heartbeat). In a child process the same
scan left the heartbeat within ~20-60 ms. The child runs at a background priority, and the
worker processes it starts inherit that.

The child is a fresh interpreter (``python -m photoscan.scan.process``), never a fork of
the GUI process (forking a process that runs Qt is unsafe) and never a ``multiprocessing``
spawn (which re-imports the parent's ``__main__``, i.e. the whole GUI). No Qt here: the child
imports only the core. The protocol is pickles over pipes between this program and itself:
stdin carries ``(root, options)`` and then one byte meaning "cancel" (EOF means it too);
stdout carries lists of the core's events (frozen dataclasses), at most every
``BATCH_SECONDS`` so that thousands of fast events cost the GUI a few wake-ups, and a final end
marker.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from photoscan.scan.jobs import ScanOptions

log = logging.getLogger(__name__)

BACKGROUND_NICE = 10
BATCH_SECONDS = 0.05
_END = "end"


@dataclass(frozen=True, slots=True)
class ScanFailed:
    """The root cannot be scanned (a ``PhotoscanError``), in plain words."""

    message: str


@dataclass(frozen=True, slots=True)
class ScanCrashed:
    """A bug or a dead child: the scan stopped unexpectedly (details in the log)."""

    name: str


class ScanProcess:
    """One scan in a child process; ``next_event()`` blocks until the next event."""

    def __init__(self, root: Path, options: ScanOptions) -> None:
        self._root, self._options = root, options
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._cancelled = False
        self._ended = False

    def start(self) -> None:
        with self._lock:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "photoscan.scan.process"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
            assert self._process.stdin is not None
            pickle.dump((self._root, self._options), self._process.stdin)
            self._process.stdin.flush()
            if self._cancelled:
                self._send_cancel()

    def cancel(self) -> None:
        """Ask the scan to stop (it finishes the file at hand); safe from any thread."""
        with self._lock:
            if not self._cancelled:
                self._cancelled = True
                self._send_cancel()

    def _send_cancel(self) -> None:
        if self._process is not None and self._process.stdin is not None:
            with contextlib.suppress(OSError):  # the child has already gone
                self._process.stdin.write(b"c")
                self._process.stdin.close()

    @property
    def ended(self) -> bool:
        return self._ended

    def next_events(self) -> list[object]:
        """The next batch of events (blocks); [] once the scan has ended. A child that died
        unexpectedly reports it first, as ``ScanCrashed``."""
        process = self._process
        if self._ended or process is None or process.stdout is None:
            return []
        try:
            item = pickle.load(process.stdout)
        except (EOFError, pickle.UnpicklingError, OSError):
            self._ended = True
            code = process.wait()
            return [ScanCrashed(f"scan process exited with code {code}")]
        if isinstance(item, str) and item == _END:
            self._ended = True
            process.wait()
            return []
        return list(item)

    def stop(self, timeout: float = 5.0) -> None:
        """Cancel, wait a little, then kill (the window is closing)."""
        self.cancel()
        if self._process is None:
            return
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            log.warning("scan process did not stop in time; killing it")
            self._process.kill()
            self._process.wait()


def _child_main() -> int:
    """The child: read the job, run the scan, write every event, then the end marker."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints from libraries must not corrupt the event stream
    with contextlib.suppress(OSError, AttributeError):  # not everywhere: same priority then
        os.nice(BACKGROUND_NICE)
    # Unbuffered: no read-ahead can swallow the cancel byte, and no buffer lock for the
    # watcher thread to hold when the interpreter shuts down.
    stdin = open(0, "rb", buffering=0, closefd=False)  # noqa: SIM115 - lives as long as we do
    root, options = pickle.load(stdin)

    from photoscan.cancel import CancelToken
    from photoscan.errors import PhotoscanError
    from photoscan.scan.run import scan

    token = CancelToken()
    threading.Thread(target=_watch_cancel, args=(stdin, token), daemon=True).start()
    batcher = _Batcher(out)
    try:
        for event in scan(root, options, token):
            batcher.add(event)
    except PhotoscanError as exc:
        batcher.add(ScanFailed(str(exc)))
    except Exception as exc:
        logging.getLogger(__name__).exception("scan failed unexpectedly")
        batcher.add(ScanCrashed(type(exc).__name__))
    batcher.close()
    pickle.dump(_END, out)
    out.flush()
    _end_leftover_children()
    return 0


def _end_leftover_children() -> None:
    """Stop worker processes a cancelled scan may have left idle, so this process exits at
    once instead of waiting on them at interpreter shutdown."""
    import multiprocessing

    for child in multiprocessing.active_children():
        child.terminate()
    for child in multiprocessing.active_children():
        child.join(2)


class _Batcher:
    """Writes events in batches, at most every ``BATCH_SECONDS``, from its own thread: a
    batch never waits for the next event (the face pass can be seconds between events)."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self._pending: list[object] = []
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def add(self, event: object) -> None:
        with self._lock:
            self._pending.append(event)

    def _write(self) -> None:
        with self._lock:
            batch, self._pending = self._pending, []
        if batch:
            pickle.dump(batch, self._out)
            self._out.flush()

    def _run(self) -> None:
        while not self._done.wait(BATCH_SECONDS):
            self._write()

    def close(self) -> None:
        self._done.set()
        self._thread.join()
        self._write()


def _watch_cancel(stdin: IO[bytes], token: object) -> None:
    stdin.read(1)  # a byte, or EOF when the GUI went away: either way, stop
    token.cancel()  # type: ignore[attr-defined]


if __name__ == "__main__":
    # Run the importable module's copy, so what it pickles is named
    # photoscan.scan.process.ScanFailed, not __main__.ScanFailed.
    from photoscan.scan.process import _child_main as main

    sys.exit(main())
