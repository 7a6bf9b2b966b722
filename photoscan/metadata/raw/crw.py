"""Canon CRW (CIFF RAW, 1999-2004 PowerShot and EOS D30-300D): owner, serial, previews.

A CRW file is one CIFF heap ("II" + header length + "HEAPCCDR"), the same structure old
PowerShot JPEGs embed in APP0, so the heap walk and the owner/serial tags are ``ciff``'s.
On top: the camera make and model (0x080a), the image size (ImageInfo, 0x1810) and the two
embedded JPEGs, a full-size preview (JpgFromRaw, 0x2007) and a thumbnail (0x2008); the
serial number only on EOS bodies (on PowerShots tag 0x180b is some other number).
A CRW has no EXIF block: everything is CIFF.
"""

from __future__ import annotations

import struct

from photoscan.containers import ciff
from photoscan.errors import CorruptFile
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.blocks import Blocks
from photoscan.metadata.raw import ciff as ciff_findings
from photoscan.metadata.raw.rawpreview import report_image
from photoscan.model import FindingKind, Severity

_MAKE_MODEL, _IMAGE_INFO, _OWNER, _SERIAL = 0x080A, 0x1810, 0x0810, 0x180B
_IMAGES = {0x2007: ("CIFF:JpgFromRaw", "preview"), 0x2008: ("CIFF:ThumbnailImage", "thumbnail")}


def read_crw(source: Source, col: Collector) -> Blocks:
    data = source.data
    found = ciff.header(data, ciff.CRW_SIGNATURE)
    if found is None or len(data) < 32:
        raise CorruptFile("CRW header is missing or truncated")
    order, start = found
    values = list(ciff.heap_values(data, start, len(data), order))
    if not values:
        raise CorruptFile("CRW heap directory is missing or damaged")
    model = b""
    for tag_id, view in values:
        if tag_id == _MAKE_MODEL:
            make, _, rest = bytes(view[: ciff_findings.MAX_TEXT]).partition(b"\x00")
            model = rest.split(b"\x00", 1)[0]
            col.add(FindingKind.CAMERA, "CIFF:Make", make, Severity.LOW)
            col.add(FindingKind.CAMERA, "CIFF:Model", model, Severity.LOW)
    reported: set[int] = set()
    for tag_id, view in values:
        value = bytes(view[: ciff_findings.MAX_TEXT])
        if tag_id == _SERIAL:
            _serial(value, order, model, col)
        elif tag_id == _OWNER:
            ciff_findings.identify(tag_id, value, order, col)
        elif tag_id == _IMAGE_INFO and len(value) >= 8:
            width, height = struct.unpack(order + "II", value[:8])
            if 0 < width < 1_000_000 and 0 < height < 1_000_000:
                col.width, col.height = width, height
        elif tag_id in _IMAGES and tag_id not in reported:  # copy each image once at most
            reported.add(tag_id)
            field, what = _IMAGES[tag_id]
            report_image(col, field, what, bytes(view))
    return Blocks()


def _serial(value: bytes, order: str, model: bytes, col: Collector) -> None:
    """Tag 0x180b is the body's serial number on EOS models only (ExifTool's CanonRaw.pm:
    on PowerShots it is some other number), printed as the camera prints it."""
    if len(value) < 4 or b"EOS" not in model:
        return
    (number,) = struct.unpack(order + "I", value[:4])
    if not number:
        return
    d30 = model.rstrip().endswith(b"D30")
    serial = f"{number >> 16:x}-{number & 0xFFFF:05d}" if d30 else f"{number:010d}"
    col.add(FindingKind.DEVICE, "CIFF:SerialNumber", serial, Severity.HIGH)
