"""GIF: comment extensions and the XMP application extension, plus the screen size.

GIF data is a chain of blocks, each image followed by length-prefixed sub-blocks, so the
walk has to hop over every frame's sub-blocks to reach a comment written after them. XMP
is stored raw inside an "XMP DataXMP" application extension, followed by a 257-byte "magic
trailer" that makes ordinary sub-block readers stop at its end.
"""

from __future__ import annotations

import struct

from photoscan.errors import CorruptFile
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.blocks import Blocks
from photoscan.model import FindingKind, Severity

MAX_BLOCKS = 200_000
MAX_COMMENT_BYTES = 4096  # a finding shows 300 characters; no need to join megabytes
_XMP_APP = b"XMP DataXMP"
_MAGIC_TRAILER = 257  # 0x01, 0xFF..0x00; the final 0x00 terminator is not in raw


class _Truncated(Exception):
    """The block chain runs past the end of the file."""


def read_gif(source: Source, col: Collector) -> Blocks:
    data = source.data
    blocks = Blocks()
    if len(data) < 13:
        raise CorruptFile("GIF file is truncated (no screen descriptor)")
    col.width, col.height = struct.unpack("<HH", data[6:10])
    flags = data[10]
    pos = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    try:
        _walk(data, pos, blocks, col)
    except _Truncated:
        col.warn("GIF file is truncated")
    return blocks


def _walk(data: bytes, pos: int, blocks: Blocks, col: Collector) -> None:
    size = len(data)
    for _ in range(MAX_BLOCKS):
        if pos >= size:
            raise _Truncated
        introducer = data[pos]
        if introducer == 0x3B:  # trailer
            return
        if introducer == 0x2C:  # image descriptor
            if pos + 10 > size:
                raise _Truncated
            flags = data[pos + 9]
            pos += 10 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
            pos = _skip_sub_blocks(data, pos + 1)  # +1: LZW minimum code size
        elif introducer == 0x21 and pos + 1 < size:
            label = data[pos + 1]
            start = pos + 2
            pos = _skip_sub_blocks(data, start)
            if label == 0xFE:
                text = _join_sub_blocks(data, start, pos)
                col.add(FindingKind.TEXT, "GIF:Comment", text, Severity.LOW)
            elif label == 0xFF and data[start + 1 : start + 12] == _XMP_APP:
                raw = data[start + 12 : pos - 1]
                blocks.xmp.append(raw[:-_MAGIC_TRAILER] if len(raw) > _MAGIC_TRAILER else raw)
        else:
            col.warn(f"GIF block structure is broken at byte {pos}")
            return


def _skip_sub_blocks(data: bytes, pos: int) -> int:
    """Position just after the zero-length terminator of the sub-blocks starting at pos."""
    size = len(data)
    while True:
        if pos >= size:
            raise _Truncated
        length = data[pos]
        pos += 1 + length
        if length == 0:
            return pos


def _join_sub_blocks(data: bytes, start: int, end: int) -> bytes:
    out = bytearray()
    pos = start
    while pos < end - 1 and len(out) < MAX_COMMENT_BYTES:
        length = data[pos]
        out += data[pos + 1 : pos + 1 + length]
        pos += 1 + length
    return bytes(out)
