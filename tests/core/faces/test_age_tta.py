"""The YuNet path's four-chip age estimate (``age._Padded``) with fake parts: which faces get
the extra chips, and how their estimates are combined."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from photoscan.faces.age import SeenChips, _Padded
from photoscan.faces.settings import FaceSettings, Rect

WEIGHTS = np.arange(81, dtype=np.float32)  # class k is age k


def _chip(pixels: NDArray[np.uint8], shape: Any, padding: float) -> NDArray[np.uint8]:
    """A 2x2 'chip' whose left column holds the face's age and right column the padding's
    offset, so the fake model can read what it was given (mirroring swaps the columns)."""
    age, offset = int(pixels[0, 0, 0]), round((padding - 0.2) * 100)
    chip = np.zeros((2, 2, 3), dtype=np.uint8)
    chip[:, 0], chip[:, 1] = age, 100 + offset
    return chip


def _probabilities(chips: list[NDArray[np.uint8]]) -> NDArray[np.float32]:
    """One-hot at the age, moved by the padding's offset, +1 year when mirrored."""
    out = np.zeros((len(chips), 81), dtype=np.float32)
    for row, chip in enumerate(chips):
        left, right = int(chip[0, 0, 0]), int(chip[0, 1, 0])
        age, offset, mirrored = (right, left - 100, 1) if left >= 90 else (left, right - 100, 0)
        out[row, age + offset + mirrored] = 1.0
    return out


def _face(age: int) -> tuple[NDArray[np.uint8], Rect]:
    return np.full((4, 4, 3), age, dtype=np.uint8), (0, 0, 3, 3)


def test_faces_near_the_lines_get_four_chips_and_far_ones_one() -> None:
    padded = _Padded(lambda pixels, box: None, _chip, _probabilities, WEIGHTS, 0.2)
    settings = FaceSettings(tta_band=5.0)  # lines at 22 and 25.5: aged again from 17 to 30.5
    near, far_old, far_young = padded([_face(30), _face(60), _face(10)], settings)
    # plain, padding 0.1 (mean 25: near the lines), then the plain chip's mirror, padding 0.3
    assert near[0] == (30.0, 20.0, 31.0, 40.0)
    assert far_old[0] == (60.0,) and far_young[0] == (10.0,)
    assert far_young[1] == 1.0 and far_old[1] == 0.0
    assert near[1] == 0.0


def test_without_the_mirror_no_face_gets_extra_chips() -> None:
    padded = _Padded(lambda pixels, box: None, _chip, _probabilities, WEIGHTS, 0.2)
    settings = FaceSettings(tta_mirror=False)
    ((ages, _p),) = padded([_face(24)], settings)
    assert ages == (24.0,)


def test_a_face_whose_two_chips_land_far_from_the_lines_stops_at_two() -> None:
    padded = _Padded(lambda pixels, box: None, _chip, _probabilities, WEIGHTS, 0.2)
    settings = FaceSettings()  # aged again from 6 to 41.5; four chips when the two are near
    far, young, near = padded([_face(40), _face(16), _face(33)], settings)
    assert far[0] == (40.0, 30.0)  # mean 35: more than 4 years above the possible line
    # mean 11, far below the child line, but P(age < 18) is 1: the other two chips too
    assert young[0] == (16.0, 6.0, 17.0, 26.0)
    assert near[0] == (33.0, 23.0, 34.0, 43.0)  # mean 28: within 4 years


def test_a_face_seen_in_an_earlier_frame_is_not_aged_again() -> None:
    """A video's face recurs from frame to frame (``SeenChips``): when its plain chip is
    nearly one aged before, it takes that chip's rows and the model ages nothing."""
    given: list[int] = []

    def counting(chips: list[NDArray[np.uint8]]) -> NDArray[np.float32]:
        given.append(len(chips))
        return _probabilities(chips)

    padded = _Padded(lambda pixels, box: None, _chip, counting, WEIGHTS, 0.2)
    settings = FaceSettings(tta_band=5.0)
    seen = SeenChips()
    ((first, _),) = padded([_face(30)], settings, seen)
    assert first == (30.0, 20.0, 31.0, 40.0) and given == [1, 1, 2]
    given.clear()
    ((again, _), (new, _)) = padded([_face(29), _face(60)], settings, seen)
    assert again == first and given == [1]  # half the chip one level off: the same face
    assert new == (60.0,)  # another face, far from the lines: its plain chip only
    given.clear()
    ((other, _),) = padded([_face(29)], settings)  # without it: every chip aged
    assert other == (29.0, 19.0, 30.0, 39.0) and given == [1, 1, 2]


def test_seen_chips_match_within_the_threshold_only() -> None:
    seen = SeenChips()
    chip = np.full((64, 64, 3), 100, dtype=np.uint8)
    rows = [np.ones(81, dtype=np.float32)]
    assert seen.rows(chip) is None
    seen.add(chip, rows)
    assert seen.rows(chip) is rows
    near = chip + np.uint8(SeenChips.SAME_CHIP)
    assert seen.rows(near) is rows
    assert seen.rows(near + np.uint8(1)) is None  # another face
    assert seen.rows(np.full((32, 32, 3), 100, dtype=np.uint8)) is None
    for value in range(SeenChips.MAX_CHIPS):
        seen.add(np.full((64, 64, 3), 200, dtype=np.uint8) - np.uint8(value % 50), rows)
    assert seen.rows(chip) is None  # the oldest are forgotten
