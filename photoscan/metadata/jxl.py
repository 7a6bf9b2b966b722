"""JPEG XL: ``Exif`` and ``xml `` boxes of the container, and the size from the codestream.

A JPEG XL file is either a bare codestream (``FF 0A``: pixels only, no place for
metadata) or an ISO-BMFF container whose boxes hold the metadata: ``Exif`` (a 4-byte
offset to the TIFF header, then the TIFF), ``xml `` (XMP), ``jumb`` (JUMBF), and ``brob``
(any of those, Brotli-compressed, its original type first). The codestream sits in
``jxlc`` or is split over ``jxlp`` boxes; only its few-byte size header is read.

photoscan has no Brotli decoder (no dependency for one rare box), so a compressed metadata
box is not read and a warning says so in plain words: it may hold more details.
"""

from __future__ import annotations

from photoscan.containers import bmff
from photoscan.errors import CorruptFile
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.blocks import Blocks

SIGNATURE = b"\x00\x00\x00\x0cJXL \r\n\x87\n"
CODESTREAM = b"\xff\x0a"
WHAT = "JPEG XL"
_COMPRESSED_NAMES = {b"Exif": "Exif", b"xml ": "XMP", b"jumb": "JUMBF"}
# SizeHeader aspect ratios (ISO/IEC 18181-1): xsize = ysize * num // den
_RATIOS = ((1, 1), (12, 10), (4, 3), (3, 2), (16, 9), (5, 4), (2, 1))


def read_jxl(source: Source, col: Collector) -> Blocks:
    data = source.data
    blocks = Blocks()
    if data.startswith(CODESTREAM):
        _size(data, 0, col)
        return blocks
    if not (data.startswith(SIGNATURE) or data[4:8] == b"ftyp"):
        raise CorruptFile("JPEG XL signature box is missing or damaged")
    for box in bmff.walk(data, warn=col.warn, what=WHAT):
        if box.type == b"Exif":
            _exif(data, box, blocks, col)
        elif box.type == b"xml ":
            body = data[box.body : box.end]
            if bmff.is_xmp(body):
                blocks.xmp.append(body)
        elif box.type == b"brob":
            name = _COMPRESSED_NAMES.get(data[box.body : box.body + 4])
            if name:
                col.warn(f"{WHAT}: compressed (Brotli) {name} metadata was not read")
        elif box.type == b"jxlc":
            _size(data, box.body, col)
        elif box.type == b"jxlp" and data[box.body : box.body + 4] == b"\0\0\0\0":
            _size(data, box.body + 4, col)  # the first part starts the codestream
    return blocks


def _exif(data: bytes, box: bmff.Box, blocks: Blocks, col: Collector) -> None:
    if box.end - box.body < 4:
        col.warn(f"{WHAT}: the Exif box is truncated")
        return
    offset = int.from_bytes(data[box.body : box.body + 4], "big")
    tiff = box.body + 4 + offset
    if offset > box.end - box.body - 4 or data[tiff : tiff + 2] not in (b"II", b"MM"):
        col.warn(f"{WHAT}: the Exif box does not point at a TIFF header")
        return
    blocks.exif.append(data[tiff : box.end])


def _size(data: bytes, start: int, col: Collector) -> None:
    if col.width is None:
        size = codestream_size(data[start : start + 16])
        if size is not None:
            col.width, col.height = size


def codestream_size(head: bytes) -> tuple[int, int] | None:
    """(width, height) from a codestream's SizeHeader, or None if it is cut short."""
    if not head.startswith(CODESTREAM):
        return None
    bits = _Bits(head[2:])
    try:
        small = bits.read(1)
        height = _dimension(bits, small)
        ratio = bits.read(3)
        if ratio:
            num, den = _RATIOS[ratio - 1]
            width = height * num // den
        else:
            width = _dimension(bits, small)
    except IndexError:
        return None
    return width, height


def _dimension(bits: _Bits, small: int) -> int:
    if small:
        return (bits.read(5) + 1) * 8
    return bits.read((9, 13, 18, 30)[bits.read(2)]) + 1


class _Bits:
    """Least-significant-bit-first reader, as the JPEG XL codestream is packed."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def read(self, count: int) -> int:
        value = 0
        for i in range(count):
            byte = self.data[(self.pos + i) >> 3]  # IndexError past the end
            value |= ((byte >> ((self.pos + i) & 7)) & 1) << i
        self.pos += count
        return value
