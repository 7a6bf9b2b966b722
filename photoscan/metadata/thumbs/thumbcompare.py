"""Does an embedded thumbnail still show the photo? Compare two tiny grey downscales.

Both images are reduced to 24×24 grey levels after trimming the black bars cameras add to
fit a 3:2 photo into a 4:3 thumbnail (only where the shapes say bars must be); a changed
aspect ratio (a crop) or a low correlation of the pixels (an edit, a different picture) is
a mismatch. The main JPEG is decoded in draft mode (DCT scaling, 1/8 size). Both images
are compared as stored: the EXIF orientation applies to the photo and its thumbnail alike;
a thumbnail turned by 90° is tried both ways. This module reads headers only; the pixel
half (``thumbpixels``, Pillow: 0.1 s to import per process) loads when needed;
both judge by the thresholds in ``verdict``.
"""

from __future__ import annotations

import math

from photoscan.containers import riff
from photoscan.containers.jpeg import header_segments
from photoscan.containers.tiff import TiffReader
from photoscan.metadata.thumbs.verdict import MAX_ASPECT_DIFF, Verdict
from photoscan.model import ImageFormat

_DECODABLE = {ImageFormat.JPEG, ImageFormat.PNG, ImageFormat.WEBP, ImageFormat.TIFF}
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def jpeg_size(blob: bytes) -> tuple[int, int] | None:
    """(width, height) from a JPEG's SOF marker, without decoding."""
    for marker, _at, start, end in header_segments(blob):
        if marker in _SOF and end - start >= 5:
            h = (blob[start + 1] << 8) | blob[start + 2]
            w = (blob[start + 3] << 8) | blob[start + 4]
            return (w, h) if w and h else None
    return None


def main_size(data: bytes, fmt: ImageFormat) -> tuple[int, int] | None:
    """The stored size of the main image, read from its header only."""
    if fmt is ImageFormat.JPEG:
        return jpeg_size(data)
    if fmt is ImageFormat.PNG and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if fmt is ImageFormat.WEBP:
        return _webp_size(data)
    if fmt is ImageFormat.TIFF:
        reader = TiffReader.at_header(data)
        entries = reader.entries(reader.first_ifd()) if reader else {}
        if reader and 0x0100 in entries and 0x0101 in entries:
            w, h = reader.ints(entries[0x0100]), reader.ints(entries[0x0101])
            return (w[0], h[0]) if w and h else None
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    """Canvas size from the first WebP chunk (VP8X, VP8L or VP8), without decoding."""
    return riff.canvas_size(data[12:16], data[20:30])


def compare(
    thumb_jpeg: bytes, main_data: bytes, fmt: ImageFormat, decode_main: bool = True
) -> Verdict:
    """Whether the thumbnail shows a different picture than the main image.

    The shape is always compared (the main image's size comes from its header); the pixels
    when the shapes differ, and otherwise only when ``decode_main`` — decoding costs ~1 ms
    per 100 KB of JPEG even in draft mode.
    The thumbnail itself is decoded only when its stored shape differs (black bars to trim)
    or its pixels are compared.
    """
    if fmt not in _DECODABLE:
        return Verdict(False, "main image not compared")
    size = main_size(main_data, fmt)
    if size is None or min(size) < 1:
        return Verdict(False, "not decodable")
    stored = jpeg_size(thumb_jpeg)
    if stored is not None and not decode_main:
        ratio = math.log(stored[0] / stored[1])
        diff = min(
            abs(ratio - math.log(size[0] / size[1])), abs(-ratio - math.log(size[0] / size[1]))
        )
        if diff <= MAX_ASPECT_DIFF:
            return Verdict(False, "shape matches; pixels not compared", 1.0, diff)
    from photoscan.metadata.thumbs import thumbpixels

    return thumbpixels.compare_pixels(thumb_jpeg, main_data, size, decode_main)
