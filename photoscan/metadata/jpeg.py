"""JPEG: one pass over the header segments, up to the start of the compressed image.

Everything a JPEG says about itself lives in the APPn/COM segments before SOS; the
scan never reads the entropy-coded image data, so a 20 MB photo costs a few kilobytes of
work. Extended XMP (Adobe's way past the 64 KB segment limit, used by Google cameras and
Lightroom for face regions and depth maps) is reassembled by GUID and offset here.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from photoscan.containers import icc, jpeg
from photoscan.containers.damage import damaged
from photoscan.errors import CorruptFile
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.blocks import EXIF_HEADER, Blocks
from photoscan.metadata.jpegapps import FLIR_HEADER, GOPRO_HEADER, FlirChunks, read_flir, read_gopro
from photoscan.metadata.raw.ciff import read_ciff
from photoscan.model import FindingKind, ImageFormat, Severity

EXV_MAGIC = b"\xff\x01Exiv2"  # an Exiv2 .exv file's start, where a JPEG has SOI
MAX_EXTENDED_XMP = 8 << 20
MAX_EXTENDED_PACKETS = 2  # the current one, and at most one stale packet left by an editor
_SALVAGED = frozenset([0xE1, 0xED])  # Exif/XMP and Photoshop segments are read even if cut
# Other APPn segments worth telling the user about: (marker, prefix) -> what it is.
_NOTED: dict[tuple[int, bytes], str] = {
    (0xE1, b"FLIR\x00"): "FLIR thermal camera data",
    (0xE2, b"FPXR\x00"): "FlashPix data (may hold a preview image)",
    (0xE3, b"META"): "Kodak meta data",
    (0xE6, b"GoPro"): "GoPro camera data",
    (0xEA, b"AROT"): "Apple data",
}


@dataclass(slots=True)
class _Parts:
    """Blocks that come in pieces over several segments, joined after the walk."""

    extended: _ExtendedXmp = field(default_factory=lambda: _ExtendedXmp())
    irb: list[bytes] = field(default_factory=list)
    flir: FlirChunks = field(default_factory=FlirChunks)


@dataclass(slots=True)
class _ExtendedXmp:
    """Chunks of one Extended XMP packet, keyed by the GUID of its main packet."""

    parts: dict[bytes, tuple[int, dict[int, bytes]]] = field(default_factory=dict)

    def add(self, payload: bytes) -> None:
        body = payload[len(jpeg.XMP_EXTENSION) :]
        if len(body) < 40:
            return
        guid = body[:32]
        total, offset = struct.unpack(">II", body[32:40])
        if total > MAX_EXTENDED_XMP or offset >= total:
            return
        if guid not in self.parts and len(self.parts) >= MAX_EXTENDED_PACKETS:
            return  # each packet gets a buffer of its declared size: bound their number
        entry = self.parts.setdefault(guid, (total, {}))
        entry[1][offset] = body[40:]

    def packets(self, col: Collector) -> list[bytes]:
        """Each packet from the chunks the file holds, in offset order. A packet is never
        given its declared size up front: a chunk of a few bytes may declare 8 MB, and the
        zero fill would cost that (and its parse attempts) for nothing. Gaps are left out
        (the packet is then incomplete XML, read as far as it goes), overlaps kept once."""
        out = []
        for total, chunks in self.parts.values():
            pieces: list[bytes] = []
            cursor = 0
            complete = True
            for offset in sorted(chunks):
                piece = chunks[offset][: total - offset]
                if offset > cursor:
                    complete = False
                    cursor = offset
                pieces.append(piece[cursor - offset :])
                cursor = max(cursor, offset + len(piece))
            if not complete or cursor < total:
                col.warn("Extended XMP is incomplete (a segment is missing); read what is there")
            out.append(b"".join(pieces))
        return out


def exv_as_jpeg(source: Source) -> Source:
    """An Exiv2 ``.exv`` file as the JPEG it was taken from: Exiv2 writes a JPEG's metadata
    segments (APP1 Exif/XMP, APP13, COM...) after its own magic, then EOI, and no image. With
    SOI in place of the magic, every JPEG reader (segments, thumbnails) reads it as it is."""
    if not source.data.startswith(EXV_MAGIC):
        raise CorruptFile("not an Exiv2 EXV file")
    body = source.data[len(EXV_MAGIC) :]
    return Source(source.name, jpeg.SOI + body, ImageFormat.JPEG, source.label)


def read_jpeg(source: Source, col: Collector) -> Blocks:
    data = source.data
    size = len(data)
    blocks = Blocks()
    parts = _Parts()
    walk = jpeg.Walk(data)
    for segment in walk:
        if segment.marker not in jpeg.STANDALONE and segment.marker != jpeg.SOS:
            payload = data[segment.body : segment.end]
            _segment(segment.marker, payload, blocks, parts, col)
    found = walk.count
    if walk.stop is jpeg.Stop.BROKEN:
        damaged(found, col.warn, f"JPEG segment structure is broken at byte {walk.at}")
    elif walk.stop is jpeg.Stop.TRUNCATED:
        cut = walk.cut
        if cut is not None and cut.marker in _SALVAGED and size - (cut.start + 2) > 16:
            # A cut-off download: the start of its Exif/XMP still says a lot.
            found += 1
            _segment(cut.marker, data[cut.body : size], blocks, parts, col)
        if walk.at < size:
            damaged(found, col.warn, "JPEG file is truncated inside its header")
        else:
            damaged(found, col.warn, "JPEG file ends inside its header (truncated)")
    elif walk.stop is jpeg.Stop.LIMIT:
        col.warn(f"JPEG: more than {jpeg.MAX_SEGMENTS} segments; the rest were not read")
    if parts.irb:
        blocks.irb.append(b"".join(parts.irb))
    if blocks.icc:
        blocks.icc = [icc.join_jpeg_chunks(blocks.icc)]
    blocks.xmp.extend(parts.extended.packets(col))
    if parts.flir.chunks:
        read_flir(parts.flir.store(), col)
    _afcp(data, blocks, col)
    if data[-4:] == b"SEFT":
        col.add(
            FindingKind.THUMBNAIL,
            "Samsung:Trailer",
            "data appended after the image (Samsung trailer: may hold video or audio)",
            Severity.MEDIUM,
        )
    return blocks


def _segment(
    marker: int,
    payload: bytes,
    blocks: Blocks,
    parts: _Parts,
    col: Collector,
) -> None:
    if marker in jpeg.SOF:
        if len(payload) >= 5 and col.width is None:
            col.height, col.width = struct.unpack(">HH", payload[1:5])
        return
    if marker == 0xE1:
        if payload.startswith(EXIF_HEADER):
            blocks.exif.append(payload[6:])
        elif payload.startswith(jpeg.XMP):
            blocks.xmp.append(payload[len(jpeg.XMP) :])
        elif payload.startswith(jpeg.XMP_EXTENSION):
            parts.extended.add(payload)
        else:
            if payload.startswith(FLIR_HEADER):
                parts.flir.add(payload)
            _note(marker, payload, col)
    elif marker == 0xE2 and payload.startswith(jpeg.ICC_PROFILE):
        blocks.icc.append(payload[len(jpeg.ICC_PROFILE) :])  # chunks: joined after the walk
    elif marker == 0xED and payload.startswith(jpeg.PHOTOSHOP):
        parts.irb.append(payload[len(jpeg.PHOTOSHOP) :])
    elif marker == jpeg.COM:
        col.add(FindingKind.TEXT, "File:Comment", payload[:4096], Severity.LOW)
    elif marker == 0xE0:
        read_ciff(payload, col)  # JFIF/JFXX thumbnails are the thumbnail reader's
    elif marker == 0xEC and b"[picture info]" in payload[:64]:
        _picture_info(payload, col)
    elif marker == 0xEC and payload.startswith(b"Ducky"):
        _ducky(payload, col)
    elif marker == 0xE9 and payload[:9] == b"infisense":
        _infiray_sensors(payload, col)
    elif 0xE2 <= marker <= 0xEF:
        if marker == 0xE6 and payload.startswith(GOPRO_HEADER):
            read_gopro(payload, col)
        _note(marker, payload, col)


def _picture_info(payload: bytes, col: Collector) -> None:
    """APP12 "[picture info]" (old Olympus/Agfa/Sanyo): key=value lines, incl. a serial."""
    for line in payload[:4096].split(b"\n"):
        key, sep, value = line.strip().partition(b"=")
        if sep and key.strip().lower().startswith(b"serial"):
            col.add(FindingKind.DEVICE, "PictureInfo:SerialNumber", value, Severity.MEDIUM)


def _ducky(payload: bytes, col: Collector) -> None:
    """Photoshop "Save for Web" APP12: quality, and comment/copyright as UTF-16 text."""
    pos = 5
    while pos + 4 <= len(payload):
        tag, length = struct.unpack(">HH", payload[pos : pos + 4])
        body = payload[pos + 4 : pos + 4 + length]
        pos += 4 + length
        if tag == 0 or len(body) < 4:
            break
        text = body[4:].decode("utf-16-be", "replace").split("\x00", 1)[0]
        if tag == 2:
            col.add(FindingKind.TEXT, "Ducky:Comment", text, Severity.LOW)
        elif tag == 3:
            col.add(FindingKind.PERSON, "Ducky:Copyright", text, Severity.LOW)


def _infiray_sensors(payload: bytes, col: Collector) -> None:
    """InfiRay thermal cameras (IJPEG): APP9 names the IR and visible sensors' serials."""
    for offset, tag in ((0xC0, "IRSensorSerialNumber"), (0x240, "VisibleSensorSerialNumber")):
        serial = payload[offset : offset + 32].split(b"\x00", 1)[0]
        col.add(FindingKind.DEVICE, f"InfiRay:{tag}", serial, Severity.MEDIUM)


def _note(marker: int, payload: bytes, col: Collector) -> None:
    for (noted_marker, prefix), words in _NOTED.items():
        if marker == noted_marker and payload.startswith(prefix):
            col.add(FindingKind.TEXT, f"JPEG:APP{marker - 0xE0}", words, Severity.INFO)
            return


def _afcp(data: bytes, blocks: Blocks, col: Collector) -> None:
    """AXS File Concatenation Protocol trailer: IPTC, text and images appended after EOI."""
    footer = data[-12:]
    if footer[:3] != b"AXS" or footer[3:4] not in (b"!", b"*"):
        return
    order = ">" if footer[3:4] == b"!" else "<"
    (start,) = struct.unpack(order + "I", footer[4:8])
    if data[start : start + 4] != footer[:4] or start + 12 > len(data):
        col.warn("AFCP trailer points outside the file")
        return
    (count,) = struct.unpack(order + "H", data[start + 6 : start + 8])
    for i in range(min(count, 64)):
        entry = start + 12 + 12 * i
        if entry + 12 > len(data):
            return
        ident = data[entry : entry + 4]
        size, offset = struct.unpack(order + "II", data[entry + 4 : entry + 12])
        body = data[offset : offset + size]
        if ident == b"IPTC":
            blocks.iptc.append(body)
        elif ident == b"TEXT":
            col.add(FindingKind.TEXT, "AFCP:Text", body[:4096], Severity.LOW)
        elif ident in (b"Nail", b"PrVw"):
            tag = "ThumbnailImage" if ident == b"Nail" else "PreviewImage"
            col.add(
                FindingKind.THUMBNAIL,
                f"AFCP:{tag}",
                "image appended after the photo",
                Severity.MEDIUM,
            )
