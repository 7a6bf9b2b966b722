"""Where the EXIF block (a TIFF structure) starts inside a whole image file.

JPEG: the first ``Exif`` APP1 segment; WebP: the ``EXIF`` chunk; PNG: the ``eXIf`` chunk
(with or without the ``Exif\\0\\0`` prefix some writers leave in); TIFF-based files: the
file itself; HEIF/AVIF: exifread's box walk. Each walk is bounded by the file's length.
"""

from __future__ import annotations

import io

from exifread.core.find_exif import determine_type

from photoscan.containers.jpeg import header_segments
from photoscan.metadata.exif.exifread_bridge import READ_ERRORS
from photoscan.model import ImageFormat


def locate_tiff(data: bytes, fmt: ImageFormat) -> int | None:
    """Absolute offset of the EXIF TIFF header inside a whole file, or None."""
    if fmt is ImageFormat.JPEG:
        return jpeg_exif_offset(data)
    if fmt is ImageFormat.WEBP:
        return _chunk_exif_offset(data, 12, little=True)
    if fmt is ImageFormat.PNG:
        return _chunk_exif_offset(data, 8, little=False)
    if data[:2] in (b"II", b"MM"):
        return 0
    if fmt not in (ImageFormat.HEIF, ImageFormat.AVIF):
        return None
    try:
        offset, _endian, fake = determine_type(io.BytesIO(data))
    except READ_ERRORS:
        return None
    if fake or data[offset : offset + 2] not in (b"II", b"MM"):
        return None
    return int(offset)


def _chunk_exif_offset(data: bytes, pos: int, little: bool) -> int | None:
    """The TIFF header inside a WebP ``EXIF`` or PNG ``eXIf`` chunk (RIFF: size first,
    little-endian, even padding; PNG: big-endian length, type, data, CRC)."""
    end = len(data)
    for _ in range(10_000):
        if pos + 8 > end:
            return None
        if little:
            fourcc, size = data[pos : pos + 4], int.from_bytes(data[pos + 4 : pos + 8], "little")
        else:
            size, fourcc = int.from_bytes(data[pos : pos + 4], "big"), data[pos + 4 : pos + 8]
        body = pos + 8
        if fourcc in (b"EXIF", b"eXIf"):
            if data[body : body + 6] == b"Exif\x00\x00":
                body += 6
            return body if data[body : body + 2] in (b"II", b"MM") else None
        if fourcc == b"IEND":
            return None
        pos = body + size + (size & 1 if little else 4)
    return None


def jpeg_exif_offset(data: bytes) -> int | None:
    """Where the TIFF header of the first Exif APP1 segment starts."""
    for marker, _at, start, _end in header_segments(data):
        if marker == 0xE1 and data[start : start + 4] == b"Exif":
            tiff = start + 6
            if data[tiff : tiff + 2] in (b"II", b"MM"):
                return tiff
    return None
