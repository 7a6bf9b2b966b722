"""RIFF chunks of WebP and AVI files: the one walk of each for the reader and the stripper.

A WebP file is ``RIFF`` + a 32-bit little-endian size + ``WEBP``, then chunks: a
four-character code, a 32-bit little-endian size, the data, a pad byte to an even length.
The RIFF size bounds the chunks (bytes after it are not part of the image); a size too
small to hold a chunk is a writer's bug, and then the file's own length bounds them.

Damage: strict (no ``warn``, the stripper) raises ``CorruptFile`` for a chunk that runs past
the data; lenient (the reader) warns and stops, and is a corrupt file only before the first
chunk (``damage.damaged``). A file cut off at a chunk boundary is read as far as it goes.

An AVI is a tree: ``LIST`` chunks (a form type such as ``INFO`` or ``hdrl``, then chunks)
inside ``RIFF 'AVI '`` and, in an OpenDML file over 1 GB, further ``RIFF 'AVIX'`` parts.
``avi_chunks`` reads it header by header from a file (``bmff.Reader``): the ``movi`` lists
(the frames, nearly all of the file) are skipped by their sizes, never read. Chunks cut
short are handed on (their ``end`` past the file): the reader warns, the stripper leaves them.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from photoscan.containers.bmff import Reader
from photoscan.containers.damage import damaged
from photoscan.errors import CorruptFile
from photoscan.tuples import NamedTuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from photoscan.containers.damage import Warn

MAX_CHUNKS = 100_000
MAX_LIST_DEPTH = 8
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


class AviChunk(NamedTuple):
    """One chunk or list of an AVI, outside ``movi``'s contents."""

    kind: bytes  # the chunk id, or a LIST's form type ("INFO", "hdrl", "movi")
    start: int  # offset of the id
    size: int  # payload size as stored
    is_list: bool
    parent: bytes  # form type of the LIST (or RIFF part) holding it

    @property
    def body(self) -> int:
        return self.start + (12 if self.is_list else 8)

    @property
    def end(self) -> int:
        return self.start + 8 + self.size


def is_avi(head: bytes) -> bool:
    return len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] in (b"AVI ", b"AVIX")


def avi_chunks(reader: Reader, name: str) -> list[AviChunk]:
    """Every chunk and list of the AVI ``reader`` reads, in file order, ``movi`` lists
    without their contents. Raises ``CorruptFile`` naming the file for a file that is not an
    AVI, lists nested too deep or too many chunks."""
    if not is_avi(reader.read_at(0, 12)):
        raise CorruptFile(f"{name}: not an AVI file")
    chunks: list[AviChunk] = []
    pos = 0
    while pos + 12 <= reader.size:  # RIFF 'AVI ', then the RIFF 'AVIX' parts of OpenDML
        riff = reader.read_at(pos, 12)
        if riff[:4] != b"RIFF":
            break
        size = struct.unpack_from("<I", riff, 4)[0]
        _avi_list(reader, pos + 12, min(reader.size, pos + 8 + size), riff[8:12], 0, chunks, name)
        pos += 8 + size + (size & 1)
    return chunks


def _avi_list(
    reader: Reader, pos: int, end: int, parent: bytes, depth: int, out: list[AviChunk], name: str
) -> None:
    if depth > MAX_LIST_DEPTH:
        raise CorruptFile(f"{name}: AVI lists nested more than {MAX_LIST_DEPTH} deep")
    while pos + 8 <= end:
        if len(out) >= MAX_CHUNKS:
            raise CorruptFile(f"{name}: more than {MAX_CHUNKS} AVI chunks")
        head = reader.read_at(pos, 12)
        kind, size = head[:4], struct.unpack_from("<I", head, 4)[0]
        if kind == b"LIST" and len(head) == 12:
            chunk = AviChunk(head[8:12], pos, size, True, parent)
            out.append(chunk)
            if chunk.kind != b"movi":
                _avi_list(reader, pos + 12, min(end, chunk.end), chunk.kind, depth + 1, out, name)
        else:
            out.append(AviChunk(kind, pos, size, False, parent))
        pos += 8 + size + (size & 1)
