"""PNG: strip by chunks. Image data (IHDR/PLTE/IDAT/IEND, APNG frames) is copied verbatim.

Kept: the critical chunks, transparency and colour (tRNS, iCCP, sRGB, gAMA, cHRM, cICP, mDCv,
cLLi, sBIT), pixel size (pHYs), bKGD/hIST and the APNG chunks. Dropped: text (tEXt, zTXt,
iTXt — also where AI prompts and XMP live), eXIf (replaced by a minimal one holding
Orientation), tIME and every unknown ancillary chunk. An unknown *critical* chunk means we
cannot know what the file is: refused.
"""

from __future__ import annotations

import zlib

from photoscan.containers import png
from photoscan.errors import CorruptFile
from photoscan.strip import icc, location
from photoscan.strip.exif import Kept, build_exif, read_kept
from photoscan.strip.types import Refused, StripOptions, Stripped

_STRUCTURAL = {
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"sRGB", b"gAMA", b"cHRM", b"cICP", b"mDCv",
    b"cLLi", b"sBIT", b"pHYs", b"bKGD", b"hIST", b"acTL", b"fcTL", b"fdAT",
}  # fmt: skip
_TEXT = {b"tEXt", b"zTXt", b"iTXt"}
_XMP_KEY = b"XML:com.adobe.xmp"
MAX_TEXT_BYTES = 16 * 1024 * 1024


def iter_chunks(data: bytes) -> list[tuple[bytes, bytes, bytes]]:
    """(type, payload, raw chunk bytes) up to and including IEND (``containers.png``, strict)."""
    return [(c.type, data[c.body : c.end], data[c.start : c.stop]) for c in png.walk(data)]


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
        text = png.inflate(text, MAX_TEXT_BYTES)
    cut = location.xmp_without_location(text)
    if cut is None:
        return None
    return keyword + b"\0\0\0" + lang + b"\0" + translated + b"\0" + cut


def _raw_profile_exif(kind: bytes, payload: bytes) -> bytes | None:
    """The EXIF of an ImageMagick "Raw profile type exif/APP1" text chunk (hex-encoded)."""
    key, _, rest = payload.partition(b"\0")
    if key not in (b"Raw profile type exif", b"Raw profile type APP1") or kind == b"iTXt":
        return None
    try:
        raw = png.raw_profile(png.inflate(rest[1:], MAX_TEXT_BYTES) if kind == b"zTXt" else rest)
    except ValueError:
        return None
    if raw is None:
        return None
    return raw[6:] if raw.startswith(b"Exif\0\0") else raw


def _read_kept(payload: bytes | None, options: StripOptions) -> Kept | None:
    if payload is None:
        return None
    if payload.startswith(b"Exif\0\0"):
        payload = payload[6:]
    try:
        return read_kept(payload, options.keep_orientation, options.keep_datetime)
    except CorruptFile:
        return None


def _iccp(payload: bytes, raw: bytes, blocks: list[str]) -> list[bytes]:
    """The iCCP chunk to keep: as it was, or recompressed without the display's tags."""
    name, _, rest = payload.partition(b"\0")
    try:
        profile = png.inflate(rest[1:])
    except ValueError:
        profile = b""
    kept = icc.kept_profile(profile, blocks)
    if kept is profile:
        return [raw]
    if kept is None:
        return []
    return [png.make_chunk(b"iCCP", name + b"\0\0" + zlib.compress(kept, 9))]


def strip_png(data: bytes, options: StripOptions) -> Stripped:
    if options.only_location:
        return _strip_location(data)
    blocks: list[str] = []
    out = [png.SIGNATURE]
    chunks = iter_chunks(data)
    exif_sources: list[bytes | None] = [p for k, p, _ in chunks if k == b"eXIf"]
    exif_sources += [_raw_profile_exif(k, p) for k, p, _ in chunks if k in (b"zTXt", b"tEXt")]
    kept = next((k for k in (_read_kept(p, options) for p in exif_sources) if k), None)
    minimal = build_exif(kept) if kept is not None else None
    for kind, _payload, raw in chunks:
        name = kind.decode("latin-1", "replace")
        if kind == b"IDAT" and minimal is not None:
            out.append(png.make_chunk(b"eXIf", minimal))
            minimal = None
        if kind == b"iCCP" and options.keep_icc:
            out.extend(_iccp(_payload, raw, blocks))
        elif kind in _STRUCTURAL:
            out.append(raw)
        elif not (kind[0] & 0x20):
            raise Refused(f"unknown critical PNG chunk {name!r}")
        elif name not in blocks:
            blocks.append("ICC profile" if kind == b"iCCP" else name)
    if sum(len(c[2]) for c in chunks) + len(png.SIGNATURE) < len(data):
        blocks.append("data after IEND")
    return Stripped(b"".join(out), tuple(blocks))


def _strip_location(data: bytes) -> Stripped:
    """Keep every chunk but cut GPS from eXIf, places from XMP, and ImageMagick raw profiles
    (hex copies of EXIF/IPTC that cannot be edited safely)."""
    blocks: list[str] = []
    out = [png.SIGNATURE]
    for kind, payload, raw in iter_chunks(data):
        key = payload.split(b"\0", 1)[0] if kind in _TEXT else b""
        if kind == b"eXIf":
            tiff = payload[6:] if payload.startswith(b"Exif\0\0") else payload
            try:
                cut = location.tiff_without_location(tiff)
            except CorruptFile:
                blocks.append("eXIf")
                continue
            out.append(raw if cut is None else png.make_chunk(kind, cut[0]))
            if cut is not None:
                blocks.extend(cut[1])
        elif kind == b"iTXt" and key == _XMP_KEY:
            try:
                itxt = _xmp_itxt_without_location(payload)
            except ValueError:
                blocks.append("XMP")
                continue
            out.append(raw if itxt is None else png.make_chunk(kind, itxt))
            if itxt is not None:
                blocks.append("XMP location")
        elif key.startswith(b"Raw profile type"):
            blocks.append(f"{kind.decode('latin-1')} {key.decode('latin-1', 'replace')}")
        else:
            out.append(raw)
    return Stripped(b"".join(out), tuple(dict.fromkeys(blocks)))
