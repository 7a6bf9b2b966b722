"""Camera RAW and DNG photos: the embedded JPEG preview to look at (faces, share, display).

Pillow decodes no RAW sensor data. Worse, on a TIFF-based RAW (NEF, DNG, ARW) it happily
decodes IFD0, which is often a 160×120 thumbnail: faces found there would be too small to
see and their boxes would be in the thumbnail's pixels, not the photo's. Every camera
stores a JPEG rendering of the photo in the RAW (often full size, at least ~1.6 MP on
current bodies), so the face pass, share-safe copies and the desktop app's preview all look
at the *largest* baseline JPEG the file holds.

Where they live: in TIFF-based files the JPEGInterchangeFormat of any IFD or SubIFD, a
single-strip JPEG-compressed IFD (CR2's IFD0, DNG previews), Panasonic's JpgFromRaw (IFD0
tag 0x2E) and maker-note previews; the other containers through their readers' span
helpers (``cr3.jpeg_spans``, ``x3f.jpeg_spans``), the RAF header and CRW heap. Candidates
are views into the file's bytes; only the chosen JPEG is copied. Lossless JPEG (SOF3, the
raw data of CR2 and many DNGs) is not a preview and is skipped.

Geometry: a preview's own EXIF orientation wins (RAF and X3F previews carry the photo's
EXIF); else the RAW's IFD0 Orientation applies. Boxes are scaled to the photo's size as
its scan record states it (``metadata.extract``), turned the same way. A preview whose
aspect ratio differs from the photo's by more than ``MAX_ASPECT_DIFF`` is a crop of the
sensor area (or the record's size is the sensor's, margins included): there is no honest
way to know where the crop sits, so boxes then keep the preview's shape, scaled by the
long sides only.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from photoscan.containers import ciff
from photoscan.containers.jpeg import header_segments
from photoscan.containers.tiff import TiffReader
from photoscan.errors import PhotoscanError, UnsupportedFormat
from photoscan.metadata.exif import makernotes
from photoscan.metadata.raw import cr3, x3f
from photoscan.metadata.raw.raf import RAF_MAGIC
from photoscan.model import ImageFormat
from photoscan.source.sniff import HEADER_BYTES, sniff

MIN_PREVIEW_SIDE: Final = 640  # below this a child's face is a few pixels wide: not checked
MAX_ASPECT_DIFF: Final = 0.02
MAX_CANDIDATES: Final = 32
MAX_IFDS: Final = 16
HEAD_BYTES: Final = 1 << 16  # enough of a JPEG to reach its SOF marker
PREVIEW_FORMATS: Final = frozenset({ImageFormat.RAW, ImageFormat.DNG})
_BASELINE_SOF: Final = frozenset({0xC0, 0xC1, 0xC2})  # what Pillow decodes (not SOF3)
_TAG_ORIENTATION, _TAG_JPG_FROM_RAW, _TAG_SUBIFDS = 0x0112, 0x002E, 0x014A
_JPEG_COMPRESSIONS: Final = frozenset({6, 7})
_CRW_PREVIEWS: Final = {0x2007: "CIFF:JpgFromRaw", 0x2008: "CIFF:ThumbnailImage"}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One embedded JPEG: a view of its bytes and its size from the SOF header."""

    field: str
    view: memoryview
    size: tuple[int, int]

    @property
    def pixels(self) -> int:
        return self.size[0] * self.size[1]


@dataclass(frozen=True, slots=True)
class Preview:
    """The JPEG to look for faces in, with what maps its boxes onto the photo."""

    field: str
    jpeg: bytes
    size: tuple[int, int]  # the JPEG's stored size
    orientation: int  # the RAW's Orientation (1 when unknown); the JPEG's own tag wins
    photo_size: tuple[int, int] | None  # the photo's stored size, as its scan record says


def photo_format(data: bytes, name: str) -> ImageFormat | None:
    """The format the scan gave the file (by content; the name only tells NEF from TIFF)."""
    return sniff(data[:HEADER_BYTES], name.rsplit("/", 1)[-1]).format


def candidates(data: bytes) -> list[Candidate]:
    """Every decodable (baseline or progressive) JPEG preview of a RAW-like file."""
    found: list[Candidate] = []
    for field, view in _views(data):
        size = _baseline_size(bytes(view[:HEAD_BYTES])) if view.nbytes > 4 else None
        if size is not None:
            found.append(Candidate(field, view, size))
        if len(found) >= MAX_CANDIDATES:
            break
    return found


def choose(data: bytes, fmt: ImageFormat, name: str) -> Preview:
    """The largest embedded preview, or ``UnsupportedFormat`` saying why faces are not
    checked (no preview, or only small ones)."""
    found = candidates(data)
    if not found:
        raise UnsupportedFormat("no embedded JPEG preview to look for faces in")
    best = max(found, key=lambda c: c.pixels)
    if max(best.size) < MIN_PREVIEW_SIDE:
        width, height = best.size
        raise UnsupportedFormat(
            f"only a small embedded preview ({width}×{height}): faces not checked"
        )
    return Preview(
        best.field, bytes(best.view), best.size, orientation(data), _size(data, fmt, name)
    )


def preview_for(data: bytes, name: str) -> Preview | None:
    """The preview the face pass looks at for a RAW or DNG photo, for display (the GUI
    draws face boxes over it); None for other formats or when faces were not checked."""
    fmt = photo_format(data, name)
    if fmt is None or fmt not in PREVIEW_FORMATS:
        return None
    try:
        return choose(data, fmt, name)
    except UnsupportedFormat:
        return None


def photo_frame(
    preview: tuple[int, int], photo: tuple[int, int] | None, turned: bool
) -> tuple[int, int]:
    """The size, in displayed orientation, that boxes found in the displayed ``preview``
    map to: the photo's (``turned``: its stored size is swapped by the orientation), or
    the preview scaled by the long sides when the shapes differ (a cropped preview)."""
    if photo is None or min(photo) <= 0 or min(preview) <= 0:
        return preview
    width, height = (photo[1], photo[0]) if turned else photo
    if abs(width / height - preview[0] / preview[1]) <= MAX_ASPECT_DIFF * width / height:
        return width, height
    scale = max(width, height) / max(preview)
    return max(1, round(preview[0] * scale)), max(1, round(preview[1] * scale))


def orientation(data: bytes) -> int:
    """IFD0 Orientation of a TIFF-based RAW or of a CR3's CMT1; 1 when there is none."""
    tiff: bytes | None = data
    if data[4:12] == b"ftypcrx ":
        tiff = cr3.jpeg_spans(data)[1]
    reader = TiffReader.of_file(tiff) if tiff is not None else None
    if reader is None:
        return 1
    entry = reader.entries(reader.first_ifd()).get(_TAG_ORIENTATION)
    values = reader.ints(entry) if entry is not None else ()
    return values[0] if values and 1 <= values[0] <= 8 else 1


def _size(data: bytes, fmt: ImageFormat, name: str) -> tuple[int, int] | None:
    """The photo's stored size exactly as the metadata pass records it."""
    from photoscan.metadata import Source, extract

    try:
        found = extract(Source(name, data, fmt), kinds_only=True)
    except (PhotoscanError, ValueError, LookupError, ArithmeticError, struct.error):
        return None
    if found.width is None or found.height is None:
        return None
    return found.width, found.height


def _baseline_size(head: bytes) -> tuple[int, int] | None:
    for marker, _at, start, end in header_segments(head):
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            if marker not in _BASELINE_SOF or end - start < 5:
                return None
            height, width = struct.unpack(">HH", head[start + 1 : start + 5])
            return (width, height) if width and height else None
    return None


def _views(data: bytes) -> Iterator[tuple[str, memoryview]]:
    """(field, view of the bytes) of each place a JPEG preview may be; a span running past
    the end of a cut file is cut there too (the decoder then says it is truncated)."""
    whole = memoryview(data)
    crw = ciff.header(data, ciff.CRW_SIGNATURE)
    if crw is not None:
        order, start = crw
        for tag_id, value in ciff.heap_values(data, start, len(data), order):
            if tag_id in _CRW_PREVIEWS:
                yield _CRW_PREVIEWS[tag_id], value
        return
    for field, start, length in _spans(data):
        if 0 < start < len(data) and length > 0:
            yield field, whole[start : start + length]


def _spans(data: bytes) -> Iterator[tuple[str, int, int]]:
    """(field, absolute start, length) of the previews of a file that is not CRW."""
    if data[4:12] == b"ftypcrx ":
        yield from cr3.jpeg_spans(data)[0]
    elif data[: len(RAF_MAGIC)] == RAF_MAGIC and len(data) >= 92:
        start, length = struct.unpack(">II", data[84:92])
        yield "RAF:PreviewImage", start, length
    elif data[:4] == x3f.X3F_MAGIC:
        yield from x3f.jpeg_spans(data)
    else:
        reader = TiffReader.of_file(data)
        if reader is not None:
            yield from _tiff_spans(reader)
            yield from makernotes.preview_spans(reader)


def _tiff_spans(reader: TiffReader) -> Iterator[tuple[str, int, int]]:
    """JPEGs of IFD0..n and their SubIFDs (bounded), and RW2's JpgFromRaw."""
    ifds = reader.ifd_chain(limit=MAX_IFDS)
    if ifds:
        entry = reader.entries(ifds[0]).get(_TAG_JPG_FROM_RAW)
        if entry is not None:
            yield "PanasonicRaw:JpgFromRaw", entry.pos, entry.size
    subs: list[int] = []
    for ifd in ifds:
        sub = reader.entries(ifd).get(_TAG_SUBIFDS)
        subs += list(reader.ints(sub))[:MAX_IFDS] if sub is not None else []
    for ifd in (ifds + subs)[: 2 * MAX_IFDS]:
        entries = reader.entries(ifd)
        start, length = entries.get(0x0201), entries.get(0x0202)
        if start is not None and length is not None:
            s, n = reader.ints(start), reader.ints(length)
            if s and n:
                yield "EXIF:PreviewImage", reader.base + s[0], n[0]
            continue
        strips, counts = entries.get(0x0111), entries.get(0x0117)
        compression = entries.get(0x0103)
        if strips is None or counts is None or compression is None:
            continue
        if reader.ints(compression)[:1] and reader.ints(compression)[0] in _JPEG_COMPRESSIONS:
            s, n = reader.ints(strips), reader.ints(counts)
            if len(s) == 1 and len(n) == 1:
                yield "EXIF:PreviewImage", reader.base + s[0], n[0]
