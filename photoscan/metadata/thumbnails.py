"""Embedded thumbnails and previews → ``thumbnail`` findings.

First version: the EXIF IFD1 JPEG thumbnail only; previews in maker notes, MPF images and the
"thumbnail no longer matches the photo" check follow.
"""

from __future__ import annotations

from photoscan.metadata.base import Collector, Source
from photoscan.metadata.exif import locate_tiff
from photoscan.metadata.ifd import TiffReader
from photoscan.model import FindingKind, Severity


def read_thumbnails(source: Source, col: Collector) -> None:
    """Report the EXIF thumbnail of ``source`` as a finding."""
    offset = locate_tiff(source.data, source.fmt)
    if offset is None:
        return
    reader = TiffReader.at_header(source.data, offset)
    if reader is None:
        return
    chain = reader.ifd_chain(limit=2)
    if len(chain) < 2:
        return
    ifd1 = reader.entries(chain[1])
    start, length = ifd1.get(0x0201), ifd1.get(0x0202)
    if start is None or length is None:
        return
    size = reader.ints(length)
    if size and size[0] > 0:
        col.add(
            FindingKind.THUMBNAIL,
            "EXIF:ThumbnailImage",
            f"JPEG thumbnail, {max(1, size[0] // 1024)} KB",
            Severity.MEDIUM,
        )
