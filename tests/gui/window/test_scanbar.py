"""The scan bar's time left follows the photos finished lately, under a fake clock.

Seen under Xvfb under load: "about 3 min left" for minutes on end. The estimate took the
rate since the phase began and was only redrawn when a photo finished."""

from __future__ import annotations

import time

import pytest

from photoscan.gui.window.eta import TimeLeft
from photoscan.gui.window.scanbar import ScanBar


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(time, "monotonic", fake)
    return fake


@pytest.fixture
def bar(qtbot, clock: Clock) -> ScanBar:  # type: ignore[no-untyped-def]
    widget = ScanBar()
    qtbot.addWidget(widget)
    widget.begin()
    return widget


def _run(bar: ScanBar, clock: Clock, done: int, per_second: float, seconds: int) -> int:
    """``per_second`` photos finish each second for ``seconds`` seconds."""
    for _ in range(seconds):
        clock.now += 1
        done += round(per_second)
        bar.update_progress("faces", done, 1000)
    return done


def test_a_slow_down_under_load_shows_within_half_a_minute(bar: ScanBar, clock: Clock) -> None:
    bar.update_progress("faces", 0, 1000)
    done = _run(bar, clock, 0, 10, 60)  # 600 photos in the first minute
    assert bar.label.text() == "Looking for faces: 600 of 1,000 · less than a minute left"
    done = _run(bar, clock, done, 1, 40)  # then the machine gets busy: 1 a second
    # 360 left at 1 a second; the rate since the start (6.4 a second) said "under a minute"
    assert bar.label.text() == "Looking for faces: 640 of 1,000 · about 6 min left"


def test_the_time_left_grows_while_no_photo_finishes(bar: ScanBar, clock: Clock) -> None:
    bar.update_progress("faces", 0, 1000)
    _run(bar, clock, 0, 2, 60)  # 120 done at 2 a second: about 7 min left
    said = [bar.label.text()]
    for _ in range(3):  # a stall: no photo finishes, the bar's ticker says it again
        clock.now += 60
        bar.ticker.timeout.emit()
        said.append(bar.label.text())
    minutes = [int(text.split("about ")[1].split(" min")[0]) for text in said]
    assert minutes == sorted(minutes) and len(set(minutes)) == 4, said


def test_the_last_photos_say_finishing(bar: ScanBar, clock: Clock) -> None:
    bar.update_progress("faces", 0, 1000)
    done = _run(bar, clock, 0, 10, 80)  # 10 a second
    assert bar.label.text() == "Looking for faces: 800 of 1,000 · less than a minute left"
    done = _run(bar, clock, done, 10, 9)  # 110 left: 11 s
    assert bar.label.text() == "Looking for faces: 890 of 1,000 · finishing…"
    clock.now += 120  # the last, slowest photos: still "finishing…", not a count-down
    bar.update_progress("faces", 999, 1000)
    assert bar.label.text() == "Looking for faces: 999 of 1,000 · finishing…"


def test_a_new_phase_starts_its_own_estimate() -> None:
    left = TimeLeft()
    left.restart(0.0, 0)
    for second in range(1, 31):
        left.observe(float(second), second * 100)  # the metadata pass: 100 a second
    assert left.text(30.0, 6000) == "less than a minute left"
    left.restart(31.0, 0)  # faces: slower
    assert left.text(32.0, 6060) is None  # nothing to go on yet
    left.observe(34.0, 6)
    assert left.text(34.0, 6060) == "about 50 min left"  # 2 a second, not 100
    for second in range(35, 62):
        left.observe(float(second), (second - 31) * 2)
    assert left.text(61.0, 6060) == "about 50 min left"
    assert left.text(61.0, 60) is None  # all done: no estimate
