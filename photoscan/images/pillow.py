"""Pillow, prepared once per process, and the one way photoscan opens an image.

Pillow learns HEIC/HEIF from pillow-heif's opener (AVIF is native in Pillow >= 11.3); the
opener is registered once per process, under a lock (thumbnails decode in a thread pool).
Pillow's own decompression-bomb limit (``Image.MAX_IMAGE_PIXELS``) is a process-wide
setting: it is set here and nowhere else, to photoscan's cap (``limits.MAX_PIXELS``), and
``open_image`` refuses anything above the cap from the header, before a pixel is decoded.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import threading
from typing import Final

from PIL import Image, UnidentifiedImageError

from photoscan.containers import bigtiff
from photoscan.errors import CorruptFile, FileTooLarge
from photoscan.limits import MAX_PIXELS, too_many_pixels

log = logging.getLogger(__name__)

TRANSPOSE: Final = {  # EXIF orientation -> the turn that shows the image upright
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
ROTATING: Final = frozenset({5, 6, 7, 8})  # orientations that swap width and height

_lock = threading.Lock()
_prepared = False


def prepare() -> None:
    """HEIF support and the pixel limit, once per process (before any image is opened)."""
    global _prepared
    with _lock:
        if _prepared:
            return
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        try:
            import pillow_heif
        except ImportError:  # a dependency, but optional at run time: HEIF is then unreadable
            log.info("pillow-heif not available; HEIF photos cannot be decoded")
        else:
            pillow_heif.register_heif_opener()
        _prepared = True


def open_image(data: bytes, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """``Image.open`` over ``data`` (lazy: nothing decoded yet); ``FileTooLarge`` when the
    header claims more than ``max_pixels``. Pillow's own errors pass through (OSError,
    ``UnidentifiedImageError``, ...): callers word them for their purpose. A BigTIFF is
    opened as its classic view (``containers.bigtiff``): Pillow reads only little-endian
    BigTIFF itself."""
    prepare()
    if bigtiff.is_bigtiff(data):
        with contextlib.suppress(CorruptFile):  # then Pillow's own error says what is wrong
            data = bigtiff.classic_view(data)
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:  # past twice the cap: Pillow's own check
        raise FileTooLarge(too_many_pixels(_claimed(exc), cap=max_pixels)) from None
    width, height = image.size
    if width * height > max_pixels:
        image.close()
        raise FileTooLarge(too_many_pixels(width * height, (width, height), max_pixels))
    return image


def _claimed(exc: Image.DecompressionBombError) -> int:
    """The pixel count in Pillow's "Image size (N pixels) exceeds limit..." message (Pillow
    drops the image it opened; the header is all that was read)."""
    found = re.search(r"\((\d+) pixels\)", str(exc))
    return int(found.group(1)) if found else 2 * MAX_PIXELS + 1


UNDECODABLE: Final = (
    "the picture could not be decoded: a kind of image photoscan cannot decode, or a damaged file"
)
_CUT_SHORT = ("truncated", "end of file", "unexpected end", "premature end", "not enough data")


def cannot_decode(error: BaseException, what: str = "the picture") -> str:
    """Why ``what`` could not be decoded, in words a parent reads (Pillow's and libheif's
    messages name their own internals: "Truncated File Read", "MAX_TEXT_CHUNK")."""
    text = str(error)
    lowered = text.lower()
    if isinstance(error, UnidentifiedImageError):
        return UNDECODABLE.replace("the picture", what, 1)
    if any(word in lowered for word in _CUT_SHORT):
        return f"{what} could not be decoded: the file ends before the picture does (cut short?)"
    if "max_text_chunk" in lowered or "max_text_memory" in lowered:
        return f"{what} could not be decoded: it holds a text block larger than photoscan reads"
    detail = f" ({text})" if text else f" ({type(error).__name__})"
    return f"{what} could not be decoded: the file is damaged{detail}"


def upright(image: Image.Image, fallback: int) -> tuple[Image.Image, int]:
    """``image`` turned by its own EXIF orientation or, when it has none, by ``fallback``
    (a RAW's); and the orientation applied. The caller's image is left as it was."""
    own = image.getexif().get(0x0112)
    orientation = own if isinstance(own, int) else fallback
    method = TRANSPOSE.get(orientation)
    return (image if method is None else image.transpose(method)), (
        orientation if method is not None else 1
    )
