"""Fujifilm RAF: a fixed header pointing at an embedded JPEG, a directory and the raw data.

The header (big-endian) names the camera and gives three (offset, length) pairs at byte 84:
the JPEG preview, the RAF directory and the CFA (sensor) data. The JPEG carries the photo's
EXIF, Fujifilm maker notes included (serial numbers, taught faces' names), so it goes
through the JPEG path (``rawpreview.read_embedded_jpeg``). The directory is a count and
(tag, size, value) records; only the sensor size is taken from it. The CFA data is pixels.
"""

from __future__ import annotations

import struct

from photoscan.errors import CorruptFile
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.blocks import Blocks
from photoscan.metadata.raw.rawpreview import read_embedded_jpeg, report_image
from photoscan.model import FindingKind, Severity

RAF_MAGIC = b"FUJIFILMCCD-RAW "
HEADER_SIZE = 108
MAX_RECORDS = 256
_FULL_SIZE, _CROPPED_SIZE = 0x0100, 0x0111  # (height, width) as two u16


def read_raf(source: Source, col: Collector) -> Blocks:
    data = source.data
    if data[:16] != RAF_MAGIC or len(data) < HEADER_SIZE:
        raise CorruptFile("RAF header is missing or truncated")
    model = data[28:60].split(b"\x00", 1)[0]
    col.add(FindingKind.CAMERA, "RAF:Model", model, Severity.LOW)
    jpeg_at, jpeg_len, dir_at, dir_len = struct.unpack(">IIII", data[84:100])
    _directory(data, dir_at, dir_len, col)
    if not 0 < jpeg_at < len(data) or jpeg_len <= 0:
        col.warn("RAF: no embedded JPEG (the EXIF block lives there)")
        return Blocks()
    if jpeg_at + jpeg_len > len(data):
        col.warn("RAF: the embedded JPEG is truncated")
    jpeg = data[jpeg_at : jpeg_at + jpeg_len]
    report_image(col, "RAF:PreviewImage", "preview", jpeg)
    return read_embedded_jpeg(source.name, jpeg, col)


def _directory(data: bytes, start: int, length: int, col: Collector) -> None:
    """The sensor size from the RAF directory (the cropped size when it is given)."""
    end = min(len(data), start + length)
    if start <= 0 or start + 4 > end:
        return
    (count,) = struct.unpack(">I", data[start : start + 4])
    pos = start + 4
    sizes: dict[int, tuple[int, int]] = {}
    for _ in range(min(count, MAX_RECORDS)):
        if pos + 4 > end:
            break
        tag, size = struct.unpack(">HH", data[pos : pos + 4])
        value = data[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if tag in (_FULL_SIZE, _CROPPED_SIZE) and len(value) == 4:
            height, width = struct.unpack(">HH", value)
            if width and height:
                sizes[tag] = (width, height)
    size = sizes.get(_CROPPED_SIZE) or sizes.get(_FULL_SIZE)
    if size is not None:
        col.width, col.height = size
