"""Embedded thumbnails and previews → ``thumbnail`` findings, and the stale-thumbnail check.

Cameras and phones store small copies of the photo: the EXIF IFD1 thumbnail, maker-note
previews, MPF images after the main JPEG, a JFXX or Photoshop thumbnail, HEIF thumbnail
items, extra pages or reduced-resolution images in TIFF-based files. Many editors crop or
retouch the main image and leave those copies as they were, so the file still shows what
the crop removed (Simple-Gallery#2840, cropgui#86). Each copy is reported; the first
decodable one is compared with a small downscale of the main image (``thumbcompare``), and a
copy that shows a different picture is a high-severity finding.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Literal

from photoscan.containers.jpeg import header_segments
from photoscan.containers.tiff import TAG_PHOTOSHOP, Entry, TiffReader
from photoscan.metadata import psd
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.exif import iptc, makernotes
from photoscan.metadata.exif.exiflocate import locate_tiff
from photoscan.metadata.thumbs import flashpix, thumbcompare
from photoscan.model import FindingKind, ImageFormat, Severity

MAX_IMAGES = 16
_TIFF_FORMATS = {ImageFormat.TIFF, ImageFormat.DNG, ImageFormat.RAW}
_MPF_PREVIEW_TYPES = {0x010001, 0x010002}  # "Large Thumbnail" (VGA / full HD)
_TAG_JPG_FROM_RAW = 0x002E  # Panasonic RW2: a full-size JPEG in IFD0


@dataclass(frozen=True, slots=True)
class Embedded:
    """One embedded image: where it was found and, for JPEGs, its bytes."""

    field: str
    what: str  # "thumbnail", "preview", "image"
    jpeg: bytes | None = None
    size: tuple[int, int] | None = None
    nbytes: int = 0


def read_thumbnails(
    source: Source,
    col: Collector,
    thorough: bool = False,
    compare: bool = True,
    first_only: bool = False,
) -> None:
    """Report every embedded image of ``source``; flag one that no longer matches.

    The shapes are always compared, from the headers (free), and pixels confirm a different
    shape. A crop that keeps the aspect ratio shows only in the pixels of the whole photo:
    decoding costs ~1 ms per 100 KB of JPEG even in draft mode (a 12 MP photo: 30-60 ms,
    more than everything else photoscan reads from it), so that is done with ``thorough``.
    Without ``compare`` nothing is compared: a mismatch only adds a second THUMBNAIL finding.
    ``first_only`` (implies no comparison) reports the first image found and stops looking:
    enough for callers that only need to know *that* a photo has one (strip's ``removed``),
    and it skips walking maker notes for previews when an EXIF thumbnail came first.
    """
    if first_only:
        found = next(_each_embedded(source), None)
        if found is not None:
            col.add(FindingKind.THUMBNAIL, found.field, describe(found), Severity.MEDIUM)
        return
    images = find_embedded(source)
    for image in images:
        col.add(FindingKind.THUMBNAIL, image.field, describe(image), Severity.MEDIUM)
    candidate = next((i for i in images if i.jpeg is not None), None)
    if not compare or candidate is None or candidate.jpeg is None:
        return
    verdict = thumbcompare.compare(candidate.jpeg, source.data, source.fmt, thorough)
    if verdict.mismatch:
        col.add(
            FindingKind.THUMBNAIL,
            f"{candidate.field} (mismatch)",
            f"the embedded {candidate.what} shows a different picture than the photo "
            f"({verdict.reason}); it may show what a crop or edit removed",
            Severity.HIGH,
        )


def describe(image: Embedded) -> str:
    """E.g. "160×120 JPEG thumbnail, 5 KB"."""
    parts = []
    if image.size is not None:
        parts.append(f"{image.size[0]}×{image.size[1]}")
    parts.append("JPEG" if image.jpeg is not None else "")
    parts.append(image.what)
    text = " ".join(p for p in parts if p)
    if image.nbytes:
        text += f", {max(1, round(image.nbytes / 1024))} KB"
    return text


def find_embedded(source: Source) -> list[Embedded]:
    """Every embedded image of ``source`` (at most ``MAX_IMAGES``), in file order of kind."""
    return list(islice(_each_embedded(source), MAX_IMAGES))


def _each_embedded(source: Source) -> Iterator[Embedded]:
    """The embedded images one by one, cheapest places first, so a caller may stop early."""
    data = source.data
    if source.fmt in (ImageFormat.HEIF, ImageFormat.AVIF):
        yield from _heif_thumbnails(data)  # HEIF keeps them as items, not in EXIF
        return
    offset = locate_tiff(data, source.fmt)
    reader = TiffReader.at_header(data, offset) if offset is not None else None
    if reader is None and offset is not None:
        reader = TiffReader(data, offset, data[offset : offset + 2] == b"II")
    if reader is not None:
        whole_tiff = source.fmt in _TIFF_FORMATS
        yield from _tiff_images(reader, whole_tiff)
        if whole_tiff:
            yield from _tiff_ifd0_images(reader)
        for field, start, length in makernotes.preview_spans(reader):
            yield from _jpeg_at(field, "preview", data, start, length)
    if source.fmt is ImageFormat.JPEG:
        yield from _jpeg_segment_images(data)
    if source.fmt is ImageFormat.PSD:
        yield from _photoshop_thumbnails(psd.image_resources(data))


def _jpeg_at(field: str, what: str, data: bytes, start: int, length: int) -> list[Embedded]:
    if start <= 0 or length <= 0 or start + length > len(data):
        return []
    blob = data[start : start + length]
    if blob[:2] != b"\xff\xd8":
        return []
    return [Embedded(field, what, blob, thumbcompare.jpeg_size(blob), length)]


def _ifd_image(
    reader: TiffReader, entries: dict[int, Entry], field: str, what: str
) -> list[Embedded]:
    start, length = entries.get(0x0201), entries.get(0x0202)
    if start is not None and length is not None:
        s, n = reader.ints(start), reader.ints(length)
        if s and n:
            return _jpeg_at(field, what, reader.data, reader.base + s[0], n[0])
    width, height = entries.get(0x0100), entries.get(0x0101)
    if width is None or height is None or 0x0111 not in entries:
        return []
    w, h = reader.ints(width), reader.ints(height)
    if not w or not h:
        return []
    sizes = reader.ints(entries[0x0117]) if 0x0117 in entries else ()
    return [Embedded(field, what, None, (w[0], h[0]), sum(sizes))]


def _tiff_images(reader: TiffReader, whole_tiff: bool) -> list[Embedded]:
    """IFD1 thumbnail; in TIFF-based files also reduced-resolution IFDs/SubIFDs and pages."""
    chain = reader.ifd_chain(limit=MAX_IMAGES)
    out: list[Embedded] = []
    if len(chain) > 1:
        out += _ifd_image(reader, reader.entries(chain[1]), "EXIF:ThumbnailImage", "thumbnail")
    if not whole_tiff or not chain:
        return out
    sub = reader.entries(chain[0]).get(0x014A)
    subs = list(reader.ints(sub))[:MAX_IMAGES] if sub is not None else []
    for ifd in chain[2:]:  # further pages or previews
        out += _ifd_image(reader, reader.entries(ifd), "EXIF:PreviewImage", "image")
    for ifd in subs:  # SubIFDs: the raw data itself, or reduced-resolution previews
        entries = reader.entries(ifd)
        kind = reader.ints(entries[0x00FE]) if 0x00FE in entries else ()
        if (kind and kind[0] & 1) or 0x0201 in entries:
            out += _ifd_image(reader, entries, "EXIF:PreviewImage", "preview")
    return out


def _tiff_ifd0_images(reader: TiffReader) -> list[Embedded]:
    """Images IFD0 itself holds in TIFF-based files: Photoshop's thumbnail resource (tag
    34377), Panasonic's JpgFromRaw (tag 0x2E), and IFD0 when it is the reduced-resolution
    copy of an image stored elsewhere (DNG, NEF: the raw data is in a SubIFD)."""
    chain = reader.ifd_chain(limit=2)
    if not chain:
        return []
    entries = reader.entries(chain[0])
    out: list[Embedded] = []
    irb = entries.get(TAG_PHOTOSHOP)
    if irb is not None:
        out += _photoshop_thumbnails(reader.raw(irb))
    jpg = entries.get(_TAG_JPG_FROM_RAW)
    if jpg is not None:
        out += _jpeg_at("PanasonicRaw:JpgFromRaw", "preview", reader.data, jpg.pos, jpg.size)
    kind = reader.ints(entries[0x00FE]) if 0x00FE in entries else ()
    if kind and kind[0] & 1 and (0x014A in entries or len(chain) > 1):
        out += _ifd_image(reader, entries, "EXIF:ThumbnailTIFF", "thumbnail")
    return out


def _jpeg_segment_images(data: bytes) -> list[Embedded]:
    """JFXX (APP0), MPF and FlashPix (APP2) and Photoshop (APP13) images, up to the start
    of scan."""
    out: list[Embedded] = []
    fpxr: list[bytes] = []
    for marker, _at, start, end in header_segments(data):
        body = data[start:end]
        if marker == 0xE0 and body.startswith(b"JFXX\x00") and body[5:6] == b"\x10":
            out.append(_blob("JFXX:ThumbnailImage", body[6:]))
        elif marker == 0xE2 and body.startswith(b"MPF\x00"):
            out += _mpf_images(data, start + 4)
        elif marker == 0xE2 and body.startswith(flashpix.FPXR_HEADER):
            fpxr.append(body)
        elif marker == 0xED and body.startswith(iptc.PHOTOSHOP_HEADER):
            out += _photoshop_thumbnails(body)
    for jpeg in flashpix.preview_jpegs(fpxr) if fpxr else ():
        out.append(
            Embedded(
                "FlashPix:PreviewImage", "preview", jpeg, thumbcompare.jpeg_size(jpeg), len(jpeg)
            )
        )
    return out


def _photoshop_thumbnails(irb: bytes) -> list[Embedded]:
    """Photoshop thumbnail resources (JPEG APP13, a PSD's image resources): a 28-byte
    header (format, size, depth), then a JFIF stream."""
    return [
        _blob("Photoshop:ThumbnailImage", res[28:])
        for res_id, res in islice(iptc.irb_resources(irb), psd.MAX_RESOURCES)
        if res_id in (0x0409, 0x040C) and res[28:30] == b"\xff\xd8"
    ]


def _blob(field: str, jpeg: bytes) -> Embedded:
    return Embedded(field, "thumbnail", jpeg, thumbcompare.jpeg_size(jpeg), len(jpeg))


def _mpf_images(data: bytes, base: int) -> list[Embedded]:
    """Images 2..n of a Multi-Picture Format index (offsets count from the MPF header)."""
    reader = TiffReader.at_header(data, base)
    if reader is None:
        return []
    entries = reader.entries(reader.first_ifd())
    index = entries.get(0xB002)
    if index is None:
        return []
    raw = reader.raw(index)
    order: Literal["little", "big"] = "little" if reader.order == "<" else "big"
    out: list[Embedded] = []
    for i in range(1, min(len(raw) // 16, MAX_IMAGES)):
        rec = raw[16 * i : 16 * i + 16]
        attr = int.from_bytes(rec[0:4], order)
        size = int.from_bytes(rec[4:8], order)
        start = int.from_bytes(rec[8:12], order)
        preview = attr & 0xFFFFFF in _MPF_PREVIEW_TYPES
        what = "preview" if preview else "image"
        if size <= 0 or base + start + size > len(data):
            continue  # points outside the file: nothing is there to leak
        out += _jpeg_at(f"MPF:MPImage{i + 1}", what, data, base + start, size) or [
            Embedded(f"MPF:MPImage{i + 1}", what, None, None, size)
        ]
    return out


def _heif_thumbnails(data: bytes) -> list[Embedded]:
    """HEIF thumbnail items (pillow-heif reads the item list without decoding pixels)."""
    import pillow_heif

    try:
        heif = pillow_heif.open_heif(data)
        sizes = list(heif.info.get("thumbnails", []))
    except (ValueError, RuntimeError, OSError, KeyError):
        return []
    return [
        Embedded("HEIF:ThumbnailImage", f"thumbnail (up to {int(s)} px)")
        for s in sizes[:MAX_IMAGES]
    ]
