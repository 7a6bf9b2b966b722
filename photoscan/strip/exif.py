"""The EXIF a strip writes back: the values it keeps, a fresh minimal EXIF, the GPS cut.

EXIF is a TIFF stream (in JPEG APP1, the WebP ``EXIF`` chunk, the PNG ``eXIf`` chunk, and TIFF
files themselves), read strictly with ``containers.tiff`` (a stripper must never write what it
did not fully understand). Here: read the values we deliberately keep (Orientation,
optionally the capture dates), build a tiny new EXIF holding only them, and cut the GPS IFD
out of an existing EXIF without moving any other byte (so MakerNote offsets stay valid in
``--only location``).

A JPEG's EXIF must also hold the tags the EXIF spec makes mandatory (ExifTool's ``-validate``
rules, Validate.pm ``%validValue{JPEG}``): XResolution, YResolution, ResolutionUnit and
YCbCrPositioning in IFD0, and in an Exif IFD ExifVersion, ComponentsConfiguration,
FlashpixVersion, ColorSpace and PixelX/YDimension. They name nobody and no device: the
original's valid values are carried over, the rest filled with ExifTool's own defaults
(WriteExif.pl ``%mandatory``) and the frame's size.
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

TAG_X_RESOLUTION, TAG_Y_RESOLUTION, TAG_RESOLUTION_UNIT, TAG_YCBCR_POSITIONING = (
    0x011A,
    0x011B,
    0x0128,
    0x0213,
)
TAG_EXIF_VERSION, TAG_COMPONENTS, TAG_FLASHPIX_VERSION = 0x9000, 0x9101, 0xA000
TAG_COLOR_SPACE, TAG_PIXEL_X, TAG_PIXEL_Y = 0xA001, 0xA002, 0xA003
TYPE_RATIONAL = 5
Field = tuple[int, int, int, bytes]  # tag, type, count, big-endian value bytes

# IFD0 / Exif IFD tags a JPEG's EXIF must hold, with ExifTool's defaults (the pixel
# dimensions come from the frame).
_RATIONAL_72 = struct.pack(">II", 72, 1)
IFD0_REQUIRED: dict[int, Field] = {
    TAG_X_RESOLUTION: (TAG_X_RESOLUTION, TYPE_RATIONAL, 1, _RATIONAL_72),
    TAG_Y_RESOLUTION: (TAG_Y_RESOLUTION, TYPE_RATIONAL, 1, _RATIONAL_72),
    TAG_RESOLUTION_UNIT: (TAG_RESOLUTION_UNIT, TYPE_SHORT, 1, struct.pack(">H", 2)),
    TAG_YCBCR_POSITIONING: (TAG_YCBCR_POSITIONING, TYPE_SHORT, 1, struct.pack(">H", 1)),
}
EXIF_REQUIRED: dict[int, Field] = {
    TAG_EXIF_VERSION: (TAG_EXIF_VERSION, TYPE_UNDEFINED, 4, b"0232"),
    TAG_COMPONENTS: (TAG_COMPONENTS, TYPE_UNDEFINED, 4, b"\x01\x02\x03\x00"),
    TAG_FLASHPIX_VERSION: (TAG_FLASHPIX_VERSION, TYPE_UNDEFINED, 4, b"0100"),
    TAG_COLOR_SPACE: (TAG_COLOR_SPACE, TYPE_SHORT, 1, struct.pack(">H", 0xFFFF)),
}


@dataclass(frozen=True, slots=True)
class Kept:
    """The EXIF values a strip deliberately keeps."""

    orientation: int | None = None
    datetimes: tuple[tuple[int, bytes], ...] = ()  # (tag, ASCII value) of IFD0/ExifIFD dates
    required: tuple[Field, ...] = ()  # the original's valid mandatory tags (IFD0, Exif IFD)


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
    required = _required(reader, ifd0)
    if keep_datetime:
        sources: list[tuple[list[Entry], tuple[int, ...]]] = [(ifd0, (TAG_DATETIME,))]
        ptr = reader.find(ifd0, TAG_EXIF_IFD)
        sub_ifd = _offset(reader, ptr) if ptr is not None else None
        if sub_ifd is not None:
            sub, _ = reader.ifd(sub_ifd)
            sources.append((sub, (TAG_DATETIME_ORIGINAL, TAG_CREATE_DATE)))
            required += _required(reader, sub)
        for entries, tags in sources:
            for tag in tags:
                entry = reader.find(entries, tag)
                if entry is not None and entry.type == TYPE_ASCII and 0 < entry.values <= 64:
                    dates.append((tag, reader.value(entry)))
    return Kept(orientation, tuple(dates), required)


def _required(reader: TiffReader, entries: list[Entry]) -> tuple[Field, ...]:
    """The mandatory tags of one directory whose values ExifTool's validator accepts, as
    big-endian fields (a value that does not pass is left for the default)."""
    found: list[Field] = []
    for entry in entries:
        tag, count = entry.tag, entry.values
        if entry.type == TYPE_RATIONAL and tag in (TAG_X_RESOLUTION, TAG_Y_RESOLUTION):
            if count == 1:
                numbers = struct.unpack(reader.order + "II", reader.value(entry))
                found.append((tag, TYPE_RATIONAL, 1, struct.pack(">II", *numbers)))
        elif entry.type == TYPE_UNDEFINED and count == 4 and tag in EXIF_REQUIRED:
            value = reader.value(entry)
            if tag != TAG_COMPONENTS and not value.isdigit():
                continue
            found.append((tag, TYPE_UNDEFINED, 4, value))
        elif entry.type in (TYPE_SHORT, TYPE_LONG) and count == 1:
            (number,) = reader.all_ints(entry)
            valid = {
                TAG_RESOLUTION_UNIT: (1, 2, 3),
                TAG_YCBCR_POSITIONING: (1, 2),
                TAG_COLOR_SPACE: (1, 0xFFFF),
            }.get(tag, ())
            if number in valid:
                found.append((tag, TYPE_SHORT, 1, struct.pack(">H", number)))
            elif tag in (TAG_PIXEL_X, TAG_PIXEL_Y):
                found.append((tag, TYPE_LONG, 1, struct.pack(">I", number)))
    return tuple(found)


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


def build_exif(kept: Kept, jpeg_frame: tuple[int, int] | None = None) -> bytes | None:
    """A fresh big-endian EXIF TIFF stream holding only ``kept`` (None when nothing is kept).
    For a JPEG (``jpeg_frame``: its width and height) it also holds the mandatory tags."""
    ifd0: list[Field] = []
    sub: list[Field] = []
    if kept.orientation is not None:
        ifd0.append((TAG_ORIENTATION, TYPE_SHORT, 1, struct.pack(">H", kept.orientation)))
    for tag, value in kept.datetimes:
        target = ifd0 if tag == TAG_DATETIME else sub
        target.append((tag, TYPE_ASCII, len(value), value))
    if not ifd0 and not sub:
        return None
    if jpeg_frame is not None:
        ifd0 += _with_defaults(kept, IFD0_REQUIRED)
        if sub:
            width, height = jpeg_frame
            sub += _with_defaults(
                kept,
                {
                    **EXIF_REQUIRED,
                    TAG_PIXEL_X: (TAG_PIXEL_X, TYPE_LONG, 1, struct.pack(">I", width)),
                    TAG_PIXEL_Y: (TAG_PIXEL_Y, TYPE_LONG, 1, struct.pack(">I", height)),
                },
            )
    if sub:
        ifd0.append((TAG_EXIF_IFD, TYPE_LONG, 1, b"\0\0\0\0"))  # patched below
        first = _ifd_bytes(ifd0, 8)
        sub_offset = 8 + len(first)
        ifd0[-1] = (TAG_EXIF_IFD, TYPE_LONG, 1, struct.pack(">I", sub_offset))
        first = _ifd_bytes(ifd0, 8)
        return b"MM\0*\0\0\0\x08" + first + _ifd_bytes(sub, sub_offset)
    return b"MM\0*\0\0\0\x08" + _ifd_bytes(ifd0, 8)


def _with_defaults(kept: Kept, defaults: dict[int, Field]) -> list[Field]:
    carried = {field[0]: field for field in kept.required if field[0] in defaults}
    return [carried.get(tag, field) for tag, field in defaults.items()]


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
