"""Passes, turns and merging on synthetic detections; where a turned box lands; age-chip crops."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from PIL import Image

from photoscan.faces import chips, passes
from photoscan.faces.passes import Box, Found
from photoscan.faces.settings import ChipSettings, Pass
from photoscan.images.fullres import FullRes


@pytest.mark.parametrize("quarter", [0, 1, 2, 3])
def test_a_box_turned_and_unturned_is_the_same_box(quarter: int) -> None:
    width, height = 40, 30
    image = np.zeros((height, width), np.uint8)
    image[5:12, 20:33] = 1  # x 20..33, y 5..12
    turned = np.rot90(image, quarter)
    ys, xs = np.nonzero(turned)
    found = (float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1))
    assert passes.unturn_box(found, quarter, width, height) == (20.0, 5.0, 33.0, 12.0)
    back = chips.turn_box((20.0, 5.0, 33.0, 12.0), quarter, width, height)
    assert back == found


@dataclass(frozen=True)
class _Raw:
    box: tuple[float, float, float, float]
    landmarks: tuple[tuple[float, float], ...]
    score: float


class _Detector:
    """Finds a bright block wherever it is upright in the image it is given: a wide block
    (a face the right way up) only when the block is wider than tall."""

    def __init__(self) -> None:
        self.calls: list[tuple[tuple[int, ...], float]] = []

    def detect(self, rgb: np.ndarray, score: float, nms: float = 0.3) -> list[_Raw]:
        self.calls.append((rgb.shape, score))
        ys, xs = np.nonzero(rgb[:, :, 0] > 128)
        if xs.size == 0 or (xs.max() - xs.min()) < (ys.max() - ys.min()):
            return []
        box = (float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1))
        return [_Raw(box, ((box[0], box[1]),), 0.95)]


def test_a_sideways_face_is_found_on_a_turned_pass_and_mapped_back() -> None:
    pixels = np.zeros((200, 400, 3), np.uint8)
    pixels[40:120, 300:340] = 255  # taller than wide: "lying sideways" for this detector
    detector = _Detector()
    steps = (Pass(400, 0.7), Pass(200, 0.7), Pass(200, 0.8, 1), Pass(200, 0.8, 3))
    found = passes.find(pixels, steps, detector, 0.3, 0.3, 0.6)
    assert [c[0] for c in detector.calls] == [
        (200, 400, 3),
        (100, 200, 3),
        (200, 100, 3),
        (200, 100, 3),
    ]
    assert [c[1] for c in detector.calls] == [0.7, 0.7, 0.8, 0.8]
    assert len(found) == 1  # found by both turns, kept once
    assert found[0].box == pytest.approx((300, 40, 340, 120))
    assert found[0].quarter in (1, 3)
    assert found[0].landmarks[0][0] in (300.0, 340.0)


def test_merge_keeps_one_box_per_face() -> None:
    big = Found((100, 100, 300, 340), (), 0.8)
    half = Found((110, 100, 290, 220), (), 0.9)  # a part of the same face, found at 2048 px
    other = Found((400, 100, 440, 150), (), 0.75)
    twin = Found((402, 101, 441, 151), (), 0.72)
    kept = passes.merge([big, half, other, twin], merge_iou=0.3, merge_inside=0.6)
    assert kept == [half, other]


def _same_pairwise(a: Box, b: Box, merge_iou: float, merge_inside: float) -> bool:
    """The merge rule written out for one pair, as the docstring of ``passes`` states it."""
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = iw * ih
    area_a = max(0.0, a[2] - a[0]) * max(0.0, a[3] - a[1])
    area_b = max(0.0, b[2] - b[0]) * max(0.0, b[3] - b[1])
    union = area_a + area_b - inter
    if union <= 0:
        return False
    smaller = min(area_a, area_b)
    return inter / union > merge_iou or (smaller > 0 and inter / smaller > merge_inside)


@pytest.mark.parametrize("seed", range(5))
def test_merge_matches_the_pairwise_rule_on_crowded_boxes(seed: int) -> None:
    rng = np.random.default_rng(seed)
    found = []
    for _ in range(150):
        x, y, w = rng.uniform(0, 400), rng.uniform(0, 300), rng.uniform(0, 60)
        score = float(rng.choice([0.7, 0.8, 0.9, rng.uniform(0.7, 1.0)]))  # ties included
        found.append(Found((x, y, x + w, y + w * rng.uniform(0.5, 1.5)), (), score))
    expected: list[Found] = []
    for face in sorted(found, key=lambda f: -f.score):
        if not any(_same_pairwise(face.box, k.box, 0.3, 0.6) for k in expected):
            expected.append(face)
    assert passes.merge(found, 0.3, 0.6) == expected
    assert passes.merge([], 0.3, 0.6) == []


def test_chips_come_from_the_full_photo_for_small_faces() -> None:
    working = np.zeros((100, 200, 3), np.uint8)
    full_image = Image.new("RGB", (800, 400), (7, 7, 7))
    loads: list[int] = []

    def load() -> Image.Image:
        loads.append(1)
        return full_image

    settings = ChipSettings(full_below=50, margin=0.5)
    large = Found((10.0, 10.0, 90.0, 90.0), (), 0.9)
    small = Found((100.0, 20.0, 120.0, 44.0), (), 0.9)
    full = FullRes((800, 400), load=load)
    piece, _box = chips.crop(large, working, full, settings)
    assert loads == [] and piece.max() == 0  # from the working copy: no second decode
    piece, box = chips.crop(small, working, full, settings)
    assert loads == [1] and piece.min() == 7  # the small face: from the full photo, x4
    assert box[2] - box[0] == pytest.approx(4 * 20 * 1.02, abs=1)  # dlib's square box
    assert piece.shape[1] == pytest.approx(4 * 20 * 2, abs=2)
    full.release()
    with pytest.raises(ValueError):
        full.region((0, 0, 1, 1))


def test_a_turned_face_is_cut_upright() -> None:
    working = np.zeros((100, 200, 3), np.uint8)
    working[20:80, 100:140, 0] = 255  # the face's box, 40 wide and 60 tall, lying down
    face = Found((100.0, 20.0, 140.0, 80.0), (), 0.9, quarter=1)
    piece, (left, top, right, bottom) = chips.crop(
        face, working, None, ChipSettings(margin=0.25, dlib_box=False)
    )
    assert piece.shape[1] > piece.shape[0]  # turned: now wider than tall
    assert (right - left, bottom - top) == (60, 40)
    assert piece[top:bottom, left:right, 0].min() == 255
