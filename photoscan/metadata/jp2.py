"""JPEG 2000 (JP2/JPX): metadata boxes and the image size, no codestream decoding.

After the signature and ``ftyp`` boxes a JP2 file is a flat run of boxes: ``jp2h`` (a
superbox whose ``ihdr`` holds the size), ``uuid`` boxes (16-byte id, then the payload),
``xml `` boxes and the ``jp2c`` codestream. The ``uuid`` ids are the ones Exiv2, ExifTool
and Adobe write: "JpgTiffExif->JP2" for EXIF (a TIFF, sometimes after "Exif\\0\\0"), one
for IPTC-IIM and Adobe's XMP id. JPX may nest ``xml `` boxes inside association boxes, so
a few superbox levels are walked.
"""

from __future__ import annotations

import struct

from photoscan.containers import bmff
from photoscan.errors import CorruptFile
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.blocks import Blocks, add_iptc_or_irb, strip_exif_header

SIGNATURE = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
EXIF_UUID = b"JpgTiffExif->JP2"
XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")
IPTC_UUID = bytes.fromhex("33c7a4d2b81d4723a0baf1a3e097ad38")
SUPERBOXES = {b"jp2h", b"asoc", b"res ", b"jpch", b"jplh", b"cgrp"}
MAX_DEPTH = 4
WHAT = "JPEG 2000"


def read_jp2(source: Source, col: Collector) -> Blocks:
    data = source.data
    if not (data.startswith(SIGNATURE) or data[4:8] == b"ftyp"):
        raise CorruptFile("JPEG 2000 signature box is missing or damaged")
    blocks = Blocks()
    _read_boxes(data, 0, len(data), col, blocks, 0)
    return blocks


def _read_boxes(
    data: bytes, start: int, end: int, col: Collector, blocks: Blocks, depth: int
) -> None:
    found = 0 if depth == 0 else 1
    for box in bmff.walk(data, start, end, warn=col.warn, what=WHAT, found=found, uuid=True):
        if box.type == b"ihdr" and box.end - box.body >= 8:
            height, width = struct.unpack_from(">II", data, box.body)
            if width and height and col.width is None:
                col.width, col.height = int(width), int(height)
        elif box.type in SUPERBOXES and depth < MAX_DEPTH:
            _read_boxes(data, box.body, box.end, col, blocks, depth + 1)
        elif box.type == b"uuid":
            _uuid(box.uuid, data[box.body : box.end], blocks)
        elif box.type == b"xml ":
            body = data[box.body : box.end]
            if bmff.is_xmp(body):
                blocks.xmp.append(body)


def _uuid(uuid: bytes, payload: bytes, blocks: Blocks) -> None:
    if not payload:
        return
    if uuid == EXIF_UUID:
        blocks.exif.append(strip_exif_header(payload))
    elif uuid == XMP_UUID:
        blocks.xmp.append(payload)
    elif uuid == IPTC_UUID:
        add_iptc_or_irb(blocks, payload)
