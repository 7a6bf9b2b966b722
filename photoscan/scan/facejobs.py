"""Which scanned records the face pass looks at, and which it refuses from their header.

A decompression bomb (a header claiming billions of pixels) is refused here, from the size the
metadata pass read, so no face worker starts and no model loads for it: the refusal takes
milliseconds however busy the machine is. The face pass's own decoder refuses the same files
from the same header (``images.pillow.open_image``) with the same words.
"""

from __future__ import annotations

from photoscan import limits
from photoscan.model import ImageFormat, MediaKind, PhotoRecord

# Formats whose header's size is the picture the face pass decodes (a RAW's or a PSD's is
# not: faces are looked for on an embedded preview or a composite of another size).
_HEADER_IS_PICTURE = frozenset(
    {
        ImageFormat.JPEG, ImageFormat.PNG, ImageFormat.GIF, ImageFormat.WEBP, ImageFormat.BMP,
        ImageFormat.TIFF, ImageFormat.HEIF, ImageFormat.AVIF,
    }
)  # fmt: skip


def has_pixels(record: PhotoRecord) -> bool:
    """A standalone XMP sidecar and a sound recording have nothing to look at."""
    return record.format is not ImageFormat.XMP and record.media is not MediaKind.AUDIO


def over_the_cap(record: PhotoRecord) -> str | None:
    """Why faces are not looked for, when the photo's header claims more pixels than the
    decoders' cap; None for every other record."""
    width, height = record.width, record.height
    if record.media is not MediaKind.PHOTO or record.format not in _HEADER_IS_PICTURE:
        return None
    if width is None or height is None or width * height <= limits.MAX_PIXELS:
        return None
    return limits.too_many_pixels(width * height, (width, height))
