"""Runs the core's scan in a child process, so the GUI process keeps its interpreter lock.

A scan is mostly Python: walking folders, reading results back from the worker pool,
assessing risk, writing the cache. Run in a thread of the GUI process, that work competes
with the GUI thread for the interpreter lock, and the event loop stalled for 100-700 ms at a
time on a busy 2-core machine (measured with a 10 ms heartbeat). In a child process the same
scan left the heartbeat within 20 ms. The child also runs at a background priority, and the
worker processes it starts inherit that.

No Qt here: the child imports only the core. Events cross the process boundary as the core's
own frozen dataclasses (pickled by ``multiprocessing``); the child is *spawned*, never forked,
because forking a process that runs Qt is unsafe.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import queue
import threading
from dataclasses import dataclass
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from photoscan.scan import ScanOptions

log = logging.getLogger(__name__)

BACKGROUND_NICE = 10
_END = "end"


@dataclass(frozen=True, slots=True)
class ScanFailed:
    """The root cannot be scanned (a ``PhotoscanError``), in plain words."""

    message: str


@dataclass(frozen=True, slots=True)
class ScanCrashed:
    """A bug: an unexpected exception in the scan (its type only; details in the log)."""

    name: str


def _child_main(root: Path, options: ScanOptions, events: Any, cancel: Event) -> None:
    with contextlib.suppress(OSError, AttributeError):  # not everywhere: then same priority
        os.nice(BACKGROUND_NICE)
    from photoscan.cancel import CancelToken
    from photoscan.errors import PhotoscanError
    from photoscan.scan import scan

    token = CancelToken()
    threading.Thread(
        target=lambda: (cancel.wait(), token.cancel()), name="cancel-bridge", daemon=True
    ).start()
    try:
        for event in scan(root, options, token):
            events.put(event)
    except PhotoscanError as exc:
        events.put(ScanFailed(str(exc)))
    except Exception as exc:
        logging.getLogger(__name__).exception("scan failed unexpectedly")
        events.put(ScanCrashed(type(exc).__name__))
    finally:
        events.put(_END)
        _end_leftover_children()


def _end_leftover_children() -> None:
    """Stop worker processes the scan left behind (a pool abandoned on cancel).

    A ``multiprocessing`` child joins its own children *before* the interpreter's exit
    hooks that would shut such a pool down, so one idle leftover worker kept the scan
    process, and the app or test run waiting on it, alive for ever.
    """
    for child in multiprocessing.active_children():
        child.terminate()
    for child in multiprocessing.active_children():
        child.join(2)
        if child.is_alive():
            child.kill()


class ScanProcess:
    """One scan in a spawned child process; read its events with ``next_event()``."""

    def __init__(self, root: Path, options: ScanOptions) -> None:
        context = multiprocessing.get_context("spawn")
        self._events: Any = context.Queue()
        self._cancel = context.Event()
        self._process = context.Process(
            target=_child_main,
            args=(root, options, self._events, self._cancel),
            name="photoscan-scan",
        )
        self._ended = False

    def start(self) -> None:
        self._process.start()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def ended(self) -> bool:
        return self._ended

    def next_event(self, timeout: float) -> object | None:
        """The next event, or None when none came within ``timeout`` seconds or the scan
        has ended (then ``ended`` is true; a child that died says so with ``ScanCrashed``)."""
        if self._ended:
            return None
        try:
            item = self._events.get(timeout=timeout)
        except queue.Empty:
            if self._process.is_alive():
                return None
            self._ended = True
            return ScanCrashed(f"scan process exited with code {self._process.exitcode}")
        if isinstance(item, str) and item == _END:
            self._ended = True
            self._process.join(5)
            return None
        return item

    def stop(self, timeout: float = 5.0) -> None:
        """Cancel, wait a little, then terminate (the window is closing)."""
        self.cancel()
        self._process.join(timeout)
        if self._process.is_alive():
            log.warning("scan process did not stop in time; terminating it")
            self._process.terminate()
            self._process.join(2)
