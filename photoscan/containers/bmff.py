"""ISO base media file format boxes (ISO/IEC 14496-12), the one walk for every box format.

HEIF/HEIC and AVIF, JPEG 2000 (whose boxes, ISO/IEC 15444-1, are the same shape), JPEG XL
containers, Canon CR3 and MP4/MOV/QuickTime are all runs of boxes: a 32-bit big-endian size
(0: up to the end of the parent, 1: a 64-bit size follows), a four-character type, for
``uuid`` boxes a 16-byte extended type, then the contents, which may be boxes again.

``walk`` yields the boxes between two offsets as positions, never copies (a codestream or
``mdat`` box can be gigabytes). Every size is checked against the parent: a box can never
reach past it, shrink below its own header or make the walk go backwards, so a walk always
ends, and a ``budget`` caps how many boxes a file may make its readers visit in all, nested
walks included. Two ways to meet damage:

- **strict** (no ``warn``): the HEIF stripper, which never rewrites a file it could not parse
  completely. Any damage raises ``CorruptFile``.
- **lenient** (``warn``): the readers, which want what is intact before the damage. A box
  whose size runs past its parent is handed on cut at the parent's end and the walk stops
  there; damage before any box was read is a corrupt file (``damage.damaged``), later damage
  a warning. Stray non-zero bytes after the last box are a warning too.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import NamedTuple

from photoscan.containers.damage import Warn, damaged
from photoscan.errors import CorruptFile

MAX_BOXES = 10_000  # per walk unless a budget is shared; a real photo has tens, a film thousands


class Box(NamedTuple):
    type: bytes
    start: int  # the first byte of the box (its size field)
    body: int  # the first byte of the contents (after the uuid of a ``uuid`` box, if read)
    end: int  # one past the last byte (the parent's end when a lenient walk cut the box)
    uuid: bytes = b""  # the extended type of a ``uuid`` box, when the walk reads it

    @property
    def header(self) -> int:
        return self.body - self.start

    @property
    def name(self) -> str:
        """The type for messages: printable characters only (it comes from the file)."""
        return "".join(c if c.isprintable() else "?" for c in self.type.decode("latin-1"))


class Budget:
    """How many more boxes the walks of one file may visit (shared by nested walks)."""

    __slots__ = ("left",)

    def __init__(self, boxes: int = MAX_BOXES) -> None:
        self.left = boxes


def walk(
    data: bytes,
    start: int = 0,
    end: int | None = None,
    *,
    warn: Warn | None = None,
    what: str = "ISO-BMFF",
    found: int = 0,
    budget: Budget | None = None,
    uuid: bool = False,
) -> Iterator[Box]:
    """The boxes of ``data[start:end]`` in order; strict without ``warn``, lenient with it
    (see the module docstring). ``found``: boxes the caller already read (a nested walk's
    damage is then a warning); ``what`` names the format in messages; ``uuid``: read the
    extended type of ``uuid`` boxes into ``Box.uuid`` (their ``body`` then follows it)."""
    stop = len(data) if end is None else min(end, len(data))
    budget = budget or Budget()
    pos = start
    index = found
    while pos + 8 <= stop:
        budget.left -= 1
        if budget.left < 0:
            if warn is None:
                raise CorruptFile(f"{what}: too many boxes")
            warn(f"{what}: too many boxes; the rest were not read")
            return
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:
            if pos + 16 > stop:
                reason = f"{what} file is truncated in a box header"
                damaged(index, warn, reason if warn else "truncated box header")
                return
            (size,) = struct.unpack_from(">Q", data, pos + 8)
            header = 16
        elif size == 0:
            size = stop - pos
        extended = b""
        if uuid and kind == b"uuid":
            extended = data[pos + header : pos + header + 16]
            header += len(extended)
        box = Box(kind, pos, min(pos + header, stop), min(pos + size, stop), extended)
        if warn is None and (size < header or pos + size > stop):
            raise CorruptFile(f"bad size for box {kind!r}")
        if size < header:
            damaged(index, warn, f"{what}: the {box.name!r} box has an impossible length")
            return
        if pos + size > stop:
            damaged(index, warn, f"{what} file is truncated inside its {box.name!r} box")
            yield box  # lenient: what there is of it
            return
        yield box
        index += 1
        pos += size
    if warn is not None and pos < stop and any(data[pos:stop]):
        warn(f"{what}: {stop - pos} stray bytes after the last box")


def uint(data: bytes, pos: int, size: int) -> int:
    """A big-endian unsigned integer of ``size`` bytes (0 for size 0); ``CorruptFile`` if
    it does not fit."""
    if size == 0:
        return 0
    if pos < 0 or pos + size > len(data):
        raise CorruptFile("truncated box")
    return int.from_bytes(data[pos : pos + size], "big")


def make_box(kind: bytes, payload: bytes) -> bytes:
    """A box with a 32-bit size (``CorruptFile`` if the payload is too large for one)."""
    if len(payload) + 8 > 0xFFFFFFFF:
        raise CorruptFile("box too large to write")
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def is_xmp(body: bytes) -> bool:
    """An ``xml `` box may hold XMP or any other XML (GML, a JPX label): XMP only, please."""
    head = body[:4096]
    return b"xmpmeta" in head or b"<rdf:RDF" in head or b"<?xpacket" in head
