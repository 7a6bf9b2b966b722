"""WebP (RIFF): chunk walk for EXIF and "XMP " chunks and the canvas size.

The size comes from VP8X (extended files), or from the VP8/VP8L bitstream header of a
simple file, a few bytes in; no pixel data is decoded.
"""

from __future__ import annotations

import struct

from photoscan.containers import riff
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.blocks import Blocks, strip_exif_header


def read_webp(source: Source, col: Collector) -> Blocks:
    data = source.data
    blocks = Blocks()
    for chunk in riff.walk(data, warn=col.warn):
        _chunk(chunk.fourcc, data[chunk.body : chunk.end], blocks, col)
    return blocks


def _chunk(kind: bytes, body: bytes, blocks: Blocks, col: Collector) -> None:
    if kind == b"VP8X" and len(body) >= 10:
        col.width = int.from_bytes(body[4:7], "little") + 1
        col.height = int.from_bytes(body[7:10], "little") + 1
    elif kind == b"VP8 " and len(body) >= 10 and col.width is None:
        if body[3:6] == b"\x9d\x01\x2a":
            width, height = struct.unpack("<HH", body[6:10])
            col.width, col.height = width & 0x3FFF, height & 0x3FFF
    elif kind == b"VP8L" and len(body) >= 5 and col.width is None:
        if body[0] == 0x2F:
            bits = int.from_bytes(body[1:5], "little")
            col.width = (bits & 0x3FFF) + 1
            col.height = ((bits >> 14) & 0x3FFF) + 1
    elif kind == b"EXIF":
        blocks.exif.append(strip_exif_header(body))
    elif kind == b"XMP ":
        blocks.xmp.append(body)
