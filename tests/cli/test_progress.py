"""The terminal progress bar: count, ETA, throttling, silence when not a terminal."""

from __future__ import annotations

import io

from photoscan.cli.progress import ProgressBar, format_duration, render


def test_render_shows_count_percentage_and_eta() -> None:
    assert render("metadata", 250, 1000, 10.0) == (
        "metadata [######..................]  250/1000  25%  ETA 0:30"
    )
    assert render("faces", 10, 10, 75.0).endswith("took 1:15")
    assert "ETA --:--" in render("faces", 0, 10, 0.0)
    assert format_duration(3725) == "1:02:05"


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_bar_redraws_at_most_ten_times_a_second_and_clears() -> None:
    out, clock = io.StringIO(), FakeClock()
    bar = ProgressBar(out, enabled=True, clock=clock)
    for done in range(1, 101):
        clock.now = done * 0.001  # 100 updates within 0.1 s
        bar.update("metadata", done, 100)
    frames = out.getvalue().split("\r")[1:]
    assert len(frames) == 2  # the first update and the final one
    assert "100/100" in frames[-1]
    bar.close()
    assert out.getvalue().endswith("\r")


def test_bar_is_silent_when_not_a_terminal() -> None:
    out = io.StringIO()  # isatty() is False
    bar = ProgressBar(out)
    bar.message("looking for photos…")
    bar.update("metadata", 1, 2)
    bar.close()
    assert out.getvalue() == ""
