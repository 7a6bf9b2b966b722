"""Where the faces are: YuNet passes at several sizes and turns, merged into one list.

Why several passes (measured, docs/benchmarks.md "Faces and children"):

- YuNet is trained on faces of roughly 10-300 px. One pass over the 2048 px working copy finds
  the ~20 px faces of a crowd photo, but misses a face that fills a selfie (> ~300 px there);
  a second pass over a 640 px copy finds those, for ~10% of the first pass's cost.
- A baby lying down, a child asleep on a shoulder: a face turned a quarter is not found by
  an upright detector. Passes over the small copy turned ±90° find them. They run with a
  stricter score: a turned photo shows the detector shapes it never sees upright, and
  face-free photos must stay face-free (c_noface).

Boxes come back in working-copy pixels (upright, EXIF orientation applied) with the quarter
turn that makes each face upright, so the age chip can be cut the right way up. A face found
by more than one pass is kept once (the highest score): two boxes are the same face when their
IoU exceeds ``merge_iou`` or one lies mostly inside the other (``merge_inside``), which is how
a large face's half found at 2048 px meets its whole found at 640 px.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from photoscan.faces.settings import Pass

Box = tuple[float, float, float, float]
Point = tuple[float, float]


class Detector(Protocol):
    def detect(self, rgb: NDArray[np.uint8], score: float, nms: float = 0.3) -> Sequence[_Raw]: ...


class _Raw(Protocol):
    @property
    def box(self) -> Box: ...
    @property
    def landmarks(self) -> tuple[Point, ...]: ...
    @property
    def score(self) -> float: ...


@dataclass(frozen=True, slots=True)
class Found:
    """A face in working-copy pixels. ``quarter``: counter-clockwise quarter turns of the
    photo that show this face upright (0 for an upright face)."""

    box: Box
    landmarks: tuple[Point, ...]
    score: float
    quarter: int = 0


def unturn_box(box: Box, quarter: int, width: int, height: int) -> Box:
    """A box found in ``np.rot90(image, quarter)`` in ``image``'s pixels (width x height)."""
    size = _turned_size(width, height, quarter)
    corners = [_unturn(x, y, quarter, size) for x, y in ((box[0], box[1]), (box[2], box[3]))]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return (min(xs), min(ys), max(xs), max(ys))


def _turned_size(width: int, height: int, quarter: int) -> tuple[int, int]:
    return (height, width) if quarter % 2 else (width, height)


def _unturn(x: float, y: float, quarter: int, size: tuple[int, int]) -> Point:
    """(x, y) in the turned image of ``size`` -> the unturned image."""
    width, height = size
    for _ in range(quarter % 4):
        # np.rot90 once: turned[i, j] = image[j, w - 1 - i] with w the unturned width, i.e.
        # continuous turned (x', y') comes from unturned (w - y', x'); w = turned height.
        x, y = height - y, x
        width, height = height, width
    return x, y


def find(
    pixels: NDArray[np.uint8],
    passes: Sequence[Pass],
    detector: Detector,
    nms: float,
    merge_iou: float,
    merge_inside: float,
) -> list[Found]:
    """Every face the passes find in the upright working copy ``pixels``, merged."""
    height, width = pixels.shape[:2]
    found: list[Found] = []
    scaled: dict[int, NDArray[np.uint8]] = {}
    for step in passes:
        longest = max(width, height)
        # A copy up to 10% larger than the pass asks for is used as it is (no resize).
        side = (
            longest
            if step.long_side <= longest <= step.long_side * 1.1
            else min(step.long_side, longest)
        )
        image = scaled.get(side)
        if image is None:
            image = scaled[side] = _resized(pixels, side)
        factor_x, factor_y = width / image.shape[1], height / image.shape[0]
        # A view: the detector copies it into its float input anyway (a contiguous copy first
        # cost ~3 ms per turned pass).
        turned = np.rot90(image, step.quarter) if step.quarter else image
        small = _turned_size(image.shape[1], image.shape[0], step.quarter)
        for raw in detector.detect(turned, step.score, nms):
            box = unturn_box(raw.box, step.quarter, image.shape[1], image.shape[0])
            marks = [_unturn(x, y, step.quarter, small) for x, y in raw.landmarks]
            found.append(
                Found(
                    (box[0] * factor_x, box[1] * factor_y, box[2] * factor_x, box[3] * factor_y),
                    tuple((x * factor_x, y * factor_y) for x, y in marks),
                    raw.score,
                    step.quarter % 4,
                )
            )
    return merge(found, merge_iou, merge_inside)


def _resized(pixels: NDArray[np.uint8], side: int) -> NDArray[np.uint8]:
    """``pixels`` with a long side of ``side`` (BOX filter). An integer ``Image.reduce`` is 3x
    cheaper but lands up to 10% off the size; measured, that moved the merged boxes and the
    age of one child in b_group_photos (23.7 to 26+) and added a face-free photo with a face.
    Exactly half (a 1280 px video frame's 640 px passes) it lands on the size, each pixel
    within 1 of BOX's (~1 ms instead of ~3): benchmarks/eval_video_faces.py found the same
    faces in every clip and 3 more faces treated as children (docs/benchmarks.md)."""
    height, width = pixels.shape[:2]
    longest = max(width, height)
    if longest == side:
        return pixels
    if longest == 2 * side and width % 2 == 0 and height % 2 == 0:
        return np.asarray(Image.fromarray(pixels).reduce(2), dtype=np.uint8)
    factor = side / longest
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    image = Image.fromarray(pixels).resize(size, Image.Resampling.BOX)
    return np.asarray(image, dtype=np.uint8)


def merge(found: Sequence[Found], merge_iou: float, merge_inside: float) -> list[Found]:
    """Highest score first (ties in pass order); a face that duplicates one already kept is
    dropped. The pairwise test is one array operation (a crowd photo has hundreds of boxes:
    pair by pair in Python it cost ~10 ms per photo)."""
    if not found:
        return []
    order = np.argsort([-face.score for face in found], kind="stable")
    same = _same_matrix(
        np.array([face.box for face in found], dtype=np.float64), merge_iou, merge_inside
    )
    kept: list[int] = []
    for index in order:
        if not kept or not same[index, kept].any():
            kept.append(int(index))
    return [found[i] for i in kept]


def _same_matrix(
    boxes: NDArray[np.float64], merge_iou: float, merge_inside: float
) -> NDArray[np.bool_]:
    """``[i, j]``: boxes i and j are one face (IoU above ``merge_iou``, or their overlap
    covers more than ``merge_inside`` of the smaller one)."""
    left, top, right, bottom = (boxes[:, k] for k in range(4))
    iw = np.maximum(0.0, np.minimum(right[:, None], right) - np.maximum(left[:, None], left))
    ih = np.maximum(0.0, np.minimum(bottom[:, None], bottom) - np.maximum(top[:, None], top))
    inter = iw * ih
    area = np.maximum(0.0, right - left) * np.maximum(0.0, bottom - top)
    union = area[:, None] + area - inter
    smaller = np.minimum(area[:, None], area)
    with np.errstate(divide="ignore", invalid="ignore"):
        by_iou = np.where(union > 0, inter / union, 0.0) > merge_iou
        by_inside = np.where(smaller > 0, inter / smaller, 0.0) > merge_inside
    same: NDArray[np.bool_] = (union > 0) & (by_iou | by_inside)
    return same
