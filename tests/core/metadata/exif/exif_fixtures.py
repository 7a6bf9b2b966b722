"""Hand-built EXIF/TIFF blocks and JPEGs for the metadata tests (no real photos in the repo).

``build_tiff`` lays out a little-endian TIFF: IFD0 (+ IFD1), an Exif IFD and a GPS IFD, each
followed by its out-of-line values. A value may be a function of its own absolute offset,
for maker notes whose internal pointers count from the TIFF header.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image

BYTE, ASCII, SHORT, LONG, RATIONAL, UNDEFINED, SRATIONAL = 1, 2, 3, 4, 5, 7, 10
_UNIT = {BYTE: 1, ASCII: 1, SHORT: 2, LONG: 4, RATIONAL: 8, UNDEFINED: 1, SRATIONAL: 8}

Payload = bytes | tuple[int, Callable[[int], bytes]]  # bytes, or (length, offset -> bytes)


@dataclass(frozen=True)
class Tag:
    tag: int
    type: int
    count: int
    value: Payload


def ascii_tag(tag: int, text: str) -> Tag:
    raw = text.encode() + b"\x00"
    return Tag(tag, ASCII, len(raw), raw)


def long_tag(tag: int, *values: int) -> Tag:
    return Tag(tag, LONG, len(values), struct.pack(f"<{len(values)}I", *values))


def short_tag(tag: int, *values: int) -> Tag:
    return Tag(tag, SHORT, len(values), struct.pack(f"<{len(values)}H", *values))


def rational_tag(tag: int, *pairs: tuple[int, int]) -> Tag:
    flat = [v for pair in pairs for v in pair]
    return Tag(tag, RATIONAL, len(pairs), struct.pack(f"<{len(flat)}I", *flat))


def undefined_tag(tag: int, raw: Payload) -> Tag:
    size = raw[0] if isinstance(raw, tuple) else len(raw)
    return Tag(tag, UNDEFINED, size, raw)


def ifd_size(tags: list[Tag]) -> int:
    data = sum(_padded(_UNIT[t.type] * t.count) for t in tags if _UNIT[t.type] * t.count > 4)
    return 2 + 12 * len(tags) + 4 + data


def _padded(n: int) -> int:
    return n + (n & 1)


def ifd_bytes(tags: list[Tag], at: int, next_ifd: int = 0) -> bytes:
    """An IFD placed at absolute offset ``at``, its out-of-line values right after it."""
    tags = sorted(tags, key=lambda t: t.tag)
    head = struct.pack("<H", len(tags))
    data = b""
    data_at = at + 2 + 12 * len(tags) + 4
    for t in tags:
        size = _UNIT[t.type] * t.count
        if isinstance(t.value, tuple):
            raw = t.value[1](data_at + len(data))
            assert len(raw) == t.value[0]
        else:
            raw = t.value
        if size <= 4:
            head += struct.pack("<HHI", t.tag, t.type, t.count) + raw.ljust(4, b"\x00")
        else:
            head += struct.pack("<HHII", t.tag, t.type, t.count, data_at + len(data))
            data += raw + b"\x00" * (len(raw) & 1)
    return head + struct.pack("<I", next_ifd) + data


def build_tiff(
    ifd0: list[Tag],
    exif: list[Tag] | None = None,
    gps: list[Tag] | None = None,
    ifd1: list[Tag] | None = None,
) -> bytes:
    """A little-endian TIFF/EXIF block with the given directories."""
    pointers = []
    if exif is not None:
        pointers.append(long_tag(0x8769, 0))
    if gps is not None:
        pointers.append(long_tag(0x8825, 0))
    off_ifd0 = 8
    off_exif = off_ifd0 + ifd_size(ifd0 + pointers)
    off_gps = off_exif + (ifd_size(exif) if exif is not None else 0)
    off_ifd1 = off_gps + (ifd_size(gps) if gps is not None else 0)
    fixed = []
    if exif is not None:
        fixed.append(long_tag(0x8769, off_exif))
    if gps is not None:
        fixed.append(long_tag(0x8825, off_gps))
    out = b"II*\x00" + struct.pack("<I", off_ifd0)
    out += ifd_bytes(ifd0 + fixed, off_ifd0, off_ifd1 if ifd1 is not None else 0)
    if exif is not None:
        out += ifd_bytes(exif, off_exif)
    if gps is not None:
        out += ifd_bytes(gps, off_gps)
    if ifd1 is not None:
        out += ifd_bytes(ifd1, off_ifd1)
    return out


def jpeg_bytes(im: Image.Image, quality: int = 85) -> bytes:
    buf = io.BytesIO()
    im.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def with_app_segments(jpeg: bytes, *segments: tuple[int, bytes]) -> bytes:
    """``jpeg`` with APPn segments (marker, payload) inserted right after SOI."""
    extra = b"".join(
        bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body for marker, body in segments
    )
    return jpeg[:2] + extra + jpeg[2:]


def exif_jpeg(tiff: bytes, im: Image.Image | None = None) -> bytes:
    """A JPEG whose APP1 holds ``tiff`` (with the Exif header)."""
    base = jpeg_bytes(im if im is not None else Image.new("RGB", (64, 48), (90, 120, 150)))
    return with_app_segments(base, (0xE1, b"Exif\x00\x00" + tiff))


def with_thumbnail(ifd0: list[Tag], thumb: bytes, exif: list[Tag] | None = None) -> bytes:
    """A TIFF block whose IFD1 points at the JPEG ``thumb`` stored after the directories."""
    probe = build_tiff(ifd0, exif, None, [long_tag(0x0201, 0), long_tag(0x0202, 0)])
    start = len(probe)
    ifd1 = [short_tag(0x0103, 6), long_tag(0x0201, start), long_tag(0x0202, len(thumb))]
    tiff = build_tiff(ifd0, exif, None, ifd1)
    assert len(tiff) == start + 12  # one more entry than the probe
    ifd1 = [short_tag(0x0103, 6), long_tag(0x0201, len(tiff)), long_tag(0x0202, len(thumb))]
    tiff = build_tiff(ifd0, exif, None, ifd1)
    return tiff + thumb


def scene(size: tuple[int, int], seed: int = 1) -> Image.Image:
    """A photo-like picture: smooth random blobs (a crop or zoom moves them measurably)."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 256, size=(6, 8, 3), dtype=np.uint8)
    return Image.fromarray(coarse, "RGB").resize(size, Image.Resampling.BICUBIC)
