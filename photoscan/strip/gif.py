"""GIF: drop comment extensions and metadata application extensions (XMP and the like).

Image descriptors, colour tables, LZW data, graphic-control (timing, transparency) and the
NETSCAPE/ANIMEXTS looping extensions are copied byte for byte; so is an ICC profile
extension unless asked otherwise. Anything after the trailer goes. ``--only location``
drops only XMP (the one place a GIF can hold a position).
"""

from __future__ import annotations

from photoscan.errors import CorruptFile
from photoscan.strip.types import StripOptions, Stripped

_LOOPING = (b"NETSCAPE2.0", b"ANIMEXTS1.0")
_ICC = b"ICCRGBG1012"


def _sub_blocks_end(data: bytes, pos: int) -> int:
    """Position just after the sub-block chain starting at ``pos`` (its 0 terminator)."""
    while True:
        if pos >= len(data):
            raise CorruptFile("truncated GIF data")
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos


def _keep_app(app_id: bytes, options: StripOptions) -> bool:
    if app_id in _LOOPING:
        return True
    if app_id == _ICC:
        return options.keep_icc
    return options.only_location and not app_id.startswith(b"XMP Data")


def strip_gif(data: bytes, options: StripOptions) -> Stripped:
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 13:
        raise CorruptFile("not a GIF")
    blocks: list[str] = []
    pos = 13
    if data[10] & 0x80:
        pos += 3 * (2 ** ((data[10] & 7) + 1))
    parts = [data[:pos]]
    while True:
        if pos >= len(data):
            raise CorruptFile("truncated GIF (no trailer)")
        kind = data[pos]
        if kind == 0x3B:
            parts.append(b";")
            pos += 1
            break
        if kind == 0x2C:
            if pos + 10 > len(data):
                raise CorruptFile("truncated GIF image descriptor")
            start = pos
            packed = data[pos + 9]
            pos += 10
            if packed & 0x80:
                pos += 3 * (2 ** ((packed & 7) + 1))
            end = _sub_blocks_end(data, pos + 1)  # +1: LZW minimum code size
            parts.append(data[start:end])
            pos = end
        elif kind == 0x21 and pos + 2 <= len(data):
            label = data[pos + 1]
            end = _sub_blocks_end(data, pos + 2)
            block = data[pos:end]
            if label in (0xF9, 0x01):  # graphic control, plain text (drawn on the image)
                parts.append(block)
            elif label == 0xFE:
                if options.only_location:
                    parts.append(block)
                else:
                    blocks.append("GIF comment")
            elif label == 0xFF:
                app_id = data[pos + 3 : pos + 3 + min(data[pos + 2], 11)]
                if _keep_app(app_id, options):
                    parts.append(block)
                else:
                    blocks.append("GIF application " + app_id.decode("latin-1", "replace"))
            else:
                blocks.append(f"GIF extension 0x{label:02X}")
            pos = end
        else:
            raise CorruptFile("unknown GIF block")
    if pos < len(data):
        blocks.append("data after trailer")
    return Stripped(b"".join(parts), tuple(dict.fromkeys(blocks)))
