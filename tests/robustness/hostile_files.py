"""Hostile files made in code: each is the smallest honest instance of one attack in issue 10.

Only Pillow and hand-built bytes; nothing here imports photoscan.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image

XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
GPS_IFD = 0x8825


def photo_jpeg(size: tuple[int, int] = (64, 48), colour: str = "teal") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def gps_jpeg(lat: float = 47.6205, lon: float = -122.3493) -> bytes:
    """A small JPEG whose EXIF has a GPS position and an artist's name."""
    img = Image.new("RGB", (64, 48), "orange")
    exif = Image.Exif()
    exif[0x013B] = "Jane Example"  # Artist
    gps = exif.get_ifd(GPS_IFD)

    def dms(value: float) -> tuple[float, float, float]:
        value = abs(value)
        degrees = int(value)
        minutes = int((value - degrees) * 60)
        return (float(degrees), float(minutes), round(((value - degrees) * 60 - minutes) * 60, 4))

    gps.update({1: "N" if lat >= 0 else "S", 2: dms(lat), 3: "E" if lon >= 0 else "W", 4: dms(lon)})
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def bomb_png(width: int = 30000, height: int = 30000) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` pixels (900 megapixels by default)
    with a few rows of real, tiny, compressed data: a decompression bomb by its header."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress((b"\x00" + b"\x00" * 3 * width) * 4, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", rows)
        + _png_chunk(b"IEND", b"")
    )


def _rdf(inner: bytes, prolog: bytes = b"") -> bytes:
    return (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>' + prolog + b"<x:xmpmeta"
        b' xmlns:x="adobe:ns:meta/"><rdf:RDF'
        b' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description'
        b' rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/"'
        b' exif:GPSLatitude="47,37.23N" exif:GPSLongitude="122,20.94W">'
        + inner
        + b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )


def jpeg_with_xmp(xmp: bytes) -> bytes:
    data = photo_jpeg()
    payload = XMP_HEADER + xmp
    assert len(payload) + 2 <= 0xFFFF
    return data[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + data[2:]


def deep_xmp_jpeg(depth: int = 6000) -> bytes:
    """An XMP packet (with a GPS position) whose elements nest ``depth`` levels deep."""
    return jpeg_with_xmp(_rdf(b"<a>" * depth + b"x" + b"</a>" * depth))


def entity_xmp_jpeg(levels: int = 9) -> bytes:
    """An XMP packet (with a GPS position) declaring nested entities: a billion laughs."""
    entities = [b'<!ENTITY e0 "lol">']
    entities += [b'<!ENTITY e%d "%s">' % (i, b"&e%d;" % (i - 1) * 10) for i in range(1, levels)]
    prolog = b"<!DOCTYPE x:xmpmeta [" + b"".join(entities) + b"]>"
    return jpeg_with_xmp(_rdf(b"&e%d;" % (levels - 1), prolog))


def extended_xmp_bomb_jpeg(packets: int = 1, declared: int = (8 << 20) - 1) -> bytes:
    """A JPEG of under 1 KB (725 bytes) with ``packets`` Extended XMP chunks (one per GUID), each
    declaring a packet of ``declared`` bytes of which it carries twelve."""
    data = photo_jpeg((16, 16))
    segments = b""
    for n in range(packets):
        guid = (b"%032X" % n)[:32]
        payload = b"http://ns.adobe.com/xmp/extension/\x00" + guid
        payload += struct.pack(">II", declared, 0) + b"<x:xmpmeta/>"
        segments += b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return data[:2] + segments + data[2:]


def zip_with_unknown_version(members: dict[str, bytes], odd: str, version: int = 99) -> bytes:
    """A stored zip of ``members`` whose member ``odd`` says it needs zip version
    ``version`` / 10 to extract (9.9: no such version), in its local and central headers."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    data = bytearray(buf.getvalue())
    encoded = odd.encode()
    local = data.find(b"PK\x03\x04")
    while data[local + 30 : local + 30 + len(encoded)] != encoded:
        local = data.find(b"PK\x03\x04", local + 4)
    struct.pack_into("<H", data, local + 4, version)
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(encoded)] != encoded:
        central = data.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<H", data, central + 6, version)
    return bytes(data)


# --- an oracle independent of photoscan -----------------------------------------------------


def gps_in_bytes(data: bytes) -> list[str]:
    """Signs of a position left in ``data``, found without photoscan's readers: XMP or text
    GPS tags, and any TIFF structure (EXIF in JPEG/PNG/WebP/HEIF, or a TIFF file itself)
    whose first IFD points to a GPS IFD. Empty when there is none."""
    signs = [tag.decode() for tag in (b"GPSLatitude", b"GPSLongitude") if tag in data]
    for header, order in ((b"II*\x00", "<"), (b"MM\x00*", ">")):
        start = data.find(header)
        for _ in range(64):  # bounded: a mutant may hold many false headers
            if start < 0:
                break
            if _ifd0_has_gps(data, start, order):
                signs.append(f"GPS IFD pointer in TIFF structure at {start}")
            start = data.find(header, start + 1)
    return signs


def _ifd0_has_gps(data: bytes, base: int, order: str) -> bool:
    try:
        (offset,) = struct.unpack_from(order + "I", data, base + 4)
        (count,) = struct.unpack_from(order + "H", data, base + offset)
    except struct.error:
        return False
    if count > 1000:
        return False
    for i in range(count):
        entry = base + offset + 2 + 12 * i
        try:
            tag, kind, n, value = struct.unpack_from(order + "HHII", data, entry)
        except struct.error:
            return False
        if tag == GPS_IFD and kind in (4, 13) and n == 1 and value != 0:
            return True
    return False
