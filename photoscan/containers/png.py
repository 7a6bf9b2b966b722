"""PNG chunks: the one walk for the metadata reader and the stripper, and the chunk helpers.

After the 8-byte signature a PNG is a run of chunks: a 32-bit big-endian length, a
four-letter type, the data, a CRC-32 of type and data, up to the ``IEND`` chunk. ``walk``
yields them as positions (image data is never copied). Text chunks may be zlib-compressed;
``inflate`` caps what they may inflate to (a zip bomb in a 1 KB chunk is easy to make).
ImageMagick stores EXIF, IPTC and XMP as hex text ("Raw profile type …", ``raw_profile``).

Damage: strict (no ``warn``, the stripper) raises ``CorruptFile``; lenient (the reader)
warns and stops, and is a corrupt file only before the first chunk (``damage.damaged``).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from typing import NamedTuple

from photoscan.containers.damage import damaged
from photoscan.errors import CorruptFile

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from photoscan.containers.damage import Warn

SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_CHUNKS = 1 << 20  # libpng writes 8 KB IDAT chunks: a gigabyte PNG has ~130,000
MAX_INFLATED_BYTES = 8 << 20  # a compressed text chunk may not inflate beyond this (bombs)


class Chunk(NamedTuple):
    """One chunk: ``start`` is its length field, ``body..end`` its data; the CRC follows."""

    type: bytes
    start: int
    body: int
    end: int

    @property
    def stop(self) -> int:
        """One past the chunk's CRC: where the next chunk starts."""
        return self.end + 4


def walk(data: bytes, *, warn: Warn | None = None) -> Iterator[Chunk]:
    """The chunks of ``data`` up to and including ``IEND``; strict without ``warn``."""
    if not data.startswith(SIGNATURE):
        raise CorruptFile("not a PNG")
    size = len(data)
    pos = len(SIGNATURE)
    for index in range(MAX_CHUNKS):
        if pos + 8 > size:
            lenient = "PNG file is truncated (no end chunk)"
            damaged(index, warn, lenient if warn else "truncated PNG (no IEND chunk)")
            return
        length, kind = struct.unpack_from(">I4s", data, pos)
        chunk = Chunk(kind, pos, pos + 8, pos + 8 + length)
        if chunk.stop > size:
            lenient = "PNG file is truncated inside a chunk"
            damaged(index, warn, lenient if warn else "truncated PNG chunk")
            return
        yield chunk
        if kind == b"IEND":
            return
        pos = chunk.stop
    if warn is None:
        raise CorruptFile(f"PNG has more than {MAX_CHUNKS} chunks")
    warn(f"PNG: more than {MAX_CHUNKS} chunks; the rest were not read")


def make_chunk(kind: bytes, payload: bytes) -> bytes:
    """A chunk with its length and CRC."""
    crc = zlib.crc32(kind + payload)
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def inflate(data: bytes, limit: int = MAX_INFLATED_BYTES) -> bytes:
    """zlib-inflate at most ``limit`` bytes; more raises ``ValueError`` (a zip bomb), and so
    does damaged compressed data."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, limit)
    except zlib.error as exc:
        raise ValueError(f"compressed data is damaged ({exc})") from None
    if inflater.unconsumed_tail:
        raise ValueError(f"compressed data inflates beyond {limit >> 20} MiB; not read")
    return out


def raw_profile(text: bytes) -> bytes | None:
    """Decode an ImageMagick "Raw profile type …" text: "\\nexif\\n  1234\\n<hex lines>"."""
    parts = text.split(b"\n", 3)
    if len(parts) < 4:
        return None
    try:
        size = int(parts[2].strip())
        data = bytes.fromhex(parts[3].decode("ascii", "replace").replace("\n", "").strip())
    except ValueError:
        return None
    return data[:size] if size > 0 else data
