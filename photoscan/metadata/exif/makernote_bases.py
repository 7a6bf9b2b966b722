"""Where a maker note's IFD and values really are: ExifTool's fixes for notes whose offsets
are not what a plain TIFF reading says.

Vendors count value offsets from the TIFF header, the note, or the file; editors move notes
without rewriting them (Canon's footer remembers where the note was, FixBase finds the
shift from where the values start); Leica changed base between JPEG and DNG; Kodak put two
stray bytes beside the entry count; Pentax, Samsung and some Kodak notes put a header of
varying length before the IFD. Each fix returns the reader and IFD offset to use, and
falls back to the plain reading when its evidence is missing.
"""

from __future__ import annotations

from photoscan.containers.tiff import TiffReader
from photoscan.metadata.exif.makernote_layouts import Order


def order(data: bytes, start: int, little: bool, order: Order) -> bool:
    """ExifTool's guess for "Unknown" byte order: an entry count whose high byte is larger
    than its low byte is surely the other way round."""
    if order is Order.LITTLE:
        return True
    if order is Order.BIG:
        return False
    count = TiffReader(data, 0, little).u16(start)
    if count & 0xFF00 and (count >> 8) > (count & 0xFF):
        return not little
    return little


_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}


def _value_blocks(reader: TiffReader, ifd: int) -> list[tuple[int, int]]:
    """(offset as written, size) of an IFD's out-of-line values, sorted. Read from the raw
    entries, not the checked ones: a note with a wrong base points outside the data."""
    at = reader.base + ifd
    count = min(reader.u16(at), 512)
    blocks = []
    for i in range(count):
        entry = at + 2 + 12 * i
        size = _TYPE_SIZES.get(reader.u16(entry + 2), 0) * reader.u32(entry + 4)
        if size > 4:
            blocks.append((reader.u32(entry + 8), size))
    return sorted(blocks)


def _rebased(reader: TiffReader, ifd: int, fix: int) -> tuple[TiffReader, int]:
    """The same IFD read with its value offsets counted from ``fix`` bytes further on."""
    moved = TiffReader(reader.data, reader.base + fix, reader.order == "<")
    return (moved, ifd - fix) if moved.entries(ifd - fix) else (reader, ifd)


def fix_base(reader: TiffReader, ifd: int) -> tuple[TiffReader, int]:
    """ExifTool's FixBase: values normally start 4 bytes after the directory (0 and 4 are
    both fine); any other gap means the writer counted offsets from elsewhere."""
    blocks = [b for b in _value_blocks(reader, ifd) if b[0] >= 12]
    if not blocks:
        return reader, ifd
    ifd_end = ifd + 2 + 12 * reader.u16(reader.base + ifd)
    diff = blocks[0][0] - ifd_end
    if diff in (0, 4):
        return reader, ifd
    return _rebased(reader, ifd, 4 - diff)


def canon_footer(reader: TiffReader, ifd: int, pos: int, end: int) -> tuple[TiffReader, int]:
    """Canon notes end with a TIFF-like footer holding their original offset: an editor
    that moved the note without rewriting it shifts every value by the difference."""
    footer = reader.data[end - 8 : end]
    mark = b"II*\x00" if reader.order == "<" else b"MM\x00*"
    if end - pos <= 8 or footer[:4] != mark:
        return reader, ifd
    fix = (pos - reader.base) - reader.u32(end - 4)
    if not fix:
        return reader, ifd
    blocks = _value_blocks(reader, ifd)
    if blocks:  # Picasa and ACDSee move the values and leave the footer stale
        last = max(offset + size for offset, size in blocks)
        if (end - 8 - reader.base) - last in (0, 1):
            return reader, ifd
    return _rebased(reader, ifd, fix)


def leica_base(reader: TiffReader, ifd: int) -> tuple[TiffReader, int]:
    """Leica M8 offsets count from the IFD in JPEGs and from 8 bytes earlier in DNGs."""
    blocks = _value_blocks(reader, ifd)
    count = reader.u16(reader.base + ifd)
    if blocks and blocks[0][0] - (12 * count + 4) > 8:
        return _rebased(reader, ifd, -8)
    return reader, ifd


def kodak_patched(
    data: bytes,
    pos: int,
    end: int,
    start: int,
    base: int,
    little: bool,
) -> tuple[TiffReader, int] | None:
    """Kodak (and PixPro) notes put two stray bytes beside the entry count: read a copy of
    the note with the count moved next to the first entry, as ExifTool's patch does."""
    if start + 4 > end or base < pos:
        return None
    note = bytearray(data[pos:end])
    at = start - pos
    first = TiffReader(bytes(note), 0, little)
    count = first.u16(at) or first.u16(at + 2)
    note[at + 2 : at + 4] = count.to_bytes(2, "little" if little else "big")
    return TiffReader(bytes(note), base - pos, little), at + 2 - (base - pos)


def locate_ifd(data: bytes, pos: int, end: int, little: bool) -> tuple[int, bool] | None:
    """ExifTool's LocateIFD: an IFD within the note's first 32 bytes (Pentax, Samsung and
    some Kodak notes put a header of varying length before it), with its byte order."""
    for offset in range(0, 34, 2):
        at = pos + offset
        if at + 14 > end:
            return None
        for order in (little, not little):
            reader = TiffReader(data, 0, order)
            count = reader.u16(at)
            if 0 < count < 256 and _plausible(reader, at, count, end):
                return at, order
    return None


def _plausible(reader: TiffReader, at: int, count: int, end: int) -> bool:
    if end - (at + 2 + 12 * count) not in (0, 2) and end - (at + 2 + 12 * count) < 4:
        return False
    for i in range(count):
        typ = reader.u16(at + 2 + 12 * i + 2)
        values = reader.u32(at + 2 + 12 * i + 4)
        if typ == 0 and (i == 0 or values):
            return False
        if typ > 13 or values & 0xFF000000:
            return False
    return True
