"""A cancel token shared by the CLI (Ctrl-C), the GUI (Cancel button) and worker pools.

Long operations check ``is_cancelled`` between files; a cancelled scan stops within a second
and reports what it finished.

Start-up: a command line strip makes a token and installs the Ctrl-C handler before its
first file, so neither imports ``threading`` (~4M instructions) nor ``signal`` (~3M: it
builds an ``IntEnum`` of every signal). The token is a flag; the ``threading.Event`` that
``wait`` sleeps on is made by the first ``wait``. ``ctrl_c_cancels`` calls ``_signal``, the
built-in module whose functions ``signal`` wraps (``signal.signal`` converts the handler
it returns to an enum, nothing else).
"""

from __future__ import annotations

import _signal
import _thread

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from threading import Event
    from types import FrameType, TracebackType

_MAKING_EVENT = _thread.allocate_lock()  # what threading.Lock() makes


class CancelToken:
    __slots__ = ("_cancelled", "_event")

    def __init__(self) -> None:
        self._cancelled = False
        self._event: Event | None = None

    def cancel(self) -> None:
        self._cancelled = True  # before the event is looked at: see ``wait``
        event = self._event
        if event is not None:
            event.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancelled

    def wait(self, timeout: float) -> bool:
        """Sleep up to ``timeout`` seconds, waking at once on cancel; returns is_cancelled."""
        event = self._event
        if event is None:
            with _MAKING_EVENT:
                if self._event is None:
                    import threading  # late: only a token that is waited on needs it

                    self._event = threading.Event()
                event = self._event
        # The event is in place before the flag is read, and ``cancel`` sets the flag
        # before it reads the event: a cancel racing this call sets the event either way.
        if self._cancelled:
            event.set()
        return event.wait(timeout)


class ctrl_c_cancels:  # a lower-case name: used as a function, ``with ctrl_c_cancels(token):``
    """The first Ctrl-C cancels (what is finished is kept and reported); a second one aborts.
    A class rather than ``contextlib.contextmanager`` (not imported at a strip's start-up)."""

    __slots__ = ("_cancel", "_installed", "_previous")

    def __init__(self, cancel: CancelToken) -> None:
        self._cancel = cancel
        self._installed = False
        self._previous: object = None

    def __enter__(self) -> None:
        try:
            self._previous = _signal.signal(_signal.SIGINT, self._handler)
        except ValueError:  # not the main thread: leave signals alone
            return
        self._installed = True

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._installed:
            self._installed = False
            _signal.signal(_signal.SIGINT, self._previous)

    def _handler(self, signum: int, frame: FrameType | None) -> None:
        self._cancel.cancel()
        _signal.signal(_signal.SIGINT, _signal.default_int_handler)
