"""Lossless metadata stripping: one stripper per container, then plan, apply and verify.

``strip_bytes`` is pure (bytes in, bytes out) and picks the stripper by content, never by
extension. ``photoscan.strip.batch`` plans a run over files and folders and applies it
through ``photoscan.strip.safety`` (atomic writes, backups); ``photoscan.strip.verify``
re-reads every output with photoscan's own readers before it is written.
"""

from __future__ import annotations

import struct
import zlib

from photoscan.errors import CorruptFile
from photoscan.lazy import on_first_call
from photoscan.model import ImageFormat
from photoscan.strip.types import (
    FileResult,
    Refused,
    StripOptions,
    Stripped,
    StripStatus,
)

__all__ = [
    "STRIPPERS",
    "FileResult",
    "Refused",
    "StripOptions",
    "StripStatus",
    "Stripped",
    "restrip",
    "strip_bytes",
]

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:  # collections.abc imports the collections package (start-up)
    from collections.abc import Callable

    Stripper = Callable[[bytes, StripOptions], Stripped]


def _strip_bmp(data: bytes, options: StripOptions) -> Stripped:
    """BMP holds pixels and at most a colour profile: nothing identifying to remove."""
    return Stripped(data)


# Each stripper module is imported on its first call: a run of JPEGs loads only strip.jpeg.
STRIPPERS: dict[ImageFormat, Stripper] = {
    ImageFormat.JPEG: on_first_call("photoscan.strip.jpeg", "strip_jpeg"),
    ImageFormat.PNG: on_first_call("photoscan.strip.png", "strip_png"),
    ImageFormat.WEBP: on_first_call("photoscan.strip.webp", "strip_webp"),
    ImageFormat.GIF: on_first_call("photoscan.strip.gif", "strip_gif"),
    ImageFormat.TIFF: on_first_call("photoscan.strip.tiff", "strip_tiff"),
    ImageFormat.HEIF: on_first_call("photoscan.strip.heif", "strip_heif"),
    ImageFormat.AVIF: on_first_call("photoscan.strip.heif", "strip_heif"),
    ImageFormat.BMP: _strip_bmp,
}
_REFUSED = {
    ImageFormat.RAW: "camera RAW files cannot be stripped safely (they are their own metadata)",
    ImageFormat.DNG: "DNG cannot be stripped safely (previews and maker notes are structural)",
    ImageFormat.PSD: "Photoshop files cannot be stripped safely (layers and resources are "
    "structural)",
    ImageFormat.EXV: "an Exiv2 .exv file is metadata only (no picture): without its metadata "
    "nothing is left to share; delete it instead",
    ImageFormat.JP2: "JPEG 2000 is not supported for lossless stripping",
    ImageFormat.JXL: "JPEG XL is not supported for lossless stripping",
}


def strip_bytes(data: bytes, fmt: ImageFormat, options: StripOptions) -> Stripped:
    """Strip one file's bytes. Raises ``Refused`` (cannot be done safely) or ``CorruptFile``."""
    stripper = STRIPPERS.get(fmt)
    if stripper is None:
        raise Refused(_REFUSED.get(fmt, f"{fmt.value} is not supported for stripping"))
    try:
        return stripper(data, options)
    except Refused as exc:
        if fmt not in (ImageFormat.HEIF, ImageFormat.AVIF):
            raise
        from photoscan.strip.reencode import reencode_heif

        return reencode_heif(data, fmt, str(exc))
    except (IndexError, struct.error, ValueError, OverflowError, zlib.error) as exc:
        # Hostile or damaged input that slipped past a bounds check: a per-file failure.
        raise CorruptFile(f"damaged {fmt.value} structure ({type(exc).__name__})") from None


def restrip(data: bytes, fmt: ImageFormat, options: StripOptions) -> Stripped:
    """Strip an *output* again, as a check that nothing removable is left.

    For JPEG only the header segments (through the first scan's header) are re-checked: the
    scan data was copied verbatim and the output ends at EOI by construction, so scanning
    megabytes again would prove nothing.
    """
    from photoscan.containers.jpeg import first_scan
    from photoscan.strip.jpeg import strip_jpeg

    if fmt is ImageFormat.JPEG and (scan := first_scan(data)) is not None:
        head = data[: scan.end] + b"\xff\xd9"
        again = strip_jpeg(head, options)
        return Stripped(data) if again.data == head else again
    return strip_bytes(data, fmt, options)
