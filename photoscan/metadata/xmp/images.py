"""Pictures and media an XMP packet carries or announces: thumbnails, motion photos, the
images of a Google container.

``xmp:Thumbnails`` (``xap:`` in old packets) holds base64 JPEGs with ``xmpGImg`` fields; a
thumbnail is reported with its size only when its bytes decode to a whole JPEG (a stub or a
truncated blob is not a picture). Google's camera apps announce a video appended after the
image (MotionPhoto/MicroVideo) and list depth maps and gain maps in a container directory.
"""

from __future__ import annotations

from collections.abc import Callable

from photoscan.metadata.base import Collector
from photoscan.metadata.xmp.rdf import XValue, by_local, first_text, structs, texts
from photoscan.metadata.xmp.values import thumbnail_size
from photoscan.model import FindingKind, Severity

K = FindingKind
S = Severity
MAX_THUMBNAILS = 8
_MOTION_WORDS = "video appended after the image (motion photo; may include sound)"


def thumbnails(value: XValue, col: Collector, prefix: str) -> None:
    """Every decodable ``xmp:Thumbnails`` image, with its pixel size and bytes."""
    for item in structs(value)[:MAX_THUMBNAILS]:
        decoded = thumbnail_size(first_text(by_local(item, "image")))
        if decoded is not None:
            nbytes, (width, height) = decoded
            words = f"{width}×{height} JPEG thumbnail, {max(1, round(nbytes / 1024))} KB"
            col.add(K.THUMBNAIL, f"XMP:{prefix}ThumbnailImage", words, S.MEDIUM)


def motion_photo(value: XValue, col: Collector, prefix: str) -> None:
    if first_text(value) not in ("", "0"):
        col.add(K.THUMBNAIL, f"XMP:{prefix}MotionPhoto", _MOTION_WORDS, S.MEDIUM)


def container(value: XValue, col: Collector, prefix: str) -> None:
    """Google container directory: every item after the primary image is a hidden image."""
    for entry in structs(value):
        item = entry.get("Container:Item", entry)
        for fields in structs(item):
            semantic = first_text(fields.get("Item:Semantic"))
            if semantic and semantic != "Primary":
                mime = first_text(fields.get("Item:Mime"))
                words = f"embedded {semantic} ({mime})" if mime else f"embedded {semantic}"
                col.add(K.THUMBNAIL, f"XMP:{prefix}DirectoryItemSemantic", words, S.MEDIUM)


def embedded(label: str, tag: str) -> Callable[[XValue, Collector, str], None]:
    """An image kept as base64 in a property (Google depth maps and portrait images): its
    size when it decodes, else just that it is there (big packets have the blob cut out
    before parsing, see ``rdf``)."""

    def read(value: XValue, col: Collector, prefix: str) -> None:
        blob = first_text(value)
        decoded = thumbnail_size(blob) if blob else None
        if decoded is not None:
            nbytes, (width, height) = decoded
            words = f"{width}×{height} JPEG {label}, {max(1, round(nbytes / 1024))} KB"
            col.add(K.THUMBNAIL, f"XMP:{prefix}{tag}", words, S.MEDIUM)
        elif texts(value) or structs(value):
            col.add(K.THUMBNAIL, f"XMP:{prefix}{tag}", f"embedded {label}", S.MEDIUM)

    return read
