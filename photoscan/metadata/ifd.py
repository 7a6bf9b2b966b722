"""A small, bounded TIFF IFD walker over bytes, for what exifread does not decode.

exifread reads the standard IFDs well but decodes only some maker notes, and with
``details=True`` it reads a large MakerNote one value at a time (a seek and a read per
byte), which costs milliseconds per photo. Maker notes, thumbnail offsets and MPF
directories are plain IFDs at known places, so this walker reads exactly the entries asked
for, straight from the bytes. Every offset is checked against the buffer and every count is
capped: metadata is hostile input and a broken directory must end in "nothing found", not in
an exception or a huge allocation.
"""

from __future__ import annotations

import struct
from typing import NamedTuple

from photoscan.metadata.base import decode_text

MAX_ENTRIES = 1024  # no real IFD has more; a bigger count is garbage
MAX_VALUE_BYTES = 1 << 20

# TIFF field type -> size of one value in bytes
_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
_INT_FORMATS = {1: "B", 3: "H", 4: "I", 6: "b", 7: "B", 8: "h", 9: "i", 13: "I"}


class Entry(NamedTuple):
    """One directory entry; ``pos`` is the absolute index of its value bytes in the buffer,
    ``at`` that of the 12-byte entry itself. (A NamedTuple: a photo has hundreds of
    entries, and a frozen dataclass is five times slower to create.)"""

    tag: int
    type: int
    values: int  # how many values (not bytes)
    pos: int
    size: int
    at: int


class TiffReader:
    """Reads IFDs of one TIFF structure whose offsets count from ``base`` in ``data``."""

    __slots__ = ("_seen", "base", "data", "order")

    def __init__(self, data: bytes, base: int, little_endian: bool) -> None:
        self.data = data
        self.base = base
        self.order = "<" if little_endian else ">"
        self._seen: dict[int, dict[int, Entry]] = {}  # several readers ask for IFD0 and Exif

    @classmethod
    def at_header(cls, data: bytes, base: int = 0) -> TiffReader | None:
        """A reader for the TIFF header ("II*\\0" or "MM\\0*") at ``base``, else None."""
        head = data[base : base + 4]
        if head == b"II*\x00":
            return cls(data, base, True)
        if head == b"MM\x00*":
            return cls(data, base, False)
        return None

    def first_ifd(self) -> int:
        return self.u32(self.base + 4)

    def u16(self, pos: int) -> int:
        if pos < 0 or pos + 2 > len(self.data):
            return 0
        value: int = struct.unpack_from(self.order + "H", self.data, pos)[0]
        return value

    def u32(self, pos: int) -> int:
        if pos < 0 or pos + 4 > len(self.data):
            return 0
        value: int = struct.unpack_from(self.order + "I", self.data, pos)[0]
        return value

    def entries(self, ifd: int) -> dict[int, Entry]:
        """The entries of the IFD at offset ``ifd`` (relative to ``base``), by tag."""
        known = self._seen.get(ifd)
        if known is None:
            known = self._seen[ifd] = self._read_entries(ifd)
        return known

    def _read_entries(self, ifd: int) -> dict[int, Entry]:
        start = self.base + ifd
        count = self.u16(start)
        if ifd < 0 or count == 0 or count > MAX_ENTRIES:  # 0: an IFD at the base (notes)
            return {}
        data = self.data
        data_len = len(data)
        table = data[start + 2 : start + 2 + 12 * count]
        table = table[: len(table) - len(table) % 12]
        order = self.order
        out: dict[int, Entry] = {}
        pos = start + 2
        for tag, typ, n, raw in struct.iter_unpack(order + "HHI4s", table):
            unit = _TYPE_SIZES.get(typ)
            if unit is not None and n <= MAX_VALUE_BYTES and tag not in out:
                size = unit * n
                if size <= 4:
                    value_pos = pos + 8
                else:
                    value_pos = self.base + int.from_bytes(raw, "little" if order == "<" else "big")
                if value_pos + size <= data_len:
                    out[tag] = Entry(tag, typ, n, value_pos, size, pos)
            pos += 12
        return out

    def next_ifd(self, ifd: int) -> int:
        count = self.u16(self.base + ifd)
        return self.u32(self.base + ifd + 2 + 12 * count)

    def ifd_chain(self, limit: int = 8) -> list[int]:
        """IFD0, IFD1, ... offsets, stopping at loops and after ``limit`` directories."""
        seen: list[int] = []
        ifd = self.first_ifd()
        while ifd and ifd not in seen and len(seen) < limit:
            seen.append(ifd)
            ifd = self.next_ifd(ifd)
        return seen

    def raw(self, entry: Entry) -> bytes:
        return self.data[entry.pos : entry.pos + entry.size]

    def text(self, entry: Entry) -> str:
        """ASCII/UNDEFINED/BYTE value as text, cut at the first NUL."""
        raw = self.raw(entry).split(b"\x00", 1)[0]
        return decode_text(raw).strip()

    def ints(self, entry: Entry) -> tuple[int, ...]:
        fmt = _INT_FORMATS.get(entry.type)
        if fmt is None:
            return ()
        n = min(entry.values, 4096)
        return tuple(struct.unpack_from(f"{self.order}{n}{fmt}", self.data, entry.pos))

    def floats(self, entry: Entry) -> tuple[float, ...]:
        """Rational (5/10) or float (11/12) values; a zero denominator gives NaN."""
        n = min(entry.values, 64)
        if entry.type in (5, 10):
            code = "I" if entry.type == 5 else "i"
            pairs = struct.unpack_from(f"{self.order}{2 * n}{code}", self.data, entry.pos)
            return tuple(
                pairs[i] / pairs[i + 1] if pairs[i + 1] else float("nan")
                for i in range(0, len(pairs), 2)
            )
        if entry.type in (11, 12):
            code = "f" if entry.type == 11 else "d"
            return tuple(struct.unpack_from(f"{self.order}{n}{code}", self.data, entry.pos))
        return tuple(float(v) for v in self.ints(entry))

    def sub_ifd(self, entries: dict[int, Entry], tag: int) -> int:
        """The offset a pointer tag (ExifOffset, GPSInfo, ...) holds, or 0."""
        entry = entries.get(tag)
        if entry is None or entry.type not in (4, 13) or entry.values < 1:
            return 0
        return self.u32(entry.pos)
