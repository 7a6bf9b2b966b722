"""HEIF/HEIC and AVIF: Exif and XMP items through libheif (pillow-heif), no pixel decoding.

``open_heif`` parses the box structure and the item metadata only; pixels are decoded
lazily on first access to ``.data``, which this module never touches. When libheif gives
up on a damaged file (a truncated download, one broken box), the Exif and XMP payloads are
often still intact, so a plain byte scan looks for them before the file is called corrupt.
libheif hands over the primary image's ICC profile only; the ``colr`` properties of every
other item (a thumbnail's, a second image's) are read from ``ipco`` here, so a display
profile that names one device is found wherever it is.
"""

from __future__ import annotations

from collections.abc import Iterator

from photoscan.containers.bmff import Budget, walk
from photoscan.errors import CorruptFile
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.blocks import Blocks, strip_exif_header
from photoscan.model import FindingKind, Severity

MAX_SCANNED_EXIF = 1 << 20
_LIBHEIF_ERRORS = (ValueError, EOFError, SyntaxError, RuntimeError, OSError, IndexError)


def read_heif(source: Source, col: Collector) -> Blocks:
    import pillow_heif  # late: ~30 ms of start-up that JPEG-only runs never need

    try:
        heif = pillow_heif.open_heif(source.data, convert_hdr_to_8bit=False)
        width, height = heif.size
        info = heif.info
    except _LIBHEIF_ERRORS as exc:
        reason = f"{source.fmt.value} structure is broken ({_first_line(exc)})"
        blocks = scan_for_metadata(source.data)
        if not (blocks.exif or blocks.xmp):
            raise CorruptFile(reason) from None
        col.warn(f"{reason}; Exif/XMP found by scanning the bytes")
        return blocks
    col.width, col.height = int(width), int(height)
    blocks = Blocks()
    exif = info.get("exif")
    if isinstance(exif, bytes) and exif:
        blocks.exif.append(strip_exif_header(exif))
    if info.get("depth_images"):
        col.add(FindingKind.THUMBNAIL, "HEIF:DepthImage", "embedded depth map", Severity.LOW)
    profile = info.get("icc_profile")
    if isinstance(profile, bytes) and profile:
        blocks.icc.append(profile)
    blocks.icc.extend(p for p in dict.fromkeys(colr_profiles(source.data)) if p not in blocks.icc)
    xmp = info.get("xmp")
    if isinstance(xmp, bytes) and xmp:
        blocks.xmp.append(xmp)
    return blocks


_ICC_COLOURS = (b"prof", b"rICC")
_PATH = (b"meta", b"iprp", b"ipco")


def colr_profiles(data: bytes) -> Iterator[bytes]:
    """The ICC profile of each ``colr`` property in ``meta/iprp/ipco`` (a lenient walk:
    damage ends it quietly, libheif has said what is wrong)."""
    budget = Budget(4096)
    yield from _colr_in(data, 0, len(data), 0, budget)


def _colr_in(data: bytes, start: int, end: int, depth: int, budget: Budget) -> Iterator[bytes]:
    for box in walk(data, start, end, warn=_quiet, found=1, budget=budget):
        if depth == len(_PATH):
            colour = data[box.body : box.body + 4]
            if box.type == b"colr" and colour in _ICC_COLOURS and box.end > box.body + 4:
                yield data[box.body + 4 : box.end]
        elif box.type == _PATH[depth]:
            body = box.body + (4 if box.type == b"meta" else 0)  # meta is a full box
            yield from _colr_in(data, body, box.end, depth + 1, budget)


def _quiet(_message: str) -> None:
    return None


def scan_for_metadata(data: bytes) -> Blocks:
    """Exif ("Exif\\0\\0" + TIFF header) and an XMP packet found anywhere in ``data``."""
    blocks = Blocks()
    start = data.find(b"Exif\x00\x00")
    while start >= 0:
        if data[start + 6 : start + 8] in (b"II", b"MM"):
            blocks.exif.append(data[start + 6 : start + 6 + MAX_SCANNED_EXIF])
            break
        start = data.find(b"Exif\x00\x00", start + 6)
    begin = data.find(b"<x:xmpmeta")
    end = data.find(b"</x:xmpmeta>", begin) if begin >= 0 else -1
    if end > begin >= 0:
        blocks.xmp.append(data[begin : end + len(b"</x:xmpmeta>")])
    return blocks


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
