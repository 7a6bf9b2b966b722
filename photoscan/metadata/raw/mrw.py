"""Minolta MRW: a block header (PRD, TTW, WBG, RIF...) in front of the raw sensor data.

An MRW file starts "\\0MRM" and the length of the block area (big-endian, counted from byte
8); each block is a 4-byte name, a 4-byte length and its data. ``\\0TTW`` ("TIFF tags") is a
whole TIFF structure: IFD0, the Exif IFD and the Minolta maker note, with offsets counted
from the block's start, so it is handed on as an EXIF block and its embedded images are
read as a TIFF's. ``\\0PRD`` gives the sensor and image size (16-bit at bytes 8-15); the
white-balance and picture-setting blocks say nothing about anyone. The layout is ExifTool's
(MinoltaRaw.pm, ``ProcessMRW``).
"""

from __future__ import annotations

import struct

from photoscan.errors import CorruptFile
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.blocks import Blocks
from photoscan.metadata.thumbs import thumbnails
from photoscan.model import FindingKind, ImageFormat, Severity

MRW_MAGIC = b"\x00MRM"
MAX_BLOCKS = 64
_TIFF_HEADERS = (b"MM\x00*", b"II*\x00")


def read_mrw(source: Source, col: Collector) -> Blocks:
    data = source.data
    if not data.startswith(MRW_MAGIC) or len(data) < 16:
        raise CorruptFile("MRW header is missing or truncated")
    (length,) = struct.unpack_from(">I", data, 4)
    end = 8 + length
    if end > len(data):
        col.warn("MRW: the block area is truncated; read what is there")
        end = len(data)
    blocks = Blocks()
    pos = 8
    for _ in range(MAX_BLOCKS):
        if pos + 8 > end:
            break
        name, size = struct.unpack_from(">4sI", data, pos)
        body = data[pos + 8 : min(pos + 8 + size, end)]
        pos += 8 + size
        if name == b"\x00TTW" and body[:4] in _TIFF_HEADERS:
            blocks.exif.append(body)
        elif name == b"\x00PRD" and len(body) >= 16:
            height, width = struct.unpack_from(">HH", body, 12)
            if width and height:
                col.width, col.height = width, height
    if not blocks.exif:
        col.warn("MRW: no TTW block (the EXIF block lives there)")
    for block in blocks.exif:
        for image in thumbnails.find_embedded(Source(source.name, block, ImageFormat.TIFF)):
            words = thumbnails.describe(image)
            col.add(FindingKind.THUMBNAIL, image.field, words, Severity.MEDIUM)
    return blocks
