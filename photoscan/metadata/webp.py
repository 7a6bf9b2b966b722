"""WebP (RIFF): chunk walk for EXIF and "XMP " chunks and the canvas size.

The size comes from VP8X (extended files), or from the VP8/VP8L bitstream header of a
simple file, a few bytes in; no pixel data is decoded.
"""

from __future__ import annotations

from photoscan.containers import riff
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.blocks import Blocks, strip_exif_header


def read_webp(source: Source, col: Collector) -> Blocks:
    data = source.data
    blocks = Blocks()
    for chunk in riff.walk(data, warn=col.warn):
        _chunk(chunk.fourcc, data[chunk.body : chunk.end], blocks, col)
    return blocks


def _chunk(kind: bytes, body: bytes, blocks: Blocks, col: Collector) -> None:
    if kind == b"VP8X" or (kind in (b"VP8 ", b"VP8L") and col.width is None):
        size = riff.canvas_size(kind, body)  # VP8X wins over the bitstream's own header
        if size is not None:
            col.width, col.height = size
    elif kind == b"EXIF":
        blocks.exif.append(strip_exif_header(body))
    elif kind == b"XMP ":
        blocks.xmp.append(body)
    elif kind == b"ICCP":
        blocks.icc.append(body)
