"""GIF blocks: the one walk for the metadata reader and the stripper.

After the 13-byte header (with the screen size) and an optional global colour table, a GIF
is a chain of blocks up to the trailer (0x3B): image descriptors (0x2C, a local colour
table, the LZW code size, then length-prefixed sub-blocks) and extensions (0x21, a label,
then sub-blocks). The walk hops over every frame's sub-blocks to reach a comment written
after them, and hands each block on as positions.

Damage: strict (no ``warn``, the stripper) raises ``CorruptFile``; lenient (the reader)
warns and stops, keeping what it read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from photoscan.errors import CorruptFile

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from photoscan.containers.damage import Warn

SIGNATURES = (b"GIF87a", b"GIF89a")
IMAGE, EXTENSION, TRAILER = 0x2C, 0x21, 0x3B
HEADER_SIZE = 13
MAX_BLOCKS = 200_000


class Block(NamedTuple):
    """One block: ``introducer`` (IMAGE or EXTENSION), an extension's ``label`` (0 for an
    image), ``start`` its first byte, ``body`` where its sub-blocks start, ``end`` one past
    their terminator."""

    introducer: int
    label: int
    start: int
    body: int
    end: int


class Walk:
    """The blocks after the header; then ``end`` is where the walk stopped (after the
    trailer, or at the damage) and ``complete`` whether it reached the trailer."""

    __slots__ = ("complete", "data", "end", "warn")

    def __init__(self, data: bytes, *, warn: Warn | None = None) -> None:
        if warn is None and (data[:6] not in SIGNATURES or len(data) < HEADER_SIZE):
            raise CorruptFile("not a GIF")
        if len(data) < HEADER_SIZE:
            raise CorruptFile("GIF file is truncated (no screen descriptor)")
        self.data = data
        self.warn = warn
        self.complete = False
        self.end = colour_table_end(data, HEADER_SIZE, data[10])

    def __iter__(self) -> Iterator[Block]:
        data = self.data
        size = len(data)
        pos = self.end
        try:
            for _ in range(MAX_BLOCKS):
                if pos >= size:
                    raise _Truncated("truncated GIF (no trailer)")
                introducer = data[pos]
                if introducer == TRAILER:
                    self.complete, self.end = True, pos + 1
                    return
                if introducer == IMAGE:
                    if pos + 10 > size:
                        raise _Truncated("truncated GIF image descriptor")
                    body = colour_table_end(data, pos + 10, data[pos + 9]) + 1  # LZW size
                    block = Block(IMAGE, 0, pos, body, sub_blocks_end(data, body))
                elif introducer == EXTENSION and pos + 2 <= size:
                    block = Block(EXTENSION, data[pos + 1], pos, pos + 2, 0)
                    block = block._replace(end=sub_blocks_end(data, pos + 2))
                else:
                    self.end = pos
                    if self.warn is None:
                        raise CorruptFile("unknown GIF block")
                    self.warn(f"GIF block structure is broken at byte {pos}")
                    return
                yield block
                pos = block.end
            self.end = pos
            if self.warn is None:
                raise CorruptFile(f"GIF has more than {MAX_BLOCKS} blocks")
            self.warn(f"GIF: more than {MAX_BLOCKS} blocks; the rest were not read")
        except _Truncated as exc:
            self.end = size
            if self.warn is None:
                raise CorruptFile(str(exc)) from None
            self.warn("GIF file is truncated")


class _Truncated(Exception):
    """The block chain runs past the end of the data."""


def colour_table_end(data: bytes, pos: int, flags: int) -> int:
    """Past the colour table that ``flags`` (a header's or a descriptor's) announces."""
    return pos + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)


def sub_blocks_end(data: bytes, pos: int) -> int:
    """Position just after the zero-length terminator of the sub-blocks starting at pos."""
    size = len(data)
    while True:
        if pos >= size:
            raise _Truncated("truncated GIF data")
        length = data[pos]
        pos += 1 + length
        if length == 0:
            return pos
