"""HEIF/HEIC and AVIF: Exif and XMP items through libheif (pillow-heif), no pixel decoding.

``open_heif`` parses the box structure and the item metadata only; pixels are decoded
lazily on first access to ``.data``, which this module never touches.
"""

from __future__ import annotations

import pillow_heif

from photoscan.errors import CorruptFile
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.containers import Blocks, strip_exif_header
from photoscan.model import FindingKind, Severity


def read_heif(source: Source, col: Collector) -> Blocks:
    try:
        heif = pillow_heif.open_heif(source.data, convert_hdr_to_8bit=False)
        width, height = heif.size
        info = heif.info
    except (ValueError, EOFError, SyntaxError, RuntimeError, OSError, IndexError) as exc:
        raise CorruptFile(f"{source.fmt.value} structure is broken ({_first_line(exc)})") from None
    col.width, col.height = int(width), int(height)
    blocks = Blocks()
    exif = info.get("exif")
    if isinstance(exif, bytes) and exif:
        blocks.exif.append(strip_exif_header(exif))
    if info.get("depth_images"):
        col.add(FindingKind.THUMBNAIL, "HEIF:DepthImage", "embedded depth map", Severity.LOW)
    xmp = info.get("xmp")
    if isinstance(xmp, bytes) and xmp:
        blocks.xmp.append(xmp)
    return blocks


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
