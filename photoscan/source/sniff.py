"""Recognise a file's format from its first bytes, never from its extension.

A mislabelled file (a PNG named ``.jpg``, a HEIC named ``.JPG``) is read as what it is; a
file that is neither a photo nor a video photoscan reads gets a plain-words reason (PDF,
MPEG program stream, unknown...) so it can be listed under ``errors`` instead of being
silently skipped.

Videos (``SniffStatus.VIDEO``, ``sniff_video``): ISO-BMFF files say what they are in
``ftyp``, the major brand first, the compatible brands after; image brands (HEIF, AVIF, CR3,
JPEG 2000, JPEG XL) share the box format and are photos. Old QuickTime files have no
``ftyp`` and start straight with ``moov``/``mdat``/``wide``. AVI is RIFF with form type
``AVI ``; Matroska and WebM start with the EBML magic; AVCHD ``.MTS``/``.M2TS`` are MPEG
transport streams of 188-byte packets (192 with a 4-byte time code before each), known by
three sync bytes in a row.
"""

from __future__ import annotations

import struct

from photoscan.enums import Enum
from photoscan.model import ImageFormat
from photoscan.tuples import NamedTuple

HEADER_BYTES = 4096  # enough for every signature below, incl. a TIFF IFD0 peek


class SniffStatus(Enum):
    SUPPORTED = "supported"
    VIDEO = "video"
    UNSUPPORTED = "unsupported"


class Sniffed(NamedTuple):
    status: SniffStatus
    format: ImageFormat | None  # set when SUPPORTED, and for a VIDEO photoscan reads
    label: str  # a short human name: "JPEG", "CR2", "MP4 video", "Photoshop PSD"

    @property
    def is_video(self) -> bool:
        """A video (or sound recording) in a container photoscan reads."""
        return self.status is SniffStatus.VIDEO and self.format is not None

    @property
    def reason(self) -> str:
        if self.status is SniffStatus.VIDEO:
            if self.format is None:
                return f"unsupported video format: {self.label}"
            return f"a video ({self.label}), not a photo"
        if self.status is SniffStatus.UNSUPPORTED:
            return f"unsupported format: {self.label}"
        return ""


def _ok(fmt: ImageFormat, label: str | None = None) -> Sniffed:
    return Sniffed(SniffStatus.SUPPORTED, fmt, label or fmt.value)


def _no(label: str) -> Sniffed:
    return Sniffed(SniffStatus.UNSUPPORTED, None, label)


def _video(fmt: ImageFormat | None, label: str = "") -> Sniffed:
    return Sniffed(SniffStatus.VIDEO, fmt, label or f"{fmt.value if fmt else '?'} video")


F = ImageFormat
VIDEO_FORMATS = frozenset({F.MP4, F.MOV, F.M4V, F.M4A, F.THREE_GP, F.THREE_G2, F.AVI, F.MKV, F.MTS})
BMFF_FORMATS = frozenset({F.MP4, F.MOV, F.M4V, F.M4A, F.THREE_GP, F.THREE_G2})
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"}
_AVIF_BRANDS = {b"avif", b"avis"}
_IMAGE_BRANDS = frozenset(
    {
        b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"mif2",
        b"avif", b"avis", b"avci", b"crx ", b"jp2 ", b"jpx ", b"jpm ", b"jxl ", b"MiHE",
    }
)  # fmt: skip
_QT_FIRST = frozenset({b"moov", b"mdat", b"pnot"})
_QT_PADDING = frozenset({b"wide", b"free", b"skip"})
_TIFF_RAW_MARKERS = ((8, b"CR", "CR2"),)
_DNG_VERSION_TAG = 0xC612
_MAKE_TAG = 0x010F


def _sniff_bmff(head: bytes) -> Sniffed:
    major = head[8:12]
    size = struct.unpack(">I", head[0:4])[0]
    end = min(size if size >= 16 else 16, len(head))
    brands = {major} | {head[i : i + 4] for i in range(16, end - 3, 4)}
    if major == b"crx ":
        return _ok(ImageFormat.RAW, "CR3")
    if major in (b"jp2 ", b"jpx "):
        return _ok(ImageFormat.JP2, "JPEG 2000")
    if major == b"jxl ":
        return _ok(ImageFormat.JXL, "JPEG XL")
    if brands & _AVIF_BRANDS and major not in _HEIF_BRANDS:
        return _ok(ImageFormat.AVIF)
    if brands & _HEIF_BRANDS or major in (b"mif1", b"msf1"):
        return _ok(ImageFormat.HEIF)
    fmt = brand_format(major, tuple(brands - {major}))
    if fmt is not None:
        return _video(fmt)
    return _no(f"ISO media ({major.decode('latin-1').strip() or '?'})")


def brand_format(brand: bytes, compatible: tuple[bytes, ...] = ()) -> ImageFormat | None:
    """The video container an ``ftyp`` names; None for image brands (HEIF, AVIF, CR3,
    JPEG 2000, JPEG XL). Any other brand is an MP4: phones, cameras and encoders write dozens
    (``isom``, ``mp42``, ``XAVC``, ``CAEP``...), and one that is no movie after all says so
    when it is read (it has no ``moov``)."""
    if brand in _IMAGE_BRANDS:
        return None
    if brand == b"qt  ":
        return F.MOV
    if brand.startswith((b"3gp", b"3gg", b"3gs")):
        return F.THREE_GP
    if brand.startswith(b"3g2"):
        return F.THREE_G2
    if brand in (b"M4V ", b"M4VH", b"M4VP"):
        return F.M4V
    if brand in (b"M4A ", b"M4B ", b"M4P "):
        return F.M4A
    images = any(b in _IMAGE_BRANDS for b in compatible)
    if b"qt  " in compatible and not images:
        return F.MOV
    if images and not any(b.startswith((b"mp4", b"iso")) for b in compatible):
        return None
    return F.MP4


def sniff_video(head: bytes) -> ImageFormat | None:
    """The video container of a file starting with ``head``, or None."""
    found = sniff(head)
    return found.format if found.is_video else None


def _old_quicktime(head: bytes) -> bool:
    """A QuickTime file from before ``ftyp``: ``moov``/``mdat`` first, or padding followed by
    them (padding alone is too weak a sign: "The free..." is text)."""
    pos = 0
    for _ in range(4):
        if len(head) < pos + 8:
            return False
        size, kind = int.from_bytes(head[pos : pos + 4]), head[pos + 4 : pos + 8]
        if kind in _QT_FIRST:
            return size == 0 or size == 1 or size >= 8
        if kind not in _QT_PADDING or size < 8:
            return False
        pos += size
    return False


def _transport_stream(head: bytes) -> bool:
    """Three sync bytes (0x47) a packet apart, with packet data between them (a file that
    is nothing but "G"s has sync bytes everywhere)."""
    for stride, first in ((188, 0), (192, 4)):
        if (
            len(head) >= first + 2 * stride + 1
            and all(head[first + i * stride] == 0x47 for i in range(3))
            and head[first + 1 : first + stride].count(0x47) < stride - 1
        ):
            return True
    return False


def _tiff_ifd0_tags(head: bytes) -> set[int]:
    """Tag ids of IFD0 when it lies inside the header we read (best effort)."""
    order = "<" if head[:2] == b"II" else ">"
    try:
        (offset,) = struct.unpack(order + "I", head[4:8])
        if offset + 2 > len(head):
            return set()
        (count,) = struct.unpack(order + "H", head[offset : offset + 2])
        tags = set()
        for i in range(min(count, 512)):
            pos = offset + 2 + 12 * i
            if pos + 2 > len(head):
                break
            tags.add(struct.unpack(order + "H", head[pos : pos + 2])[0])
        return tags
    except struct.error:
        return set()


def _sniff_tiff(head: bytes, name_hint: str) -> Sniffed:
    for offset, marker, label in _TIFF_RAW_MARKERS:
        if head[offset : offset + len(marker)] == marker:
            return _ok(ImageFormat.RAW, label)
    tags = _tiff_ifd0_tags(head)
    if _DNG_VERSION_TAG in tags:
        return _ok(ImageFormat.DNG)
    ext = name_hint.rsplit(".", 1)[-1].upper() if "." in name_hint else ""
    if ext in {
        "NEF",
        "NRW",
        "ARW",
        "SR2",
        "SRF",
        "PEF",
        "SRW",
        "ERF",
        "3FR",
        "MEF",
        "MOS",
        "IIQ",
        "DCR",
        "KDC",
        "RWL",
        "FFF",
    }:
        return _ok(ImageFormat.RAW, ext)
    return _ok(ImageFormat.TIFF)


def sniff(head: bytes, name_hint: str = "") -> Sniffed:
    """Identify a file from its first bytes (``HEADER_BYTES`` is plenty).

    ``name_hint`` only refines the label of TIFF-based RAW files, whose containers are
    plain TIFF; it never decides whether a file is read.
    """
    if len(head) == 0:
        return _no("empty file")
    if head[:3] == b"\xff\xd8\xff":
        return _ok(ImageFormat.JPEG)
    if head[:7] == b"\xff\x01Exiv2":
        return _ok(ImageFormat.EXV, "Exiv2 EXV metadata")
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return _ok(ImageFormat.PNG)
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return _ok(ImageFormat.GIF)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _ok(ImageFormat.WEBP)
    if head[:4] == b"RIFF" and head[8:12] in (b"AVI ", b"AVIX"):
        return _video(F.AVI)
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return _sniff_tiff(head, name_hint)
    if head[:4] in (b"II+\x00", b"MM\x00+"):
        return _ok(ImageFormat.TIFF, "BigTIFF")
    if head[:4] == b"IIRO" or head[:4] == b"IIRS":
        return _ok(ImageFormat.RAW, "ORF")
    if head[:4] == b"IIU\x00":
        return _ok(ImageFormat.RAW, "RW2")
    if head[:2] == b"BM" and len(head) >= 26:
        return _ok(ImageFormat.BMP)
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return _sniff_bmff(head)
    if head[:12] == b"\x00\x00\x00\x0cJXL \r\n\x87\n" or head[:2] == b"\xff\x0a":
        return _ok(ImageFormat.JXL, "JPEG XL")
    if head[:12] == b"\x00\x00\x00\x0cjP  \r\n\x87\n":
        return _ok(ImageFormat.JP2, "JPEG 2000")
    if head[:4] == b"8BPS":
        return _ok(
            ImageFormat.PSD, "Photoshop PSB" if head[4:6] == b"\x00\x02" else "Photoshop PSD"
        )
    if head[:15] == b"FUJIFILMCCD-RAW":
        return _ok(ImageFormat.RAW, "RAF")
    if head[:8] == b"FUJIFILM":
        return _no("Fujifilm RAF RAW (damaged header)")
    if head[:4] == b"\x00MRM":
        return _ok(ImageFormat.RAW, "MRW")
    if head[:4] == b"FOVb":
        return _ok(ImageFormat.RAW, "X3F")
    if head[:2] == b"II" and head[6:14] == b"HEAPCCDR":
        return _ok(ImageFormat.RAW, "CRW")
    if head[:4] == b"\x1aE\xdf\xa3":
        return _video(F.MKV, "Matroska/WebM video")
    if _transport_stream(head):
        return _video(F.MTS, "MPEG transport stream video")
    if head[:4] in (b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3"):
        return _video(None, "MPEG program stream")
    if _old_quicktime(head):
        return _video(F.MOV, "QuickTime video")
    if head[:5] == b"%PDF-":
        return _no("PDF document")
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if stripped.startswith((b"<?xpacket", b"<x:xmpmeta", b"<rdf:RDF")) or (
        stripped.startswith(b"<?xml") and (b"<x:xmpmeta" in head or b"<rdf:RDF" in head)
    ):
        return _no("XMP sidecar")
    if stripped[:1] in (b"{", b"["):
        return _no("JSON")
    if _plain_text(head):
        return _no("plain text")
    return _no("not an image (unknown content)")


# Every byte but the control characters a text file never holds (tab, newline, form feed
# and carriage return are text): deleting these leaves only the ones that say "binary".
_NOT_BINARY = bytes(b for b in range(256) if (b >= 0x20 and b != 0x7F) or b in b"\t\n\f\r")


def _plain_text(head: bytes) -> bool:
    """A text file (a list, notes, a TSV): no binary control bytes and valid UTF-8, but for
    a character the head's end may have cut in two. Only names the file in the error; a
    text file is never read as a photo either way."""
    if head.translate(None, _NOT_BINARY):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.reason == "unexpected end of data" and exc.start >= len(head) - 3
    return True
