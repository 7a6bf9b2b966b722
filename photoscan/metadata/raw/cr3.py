"""Canon CR3 (ISO base media, brand "crx "): EXIF, maker notes, XMP and previews.

A CR3 keeps its metadata in boxes, not in a TIFF file: ``moov/uuid(85c0b687…)`` holds
``CMT1`` (IFD0 as a TIFF of its own), ``CMT2`` (the Exif IFD), ``CMT3`` (Canon maker notes),
``CMT4`` (the GPS IFD) and ``THMB`` (a 160×120 JPEG); a top-level ``uuid(eaf42b5e…)`` box
holds ``PRVW`` (a 1620×1080 JPEG) and ``uuid(be7acfcb…)`` an XMP packet. CMT2 and CMT4 are
bare directories, so each is handed on behind a one-entry IFD0 that points at it: the EXIF
reader then sees an ordinary Exif or GPS directory and names tags as for any photo. Box
sizes are checked against their parent and the number of boxes visited is capped.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from photoscan.containers import bmff
from photoscan.containers.tiff import TiffReader
from photoscan.errors import CorruptFile
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.blocks import Blocks
from photoscan.metadata.exif import makernotes
from photoscan.metadata.raw.rawpreview import report_image
from photoscan.model import ImageFormat

CANON_UUID = bytes.fromhex("85c0b687820f11e08111f4ce462b6a48")
PREVIEW_UUID = bytes.fromhex("eaf42b5e1c984b88b9fbb7dc406e4d16")
XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")
MAX_BOXES = 4096  # a real CR3 has ~70 boxes
EXIF_POINTER, GPS_POINTER = 0x8769, 0x8825


def read_cr3(source: Source, col: Collector) -> Blocks:
    data = source.data
    if data[4:12] != b"ftypcrx ":
        raise CorruptFile("CR3 header is missing")
    blocks = Blocks()
    budget = bmff.Budget(MAX_BOXES)
    found = 0
    for box in _boxes(data, 0, len(data), col, budget):
        if box.type == b"moov":
            for inner in _boxes(data, box.body, box.end, col, budget):
                if inner.uuid == CANON_UUID:
                    found += _canon_metadata(data, inner, blocks, col, budget)
        elif box.uuid == XMP_UUID:
            blocks.xmp.append(data[box.body : box.end])
            found += 1
        elif box.uuid == PREVIEW_UUID:  # 8 bytes of its own, then the PRVW box
            for inner in _boxes(data, box.body + 8, box.end, col, budget):
                if inner.type == b"PRVW":
                    _image(data, inner, 6, 12, "CR3:PreviewImage", "preview", col)
                    found += 1
    if not found:
        raise CorruptFile("CR3 file has no metadata boxes (damaged or truncated)")
    return blocks


def jpeg_spans(data: bytes) -> tuple[list[tuple[str, int, int]], bytes | None]:
    """(field, start, length) of the THMB and PRVW JPEGs, and the CMT1 TIFF (IFD0, where the
    Orientation is), for ``images.previews``; nothing is copied but CMT1."""
    col = Collector(ImageFormat.RAW)  # warnings are the metadata pass's business
    budget = bmff.Budget(MAX_BOXES)
    spans: list[tuple[str, int, int]] = []
    ifd0: bytes | None = None
    for box in _boxes(data, 0, len(data), col, budget):
        if box.type == b"moov":
            for inner in _boxes(data, box.body, box.end, col, budget):
                if inner.uuid != CANON_UUID:
                    continue
                for cmt in _boxes(data, inner.body, inner.end, col, budget):
                    size = cmt.end - cmt.body
                    if cmt.type == b"CMT1" and ifd0 is None:
                        ifd0 = data[cmt.body : cmt.end]
                    elif cmt.type == b"THMB" and size > 16:
                        spans.append(("CR3:ThumbnailImage", cmt.body + 16, size - 16))
        elif box.uuid == PREVIEW_UUID:
            for inner in _boxes(data, box.body + 8, box.end, col, budget):
                if inner.type == b"PRVW" and inner.end - inner.body > 16:
                    spans.append(("CR3:PreviewImage", inner.body + 16, inner.end - inner.body - 16))
    return spans, ifd0


def _boxes(
    data: bytes, start: int, end: int, col: Collector, budget: bmff.Budget
) -> Iterator[bmff.Box]:
    """The boxes of ``data[start:end]``, leniently: a box running past its parent is cut at
    the parent's end (a truncated download still shows what it holds), damage is a warning
    (the file's type was checked, so it is never a corrupt file of its own: ``found=1``)."""
    return bmff.walk(data, start, end, warn=col.warn, what="CR3", found=1, budget=budget, uuid=True)


def _canon_metadata(
    data: bytes, canon: bmff.Box, blocks: Blocks, col: Collector, budget: bmff.Budget
) -> int:
    """The CMT1-4 and THMB boxes of Canon's uuid box; returns how many were found."""
    found = 0
    for box in _boxes(data, canon.body, canon.end, col, budget):
        kind = box.type
        payload = data[box.body : box.end]
        if kind == b"CMT1":
            blocks.exif.append(payload)
            _size(payload, col)
        elif kind == b"CMT2":
            _append(blocks, wrap_directory(payload, EXIF_POINTER))
        elif kind == b"CMT4":
            _append(blocks, wrap_directory(payload, GPS_POINTER))
        elif kind == b"CMT3":
            _maker_notes(payload, col)
        elif kind == b"THMB":
            _image(data, box, 4, 8, "CR3:ThumbnailImage", "thumbnail", col)
        else:
            continue
        found += 1
    return found


def _append(blocks: Blocks, tiff: bytes | None) -> None:
    if tiff is not None:
        blocks.exif.append(tiff)


def wrap_directory(tiff: bytes, pointer: int) -> bytes | None:
    """``tiff`` (whose IFD0 is really an Exif or GPS directory) with a new IFD0 appended
    that points at it through ``pointer``; offsets inside ``tiff`` stay valid, as the TIFF
    header does not move."""
    reader = TiffReader.at_header(tiff)
    if reader is None or len(tiff) < 8:
        return None
    order = reader.order
    pad = len(tiff) & 1
    ifd0 = len(tiff) + pad
    directory = struct.pack(order + "HHHIII", 1, pointer, 4, 1, reader.first_ifd(), 0)
    return tiff[:4] + struct.pack(order + "I", ifd0) + tiff[8:] + b"\x00" * pad + directory


def _maker_notes(tiff: bytes, col: Collector) -> None:
    reader = TiffReader.at_header(tiff)
    if reader is None:
        col.warn("CR3: Canon maker notes have no TIFF header")
        return
    try:
        makernotes.read_vendor_ifd("Canon", reader, reader.first_ifd(), col)
    except (struct.error, ValueError, IndexError) as exc:
        col.warn(f"CR3: Canon maker notes are damaged ({type(exc).__name__})")


def _size(tiff: bytes, col: Collector) -> None:
    """The photo's size from CMT1's IFD0 (ImageWidth/ImageLength)."""
    reader = TiffReader.at_header(tiff)
    if reader is None:
        return
    entries = reader.entries(reader.first_ifd())
    if 0x0100 in entries and 0x0101 in entries:
        w, h = reader.ints(entries[0x0100]), reader.ints(entries[0x0101])
        if w and h and 0 < w[0] < 1_000_000 and 0 < h[0] < 1_000_000:
            col.width, col.height = w[0], h[0]


def _image(
    data: bytes,
    box: bmff.Box,
    size_at: int,
    length_at: int,
    field: str,
    what: str,
    col: Collector,
) -> None:
    """THMB/PRVW: version and flags, width, height (u16 at ``size_at``), JPEG length (u32 at
    ``length_at``), then the JPEG from byte 16 of the body."""
    body, end = box.body, box.end
    if end - body < 16:
        return
    width, height = struct.unpack(">HH", data[body + size_at : body + size_at + 4])
    (length,) = struct.unpack(">I", data[body + length_at : body + length_at + 4])
    blob = data[body + 16 : min(end, body + 16 + length)]
    report_image(col, field, what, blob, (width, height) if width and height else None)
