"""The box walk JPEG 2000 and JPEG XL share (ISO/IEC 15444-1 boxes, ISO-BMFF alike).

A box is a 32-bit big-endian length (0: up to the end, 1: a 64-bit length follows), a
four-character type, then its contents. This walk is lenient, unlike the HEIF stripper's:
a reader wants what is intact before the damage, so a box whose length runs past the end
is handed on cut at the end of the data (with a warning) and the walk stops there. Boxes
are handed on as positions, never copied: a JPEG 2000 codestream box can be megabytes.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

from photoscan.metadata.base import Collector
from photoscan.metadata.containers import damaged

MAX_BOXES = 10_000


@dataclass(frozen=True, slots=True)
class Box:
    type: bytes
    start: int  # first byte of the contents
    end: int  # one past the last byte (the end of the data when the box is truncated)

    @property
    def name(self) -> str:
        """The type for messages: printable characters only (it comes from the file)."""
        return "".join(c if c.isprintable() else "?" for c in self.type.decode("latin-1"))


def walk(data: bytes, start: int, end: int, col: Collector, what: str, found: int) -> Iterator[Box]:
    """The boxes between ``start`` and ``end``; ``found`` boxes were already read (damage
    before any box is a corrupt file, see ``containers.damaged``)."""
    pos = start
    for index in range(found, found + MAX_BOXES):
        if pos + 8 > end:
            if pos < end and any(data[pos:end]):
                col.warn(f"{what}: {end - pos} stray bytes after the last box")
            return
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:
            if pos + 16 > end:
                damaged(index, col, f"{what} file is truncated in a box header")
                return
            (size,) = struct.unpack_from(">Q", data, pos + 8)
            header = 16
        elif size == 0:
            size = end - pos
        box = Box(kind, pos + header, min(pos + size, end))
        if size < header:
            damaged(index, col, f"{what}: the {box.name!r} box has an impossible length")
            return
        if pos + size > end:
            damaged(index, col, f"{what} file is truncated inside its {box.name!r} box")
            yield box
            return
        yield box
        pos += size
    col.warn(f"{what}: more than {MAX_BOXES} boxes; the rest were not read")


def is_xmp(body: bytes) -> bool:
    """An ``xml `` box may hold XMP or any other XML (GML, a JPX label): XMP only, please."""
    head = body[:4096]
    return b"xmpmeta" in head or b"<rdf:RDF" in head or b"<?xpacket" in head
