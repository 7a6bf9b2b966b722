"""BMP: the image size from the header; BMP carries no metadata worth reading."""

from __future__ import annotations

import struct

from photoscan.errors import CorruptFile


def read_bmp(data: bytes) -> tuple[int, int]:
    """(width, height) from a BMP header; BMP carries no metadata worth reading."""
    if len(data) < 26:
        raise CorruptFile("BMP header is truncated")
    header_size = struct.unpack("<I", data[14:18])[0]
    if header_size == 12:
        width, height = struct.unpack("<HH", data[18:22])
        return width, height
    if header_size < 40:
        raise CorruptFile("BMP header is broken")
    width, height = struct.unpack("<ii", data[18:26])
    return abs(width), abs(height)
