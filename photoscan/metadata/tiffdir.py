"""TIFF, DNG and TIFF-based RAW: the XMP and IPTC blocks that IFD0 points to.

exifread reads the EXIF/GPS directories of these files (``exif.read_exif``); what it does
not hand over are the embedded XMP packet (tag 700), the IPTC-IIM record (tag 33723) and
the Photoshop resources (tag 34377). They are plain byte ranges named in IFD0.
"""

from __future__ import annotations

from photoscan.errors import CorruptFile
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.containers import Blocks, add_iptc_or_irb
from photoscan.metadata.ifd import TiffReader

TAG_XMP = 700
TAG_IPTC = 33723
TAG_PHOTOSHOP = 34377
_RAW_MAGIC = {b"IIRO": True, b"IIRS": True, b"IIU\x00": True, b"MMOR": False}


def read_tiff(source: Source, col: Collector) -> Blocks:
    data = source.data
    reader = TiffReader.at_header(data)
    if reader is None and data[:4] in _RAW_MAGIC:
        reader = TiffReader(data, 0, _RAW_MAGIC[data[:4]])
    if reader is None or len(data) < 16:
        raise CorruptFile("TIFF header is missing or truncated")
    ifd0 = reader.first_ifd()
    if ifd0 < 8 or ifd0 >= len(data):
        raise CorruptFile("TIFF file has no readable first directory")
    entries = reader.entries(ifd0)
    if not entries:
        raise CorruptFile("TIFF first directory is empty or broken")
    blocks = Blocks()
    xmp = entries.get(TAG_XMP)
    if xmp is not None:
        blocks.xmp.append(reader.raw(xmp))
    for tag in (TAG_IPTC, TAG_PHOTOSHOP):
        entry = entries.get(tag)
        if entry is not None:
            add_iptc_or_irb(blocks, reader.raw(entry))
    return blocks
