"""WebP (RIFF): chunk walk for EXIF and "XMP " chunks and the canvas size.

The size comes from VP8X (extended files), or from the VP8/VP8L bitstream header of a
simple file, a few bytes in; no pixel data is decoded.
"""

from __future__ import annotations

import struct

from photoscan.errors import CorruptFile
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.containers import Blocks, damaged, strip_exif_header

MAX_CHUNKS = 100_000


def read_webp(source: Source, col: Collector) -> Blocks:
    data = source.data
    size = len(data)
    blocks = Blocks()
    if size < 20:
        raise CorruptFile("WebP file is truncated (no chunks)")
    declared = struct.unpack("<I", data[4:8])[0] + 8
    limit = min(size, declared) if declared >= 20 else size
    pos = 12
    for index in range(MAX_CHUNKS):
        if pos + 8 > limit:
            if pos < limit or declared > size:
                damaged(index, col, "WebP file is truncated")
            break
        kind = data[pos : pos + 4]
        length = struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        start = pos + 8
        end = start + length
        if end > size:
            damaged(index, col, "WebP file is truncated inside a chunk")
            break
        _chunk(kind, data[start:end], blocks, col)
        pos = end + (length & 1)
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
