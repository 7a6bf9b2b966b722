"""PSD/PSB, JPEG 2000 and JPEG XL files built in code (no real files in the repo).

PSD: header, empty colour mode data, "8BIM" image resources, no layers, a raw composite.
JPEG 2000: Pillow (OpenJPEG) encodes a small JP2 and metadata boxes go in front of the
codestream. JPEG XL: a container around a hand-packed SizeHeader (no pixels: no encoder).
"""

from __future__ import annotations

import io
import struct

from PIL import Image

from photoscan.metadata.jp2 import EXIF_UUID, IPTC_UUID, XMP_UUID
from tests.core.metadata.exif.exif_fixtures import ascii_tag, build_tiff, jpeg_bytes, with_thumbnail

ARTIST = "Jane Doe"
BYLINE = "Jim Photographer"
CREATOR = "Ann Creator"
XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b"<dc:creator><rdf:Seq><rdf:li>Ann Creator</rdf:li></rdf:Seq></dc:creator>"
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    b'<?xpacket end="w"?>'
)
JP2_SIGNATURE = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
JXL_SIGNATURE = b"\x00\x00\x00\x0cJXL \r\n\x87\n"


def exif_tiff(thumbnail: bool = False) -> bytes:
    """An EXIF block naming ``ARTIST``; with an IFD1 JPEG thumbnail when asked."""
    ifd0 = [ascii_tag(0x013B, ARTIST)]
    if thumbnail:
        return with_thumbnail(ifd0, jpeg_bytes(Image.new("RGB", (16, 12), (200, 40, 40))))
    return build_tiff(ifd0)


def iptc_iim() -> bytes:
    """IPTC-IIM with a By-line (2:80)."""
    value = BYLINE.encode()
    return b"\x1c\x02\x50" + struct.pack(">H", len(value)) + value


# --- Photoshop ------------------------------------------------------------------------


def resource(res_id: int, data: bytes, signature: bytes = b"8BIM") -> bytes:
    """One image resource block: signature, id, empty Pascal name (padded), size, data."""
    pad = b"\x00" if len(data) % 2 else b""
    return signature + struct.pack(">HH", res_id, 0) + struct.pack(">I", len(data)) + data + pad


def thumbnail_resource(size: tuple[int, int] = (16, 12)) -> bytes:
    jpeg = jpeg_bytes(Image.new("RGB", size, (40, 160, 90)))
    header = struct.pack(">IIIIIIHH", 1, size[0], size[1], size[0] * 3, 0, len(jpeg), 24, 1)
    return resource(0x040C, header + jpeg)


def psd(
    resources: bytes | None = None,
    size: tuple[int, int] = (8, 6),
    version: int = 1,
    declared: int | None = None,
) -> bytes:
    """A PSD (version 1) or PSB (2) with ``resources`` and a raw RGB composite Pillow reads.

    ``declared`` overrides the resources section length (hostile variants).
    """
    if resources is None:
        resources = (
            resource(0x0404, iptc_iim())
            + resource(0x0422, exif_tiff())
            + resource(0x0424, XMP)
            + thumbnail_resource()
        )
    width, height = size
    header = b"8BPS" + struct.pack(">H6sHIIHH", version, b"", 3, height, width, 8, 3)
    length = len(resources) if declared is None else declared
    layers = b"\x00" * (4 if version == 1 else 8)
    pixels = bytes((x * 30) % 256 for x in range(width * height)) * 3  # planar R, G, B
    return (
        header
        + b"\x00\x00\x00\x00"
        + struct.pack(">I", length)
        + resources
        + layers
        + (b"\x00\x00" + pixels)
    )


# --- ISO boxes ------------------------------------------------------------------------


def box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def jp2(*extra: bytes, size: tuple[int, int] = (24, 16)) -> bytes:
    """A Pillow-encoded JP2 with the ``extra`` boxes put just before the codestream box."""
    buf = io.BytesIO()
    Image.new("RGB", size, (30, 90, 150)).save(buf, "JPEG2000", no_jp2=False)
    data = buf.getvalue()
    at = data.index(b"jp2c") - 4
    return data[:at] + b"".join(extra) + data[at:]


def jp2_metadata() -> tuple[bytes, ...]:
    """The three uuid boxes: EXIF, IPTC and XMP."""
    return (
        box(b"uuid", EXIF_UUID + exif_tiff()),
        box(b"uuid", IPTC_UUID + iptc_iim()),
        box(b"uuid", XMP_UUID + XMP),
    )


def jxl_codestream(width: int, height: int) -> bytes:
    """The start of a JPEG XL codestream: signature and SizeHeader (no ratio, 9..30 bits)."""
    bits: list[int] = []

    def put(value: int, count: int) -> None:
        bits.extend((value >> i) & 1 for i in range(count))

    def dimension(value: int) -> None:
        for selector, count in enumerate((9, 13, 18, 30)):
            if value - 1 < (1 << count):
                put(selector, 2)
                put(value - 1, count)
                return

    put(0, 1)  # not "small" (multiple of 8 up to 256)
    dimension(height)
    put(0, 3)  # no aspect ratio shortcut: width follows
    dimension(width)
    bits.extend([0] * (-len(bits) % 8))
    packed = bytes(
        sum(b << i for i, b in enumerate(bits[n : n + 8])) for n in range(0, len(bits), 8)
    )
    return b"\xff\x0a" + packed + b"\x00" * 8


def jxl(*boxes: bytes, size: tuple[int, int] = (200, 130)) -> bytes:
    """A JPEG XL container: signature, ftyp, ``boxes``, then a ``jxlc`` codestream box."""
    ftyp = box(b"ftyp", b"jxl \x00\x00\x00\x00jxl ")
    return JXL_SIGNATURE + ftyp + b"".join(boxes) + box(b"jxlc", jxl_codestream(*size))


def jxl_exif(tiff: bytes, offset: int = 0) -> bytes:
    """An ``Exif`` box: the offset of the TIFF header, that many bytes, then the TIFF."""
    return box(b"Exif", struct.pack(">I", offset) + b"\x00" * offset + tiff)
