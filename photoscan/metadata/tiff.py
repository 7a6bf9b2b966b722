"""TIFF, DNG and TIFF-based RAW: the XMP and IPTC blocks that IFD0 points to.

exifread reads the EXIF/GPS directories of these files (``exif.read_exif``); what it does
not hand over are the embedded XMP packet (tag 700), the IPTC-IIM record (tag 33723) and
the Photoshop resources (tag 34377). They are plain byte ranges named in IFD0.
"""

from __future__ import annotations

from photoscan.containers.tiff import TAG_ICC, TAG_IPTC, TAG_PHOTOSHOP, TAG_XMP, TiffReader
from photoscan.errors import CorruptFile
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.blocks import Blocks, add_iptc_or_irb


def read_tiff(source: Source, col: Collector) -> Blocks:
    data = source.data
    reader = TiffReader.of_file(data)
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
    icc = entries.get(TAG_ICC)
    if icc is not None:
        blocks.icc.append(reader.raw(icc))
    for tag in (TAG_IPTC, TAG_PHOTOSHOP):
        entry = entries.get(tag)
        if entry is not None:
            add_iptc_or_irb(blocks, reader.raw(entry))
    return blocks
