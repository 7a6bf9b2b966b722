"""A cancel token shared by the CLI (Ctrl-C), the GUI (Cancel button) and worker pools.

Long operations check ``is_cancelled`` between files; a cancelled scan stops within a second
and reports what it finished.
"""

from __future__ import annotations

import threading


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
