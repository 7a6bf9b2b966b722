"""PNG: strip by chunks. Image data (IHDR/PLTE/IDAT/IEND, APNG frames) is copied verbatim.

Kept: the critical chunks, transparency and colour (tRNS, iCCP, sRGB, gAMA, cHRM, cICP, mDCv,
cLLi, sBIT), pixel size (pHYs), bKGD/hIST and the APNG chunks. Dropped: text (tEXt, zTXt,
iTXt — also where AI prompts and XMP live), eXIf (replaced by a minimal one holding
Orientation), tIME and every unknown ancillary chunk. An unknown *critical* chunk means we
cannot know what the file is: refused.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

from photoscan.errors import CorruptFile
from photoscan.strip import location, tiffio
from photoscan.strip.types import Refused, StripOptions, Stripped

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_STRUCTURAL = {
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"sRGB", b"gAMA", b"cHRM", b"cICP", b"mDCv",
    b"cLLi", b"sBIT", b"pHYs", b"bKGD", b"hIST", b"acTL", b"fcTL", b"fdAT",
}  # fmt: skip
_TEXT = {b"tEXt", b"zTXt", b"iTXt"}
_XMP_KEY = b"XML:com.adobe.xmp"
MAX_TEXT_BYTES = 16 * 1024 * 1024


def chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload))
    )


def iter_chunks(data: bytes) -> list[tuple[bytes, bytes, bytes]]:
    """(type, payload, raw chunk bytes) up to and including IEND; bounds-checked."""
    if not data.startswith(SIGNATURE):
        raise CorruptFile("not a PNG")
    pos = len(SIGNATURE)
    chunks = []
    while pos + 12 <= len(data):
        length = struct.unpack_from(">I", data, pos)[0]
        end = pos + 12 + length
        if end > len(data):
            raise CorruptFile("truncated PNG chunk")
        kind = data[pos + 4 : pos + 8]
        chunks.append((kind, data[pos + 8 : pos + 8 + length], data[pos:end]))
        pos = end
        if kind == b"IEND":
            return chunks
    raise CorruptFile("truncated PNG (no IEND chunk)")


def _xmp_itxt_without_location(payload: bytes) -> bytes | None:
    """Rewrite an XMP iTXt chunk payload without location; None when unchanged.

    Raises ValueError when it cannot be read (the caller drops the chunk).
    """
    keyword, _, rest = payload.partition(b"\0")
    if len(rest) < 2:
        raise ValueError("malformed iTXt")
    compressed = rest[0] == 1
    lang, _, rest = rest[2:].partition(b"\0")
    translated, _, text = rest.partition(b"\0")
    if compressed:
        decomp = zlib.decompressobj()
        text = decomp.decompress(text, MAX_TEXT_BYTES)
        if decomp.unconsumed_tail:
            raise ValueError("XMP too large")
    cut = location.xmp_without_location(text)
    if cut is None:
        return None
    return keyword + b"\0\0\0" + lang + b"\0" + translated + b"\0" + cut


def strip_png(data: bytes, options: StripOptions) -> Stripped:
    blocks: list[str] = []
    out = [SIGNATURE]
    chunks = iter_chunks(data)
    only_loc = options.only_location

    def drop(label: str) -> None:
        if label not in blocks:
            blocks.append(label)

    for kind, payload, raw in chunks:
        name = kind.decode("latin-1", "replace")
        if kind in _STRUCTURAL:
            out.append(raw)
        elif kind == b"iCCP":
            if options.keep_icc:
                out.append(raw)
            else:
                drop("ICC profile")
        elif kind == b"eXIf":
            out.append(_exif_chunk(payload, options, drop))
        elif kind in _TEXT and only_loc:
            key = payload.split(b"\0", 1)[0]
            if kind == b"iTXt" and key == _XMP_KEY:
                try:
                    cut = _xmp_itxt_without_location(payload)
                except ValueError:
                    drop("XMP")
                    continue
                out.append(raw if cut is None else chunk(kind, cut))
                if cut is not None:
                    drop("XMP location")
            elif key.startswith(b"Raw profile type"):
                drop(f"{name} {key.decode('latin-1')}")
            else:
                out.append(raw)
        elif not (kind[0] & 0x20):
            raise Refused(f"unknown critical PNG chunk {name!r}")
        elif only_loc and kind not in _TEXT:
            out.append(raw)
        else:
            drop(name)
    if sum(len(c[2]) for c in chunks) + len(SIGNATURE) < len(data):
        drop("data after IEND")
    return Stripped(b"".join(o for o in out if o), tuple(blocks))


def _exif_chunk(payload: bytes, options: StripOptions, drop: Callable[[str], None]) -> bytes:
    if payload.startswith(b"Exif\0\0"):
        payload = payload[6:]
    try:
        if options.only_location:
            cut = tiffio.drop_gps_ifd(payload)
            if cut is None:
                return chunk(b"eXIf", payload)
            drop("eXIf GPS")
            return chunk(b"eXIf", cut)
        kept = tiffio.read_kept(payload, options.keep_orientation, options.keep_datetime)
    except CorruptFile:
        kept = tiffio.Kept()
    drop("eXIf")
    exif = tiffio.build_exif(kept)
    return chunk(b"eXIf", exif) if exif is not None else b""
