"""Decode small and upright: the image face detection looks at.

Face detection does not need 12 megapixels. JPEGs are decoded with ``Image.draft`` (the
decoder's own DCT scaling, 2-8x cheaper than a full decode), the EXIF orientation is
applied *before* detection because the HOG detector only finds upright faces, and the
image is resized so its long side is the working size; small photos are scaled *up* to it
too (the cheap equivalent of dlib's upsampling, which lets the 80-pixel HOG window find
small faces in small photos). ``Decoded`` keeps the factors that map boxes found in it back
to the photo's own pixels.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps

from photoscan.errors import CorruptFile
from photoscan.images.fullres import FullRes
from photoscan.images.pillow import cannot_decode, open_image, upright
from photoscan.limits import MAX_PIXELS

SIZE_SLACK: Final = 1.1  # a drafted JPEG up to 10% above the working size is not resized


@dataclass(frozen=True, slots=True)
class Decoded:
    """A working-size RGB image plus the factors mapping it back to the displayed original."""

    pixels: NDArray[np.uint8]
    width: int  # displayed original size (EXIF orientation applied)
    height: int
    orientation: int = 1  # the EXIF orientation that was applied
    full: FullRes | None = None  # full-resolution pixels for age chips (``keep_full``)

    @property
    def scale_x(self) -> float:
        return self.width / int(self.pixels.shape[1])

    @property
    def scale_y(self) -> float:
        return self.height / int(self.pixels.shape[0])


def decode(
    data: bytes,
    working_size: int,
    max_upscale: float = 4.0,
    *,
    max_pixels: int = MAX_PIXELS,
    orientation: int = 1,
    draft_floor: float = 1.0,
    keep_full: bool = False,
) -> Decoded:
    """Decode ``data`` upright at about ``working_size`` long side.

    ``orientation`` applies when the image has no EXIF orientation of its own (a RAW's
    preview JPEG: the RAW's IFD0 says how to turn it). Raises CorruptFile when the bytes
    are not a decodable image, FileTooLarge above ``max_pixels``.

    ``draft_floor`` < 1 lets a JPEG's DCT scaling land below ``working_size`` (down to that
    share of it) and keeps that size: a 4000 px photo is then decoded at 2000 px for a 2048 px
    working size, 25 ms instead of 72 ms for a full decode plus 72 ms for the resize.
    ``keep_full``: ``Decoded.full`` gives the full-resolution upright pixels for age chips
    (``images.fullres``): the decoded image itself when it was decoded at full size, else a
    second decode on first use.
    """
    opened = _open_upright(
        data, working_size, max_pixels=max_pixels, orientation=orientation, draft_floor=draft_floor
    )
    rgb, (width, height), orientation = opened.rgb, opened.size, opened.orientation
    full = None
    if keep_full and opened.drafted:
        turn = orientation
        full = FullRes(
            (width, height),
            load=lambda: (
                _open_upright(data, max(width, height), max_pixels=max_pixels, orientation=turn).rgb
            ),
        )
    elif keep_full:
        full = FullRes((width, height), image=rgb)
    longest = max(rgb.size)
    keep = opened.drafted and draft_floor * working_size <= longest <= working_size * SIZE_SLACK
    return _working_copy(rgb, (width, height), orientation, working_size, max_upscale, full, keep)


def from_image(
    image: Image.Image, working_size: int, max_upscale: float = 4.0, *, keep_full: bool = False
) -> Decoded:
    """An upright picture already in memory (a video frame) as ``decode`` would give it; the
    picture itself is the full resolution (``keep_full``)."""
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    full = FullRes(rgb.size, image=rgb) if keep_full else None
    return _working_copy(rgb, rgb.size, 1, working_size, max_upscale, full, keep=False)


def _working_copy(
    rgb: Image.Image,
    size: tuple[int, int],
    orientation: int,
    working_size: int,
    max_upscale: float,
    full: FullRes | None,
    keep: bool,
) -> Decoded:
    """``rgb`` (upright, of a photo displayed at ``size``) at ``working_size`` long side, or
    as it is when ``keep`` (a JPEG's DCT scale close enough to it)."""
    width, height = size
    factor = min(working_size / max(width, height), max_upscale)
    target = (max(1, round(width * factor)), max(1, round(height * factor)))
    if rgb.size != target and not keep:
        # BOX (area average) is the cheapest proper filter for shrinking: 19 vs 29 ms per photo.
        shrink = target[0] < rgb.size[0]
        rgb = rgb.resize(target, Image.Resampling.BOX if shrink else Image.Resampling.BILINEAR)
    pixels = np.ascontiguousarray(np.asarray(rgb, dtype=np.uint8))
    return Decoded(pixels, width, height, orientation, full)


@dataclass(frozen=True, slots=True)
class _Opened:
    rgb: Image.Image  # upright, RGB, loaded; at a reduced DCT scale when ``drafted``
    size: tuple[int, int]  # the displayed original's size
    orientation: int  # the orientation applied
    drafted: bool


def _open_upright(
    data: bytes,
    working_size: int,
    *,
    max_pixels: int,
    orientation: int,
    draft_floor: float = 1.0,
) -> _Opened:
    """``data`` decoded upright in RGB (a JPEG at the DCT scale nearest ``working_size``);
    see ``decode``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = open_image(data, max_pixels)
            raw_w, raw_h = image.size
            if raw_w <= 0 or raw_h <= 0:
                raise CorruptFile("image has no pixels")
            scale = working_size / max(raw_w, raw_h)
            if scale < 1.0 and image.format == "JPEG":
                want = scale * min(1.0, draft_floor)
                image.draft("RGB", (math.ceil(raw_w * want), math.ceil(raw_h * want)))
            drafted = image.size != (raw_w, raw_h)
            # Transpose/convert only when needed: each is a full copy of the pixels.
            if orientation == 1:
                own = image.getexif().get(0x0112, 1)
                turned = ImageOps.exif_transpose(image) if own in range(2, 9) else image
                orientation = own if own in range(2, 9) else 1
            else:
                turned, orientation = upright(image, orientation)
            rgb = turned if turned.mode == "RGB" else turned.convert("RGB")
            rgb.load()
    except (
        OSError,  # UnidentifiedImageError among them
        EOFError,
        SyntaxError,
        ValueError,
        TypeError,
        IndexError,
        Image.DecompressionBombError,
    ) as error:  # pillow-heif raises EOFError on a truncated HEIF
        raise CorruptFile(cannot_decode(error)) from error
    swapped = turned.size == (image.size[1], image.size[0]) and image.size[0] != image.size[1]
    size = (raw_h, raw_w) if swapped else (raw_w, raw_h)
    return _Opened(rgb, size, orientation, drafted)
