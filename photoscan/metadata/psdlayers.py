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

from photoscan.metadata.base import Collector
from photoscan.model import FindingKind, Severity

MAX_LAYERS = 4096
MAX_NAMES_SHOWN = 40
_HIDDEN = 0x02  # flags bit 1: the layer is not visible
_DEFAULT_NAME = re.compile(r"^(Background|Layer \d+( copy( \d+)?)?)$")


def _u32(data: bytes, pos: int) -> int:
    return int.from_bytes(data[pos : pos + 4], "big")


def _length(data: bytes, pos: int, psb: bool) -> tuple[int, int]:
    """A section length (4 bytes, 8 in PSB) at ``pos`` and where its body starts."""
    size = 8 if psb else 4
    if pos + size > len(data):
        raise ValueError("truncated")
    return int.from_bytes(data[pos : pos + size], "big"), pos + size


def _unicode_name(extra: bytes) -> str | None:
    """The 'luni' additional-info block: the layer's full Unicode name."""
    pos = 0
    while pos + 12 <= len(extra) and extra[pos : pos + 4] in (b"8BIM", b"8B64"):
        key, size = extra[pos + 4 : pos + 8], _u32(extra, pos + 8)
        body = extra[pos + 12 : pos + 12 + size]
        if key == b"luni" and len(body) >= 4:
            chars = min(_u32(body, 0), (len(body) - 4) // 2)
            return body[4 : 4 + 2 * chars].decode("utf-16-be", errors="replace")
        pos += 12 + size + (size % 2)
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
    while pos + 12 <= section_end and data[pos : pos + 4] in (b"8BIM", b"8B64"):
        key = data[pos + 4 : pos + 8]
        wide = psb and key in (b"Lr16", b"Lr32", b"Layr")
        size = int.from_bytes(data[pos + 8 : pos + (16 if wide else 12)], "big")
        body = pos + (16 if wide else 12)
        if key in (b"Lr16", b"Lr32", b"Layr"):
            return _records(data, body, min(section_end, body + size), psb)
        pos = body + size + (size % 2)
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
        name = _unicode_name(extra[after:]) or pascal
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
