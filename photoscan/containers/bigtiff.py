"""BigTIFF (``II+``/``MM+``, version 43): read as the classic TIFF it would be under 4 GB.

BigTIFF is TIFF with 64-bit offsets: a 16-byte header (byte order, 43, offset size 8, 0, the
first IFD as 8 bytes), IFDs with an 8-byte entry count, 20-byte entries (tag, type, an 8-byte
value count, 8 bytes of value or offset) and an 8-byte next-IFD offset, and three more types
(LONG8 16, SLONG8 17, IFD8 18). photoscan reads files of at most ``limits.MAX_FILE_BYTES``
(1 GB), so every offset fits in 32 bits: ``classic_view`` gives the same bytes with a classic
header and classic copies of every directory (the page chain, SubIFDs, the Exif, GPS and
Interoperability IFDs) appended at the end. Values and image data stay where they are, so
every offset into the file means the same in the view, and every TIFF reader and the TIFF
stripper work on it unchanged; ``strip.tiff`` writes BigTIFF again (``LAYOUT``).

The view is built strictly: a directory that does not fit, an offset past 4 GB or a loop of
pointers raises ``CorruptFile`` (the readers then call the file damaged, as for TIFF).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from photoscan.errors import CorruptFile

MAGICS = (b"II+\x00", b"MM\x00+")
HEADER_SIZE = 16
MAX_IFDS = 1024
MAX_ENTRIES = 4096
MAX_DEPTH = 4
# 8-byte types -> the classic type of the same meaning (LONG8/SLONG8 -> LONG/SLONG, IFD8 -> IFD)
_WIDE = {16: (4, "Q", "I"), 17: (9, "q", "i"), 18: (13, "Q", "I")}
_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
_SIZES.update({16: 8, 17: 8, 18: 8})
_POINTERS = {0x014A, 0x8769, 0x8825, 0xA005}  # SubIFDs, Exif, GPS, Interoperability
_LIMIT = 1 << 32


@dataclass(frozen=True, slots=True)
class Layout:
    """How a TIFF writes its directories: classic or BigTIFF."""

    big: bool
    count: str  # entry count
    offset: str  # offsets and value counts
    inline: int  # value bytes that fit in an entry
    offsets_type: int  # the type strip/tile offsets are written as

    @property
    def entry_size(self) -> int:
        return 20 if self.big else 12

    def header(self, order: str, first_ifd: int) -> bytes:
        if not self.big:
            return (b"II*\x00" if order == "<" else b"MM\x00*") + struct.pack(
                order + "I", first_ifd
            )
        return (b"II" if order == "<" else b"MM") + struct.pack(order + "HHHQ", 43, 8, 0, first_ifd)


CLASSIC = Layout(False, "H", "I", 4, 4)
BIG = Layout(True, "Q", "Q", 8, 16)


def is_bigtiff(data: bytes) -> bool:
    return data[:4] in MAGICS


def classic_view(data: bytes) -> bytes:
    """``data`` (a BigTIFF) as a classic TIFF whose offsets all mean what they meant."""
    if not is_bigtiff(data) or len(data) < HEADER_SIZE:
        raise CorruptFile("not a BigTIFF file")
    order = "<" if data[:2] == b"II" else ">"
    size, zero, first = struct.unpack_from(order + "HHQ", data, 4)
    if size != 8 or zero != 0:
        raise CorruptFile("BigTIFF header with an unsupported offset size")
    if len(data) >= _LIMIT:
        raise CorruptFile("BigTIFF over 4 GB")
    builder = _Builder(data, order)
    start = builder.chain(first, 0)
    return CLASSIC.header(order, start) + data[8:] + bytes(builder.out)


class _Builder:
    """Classic copies of the directories, to go after the file's bytes (``out``)."""

    def __init__(self, data: bytes, order: str) -> None:
        self.data = data
        self.order = order
        self.out = bytearray()
        self.done: dict[int, int] = {}

    def chain(self, offset: int, depth: int) -> int:
        """Copy the IFD chain starting at ``offset``; the copy's offset (0 for none)."""
        offsets: list[int] = []
        while offset and offset not in offsets:
            if len(offsets) >= MAX_IFDS:
                raise CorruptFile("BigTIFF has too many directories")
            offsets.append(offset)
            offset = self._next(offset)
        copies = [self.ifd(o, depth) for o in offsets]
        for here, after in zip(copies, [*copies[1:], 0], strict=True):
            self._patch_next(here, after)
        return copies[0] if copies else 0

    def _next(self, offset: int) -> int:
        count = self._count(offset)
        (after,) = struct.unpack_from(self.order + "Q", self.data, offset + 8 + 20 * count)
        return int(after)

    def _count(self, offset: int) -> int:
        if offset < HEADER_SIZE or offset + 8 > len(self.data):
            raise CorruptFile("BigTIFF directory offset out of range")
        (count,) = struct.unpack_from(self.order + "Q", self.data, offset)
        if count > MAX_ENTRIES or offset + 8 + 20 * count + 8 > len(self.data):
            raise CorruptFile("truncated or oversized BigTIFF directory")
        return int(count)

    def ifd(self, offset: int, depth: int) -> int:
        """The classic copy of one IFD (its next pointer patched by ``chain``)."""
        if offset in self.done:
            return self.done[offset]
        if depth > MAX_DEPTH or len(self.done) >= MAX_IFDS:
            raise CorruptFile("BigTIFF directories nested too deep or too many")
        count = self._count(offset)
        order = self.order
        entries: list[tuple[int, int, int, bytes | int]] = []
        for i in range(count):
            pos = offset + 8 + 20 * i
            tag, typ, n = struct.unpack_from(order + "HHQ", self.data, pos)
            unit = _SIZES.get(typ)
            if unit is None:
                continue  # a type TIFF does not define: skipped, as the readers do
            nbytes = unit * n
            value_pos = (
                pos + 12 if nbytes <= 8 else struct.unpack_from(order + "Q", self.data, pos + 12)[0]
            )
            if value_pos + nbytes > len(self.data) or n >= _LIMIT:
                raise CorruptFile("BigTIFF value out of range")
            raw = self.data[value_pos : value_pos + nbytes]
            if typ in _WIDE:
                typ, wide, narrow = _WIDE[typ]
                values = struct.unpack(f"{order}{n}{wide}", raw)
                if tag in _POINTERS:
                    values = tuple(self.chain(v, depth + 1) if v else 0 for v in values)
                if any(not -(1 << 31) <= v < _LIMIT for v in values):
                    raise CorruptFile("BigTIFF value does not fit 32 bits")
                entries.append((tag, typ, len(values), struct.pack(f"{order}{n}{narrow}", *values)))
            elif tag in _POINTERS and typ in (4, 13):
                values = struct.unpack(f"{order}{n}I", raw)
                moved = [self.chain(v, depth + 1) if v else 0 for v in values]
                entries.append((tag, typ, n, struct.pack(f"{order}{n}I", *moved)))
            elif nbytes <= 4:
                entries.append((tag, typ, n, raw))
            else:
                entries.append((tag, typ, n, value_pos))  # left where it is
        return self._write(offset, entries)

    def _write(self, offset: int, entries: list[tuple[int, int, int, bytes | int]]) -> int:
        order = self.order
        if len(self.out) % 2:
            self.out += b"\x00"
        at = len(self.data) + len(self.out)
        self.done[offset] = at
        values_at = at + 2 + 12 * len(entries) + 4
        head = bytearray(struct.pack(order + "H", len(entries)))
        values = bytearray()
        for tag, typ, n, value in entries:
            head += struct.pack(order + "HHI", tag, typ, n)
            if isinstance(value, int):
                head += struct.pack(order + "I", value)
            elif len(value) <= 4:
                head += value.ljust(4, b"\x00")
            else:
                head += struct.pack(order + "I", values_at + len(values))
                values += value + b"\x00" * (len(value) & 1)
        self.out += head + b"\x00\x00\x00\x00" + values
        if len(self.data) + len(self.out) >= _LIMIT:
            raise CorruptFile("BigTIFF directories too large")
        return at

    def _patch_next(self, ifd: int, after: int) -> None:
        local = ifd - len(self.data)
        (count,) = struct.unpack_from(self.order + "H", self.out, local)
        struct.pack_into(self.order + "I", self.out, local + 2 + 12 * count, after)
