"""The EXIF a strip writes back: the values it keeps, a fresh minimal EXIF, the GPS cut.

EXIF is a TIFF stream (in JPEG APP1, the WebP ``EXIF`` chunk, the PNG ``eXIf`` chunk, and TIFF
files themselves), read strictly with ``containers.tiff`` (a stripper must never write what it
did not fully understand). Here: read the values we deliberately keep (Orientation,
optionally the capture dates), build a tiny new EXIF holding only them, and cut the GPS IFD
out of an existing EXIF without moving any other byte (so MakerNote offsets stay valid in
``--only location``).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from photoscan.containers.tiff import (
    TAG_CREATE_DATE,
    TAG_DATETIME,
    TAG_DATETIME_ORIGINAL,
    TAG_EXIF_IFD,
    TAG_GPS_IFD,
    TAG_ORIENTATION,
    TYPE_ASCII,
    TYPE_LONG,
    TYPE_SHORT,
    TYPE_UNDEFINED,
    Entry,
    TiffReader,
)
from photoscan.errors import CorruptFile


@dataclass(frozen=True, slots=True)
class Kept:
    """The EXIF values a strip deliberately keeps."""

    orientation: int | None = None
    datetimes: tuple[tuple[int, bytes], ...] = ()  # (tag, ASCII value) of IFD0/ExifIFD dates


def read_kept(exif: bytes, keep_orientation: bool, keep_datetime: bool) -> Kept:
    """Orientation (0..8) and, if asked, the capture dates of an EXIF TIFF stream."""
    reader = TiffReader.parse(exif)
    ifd0, _ = reader.ifd(reader.first_ifd())
    orientation = None
    if keep_orientation and (entry := reader.find(ifd0, TAG_ORIENTATION)) is not None:
        values = reader.all_ints(entry)
        if values and 0 <= values[0] <= 8:  # 0 is invalid but kept as found
            orientation = values[0]
    dates: list[tuple[int, bytes]] = []
    if keep_datetime:
        sources: list[tuple[list[Entry], tuple[int, ...]]] = [(ifd0, (TAG_DATETIME,))]
        ptr = reader.find(ifd0, TAG_EXIF_IFD)
        sub_ifd = _offset(reader, ptr) if ptr is not None else None
        if sub_ifd is not None:
            sub, _ = reader.ifd(sub_ifd)
            sources.append((sub, (TAG_DATETIME_ORIGINAL, TAG_CREATE_DATE)))
        for entries, tags in sources:
            for tag in tags:
                entry = reader.find(entries, tag)
                if entry is not None and entry.type == TYPE_ASCII and 0 < entry.values <= 64:
                    dates.append((tag, reader.value(entry)))
    return Kept(orientation, tuple(dates))


def _offset(reader: TiffReader, entry: Entry) -> int | None:
    """The directory a pointer entry points at. Any integer type counts here (a writer may
    have used SHORT: cutting GPS must not depend on it), but not UNDEFINED bytes."""
    values = reader.all_ints(entry) if entry.type != TYPE_UNDEFINED else ()
    return values[0] if values else None


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
    reader = TiffReader.parse(exif)
    ifd0_pos = reader.first_ifd()
    ifd0, _ = reader.ifd(ifd0_pos)
    pointer = reader.find(ifd0, TAG_GPS_IFD)
    if pointer is None:
        return None
    out = bytearray(exif)
    gps_pos = _offset(reader, pointer)
    if gps_pos is not None and 0 < gps_pos < len(exif):
        try:
            gps, _ = reader.ifd(gps_pos)
        except CorruptFile:
            gps = []
        for entry in gps:
            if entry.size > 4 and entry.pos + entry.size <= len(out):
                out[entry.pos : entry.pos + entry.size] = bytes(entry.size)
        end = min(len(out), gps_pos + 2 + 12 * len(gps) + 4)
        out[gps_pos:end] = bytes(end - gps_pos)
    # Cut the pointer entry: shift the following entries and the next-IFD offset up by 12.
    count = len(ifd0)
    tail_start = pointer.at + 12
    tail_end = ifd0_pos + 2 + 12 * count + 4
    out[pointer.at : tail_end - 12] = exif[tail_start:tail_end]
    out[tail_end - 12 : tail_end] = bytes(12)
    out[ifd0_pos : ifd0_pos + 2] = struct.pack(reader.order + "H", count - 1)
    return bytes(out)
