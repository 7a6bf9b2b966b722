"""Maker notes assembled in code: any byte order, any offset base, inside an EXIF block.

``exif_with_note`` lays out a TIFF header, IFD0 (Make, Model, ExifOffset), an Exif IFD with
one MakerNote entry and the note itself. The note is built by a function of its own offset
(from the TIFF header), because most vendors count their value offsets from the TIFF header
and some from the note: ``ifd`` places a directory at a known position and writes value
offsets relative to whatever base the vendor uses.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass

BYTE, ASCII, SHORT, LONG, UNDEFINED, IFD_TYPE = 1, 2, 3, 4, 7, 13
_UNIT = {BYTE: 1, ASCII: 1, SHORT: 2, LONG: 4, UNDEFINED: 1, IFD_TYPE: 4}


@dataclass(frozen=True)
class E:
    """One directory entry: tag, type, and the value's bytes (already in byte order)."""

    tag: int
    type: int
    raw: bytes

    @property
    def count(self) -> int:
        return len(self.raw) // _UNIT[self.type]


def text(tag: int, value: str) -> E:
    return E(tag, ASCII, value.encode() + b"\x00")


def undef(tag: int, raw: bytes) -> E:
    return E(tag, UNDEFINED, raw)


def long(tag: int, value: int, order: str = "<", type_: int = LONG) -> E:
    return E(tag, type_, struct.pack(order + "I", value))


def ifd(entries: list[E], order: str, at: int, base: int, gap: bytes = b"") -> bytes:
    """A directory placed at offset ``at`` with its out-of-line values right after it (and
    after the 4-byte next-IFD pointer); value offsets are written relative to ``base``.
    ``gap`` goes between the entry count and the first entry (Kodak's two stray bytes)."""
    entries = sorted(entries, key=lambda e: e.tag)
    head = struct.pack(order + "H", len(entries)) + gap
    data_at = at + len(head) + 12 * len(entries) + 4
    data = b""
    for e in entries:
        if len(e.raw) <= 4:
            head += struct.pack(order + "HHI", e.tag, e.type, e.count) + e.raw.ljust(4, b"\x00")
        else:
            offset = data_at + len(data) - base
            head += struct.pack(order + "HHII", e.tag, e.type, e.count, offset)
            data += e.raw + b"\x00" * (len(e.raw) & 1)
    return head + b"\x00\x00\x00\x00" + data


NoteBuilder = Callable[[int], bytes]


def exif_with_note(make: str, model: str, note: NoteBuilder, order: str = "<") -> bytes:
    """A TIFF/EXIF block whose Exif IFD holds the note ``note(offset)`` builds."""
    mark = b"II*\x00" if order == "<" else b"MM\x00*"
    ifd0_entries = [text(0x010F, make), text(0x0110, model), long(0x8769, 0, order)]
    ifd0_len = len(ifd(ifd0_entries, order, 8, 0))
    exif_at = 8 + ifd0_len
    length = len(note(0))
    exif_len = len(ifd([undef(0x927C, b"\x00" * length)], order, exif_at, 0))
    note_at = exif_at + exif_len
    body = note(note_at)
    assert len(body) == length, "a note builder must give the same length at any offset"
    ifd0_entries[2] = long(0x8769, exif_at, order)
    out = mark + struct.pack(order + "I", 8) + ifd(ifd0_entries, order, 8, 0)
    out += ifd([undef(0x927C, body)], order, exif_at, 0)
    assert len(out) == note_at
    return out + body


def sony_encipher(plain: bytes) -> bytes:
    """Sony's substitution cipher for 0x9050/0x94xx blocks: c = b**3 mod 249."""
    table = bytes((b**3 % 249) if 2 <= b < 248 else b for b in range(256))
    return plain.translate(table)
