"""Photoshop PSD/PSB: the image resources section, where Photoshop keeps its metadata.

A PSD starts with a 26-byte header (``8BPS``, version 1 = PSD or 2 = PSB, channels, height,
width, depth, colour mode), then three length-prefixed sections: colour mode data, image
resources, layers. The image resources are the same "8BIM" blocks Photoshop writes into
JPEG APP13, so ``iptc.irb_resources`` walks them: 0x0404 IPTC (read by the IPTC step),
0x0422 EXIF (a TIFF), 0x0424 XMP, 0x0409/0x040C a JPEG thumbnail (``thumbnails``). Layer
names and hidden layers are reported (``psdlayers``); channel data and pixels are never read.
"""

from __future__ import annotations

import struct
from itertools import islice

from photoscan.errors import CorruptFile
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.blocks import Blocks, strip_exif_header
from photoscan.metadata.exif.iptc import irb_resources
from photoscan.metadata.psdlayers import report_layers

HEADER_SIZE = 26
MAX_RESOURCES = 10_000  # Photoshop writes a few dozen; each one costs at least 12 bytes anyway
MAX_SIDE = 300_000  # the PSB limit; PSD's is 30,000
EXIF_RESOURCE = 0x0422
XMP_RESOURCE = 0x0424


def _resource_section(data: bytes) -> tuple[bytes, int, int]:
    """The image resources of a PSD/PSB file, their declared length and where the layer
    section after them begins.

    ``CorruptFile`` when the root is unreadable. A section that runs past the end of the
    file (a truncated download) is cut there: its complete resources are still worth
    reading, so the caller compares the two lengths and warns.
    """
    if len(data) < HEADER_SIZE + 4 or data[:4] != b"8BPS":
        raise CorruptFile("Photoshop header is truncated")
    version = struct.unpack(">H", data[4:6])[0]
    if version not in (1, 2):
        raise CorruptFile(f"Photoshop header has an unknown version ({version})")
    (mode_len,) = struct.unpack(">I", data[HEADER_SIZE : HEADER_SIZE + 4])
    start = HEADER_SIZE + 4 + mode_len
    if start + 4 > len(data):
        raise CorruptFile("Photoshop file is truncated before its image resources")
    (length,) = struct.unpack(">I", data[start : start + 4])
    return data[start + 4 : start + 4 + length], int(length), start + 4 + int(length)


def image_resources(data: bytes) -> bytes:
    """The (possibly truncated) image resources section, or b"" when the root is damaged."""
    try:
        return _resource_section(data)[0]
    except CorruptFile:
        return b""


def read_psd(source: Source, col: Collector) -> Blocks:
    data = source.data
    section, declared, layers_at = _resource_section(data)
    height, width = struct.unpack(">II", data[14:22])
    if 0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE:
        col.width, col.height = width, height
    if declared > len(section):
        col.warn("Photoshop image resources are truncated; the complete ones were read")
    else:
        report_layers(data, layers_at, data[4:6] == b"\x00\x02", col)
    blocks = Blocks()
    if not section:
        return blocks
    blocks.irb.append(section)  # IPTC (0x0404) is found there by the IPTC step
    count = 0
    for res_id, body in islice(irb_resources(section), MAX_RESOURCES):
        count += 1
        if res_id == EXIF_RESOURCE and body:
            blocks.exif.append(strip_exif_header(body))
        elif res_id == XMP_RESOURCE and body:
            blocks.xmp.append(body)
    if count == 0:
        col.warn("Photoshop image resources are unreadable")
    return blocks
