"""WebP: strip by RIFF chunks; the bitstream chunks (VP8, VP8L, ALPH, ANIM, ANMF) are copied.

EXIF and XMP chunks go (an EXIF chunk holding only Orientation comes back when there was one),
unknown chunks go (that is where editors such as ComfyUI leave workflows), ICCP stays. The
VP8X feature flags and the RIFF size are rewritten to match what is left. EXIF, XMP or IPTC
inside a copied chunk (a spliced file) makes the file damaged: it is not copied.
"""

from __future__ import annotations

import struct

from photoscan.containers import riff
from photoscan.errors import CorruptFile
from photoscan.strip import icc, location, residue
from photoscan.strip.exif import Kept, build_exif, read_kept
from photoscan.strip.types import StripOptions, Stripped

_BITSTREAM = {b"VP8 ", b"VP8L", b"ALPH", b"ANIM", b"ANMF"}
_FLAG_ICC, _FLAG_EXIF, _FLAG_XMP = 0x20, 0x08, 0x04


def iter_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(fourcc, payload) of every chunk (``containers.riff``, strict)."""
    chunks = [(c.fourcc, data[c.body : c.end]) for c in riff.walk(data)]
    if not chunks:
        raise CorruptFile("empty WebP")
    return chunks


def _exif(payload: bytes, options: StripOptions, blocks: list[str]) -> bytes | None:
    tiff = payload[6:] if payload.startswith(b"Exif\0\0") else payload
    try:
        if options.only_location:
            cut = location.tiff_without_location(tiff)
            if cut is not None:
                blocks.extend(cut[1])
            return payload if cut is None else cut[0]
        kept = read_kept(tiff, options.keep_orientation, options.keep_datetime)
    except CorruptFile:
        kept = Kept()
    blocks.append("EXIF")
    return build_exif(kept)


def strip_webp(data: bytes, options: StripOptions) -> Stripped:
    blocks: list[str] = []
    kept: list[tuple[bytes, bytes]] = []
    for fourcc, payload in iter_chunks(data):
        new: bytes | None = payload
        if fourcc in _BITSTREAM or fourcc == b"VP8X":
            # Copied without being decoded: metadata inside is damage (strip.residue).
            if kind := residue.metadata_in(payload):
                where = f"inside the {fourcc.decode('latin-1').strip()} chunk"
                raise CorruptFile(residue.refusal(kind, where))
        elif fourcc == b"ICCP":
            if not options.keep_icc:
                blocks.append("ICC profile")
                new = None
            elif not options.only_location:
                new = icc.kept_profile(payload, blocks)
        elif fourcc == b"EXIF":
            new = _exif(payload, options, blocks)
        elif fourcc == b"XMP " and options.only_location:
            try:
                cut = location.xmp_without_location(payload)
            except ValueError:
                cut, new = None, None
                blocks.append("XMP")
            if cut is not None:
                new = cut
                blocks.append("XMP location")
        elif not options.only_location or fourcc == b"XMP ":
            blocks.append(fourcc.decode("latin-1", "replace").strip())
            new = None
        if new is not None:
            kept.append((fourcc, new))
    has = {fourcc for fourcc, _ in kept}
    if b"VP8X" not in has:
        # Simple format: metadata chunks are not allowed without VP8X; keep only the image.
        kept = [(f, p) for f, p in kept if f in _BITSTREAM]
    body = bytearray()
    for fourcc, payload in kept:
        if fourcc == b"VP8X" and len(payload) >= 10:
            flags = payload[0] & ~(_FLAG_ICC | _FLAG_EXIF | _FLAG_XMP)
            flags |= _FLAG_ICC if b"ICCP" in has else 0
            flags |= _FLAG_EXIF if b"EXIF" in has else 0
            flags |= _FLAG_XMP if b"XMP " in has else 0
            payload = bytes((flags,)) + payload[1:]
        body += riff.make_chunk(fourcc, payload)
    out = b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + bytes(body)
    if len(out) < len(data) and not blocks:
        blocks.append("trailing data")
    return Stripped(out, tuple(blocks))
