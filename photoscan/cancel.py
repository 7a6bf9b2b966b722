"""A cancel token shared by the CLI (Ctrl-C), the GUI (Cancel button) and worker pools.

Long operations check ``is_cancelled`` between files; a cancelled scan stops within a second
and reports what it finished.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class CancelToken:
    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def is_cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout: float) -> bool:
        """Sleep up to ``timeout`` seconds, waking at once on cancel; returns is_cancelled."""
        return self._event.wait(timeout)


@contextmanager
def ctrl_c_cancels(cancel: CancelToken) -> Iterator[None]:
    """The first Ctrl-C cancels (what is finished is kept and reported); a second one aborts."""
    import signal  # not at the top: its enums cost milliseconds a cached rescan never needs

    def handler(signum: int, frame: FrameType | None) -> None:
        cancel.cancel()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
