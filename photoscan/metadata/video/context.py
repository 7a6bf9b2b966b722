"""What the readers of one video share: the file's layout, the collector, and what they set
aside for later (thumbnails, XMP packets), with the two helpers every reader uses."""

from __future__ import annotations

from photoscan.containers.movie import Layout
from photoscan.metadata.base import Collector
from photoscan.metadata.video import values
from photoscan.metadata.video.types import ThumbnailInfo
from photoscan.model import FindingKind, Severity

K = FindingKind
S = Severity


class Context:
    """What one file's readers share besides the collector: thumbnails and XMP packets."""

    __slots__ = ("col", "layout", "thumbnails", "xmp")

    def __init__(
        self, layout: Layout, col: Collector, thumbnails: list[ThumbnailInfo], xmp: list[bytes]
    ) -> None:
        self.layout = layout
        self.col = col
        self.thumbnails = thumbnails
        self.xmp = xmp


def add_iso6709(col: Collector, field: str, raw: bytes) -> None:
    parsed = values.iso6709(raw)
    if parsed is None:
        if raw.strip():
            col.add(K.LOCATION, field, raw[:80], S.MEDIUM)
        return
    lat, lon, alt = parsed
    if col.add_gps(lat, lon, "quicktime", alt, field):
        col.add(K.LOCATION, field, f"{lat:.6f}, {lon:.6f}", S.HIGH)


def add_thumbnail(ctx: Context, field: str, offset: int, payload: bytes) -> None:
    """Report an embedded image; its bytes may start after a small header of their own."""
    skip = 0
    for magic in (b"\xff\xd8\xff", b"\x89PNG"):
        at = payload.find(magic, 0, 64)
        if at >= 0:
            skip = at
            break
    image = payload[skip:]
    if not image.strip(b"\0"):
        return
    fmt = values.image_format(image)
    ctx.thumbnails.append(ThumbnailInfo(field, offset + skip, len(image), fmt))
    words = f"{fmt or 'embedded'} image, {max(1, round(len(image) / 1024))} KB"
    ctx.col.add(K.THUMBNAIL, field, words, S.MEDIUM)
