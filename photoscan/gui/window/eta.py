"""How long a scan phase has left, from the photos finished lately, not since the start.

The bar said "about 3 min left" for minutes on end under load: it took the rate since the
phase began and only redrew when a photo finished. Here the rate is the photos finished over
the last ``WINDOW`` seconds, measured up to *now*, so a slow-down raises the estimate within
that window and a stall (no photo finished for a while) makes it grow instead of freezing;
the window's caller asks again every second. Near the end it says "finishing…" rather than a
count-down that the last, slowest photos would make a lie of.

Pure Python with an injected clock: tests drive it with a fake one.
"""

from __future__ import annotations

from collections import deque

WINDOW = 30.0  # seconds of finished photos the rate is taken over
SETTLE = 2.0  # no estimate in a phase's first seconds: the pool is still starting
FINISHING_SECONDS = 15.0  # less than this left, or …
FINISHING_PHOTOS = 2  # … this few photos left: "finishing…"


def eta_text(seconds: float) -> str:
    if seconds < FINISHING_SECONDS:
        return "finishing…"
    if seconds < 60:
        return "less than a minute left"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} min left"
    return f"about {minutes // 60} h {minutes % 60:02d} min left"


class TimeLeft:
    """Feed it ``observe(now, done)`` as photos finish; ``text(now, total)`` says what is left."""

    def __init__(self) -> None:
        self._samples: deque[tuple[float, int]] = deque()
        self._start: tuple[float, int] = (0.0, 0)

    def restart(self, now: float, done: int) -> None:
        """A new phase: what came before says nothing about its pace."""
        self._start = (now, done)
        self._samples.clear()
        self._samples.append(self._start)

    def observe(self, now: float, done: int) -> None:
        if not self._samples or done != self._samples[-1][1]:
            self._samples.append((now, done))
        # keep one sample at or before the window's start: the rate's anchor
        while len(self._samples) > 1 and self._samples[1][0] <= now - WINDOW:
            self._samples.popleft()

    def seconds_left(self, now: float, total: int) -> float | None:
        """Seconds to go at the recent rate; None while there is nothing to go on."""
        if not self._samples:
            return None
        done = self._samples[-1][1]
        start_time, start_done = self._start
        if now - start_time < SETTLE or done <= start_done:
            return None
        anchor_time, anchor_done = self._samples[0]
        if now - WINDOW < anchor_time or done == anchor_done:
            # too young for a window, or nothing finished in it: the phase's own average,
            # which a stall still lowers as the clock runs on
            anchor_time, anchor_done = start_time, start_done
        rate = (done - anchor_done) / max(now - anchor_time, 1e-9)
        return max(total - done, 0) / rate

    def text(self, now: float, total: int) -> str | None:
        """ "about 4 min left", "finishing…", or None (no estimate yet, or all done)."""
        done = self._samples[-1][1] if self._samples else 0
        if done >= total:
            return None
        if total - done <= FINISHING_PHOTOS and done > self._start[1]:
            return "finishing…"
        seconds = self.seconds_left(now, total)
        return None if seconds is None else eta_text(seconds)
