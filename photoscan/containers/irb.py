"""Photoshop image resource blocks ("8BIM" resources) and IPTC-IIM datasets: the walks the
metadata readers and the ``--only location`` stripper share.

Photoshop keeps its metadata (IPTC, thumbnails, a copy of EXIF and XMP) as image resources:
a signature ("8BIM", or one other editors wrote), a 16-bit id, a Pascal name padded to an
even size, a 32-bit size, the data padded to an even size. They are a PSD's resources
section and a JPEG's APP13 payload after "Photoshop 3.0\\0". Resource 0x0404 holds IPTC-IIM:
a flat run of ``0x1C record dataset length value`` datasets (an extended dataset's length is
the size of its size field). Every length comes from the file and is bounded by the buffer.

Damage: the readers (``strict=False``) keep what a cut-off last resource or dataset still
holds and stop at anything else; the stripper (``strict=True``) raises ``CorruptFile`` on a
truncated resource, since it rewrites the block.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from photoscan.containers.jpeg import PHOTOSHOP
from photoscan.errors import CorruptFile

# Resource signatures: Photoshop's "8BIM" and those other editors wrote (ExifTool reads all).
IRB_SIGNATURES = (b"8BIM", b"PHUT", b"DCSR", b"AgHg")
MAX_DATASETS = 4096
IPTC_RESOURCE = 0x0404


class Resource(NamedTuple):
    """One image resource: ``start`` is its signature, ``body..end`` its data."""

    id: int
    start: int
    body: int
    end: int


class Dataset(NamedTuple):
    """One IPTC-IIM dataset: ``start`` is its 0x1C tag marker, ``body..end`` its value."""

    record: int
    dataset: int
    start: int
    body: int
    end: int


def resources(irb: bytes, *, strict: bool = False) -> Iterator[Resource]:
    """The image resources of ``irb`` (with or without the "Photoshop 3.0\\0" header)."""
    pos = len(PHOTOSHOP) if irb.startswith(PHOTOSHOP) else 0
    end = len(irb)
    while pos + 12 <= end and irb[pos : pos + 4] in IRB_SIGNATURES:
        res_id = int.from_bytes(irb[pos + 4 : pos + 6], "big")
        name_len = irb[pos + 6]
        body = pos + 6 + 1 + name_len + ((1 + name_len) % 2) + 4  # the name, padded to even
        if body > end:
            if strict:
                raise CorruptFile("truncated Photoshop resource")
            return
        size = int.from_bytes(irb[body - 4 : body], "big")
        if body + size > end:
            if strict:
                raise CorruptFile("truncated Photoshop resource")
            size = end - body  # a cut-off last resource: what there is of it
        yield Resource(res_id, pos, body, body + size)
        pos = body + size + (size % 2)


def datasets(iim: bytes) -> Iterator[Dataset]:
    """Each well-formed IPTC-IIM dataset; NUL padding between datasets is skipped, anything
    else ends the walk; a cut-off last value is handed on as far as it goes."""
    pos, end, n = 0, len(iim), 0
    while pos + 5 <= end and n < MAX_DATASETS:
        if iim[pos] != 0x1C:
            if iim[pos] == 0:  # some writers pad with NULs between blocks
                pos += 1
                continue
            return
        start = pos
        record, dataset = iim[pos + 1], iim[pos + 2]
        length = (iim[pos + 3] << 8) | iim[pos + 4]
        pos += 5
        if length & 0x8000:  # extended dataset: the next (length & 0x7FFF) bytes hold the size
            size_len = length & 0x7FFF
            if size_len > 4 or pos + size_len > end:
                return
            length = int.from_bytes(iim[pos : pos + size_len], "big")
            pos += size_len
        length = min(length, end - pos)  # truncated: keep what is there
        yield Dataset(record, dataset, start, pos, pos + length)
        pos += length
        n += 1
