"""A one-line terminal progress bar with a count and an ETA, for the CLI.

Drawn on stderr only when it is a terminal (a pipe or a log file gets nothing), redrawn at
most ten times a second so a fully cached scan of thousands of files does not spend its time
printing. The ETA is the rate so far in the current phase applied to what is left.
"""

from __future__ import annotations

import time

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TextIO

BAR_WIDTH = 24
MIN_REDRAW_SECONDS = 0.1


def format_duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def render(phase: str, done: int, total: int, elapsed: float) -> str:
    """The bar's text, e.g. ``metadata [#######.........]  412/3000  13%  ETA 0:07``."""
    fraction = done / total if total else 1.0
    filled = int(BAR_WIDTH * fraction)
    bar = "#" * filled + "." * (BAR_WIDTH - filled)
    eta = "ETA --:--"
    if 0 < done < total and elapsed > 0:
        eta = f"ETA {format_duration(elapsed / done * (total - done))}"
    elif done >= total:
        eta = f"took {format_duration(elapsed)}"
    width = len(str(total))
    return f"{phase:<8} [{bar}] {done:>{width}}/{total} {fraction:4.0%}  {eta}"


class ProgressBar:
    """Feed it ``update(phase, done, total)``; call ``close()`` before printing anything else."""

    def __init__(
        self,
        stream: TextIO,
        enabled: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream
        self._enabled = stream.isatty() if enabled is None else enabled
        self._clock = clock
        self._phase = ""
        self._phase_start = 0.0
        self._last_draw = float("-inf")
        self._width = 0

    @property
    def enabled(self) -> bool:
        return self._enabled

    def update(self, phase: str, done: int, total: int) -> None:
        if not self._enabled:
            return
        now = self._clock()
        if phase != self._phase:
            self._phase, self._phase_start = phase, now
            self._last_draw = float("-inf")
        if done < total and now - self._last_draw < MIN_REDRAW_SECONDS:
            return
        self._last_draw = now
        self._draw(render(phase, done, total, now - self._phase_start))

    def message(self, text: str) -> None:
        """Show a status line in place of the bar (e.g. while the walk runs)."""
        if self._enabled:
            self._draw(text)

    def _draw(self, text: str) -> None:
        pad = " " * max(0, self._width - len(text))
        self._stream.write("\r" + text + pad)
        self._stream.flush()
        self._width = len(text)

    def close(self) -> None:
        if self._enabled and self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._width = 0
