"""TIFF: rebuild the file from its structural tags, copying strips/tiles byte for byte.

A TIFF's metadata lives in the same directories as its image layout, so it cannot be cut out
by blocks: every page is rewritten with a whitelist of tags that describe pixels (size,
compression, photometric, strips/tiles, colour maps, resolution), plus Orientation and the ICC
profile when kept. The compressed image data is copied unchanged, so decoded pixels are
identical by construction. Reduced-resolution pages (thumbnails) and SubIFDs are dropped.

A BigTIFF is rebuilt the same way from its classic view (``containers.bigtiff``: the same
offsets) and written as BigTIFF again, with 64-bit offsets.

``--only location`` edits in place instead: the GPS IFD is cut and XMP/IPTC are rewritten into
their own space, so nothing else moves.
"""

from __future__ import annotations

import struct

from photoscan.containers import bigtiff
from photoscan.containers.tiff import TAG_DATETIME, TAG_ORIENTATION, Entry, TiffReader
from photoscan.errors import CorruptFile
from photoscan.strip import icc, location
from photoscan.strip.types import Refused, StripOptions, Stripped

MAX_PAGES = 256
_PIXEL_TAGS = {
    254, 255, 256, 257, 258, 259, 262, 263, 266, 273, 277, 278, 279, 280, 281, 282, 283, 284,
    290, 291, 292, 293, 296, 301, 317, 318, 319, 320, 321, 322, 323, 324, 325, 332, 334, 338,
    339, 340, 341, 342, 347, 529, 530, 531, 532,
}  # fmt: skip
_OFFSETS_TO_COUNTS = {273: 279, 324: 325}
_TAG_ICC = 34675
_TYPE_SIZES = {1: 1, 7: 1}  # BYTE, UNDEFINED: the types an ICC profile is stored as


def _kept_tags(options: StripOptions) -> set[int]:
    tags = set(_PIXEL_TAGS)
    if options.keep_orientation:
        tags.add(TAG_ORIENTATION)
    if options.keep_icc:
        tags.add(_TAG_ICC)
    if options.keep_datetime:
        tags.add(TAG_DATETIME)
    return tags


def _kept_profile(reader: TiffReader, kept: list[Entry], blocks: list[str]) -> bytes | None:
    """The ICC profile a page keeps, without the display's tags (None: none kept)."""
    entry = reader.find(kept, _TAG_ICC)
    if entry is None or entry.type not in _TYPE_SIZES:
        return None
    return icc.kept_profile(reader.value(entry), blocks)


def _pages(reader: TiffReader) -> list[list[Entry]]:
    pages: list[list[Entry]] = []
    seen: set[int] = set()
    offset = reader.first_ifd()
    while offset and offset not in seen and len(pages) < MAX_PAGES:
        seen.add(offset)
        entries, offset = reader.ifd(offset)
        pages.append(entries)
    if not pages:
        raise CorruptFile("TIFF without images")
    return pages


def _is_thumbnail(reader: TiffReader, entries: list[Entry]) -> bool:
    entry = reader.find(entries, 254)
    return entry is not None and bool((reader.all_ints(entry) or (0,))[0] & 1)


def strip_tiff(data: bytes, options: StripOptions) -> Stripped:
    layout = bigtiff.CLASSIC
    if bigtiff.is_bigtiff(data):
        if options.only_location:
            raise Refused("--only location is not supported for BigTIFF (a full strip is)")
        layout, data = bigtiff.BIG, bigtiff.classic_view(data)
    reader = TiffReader.parse(data)
    if options.only_location:
        return _strip_location(data, reader)
    pages = _pages(reader)
    full = [p for p in pages if not _is_thumbnail(reader, p)] or pages[:1]
    if len(full) > 1:
        # Other tools read a TIFF's second directory as a preview image, so a clean-looking
        # multi-page output would be reported as leaking one; dropping pages would lose content.
        raise Refused(f"multi-page TIFF ({len(full)} pages) is not supported yet")
    blocks = ["TIFF tags"] + (["TIFF reduced-resolution pages"] if len(full) < len(pages) else [])
    keep = _kept_tags(options)
    order = reader.order
    out = bytearray(layout.header(order, 0))
    prev_next_pos = len(out) - struct.calcsize(layout.offset)
    offset_size = struct.calcsize(layout.offset)
    for entries in full:
        comp = reader.find(entries, 259)
        if comp is not None and (reader.all_ints(comp) or (1,))[0] == 6:
            raise Refused("old-style JPEG-in-TIFF cannot be rebuilt safely")
        new_offsets: dict[int, bytes] = {}
        for off_tag, count_tag in _OFFSETS_TO_COUNTS.items():
            off_e, cnt_e = reader.find(entries, off_tag), reader.find(entries, count_tag)
            if off_e is None:
                continue
            if cnt_e is None:
                raise CorruptFile("TIFF strips without byte counts")
            offsets, counts = reader.all_ints(off_e), reader.all_ints(cnt_e)
            if len(offsets) != len(counts):
                raise CorruptFile("TIFF strip tables disagree")
            positions = []
            for start, length in zip(offsets, counts, strict=True):
                if start + length > len(data):
                    raise CorruptFile("TIFF image data out of range")
                if len(out) % 2:
                    out += b"\0"
                positions.append(len(out))
                out += data[start : start + length]
            new_offsets[off_tag] = struct.pack(
                f"{order}{len(positions)}{layout.offset}", *positions
            )
        if not new_offsets:
            raise Refused("TIFF page without strips or tiles")
        kept = [e for e in entries if e.tag in keep]
        profile = _kept_profile(reader, kept, blocks)
        if profile is None:
            kept = [e for e in kept if e.tag != _TAG_ICC]
        if len(out) % 2:
            out += b"\0"
        ifd_pos = len(out)
        out[prev_next_pos : prev_next_pos + offset_size] = struct.pack(
            order + layout.offset, ifd_pos
        )
        count_size = struct.calcsize(layout.count)
        values_pos = ifd_pos + count_size + layout.entry_size * len(kept) + offset_size
        head = bytearray(struct.pack(order + layout.count, len(kept)))
        values = bytearray()
        for e in kept:
            typ = layout.offsets_type if e.tag in new_offsets else e.type
            value = new_offsets.get(e.tag) or reader.value(e)
            count = e.values
            if e.tag == _TAG_ICC and profile is not None:
                value, count = profile, len(profile) // _TYPE_SIZES[typ]
            head += struct.pack(order + "HH" + layout.offset, e.tag, typ, count)
            if len(value) <= layout.inline:
                head += value.ljust(layout.inline, b"\0")
            else:
                head += struct.pack(order + layout.offset, values_pos + len(values))
                values += value + (b"\0" if len(value) % 2 else b"")
        prev_next_pos = ifd_pos + len(head)
        out += head + bytes(offset_size) + values
    return Stripped(bytes(out), tuple(blocks))


def _strip_location(data: bytes, reader: TiffReader) -> Stripped:
    cut = location.tiff_without_location(data)
    return Stripped(data) if cut is None else Stripped(cut[0], cut[1])
