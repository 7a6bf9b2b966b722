"""Photoshop layers: their names, and the layers that are hidden.

A layered PSD is a document, not a picture: layer names are text its author typed ("Anna's
face", "old address") and a hidden layer is a picture or text that is not in the image
everyone sees, yet travels with the file. Neither is metadata in the EXIF/XMP sense, so no
stripper removes it (photoscan refuses to strip PSD); the scan says it is there.

Only the layer records are walked (Adobe's PSD/PSB format: the layer info of the "layer and
mask information" section), never the channel data. Every length comes from the file and is
checked against it; counts are capped, and a record that does not fit ends the walk with
what was read.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator

from photoscan.metadata.base import Collector
from photoscan.model import FindingKind, Severity

MAX_LAYERS = 4096
MAX_NAMES_SHOWN = 40
_HIDDEN = 0x02  # flags bit 1: the layer is not visible
_LAYER_KEYS = (b"Lr16", b"Lr32", b"Layr")  # layer info kept outside the layer info section
# PSB blocks whose length field is 8 bytes (Adobe's file format specification)
_WIDE_KEYS = frozenset(
    {b"LMsk", b"Lr16", b"Lr32", b"Layr", b"Mt16", b"Mt32", b"Mtrn", b"Alph", b"FMsk"}
    | {b"lnk2", b"FEid", b"FXid", b"PxSD"}
)
_DEFAULT_NAME = re.compile(r"^(Background|Layer \d+( copy( \d+)?)?)$")


def _u32(data: bytes, pos: int) -> int:
    return int.from_bytes(data[pos : pos + 4], "big")


def _length(data: bytes, pos: int, psb: bool) -> tuple[int, int]:
    """A section length (4 bytes, 8 in PSB) at ``pos`` and where its body starts."""
    size = 8 if psb else 4
    if pos + size > len(data):
        raise ValueError("truncated")
    return int.from_bytes(data[pos : pos + size], "big"), pos + size


def _info_blocks(data: bytes, pos: int, end: int, psb: bool) -> Iterator[tuple[bytes, int, int]]:
    """(key, body start, body end) of the additional-info blocks ("8BIM" or "8B64", a key,
    a length) from ``pos`` to ``end``; in PSB a few keys have 8-byte lengths."""
    while pos + 12 <= end and data[pos : pos + 4] in (b"8BIM", b"8B64"):
        key = data[pos + 4 : pos + 8]
        wide = psb and key in _WIDE_KEYS
        body = pos + (16 if wide else 12)
        size = int.from_bytes(data[pos + 8 : body], "big")
        yield key, body, min(end, body + size)
        pos = body + size + (size % 2)


def _unicode_name(extra: bytes, psb: bool) -> str | None:
    """The 'luni' additional-info block: the layer's full Unicode name."""
    for key, start, end in _info_blocks(extra, 0, len(extra), psb):
        if key == b"luni" and end - start >= 4:
            chars = min(_u32(extra, start), (end - start - 4) // 2)
            return extra[start + 4 : start + 4 + 2 * chars].decode("utf-16-be", errors="replace")
    return None


def layer_records(data: bytes, start: int, psb: bool) -> list[tuple[str, bool]]:
    """(name, hidden) of each layer; ``start`` is where the layer and mask section begins.

    8-bit files keep the layer records in the section's layer info; 16- and 32-bit files
    leave that empty and keep them in an ``Lr16``/``Lr32`` block at the section's end.
    """
    section_length, pos = _length(data, start, psb)
    section_end = min(len(data), pos + section_length)
    info_length, pos = _length(data, pos, psb)
    if info_length >= 2:
        return _records(data, pos, min(section_end, pos + info_length), psb)
    pos += info_length
    if pos + 4 > section_end:
        return []
    pos += 4 + _u32(data, pos)  # global layer mask info
    for key, body, end in _info_blocks(data, pos, section_end, psb):
        if key in _LAYER_KEYS:
            return _records(data, body, end, psb)
    return []


def _records(data: bytes, pos: int, end: int, psb: bool) -> list[tuple[str, bool]]:
    if pos + 2 > end:
        return []
    count = min(abs(struct.unpack(">h", data[pos : pos + 2])[0]), MAX_LAYERS)
    pos += 2
    channel_entry = 10 if psb else 6
    layers: list[tuple[str, bool]] = []
    for _ in range(count):
        if pos + 18 > end:
            break
        channels = int.from_bytes(data[pos + 16 : pos + 18], "big")
        pos += 18 + channels * channel_entry
        if pos + 16 > end or data[pos : pos + 4] != b"8BIM":
            break
        flags = data[pos + 10]
        extra_length = _u32(data, pos + 12)
        extra = data[pos + 16 : min(end, pos + 16 + extra_length)]
        pos += 16 + extra_length
        if len(extra) < extra_length:
            break
        mask = _u32(extra, 0) if len(extra) >= 4 else 0
        ranges_at = 4 + mask
        ranges = _u32(extra, ranges_at) if ranges_at + 4 <= len(extra) else 0
        name_at = ranges_at + 4 + ranges
        if name_at >= len(extra):
            layers.append(("", bool(flags & _HIDDEN)))
            continue
        name_length = extra[name_at]
        pascal = extra[name_at + 1 : name_at + 1 + name_length].decode("latin-1")
        after = name_at + ((1 + name_length + 3) // 4) * 4
        name = _unicode_name(extra[after:], psb) or pascal
        layers.append((name, bool(flags & _HIDDEN)))
    return layers


def report_layers(data: bytes, start: int, psb: bool, col: Collector) -> None:
    """Findings for the layers of the PSD ``data`` whose layer section begins at ``start``."""
    try:
        layers = layer_records(data, start, psb)
    except (ValueError, IndexError, struct.error):
        col.warn("Photoshop layers could not be read")
        return
    names = list(dict.fromkeys(n.strip() for n, _ in layers if n.strip()))
    named = [n for n in names if not _DEFAULT_NAME.match(n)]
    if named:
        shown = ", ".join(named[:MAX_NAMES_SHOWN])
        col.add(FindingKind.TEXT, "Photoshop:LayerNames", shown, Severity.LOW)
    hidden = sum(1 for _, is_hidden in layers if is_hidden)
    if hidden:
        words = f"{hidden} hidden layer{'s' if hidden > 1 else ''}: pictures or text not shown"
        col.add(
            FindingKind.THUMBNAIL,
            "Photoshop:HiddenLayers",
            f"{words} in the image",
            Severity.MEDIUM,
        )
