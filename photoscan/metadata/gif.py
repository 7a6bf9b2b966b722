"""GIF: comment extensions and the XMP application extension, plus the screen size.

The block walk is ``containers.gif``'s (it hops over every frame to reach a comment written
after them). XMP
is stored raw inside an "XMP DataXMP" application extension, followed by a 257-byte "magic
trailer" that makes ordinary sub-block readers stop at its end.
"""

from __future__ import annotations

import struct

from photoscan.containers import gif
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.blocks import Blocks
from photoscan.model import FindingKind, Severity

MAX_COMMENT_BYTES = 4096  # a finding shows 300 characters; no need to join megabytes
_XMP_APP = b"XMP DataXMP"
_MAGIC_TRAILER = 257  # 0x01, 0xFF..0x00; the final 0x00 terminator is not in raw


def read_gif(source: Source, col: Collector) -> Blocks:
    data = source.data
    blocks = Blocks()
    walk = gif.Walk(data, warn=col.warn)
    col.width, col.height = struct.unpack("<HH", data[6:10])
    for block in walk:
        if block.introducer != gif.EXTENSION:
            continue
        start, end = block.body, block.end
        if block.label == 0xFE:
            text = _join_sub_blocks(data, start, end)
            col.add(FindingKind.TEXT, "GIF:Comment", text, Severity.LOW)
        elif block.label == 0xFF and data[start + 1 : start + 12] == _XMP_APP:
            raw = data[start + 12 : end - 1]
            blocks.xmp.append(raw[:-_MAGIC_TRAILER] if len(raw) > _MAGIC_TRAILER else raw)
    return blocks


def _join_sub_blocks(data: bytes, start: int, end: int) -> bytes:
    out = bytearray()
    pos = start
    while pos < end - 1 and len(out) < MAX_COMMENT_BYTES:
        length = data[pos]
        out += data[pos + 1 : pos + 1 + length]
        pos += 1 + length
    return bytes(out)
