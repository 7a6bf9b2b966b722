"""GIF: drop comment extensions and metadata application extensions (XMP and the like).

Image descriptors, colour tables, LZW data, graphic-control (timing, transparency) and the
NETSCAPE/ANIMEXTS looping extensions are copied byte for byte; so is an ICC profile
extension unless asked otherwise. Anything after the trailer goes. ``--only location``
drops only XMP (the one place a GIF can hold a position).
"""

from __future__ import annotations

from photoscan.containers import gif
from photoscan.strip.types import StripOptions, Stripped

_LOOPING = (b"NETSCAPE2.0", b"ANIMEXTS1.0")
_ICC = b"ICCRGBG1012"


def _keep_app(app_id: bytes, options: StripOptions) -> bool:
    if app_id in _LOOPING:
        return True
    if app_id == _ICC:
        return options.keep_icc
    return options.only_location and not app_id.startswith(b"XMP Data")


def strip_gif(data: bytes, options: StripOptions) -> Stripped:
    walk = gif.Walk(data)
    blocks: list[str] = []
    parts = [data[: walk.end]]  # header and global colour table
    for block in walk:
        raw = data[block.start : block.end]
        label = block.label
        if block.introducer == gif.IMAGE or label in (0xF9, 0x01):
            parts.append(raw)  # an image; graphic control, plain text (drawn on the image)
        elif label == 0xFE:
            if options.only_location:
                parts.append(raw)
            else:
                blocks.append("GIF comment")
        elif label == 0xFF:
            app_id = data[block.body + 1 : block.body + 1 + min(data[block.body], 11)]
            if _keep_app(app_id, options):
                parts.append(raw)
            else:
                blocks.append("GIF application " + app_id.decode("latin-1", "replace"))
        else:
            blocks.append(f"GIF extension 0x{label:02X}")
    parts.append(b";")
    if walk.end < len(data):
        blocks.append("data after trailer")
    return Stripped(b"".join(parts), tuple(dict.fromkeys(blocks)))
