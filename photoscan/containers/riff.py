"""RIFF chunks of a WebP file: the one walk for the metadata reader and the stripper.

A WebP file is ``RIFF`` + a 32-bit little-endian size + ``WEBP``, then chunks: a
four-character code, a 32-bit little-endian size, the data, a pad byte to an even length.
The RIFF size bounds the chunks (bytes after it are not part of the image); a size too
small to hold a chunk is a writer's bug, and then the file's own length bounds them.

Damage: strict (no ``warn``, the stripper) raises ``CorruptFile`` for a chunk that runs past
the data; lenient (the reader) warns and stops, and is a corrupt file only before the first
chunk (``damage.damaged``). A file cut off at a chunk boundary is read as far as it goes.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import NamedTuple

from photoscan.containers.damage import Warn, damaged
from photoscan.errors import CorruptFile

MAX_CHUNKS = 100_000
MIN_SIZE = 20  # the RIFF header and one chunk header


class Chunk(NamedTuple):
    """One chunk: ``start`` is its four-character code, ``body..end`` its data."""

    fourcc: bytes
    start: int
    body: int
    end: int


def is_webp(data: bytes) -> bool:
    return len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def walk(data: bytes, *, warn: Warn | None = None) -> Iterator[Chunk]:
    """The chunks of the WebP file ``data``; strict without ``warn``."""
    size = len(data)
    if warn is None and not is_webp(data):
        raise CorruptFile("not a WebP")
    if warn is not None and size < MIN_SIZE:
        raise CorruptFile("WebP file is truncated (no chunks)")
    declared = struct.unpack_from("<I", data, 4)[0] + 8
    limit = min(size, declared) if declared >= MIN_SIZE else size
    pos = 12
    for index in range(MAX_CHUNKS):
        if pos + 8 > limit:
            if warn is not None and (pos < limit or declared > size):
                damaged(index, warn, "WebP file is truncated")
            return
        fourcc = data[pos : pos + 4]
        (length,) = struct.unpack_from("<I", data, pos + 4)
        chunk = Chunk(fourcc, pos, pos + 8, pos + 8 + length)
        if chunk.end > size:
            lenient = "WebP file is truncated inside a chunk"
            damaged(index, warn, lenient if warn else "truncated WebP chunk")
            return
        yield chunk
        pos = chunk.end + (length & 1)
    if warn is None:
        raise CorruptFile(f"WebP has more than {MAX_CHUNKS} chunks")
    warn(f"WebP: more than {MAX_CHUNKS} chunks; the rest were not read")


def make_chunk(fourcc: bytes, payload: bytes) -> bytes:
    """A chunk with its size and, for an odd length, the pad byte."""
    pad = b"\0" if len(payload) % 2 else b""
    return fourcc + struct.pack("<I", len(payload)) + payload + pad


def canvas_size(fourcc: bytes, body: bytes) -> tuple[int, int] | None:
    """(width, height) from a VP8X chunk, or from a simple file's VP8/VP8L bitstream header
    (a few bytes in: no pixel is decoded); None for any other chunk or a damaged header."""
    if fourcc == b"VP8X" and len(body) >= 10:
        return int.from_bytes(body[4:7], "little") + 1, int.from_bytes(body[7:10], "little") + 1
    if fourcc == b"VP8 " and len(body) >= 10 and body[3:6] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", body[6:10])
        return width & 0x3FFF, height & 0x3FFF
    if fourcc == b"VP8L" and len(body) >= 5 and body[0] == 0x2F:
        bits = int.from_bytes(body[1:5], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None
