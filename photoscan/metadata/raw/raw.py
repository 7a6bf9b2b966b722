"""Camera RAW containers: TIFF-based ones (CR2, NEF, ARW, ORF, RW2...) and the others.

Every camera RAW has the format ``RAW``; its label says which. Most are TIFF files and go
through the TIFF path unchanged. Canon CR3 (ISO media), Canon CRW (CIFF), Fujifilm RAF,
Sigma X3F and Minolta MRW are not: ``read_raw`` recognises them by their first bytes and
hands them to a reader of their own, which returns the same ``Blocks`` (EXIF, XMP) and
reports previews.
"""

from __future__ import annotations

from photoscan.metadata.base import Collector, Source
from photoscan.metadata.blocks import Blocks
from photoscan.metadata.raw.cr3 import read_cr3
from photoscan.metadata.raw.crw import read_crw
from photoscan.metadata.raw.mrw import MRW_MAGIC, read_mrw
from photoscan.metadata.raw.raf import RAF_MAGIC, read_raf
from photoscan.metadata.raw.x3f import X3F_MAGIC, read_x3f
from photoscan.metadata.tiff import read_tiff

TIFF_MAGIC = (b"II*\x00", b"MM\x00*", b"IIRO", b"IIRS", b"IIU\x00", b"MMOR")


def tiff_based(data: bytes) -> bool:
    """Whether a RAW file is a TIFF structure (read whole by the EXIF and thumbnail readers)."""
    return data[:4] in TIFF_MAGIC


def read_raw(source: Source, col: Collector) -> Blocks:
    data = source.data
    if data[4:12] == b"ftypcrx ":
        return read_cr3(source, col)
    if data[:2] in (b"II", b"MM") and data[6:14] == b"HEAPCCDR":
        return read_crw(source, col)
    if data[: len(RAF_MAGIC)] == RAF_MAGIC:
        return read_raf(source, col)
    if data[:4] == X3F_MAGIC:
        return read_x3f(source, col)
    if data[:4] == MRW_MAGIC:
        return read_mrw(source, col)
    return read_tiff(source, col)
