"""The pixel half of the stale-thumbnail check: decode small, fit, correlate.

Imported by ``thumbcompare`` only when pixels must be compared, so a scan that never
needs them never pays for importing Pillow. The arithmetic is on 24×24 grey levels (576
numbers), done in plain Python: importing numpy for it cost each scan worker ~0.5 s of CPU,
more than the comparisons themselves.
"""

from __future__ import annotations

import io
import math
import warnings

from PIL import Image, UnidentifiedImageError

from photoscan.metadata.thumbs.verdict import (
    MAX_ASPECT_DIFF,
    MAX_MAIN_PIXELS,
    MIN_CORRELATION,
    MIN_PART_CORRELATION,
    MIN_SQUEEZED_CORRELATION,
    Verdict,
)

SIDE = 24
_DECODE_ERRORS = (
    OSError,
    UnidentifiedImageError,
    ValueError,
    SyntaxError,
    Image.DecompressionBombError,
)


def _open_small(data: bytes, target: int) -> Image.Image | None:
    """A grey image of at least ``target`` pixels a side (JPEG: DCT-scaled), or None.

    Pillow warns about the broken metadata of a damaged file on stderr; the scan reports
    files in plain words instead, so those warnings are silenced here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            im = Image.open(io.BytesIO(data))
            if im.width * im.height > MAX_MAIN_PIXELS:
                return None
            if im.format == "JPEG":
                im.draft("L", (target, target))
            return im.convert("L")
        except _DECODE_ERRORS:
            return None


def _fit(im: Image.Image, main_ratio: float) -> Image.Image:
    """Cut the black borders a camera adds to fit a photo of ``main_ratio`` (width/height)
    into a thumbnail of another shape (centred, all on one side as Kodak does, or a frame
    all round as Nikon does). Only when the shapes differ — so a night photo keeps its dark
    sky — and only if cutting brings the shape closer to the photo's."""
    w, h = im.size
    target = math.log(main_ratio)
    if abs(math.log(w / h) - target) <= MAX_ASPECT_DIFF:
        return im
    box = im.point(lambda v: 255 if v > 40 else 0).getbbox()  # where a pixel is not black
    if box is None:
        return im
    left, top, right, bottom = box
    if (bottom - top) * (right - left) < 0.4 * w * h or min(bottom - top, right - left) < 8:
        return im
    before = abs(math.log(w / h) - target)
    after = abs(math.log((right - left) / (bottom - top)) - target)
    return im.crop((left, top, right, bottom)) if after < before else im


def _centre(im: Image.Image, ratio: float) -> Image.Image:
    """The largest centred part of ``im`` with the shape ``ratio`` (width/height)."""
    w, h = im.size
    if w / h > ratio:
        cut = round(h * ratio)
        return im.crop(((w - cut) // 2, 0, (w - cut) // 2 + cut, h))
    cut = round(w / ratio)
    return im.crop((0, (h - cut) // 2, w, (h - cut) // 2 + cut))


def _vector(im: Image.Image) -> list[float]:
    """The grey levels at 24×24, less their mean, scaled to length 1 (all 0: a flat image)."""
    small = [float(v) for v in im.resize((SIDE, SIDE), Image.Resampling.BOX).tobytes()]  # "L"
    mean = math.fsum(small) / len(small)
    centred = [v - mean for v in small]
    norm = math.sqrt(math.fsum(v * v for v in centred))
    return [v / norm for v in centred] if norm > 1e-6 else centred


def _correlation(a: Image.Image, b: Image.Image) -> float:
    va, vb = _vector(a), _vector(b)
    if not any(va) or not any(vb):  # a flat image: compare brightness instead
        return 1.0
    return math.fsum(x * y for x, y in zip(va, vb, strict=True))


def compare_pixels(
    thumb_jpeg: bytes, main_data: bytes, size: tuple[int, int], decode_main: bool
) -> Verdict:
    """``thumbcompare.compare`` once the shapes alone could not settle it."""
    thumb = _open_small(thumb_jpeg, 48)
    if thumb is None or min(thumb.size) < 8:
        return Verdict(False, "not decodable")
    main_ar = math.log(size[0] / size[1])
    # as stored, or turned either way (some cameras store a landscape thumbnail of a photo
    # whose pixels they turned upright)
    turns = (
        thumb,
        thumb.transpose(Image.Transpose.ROTATE_90),
        thumb.transpose(Image.Transpose.ROTATE_270),
    )
    fitted = [_fit(c, size[0] / size[1]) for c in turns]
    diffs = [abs(math.log(c.width / c.height) - main_ar) for c in fitted]
    diff = min(diffs)
    shaped = [c for c, d in zip(fitted, diffs, strict=True) if d <= MAX_ASPECT_DIFF]
    # different shapes are rare and may still be the same picture: always look at the pixels
    main = _open_small(main_data, 48) if decode_main or not shaped else None
    if not shaped:
        # a crop, unless the pixels say it is the whole picture squeezed into another shape
        # (some cameras store a 4:3 thumbnail of a 3:2 photo without bars)
        closest = fitted[diffs.index(diff)]
        if main is not None and min(main.size) >= 16:  # too few pixels to excuse anything
            if _correlation(closest, main) >= MIN_SQUEEZED_CORRELATION:
                return Verdict(False, "same picture, squeezed", 1.0, diff)
            part = _centre(main, closest.width / closest.height)
            if _correlation(closest, part) >= MIN_PART_CORRELATION:
                return Verdict(False, "the thumbnail shows the middle of the photo", 1.0, diff)
        return Verdict(True, "different shape: the photo was cropped", 1.0, diff)
    if not decode_main:
        return Verdict(False, "shape matches; pixels not compared", 1.0, diff)
    if main is None:
        return Verdict(False, "main image not decodable", 1.0, diff)
    corr = max(_correlation(c, main) for c in shaped)
    if corr < MIN_CORRELATION:
        return Verdict(True, "different content: the photo was cropped or edited", corr, diff)
    return Verdict(False, "", corr, diff)
