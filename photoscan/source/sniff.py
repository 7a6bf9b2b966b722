"""Recognise a file's format from its first bytes, never from its extension.

A mislabelled file (a PNG named ``.jpg``, a HEIC named ``.JPG``) is read as what it is; a
file that is not an image gets a plain-words reason (video, PDF, unknown...) so it can be
listed under ``errors`` instead of being silently skipped.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import Enum

from photoscan.model import ImageFormat

HEADER_BYTES = 4096  # enough for every signature below, incl. a TIFF IFD0 peek


class SniffStatus(Enum):
    SUPPORTED = "supported"
    VIDEO = "video"
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True, slots=True)
class Sniffed:
    status: SniffStatus
    format: ImageFormat | None  # set when SUPPORTED
    label: str  # a short human name: "JPEG", "CR2", "MP4 video", "Photoshop PSD"

    @property
    def reason(self) -> str:
        if self.status is SniffStatus.VIDEO:
            return f"video not supported yet ({self.label})"
        if self.status is SniffStatus.UNSUPPORTED:
            return f"unsupported format: {self.label}"
        return ""


def _ok(fmt: ImageFormat, label: str | None = None) -> Sniffed:
    return Sniffed(SniffStatus.SUPPORTED, fmt, label or fmt.value)


def _no(label: str) -> Sniffed:
    return Sniffed(SniffStatus.UNSUPPORTED, None, label)


def _video(label: str) -> Sniffed:
    return Sniffed(SniffStatus.VIDEO, None, label)


_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"}
_AVIF_BRANDS = {b"avif", b"avis"}
_VIDEO_BRANDS = {
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"M4V ",
    b"M4VP",
    b"qt  ",
    b"3gp4",
    b"3gp5",
    b"3gp6",
    b"3g2a",
    b"dash",
    b"MSNV",
    b"XAVC",
    b"mp71",
    b"f4v ",
}
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
    if major in _VIDEO_BRANDS or brands & _VIDEO_BRANDS:
        return _video("MOV" if major == b"qt  " else "MP4")
    return _no(f"ISO media ({major.decode('latin-1').strip() or '?'})")


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
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return _ok(ImageFormat.PNG)
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return _ok(ImageFormat.GIF)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _ok(ImageFormat.WEBP)
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return _video("AVI")
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return _sniff_tiff(head, name_hint)
    if head[:4] in (b"II+\x00", b"MM\x00+"):
        return _no("BigTIFF")
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
        return _no("Minolta MRW RAW")
    if head[:4] == b"FOVb":
        return _ok(ImageFormat.RAW, "X3F")
    if head[:2] == b"II" and head[6:14] == b"HEAPCCDR":
        return _ok(ImageFormat.RAW, "CRW")
    if head[:4] == b"\x1aE\xdf\xa3":
        return _video("Matroska/WebM")
    if head[:4] in (b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3") or (
        head[:1] == b"G" and (len(head) > 188 and head[188:189] == b"G")
    ):
        return _video("MPEG")
    if head[:5] == b"%PDF-":
        return _no("PDF document")
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if stripped.startswith((b"<?xpacket", b"<x:xmpmeta", b"<rdf:RDF")) or (
        stripped.startswith(b"<?xml") and (b"<x:xmpmeta" in head or b"<rdf:RDF" in head)
    ):
        return _no("XMP sidecar")
    if stripped[:1] in (b"{", b"["):
        return _no("JSON")
    return _no("not an image (unknown content)")
