"""TIFF directories (IFDs) over bytes: the one reader for EXIF, TIFF, DNG and TIFF-based RAW.

EXIF is a TIFF stream wherever it is carried (JPEG APP1, the PNG ``eXIf`` and WebP ``EXIF``
chunks, HEIF items, CR3 boxes, TIFF files themselves), and maker notes, thumbnail offsets
and MPF directories are plain IFDs at known places, so one reader serves the metadata
readers and the strippers. Every offset is checked against the buffer and every count is
capped: metadata is hostile input.

Two ways to read, one parse of the entries:

- **lenient** (``entries``, ``ints``, ``text``...): what the readers use. A broken directory
  means "nothing found", never an exception or a huge allocation; an entry of a type TIFF 6.0
  does not define is skipped, as the standard asks. exifread decodes the standard IFDs, but
  with ``details=True`` it reads a large MakerNote one value at a time (a seek and a read per
  byte); this reads exactly the entries asked for, straight from the bytes.
- **strict** (``parse``, ``ifd``, ``value``, ``all_ints``): what the strippers use. Damage
  raises ``CorruptFile`` and entry positions are exposed, because a stripper edits entries in
  place and must never write a file it did not fully understand; an entry of an unknown type
  is kept with one-byte values, so every byte it may point at is accounted for.

Both read UNDEFINED (type 7) values as unsigned bytes (it is an 8-bit type: the strippers'
copy of the tables had dropped it); ``sub_ifd`` follows a pointer to another directory only
when it is a LONG or an IFD (types 4 and 13).
"""

from __future__ import annotations

import struct

from photoscan.errors import CorruptFile
from photoscan.printable import decode_text
from photoscan.tuples import NamedTuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Literal

MAX_ENTRIES = 4096  # no real IFD has more (maker notes: a few hundred); a bigger count is garbage
MAX_VALUE_BYTES = 1 << 20
MAX_INT_VALUES = 4096  # what the lenient ``ints`` returns at most

# TIFF field type -> size of one value in bytes (TIFF 6.0 and the EXIF IFD type 13)
TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
INT_FORMATS = {1: "B", 3: "H", 4: "I", 6: "b", 7: "B", 8: "h", 9: "i", 13: "I"}
POINTER_TYPES = frozenset({4, 13})  # LONG, IFD
TYPE_ASCII, TYPE_SHORT, TYPE_LONG, TYPE_UNDEFINED = 2, 3, 4, 7

TAG_ORIENTATION = 0x0112
TAG_DATETIME = 0x0132
TAG_XMP = 700
TAG_IPTC = 33723
TAG_PHOTOSHOP = 34377
TAG_ICC = 34675
TAG_EXIF_IFD = 0x8769
TAG_GPS_IFD = 0x8825
TAG_DATETIME_ORIGINAL = 0x9003
TAG_CREATE_DATE = 0x9004

# TIFF-based RAW formats with a magic of their own (Olympus ORF, Panasonic RW2): byte order.
RAW_MAGICS = {b"IIRO": True, b"IIRS": True, b"IIU\x00": True, b"MMOR": False}


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

    @classmethod
    def of_file(cls, data: bytes) -> TiffReader | None:
        """``at_header`` for a whole file, which may also be a TIFF-based RAW whose header has
        a magic of its own (``RAW_MAGICS``)."""
        reader = cls.at_header(data)
        if reader is None and data[:4] in RAW_MAGICS:
            reader = cls(data, 0, RAW_MAGICS[data[:4]])
        return reader

    @classmethod
    def parse(cls, data: bytes) -> TiffReader:
        """A strict reader of the TIFF stream ``data``; ``CorruptFile`` if it is not one."""
        if len(data) < 8 or data[:2] not in (b"II", b"MM"):
            raise CorruptFile("not a TIFF/EXIF structure")
        reader = cls(data, 0, data[:2] == b"II")
        if struct.unpack_from(reader.order + "H", data, 2)[0] != 42:
            raise CorruptFile("unsupported TIFF variant (BigTIFF or damaged header)")
        return reader

    # --- lenient reads: out of range is 0 or nothing ------------------------------------

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
        """``_parse_table``'s entries, but only known types whose values fit (the readers'
        hot path: a photo has hundreds of entries, so the loop is written out here)."""
        start = self.base + ifd
        count = self.u16(start)
        if ifd < 0 or count == 0 or count > MAX_ENTRIES:  # 0: an IFD at the base (notes)
            return {}
        data = self.data
        data_len = len(data)
        table = data[start + 2 : start + 2 + 12 * count]
        table = table[: len(table) - len(table) % 12]
        order = self.order
        byteorder: Literal["little", "big"] = "little" if order == "<" else "big"
        base = self.base
        out: dict[int, Entry] = {}
        pos = start + 2
        for tag, typ, n, raw in struct.iter_unpack(order + "HHI4s", table):
            unit = TYPE_SIZES.get(typ)
            if unit is not None and n <= MAX_VALUE_BYTES and tag not in out:
                size = unit * n
                value_pos = pos + 8 if size <= 4 else base + int.from_bytes(raw, byteorder)
                if value_pos + size <= data_len:
                    out[tag] = Entry(tag, typ, n, value_pos, size, pos)
            pos += 12
        return out

    def _parse_table(self, start: int, count: int) -> list[Entry]:
        """Every complete 12-byte entry of the table at ``start`` (an unknown type: size 1)."""
        data = self.data
        table = data[start + 2 : start + 2 + 12 * count]
        table = table[: len(table) - len(table) % 12]
        order = self.order
        byteorder: Literal["little", "big"] = "little" if order == "<" else "big"
        out = []
        pos = start + 2
        for tag, typ, n, raw in struct.iter_unpack(order + "HHI4s", table):
            size = TYPE_SIZES.get(typ, 1) * n
            value_pos = pos + 8 if size <= 4 else self.base + int.from_bytes(raw, byteorder)
            out.append(Entry(tag, typ, n, value_pos, size, pos))
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
        """The first ``MAX_INT_VALUES`` values of an integer entry; () for other types."""
        fmt = INT_FORMATS.get(entry.type)
        if fmt is None:
            return ()
        n = min(entry.values, MAX_INT_VALUES)
        return tuple(struct.unpack_from(f"{self.order}{n}{fmt}", self.data, entry.pos))

    def sub_ifd(self, entries: dict[int, Entry], tag: int) -> int:
        """The offset a pointer tag (ExifOffset, GPSInfo, ...) holds, or 0."""
        entry = entries.get(tag)
        if entry is None or entry.type not in POINTER_TYPES or entry.values < 1:
            return 0
        return self.u32(entry.pos)

    # --- strict reads: damage raises CorruptFile -----------------------------------------

    def ifd(self, offset: int) -> tuple[list[Entry], int]:
        """Every entry of the IFD at ``offset``, in file order, and the offset of the next
        IFD (0 if none)."""
        start = self.base + offset
        if offset < 0 or start + 2 > len(self.data):
            raise CorruptFile("TIFF offset out of range")
        count = self.u16(start)
        if count > MAX_ENTRIES:
            raise CorruptFile("TIFF directory too large")
        if start + 2 + 12 * count > len(self.data):
            raise CorruptFile("truncated TIFF directory")
        end = start + 2 + 12 * count
        if end + 4 > len(self.data):
            raise CorruptFile("TIFF offset out of range")
        return self._parse_table(start, count), self.u32(end)

    def value(self, entry: Entry) -> bytes:
        end = entry.pos + entry.size
        if entry.pos < 0 or end > len(self.data):
            raise CorruptFile("TIFF value out of range")
        return self.data[entry.pos : end]

    def all_ints(self, entry: Entry) -> tuple[int, ...]:
        """Every value of an integer entry (strip offsets may be thousands); () for others."""
        fmt = INT_FORMATS.get(entry.type)
        if fmt is None:
            return ()
        return struct.unpack(f"{self.order}{entry.values}{fmt}", self.value(entry))

    @staticmethod
    def find(entries: list[Entry], tag: int) -> Entry | None:
        return next((e for e in entries if e.tag == tag), None)
