"""Dirty fixture images made in code: every identifying block a stripper must remove.

Nothing here comes from real photos; each builder returns bytes with known metadata so
tests can assert exactly what goes and what stays.
"""

from __future__ import annotations

import functools
import io
import struct
import zlib

from PIL import Image, ImageCms

ARTIST = "Jane Doe"
SERIAL = "SN-0042-XYZ"
XMP = (
    b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'photoshop:City="Springfield" exif:GPSLatitude="47,36.5N">'
    b"<dc:creator><rdf:Seq><rdf:li>Jane Doe</rdf:li></rdf:Seq></dc:creator>"
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    b'<?xpacket end="w"?>'
)


def picture(size: tuple[int, int] = (64, 48), mode: str = "RGB") -> Image.Image:
    """A non-symmetric picture, so a wrong rotation or a changed pixel is visible."""
    img = Image.new(mode, size)
    px = img.load()
    assert px is not None
    for y in range(size[1]):
        for x in range(size[0]):
            value = ((x * 7) % 256, (y * 5) % 256, ((x + y) * 3) % 256)
            px[x, y] = value if mode == "RGB" else value[0]
    img.paste((255, 0, 0) if mode == "RGB" else 255, (0, 0, 8, 8))  # marks the top-left
    return img


def exif(orientation: int | None = 6, gps: bool = True) -> Image.Exif:
    ex = Image.Exif()
    ex[0x010F] = "ACME"
    ex[0x0110] = "Snapper 3000"
    ex[0x013B] = ARTIST
    ex[0x0132] = "2024:05:01 10:00:00"
    if orientation is not None:
        ex[0x0112] = orientation
    sub = ex.get_ifd(0x8769)
    sub[0xA431] = SERIAL
    sub[0x9003] = "2024:05:01 10:00:00"
    if gps:
        g = ex.get_ifd(0x8825)
        g[1] = "N"
        g[2] = (47.0, 36.0, 30.0)
        g[3] = "W"
        g[4] = (122.0, 20.0, 5.0)
    return ex


@functools.cache
def srgb_icc() -> bytes:
    """One profile per run (a new one carries a new creation time)."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    return bytes(profile.tobytes())


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def dirty_jpeg(orientation: int | None = 6, icc: bool = True) -> bytes:
    """JPEG with EXIF (GPS, artist, serial, orientation), XMP, IPTC, COM, ICC and a trailer."""
    buf = io.BytesIO()
    kwargs: dict[str, object] = {"exif": exif(orientation).tobytes(), "quality": 90}
    if icc:
        kwargs["icc_profile"] = srgb_icc()
    picture().save(buf, "JPEG", **kwargs)
    data = buf.getvalue()
    iptc = b"\x1c\x02\x50" + struct.pack(">H", len(ARTIST)) + ARTIST.encode()
    iptc += b"\x1c\x02\x5a" + struct.pack(">H", 11) + b"Springfield"
    irb = b"8BIM\x04\x04\0\0" + struct.pack(">I", len(iptc)) + iptc + b"\0" * (len(iptc) % 2)
    extra = (
        _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0" + XMP)
        + _segment(0xED, b"Photoshop 3.0\0" + irb)
        + _segment(0xFE, b"taken at Jane's house")
        + _segment(0xE2, b"MPF\0" + b"\0" * 16)
        + _segment(0xEA, b"vendor blob")
    )
    return data[:2] + extra + data[2:] + b"MOTION-PHOTO-VIDEO" * 10


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload)
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def dirty_png(mode: str = "RGB") -> bytes:
    buf = io.BytesIO()
    picture(mode=mode).save(buf, "PNG", icc_profile=srgb_icc(), exif=exif(6).tobytes())
    data = buf.getvalue()
    extra = (
        _png_chunk(b"tEXt", b"Author\0" + ARTIST.encode())
        + _png_chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0" + XMP)
        + _png_chunk(b"tIME", b"\x07\xe8\x05\x01\x0a\x00\x00")
        + _png_chunk(b"prVt", b"private vendor data")
    )
    iend = data.rindex(b"IEND") - 4
    return data[:iend] + extra + data[iend:] + b"trailing"


def dirty_webp(lossless: bool = False) -> bytes:
    buf = io.BytesIO()
    picture().save(
        buf, "WEBP", lossless=lossless, exif=exif(6).tobytes(), xmp=XMP, icc_profile=srgb_icc()
    )
    return buf.getvalue()


def dirty_gif() -> bytes:
    buf = io.BytesIO()
    picture(mode="L").convert("P").save(buf, "GIF", comment=b"Jane's kids at home")
    data = buf.getvalue()
    xmp_ext = b"\x21\xff\x0bXMP DataXMP" + bytes((5,)) + b"<xmp>" + b"\0"
    return data[:-1] + xmp_ext + data[-1:]


def dirty_tiff(compression: str = "tiff_lzw") -> bytes:
    buf = io.BytesIO()
    picture().save(
        buf,
        "TIFF",
        compression=compression,
        exif=exif(6),
        icc_profile=srgb_icc(),
    )
    return buf.getvalue()


def dirty_heif() -> bytes:
    """HEIC with EXIF (GPS, artist, serial), XMP, an ICC profile and a thumbnail item."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    img = picture()
    img.info["thumbnails"] = [32]
    buf = io.BytesIO()
    img.save(
        buf,
        "HEIF",
        quality=-1,
        exif=exif(6).tobytes(),
        xmp=XMP,
        icc_profile=srgb_icc(),
    )
    return buf.getvalue()
