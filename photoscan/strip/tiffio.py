"""Minimal TIFF/EXIF structure reading and writing, shared by every stripper.

EXIF is a TIFF stream (in JPEG APP1, the WebP ``EXIF`` chunk, the PNG ``eXIf`` chunk, and TIFF
files themselves), so one bounded reader serves all of them. Only what the strippers need is
here: read IFD entries, build a tiny new EXIF holding the values we deliberately keep
(Orientation, optionally the capture dates), and cut the GPS IFD out of an existing EXIF
without moving any other byte (so MakerNote offsets stay valid in ``--only location``).

Unlike ``photoscan.metadata.ifd`` (which reads fail-soft: a broken directory means "nothing
found"), this reader raises on damage and exposes entry positions, because a stripper must
edit entries in place and must never write a file it did not fully understand.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from photoscan.errors import CorruptFile

TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
MAX_ENTRIES = 4096

TAG_ORIENTATION = 0x0112
TAG_DATETIME = 0x0132
TAG_EXIF_IFD = 0x8769
TAG_GPS_IFD = 0x8825
TAG_DATETIME_ORIGINAL = 0x9003
TAG_CREATE_DATE = 0x9004
TYPE_ASCII = 2
TYPE_SHORT = 3
TYPE_LONG = 4


@dataclass(frozen=True, slots=True)
class Entry:
    """One IFD entry; ``pos`` is where the 12-byte entry starts, ``value_pos`` its value."""

    tag: int
    type: int
    count: int
    pos: int
    value_pos: int

    @property
    def size(self) -> int:
        return TYPE_SIZES.get(self.type, 1) * self.count


class TiffReader:
    """Bounded reads of a TIFF stream held in memory (offsets are relative to its start)."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 8 or data[:2] not in (b"II", b"MM"):
            raise CorruptFile("not a TIFF/EXIF structure")
        self.data = data
        self.order = "<" if data[:2] == b"II" else ">"
        magic, self.first_ifd = struct.unpack(self.order + "HI", data[2:8])
        if magic != 42:
            raise CorruptFile("unsupported TIFF variant (BigTIFF or damaged header)")

    def u16(self, pos: int) -> int:
        if pos < 0 or pos + 2 > len(self.data):
            raise CorruptFile("TIFF offset out of range")
        return int(struct.unpack_from(self.order + "H", self.data, pos)[0])

    def u32(self, pos: int) -> int:
        if pos < 0 or pos + 4 > len(self.data):
            raise CorruptFile("TIFF offset out of range")
        return int(struct.unpack_from(self.order + "I", self.data, pos)[0])

    def ifd(self, offset: int) -> tuple[list[Entry], int]:
        """The entries of the IFD at ``offset`` and the offset of the next IFD (0 if none)."""
        count = self.u16(offset)
        if count > MAX_ENTRIES:
            raise CorruptFile("TIFF directory too large")
        entries = []
        for i in range(count):
            pos = offset + 2 + 12 * i
            if pos + 12 > len(self.data):
                raise CorruptFile("truncated TIFF directory")
            tag, typ, n = struct.unpack_from(self.order + "HHI", self.data, pos)
            size = TYPE_SIZES.get(typ, 1) * n
            value_pos = pos + 8 if size <= 4 else self.u32(pos + 8)
            entries.append(Entry(tag, typ, n, pos, value_pos))
        return entries, self.u32(offset + 2 + 12 * count)

    def value(self, entry: Entry) -> bytes:
        end = entry.value_pos + entry.size
        if entry.value_pos < 0 or end > len(self.data):
            raise CorruptFile("TIFF value out of range")
        return self.data[entry.value_pos : end]

    def ints(self, entry: Entry) -> list[int]:
        """Values of a BYTE/SHORT/LONG entry (an empty list for other types)."""
        code = {1: "B", 3: "H", 4: "I", 6: "b", 8: "h", 9: "i", 13: "I"}.get(entry.type)
        if code is None:
            return []
        raw = self.value(entry)
        return list(struct.unpack(self.order + code * entry.count, raw))

    def find(self, entries: list[Entry], tag: int) -> Entry | None:
        return next((e for e in entries if e.tag == tag), None)


@dataclass(frozen=True, slots=True)
class Kept:
    """The EXIF values a strip deliberately keeps."""

    orientation: int | None = None
    datetimes: tuple[tuple[int, bytes], ...] = ()  # (tag, ASCII value) of IFD0/ExifIFD dates


def read_kept(exif: bytes, keep_orientation: bool, keep_datetime: bool) -> Kept:
    """Orientation (0..8) and, if asked, the capture dates of an EXIF TIFF stream."""
    reader = TiffReader(exif)
    ifd0, _ = reader.ifd(reader.first_ifd)
    orientation = None
    if keep_orientation and (entry := reader.find(ifd0, TAG_ORIENTATION)) is not None:
        values = reader.ints(entry)
        if values and 0 <= values[0] <= 8:  # 0 is invalid but kept as found
            orientation = values[0]
    dates: list[tuple[int, bytes]] = []
    if keep_datetime:
        sources: list[tuple[list[Entry], tuple[int, ...]]] = [(ifd0, (TAG_DATETIME,))]
        if (ptr := reader.find(ifd0, TAG_EXIF_IFD)) is not None and reader.ints(ptr):
            sub, _ = reader.ifd(reader.ints(ptr)[0])
            sources.append((sub, (TAG_DATETIME_ORIGINAL, TAG_CREATE_DATE)))
        for entries, tags in sources:
            for tag in tags:
                entry = reader.find(entries, tag)
                if entry is not None and entry.type == TYPE_ASCII and 0 < entry.count <= 64:
                    dates.append((tag, reader.value(entry)))
    return Kept(orientation, tuple(dates))


def _ifd_bytes(entries: list[tuple[int, int, int, bytes]], start: int) -> bytes:
    """Big-endian IFD at ``start`` followed by its out-of-line values; next-IFD offset 0."""
    entries = sorted(entries)
    head = struct.pack(">H", len(entries))
    extra = b""
    extra_pos = start + 2 + 12 * len(entries) + 4
    for tag, typ, count, value in entries:
        if len(value) <= 4:
            head += struct.pack(">HHI", tag, typ, count) + value.ljust(4, b"\0")
        else:
            head += struct.pack(">HHII", tag, typ, count, extra_pos + len(extra))
            extra += value + (b"\0" if len(value) % 2 else b"")
    return head + b"\0\0\0\0" + extra


def build_exif(kept: Kept) -> bytes | None:
    """A fresh big-endian EXIF TIFF stream holding only ``kept`` (None when nothing is kept)."""
    ifd0: list[tuple[int, int, int, bytes]] = []
    sub: list[tuple[int, int, int, bytes]] = []
    if kept.orientation is not None:
        ifd0.append((TAG_ORIENTATION, TYPE_SHORT, 1, struct.pack(">H", kept.orientation)))
    for tag, value in kept.datetimes:
        target = ifd0 if tag == TAG_DATETIME else sub
        target.append((tag, TYPE_ASCII, len(value), value))
    if not ifd0 and not sub:
        return None
    if sub:
        ifd0.append((TAG_EXIF_IFD, TYPE_LONG, 1, b"\0\0\0\0"))  # patched below
        first = _ifd_bytes(ifd0, 8)
        sub_offset = 8 + len(first)
        ifd0[-1] = (TAG_EXIF_IFD, TYPE_LONG, 1, struct.pack(">I", sub_offset))
        first = _ifd_bytes(ifd0, 8)
        return b"MM\0*\0\0\0\x08" + first + _ifd_bytes(sub, sub_offset)
    return b"MM\0*\0\0\0\x08" + _ifd_bytes(ifd0, 8)


def drop_gps_ifd(exif: bytes) -> bytes | None:
    """``exif`` with the GPS IFD removed in place (pointer entry cut, GPS bytes zeroed).

    No other byte moves, so MakerNote and thumbnail offsets stay valid. Returns None when
    there is no GPS IFD.
    """
    reader = TiffReader(exif)
    ifd0_pos = reader.first_ifd
    ifd0, _ = reader.ifd(ifd0_pos)
    pointer = reader.find(ifd0, TAG_GPS_IFD)
    if pointer is None:
        return None
    out = bytearray(exif)
    offsets = reader.ints(pointer)
    if offsets and 0 < offsets[0] < len(exif):
        gps_pos = offsets[0]
        try:
            gps, _ = reader.ifd(gps_pos)
        except CorruptFile:
            gps = []
        for entry in gps:
            if entry.size > 4 and entry.value_pos + entry.size <= len(out):
                out[entry.value_pos : entry.value_pos + entry.size] = bytes(entry.size)
        end = min(len(out), gps_pos + 2 + 12 * len(gps) + 4)
        out[gps_pos:end] = bytes(end - gps_pos)
    # Cut the pointer entry: shift the following entries and the next-IFD offset up by 12.
    count = len(ifd0)
    tail_start = pointer.pos + 12
    tail_end = ifd0_pos + 2 + 12 * count + 4
    out[pointer.pos : tail_end - 12] = exif[tail_start:tail_end]
    out[tail_end - 12 : tail_end] = bytes(12)
    out[ifd0_pos : ifd0_pos + 2] = struct.pack(reader.order + "H", count - 1)
    return bytes(out)
