"""A synthetic photo library made in code (no real people): GPS, dates, names, serials.

Used by the report and places tests and to make docs/report-example.png. Photos are plain
colour fields with EXIF written by Pillow; a "home" spot gets photos on several days so it is
a place you return to.
"""

from __future__ import annotations

import struct
from pathlib import Path

from PIL import Image

HOME = (52.1601, 4.4970)  # Leiden
TRIPS = ((48.8566, 2.3522), (47.6062, -122.3321), (41.9028, 12.4964))


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 4)
    return (float(degrees), float(minutes), seconds)


def write_photo(
    path: Path,
    *,
    gps: tuple[float, float] | None = None,
    taken: str | None = None,
    artist: str | None = None,
    serial: str | None = None,
    model_age: int | None = None,
    colour: tuple[int, int, int] = (90, 140, 200),
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (64, 48), colour)
    exif = Image.Exif()
    exif[0x0110] = "Synthetic Cam 1"  # Model
    if artist:
        exif[0x013B] = artist
    if taken or serial:
        ifd = exif.get_ifd(0x8769)
        if taken:
            ifd[0x9003] = taken
        if serial:
            ifd[0xA431] = serial
    if gps:
        exif[0x8825] = {
            1: "N" if gps[0] >= 0 else "S",
            2: _dms(gps[0]),
            3: "E" if gps[1] >= 0 else "W",
            4: _dms(gps[1]),
        }
    extra = {"xmp": _age_xmp(model_age)} if model_age is not None else {}
    image.save(path, "JPEG", exif=exif.tobytes(), **extra)
    return path


def _age_xmp(age: int) -> bytes:
    """XMP saying the model is ``age`` years old (IPTC Extension ModelAge): a child, in words."""
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" '
        'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">'
        f"<Iptc4xmpExt:ModelAge><rdf:Bag><rdf:li>{age}</rdf:li></rdf:Bag>"
        "</Iptc4xmpExt:ModelAge></rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()


def make_library(root: Path) -> Path:
    """Home photos over three days, trips elsewhere, and photos with nothing to hide."""
    for i in range(6):
        write_photo(
            root / "home" / f"garden_{i}.jpg",
            gps=(HOME[0] + i * 0.00005, HOME[1] + i * 0.00004),
            taken=f"2024:0{1 + i // 2}:1{i % 2} 10:00:00",
            artist="Alex Example" if i == 0 else None,
            serial="SN-0042" if i < 3 else None,
            colour=(80 + 20 * i, 160, 90),
        )
    for i, spot in enumerate(TRIPS):
        write_photo(
            root / "trips" / f"trip_{i}.jpg",
            gps=spot,
            taken=f"2024:06:0{i + 1} 12:00:00",
            colour=(200, 120 + 30 * i, 60),
        )
    for i in range(3):
        write_photo(root / "clean" / f"plain_{i}.jpg", colour=(120, 120, 120 + 40 * i))
    write_photo(  # a child at home: marked in metadata, pinned by GPS
        root / "kids" / "party.jpg",
        gps=(HOME[0] + 0.00002, HOME[1]),
        taken="2024:03:20 16:00:00",
        model_age=6,
        colour=(230, 90, 140),
    )
    write_photo(root / "kids" / "drawing.jpg", model_age=8, colour=(250, 220, 90))
    return root


# --- container layouts photoscan reads that Pillow cannot write ------------------------

BigEntry = tuple[int, int, int, bytes]  # (tag, type, count, value bytes)


def _big_ifd(entries: list[BigEntry], at: int, order: str, next_ifd: int = 0) -> bytes:
    """A BigTIFF IFD at offset ``at``: 8-byte count, 20-byte entries, 8-byte next offset,
    then the values that do not fit in 8 bytes."""
    head = struct.pack(order + "Q", len(entries))
    data = b""
    data_at = at + 8 + 20 * len(entries) + 8
    for tag, typ, count, raw in sorted(entries):
        head += struct.pack(order + "HHQ", tag, typ, count)
        if len(raw) <= 8:
            head += raw.ljust(8, b"\x00")
        else:
            head += struct.pack(order + "Q", data_at + len(data))
            data += raw + b"\x00" * (len(raw) % 2)
    return head + struct.pack(order + "Q", next_ifd) + data


def _big_size(entries: list[BigEntry]) -> int:
    return 16 + 20 * len(entries) + sum(len(r) + len(r) % 2 for *_, r in entries if len(r) > 8)


def bigtiff_bytes(
    *,
    big_endian: bool = False,
    artist: str = "Kim Example",
    serial: str = "SN-4711",
    gps: tuple[float, float] = HOME,
    size: tuple[int, int] = (8, 6),
) -> bytes:
    """A BigTIFF (RGB, one strip) with Artist and XMP in IFD0, a SerialNumber in its Exif IFD
    and a GPS IFD (both IFD8 pointers), the strip offset a LONG8: every BigTIFF-only type."""
    order = ">" if big_endian else "<"
    width, height = size
    pixels = bytes((x * 30 + y * 7) % 256 for y in range(height) for x in range(width * 3))

    def text(tag: int, value: str) -> BigEntry:
        raw = value.encode() + b"\x00"
        return (tag, 2, len(raw), raw)

    def rationals(tag: int, value: float) -> BigEntry:
        dms = [round(part * 10000) for part in _dms(value)]
        raw = b"".join(struct.pack(order + "II", n, 10000) for n in dms)
        return (tag, 5, 3, raw)

    def short(tag: int, *values: int) -> BigEntry:
        return (tag, 3, len(values), struct.pack(f"{order}{len(values)}H", *values))

    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
        b'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">'
        b"<Iptc4xmpExt:PersonInImage><rdf:Bag><rdf:li>Lee Example</rdf:li></rdf:Bag>"
        b"</Iptc4xmpExt:PersonInImage></rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    exif = [text(0xA431, serial)]
    gps_ifd = [
        text(0x0001, "N" if gps[0] >= 0 else "S"),
        rationals(0x0002, gps[0]),
        text(0x0003, "E" if gps[1] >= 0 else "W"),
        rationals(0x0004, gps[1]),
    ]
    pointer = struct.pack(order + "Q", 0)
    ifd0 = [
        short(0x0100, width),
        short(0x0101, height),
        short(0x0102, 8, 8, 8),
        short(0x0103, 1),
        short(0x0106, 2),
        (0x0111, 16, 1, pointer),  # StripOffsets, LONG8
        short(0x0112, 1),
        short(0x0115, 3),
        short(0x0116, height),
        (0x0117, 16, 1, struct.pack(order + "Q", len(pixels))),
        text(0x010F, "Synthetic"),
        text(0x013B, artist),
        (0x02BC, 1, len(xmp), xmp),
        (0x8769, 18, 1, pointer),
        (0x8825, 18, 1, pointer),
    ]
    exif_at = 16 + len(pixels) + len(pixels) % 2
    gps_at = exif_at + _big_size(exif)
    ifd0_at = gps_at + _big_size(gps_ifd)
    fixed = {0x0111: 16, 0x8769: exif_at, 0x8825: gps_at}
    ifd0 = [
        (t, ty, n, struct.pack(order + "Q", fixed[t]) if t in fixed else r) for t, ty, n, r in ifd0
    ]
    magic = b"MM\x00\x2b" if big_endian else b"II\x2b\x00"
    out = magic + struct.pack(order + "HH", 8, 0) + struct.pack(order + "Q", ifd0_at)
    out += pixels + b"\x00" * (len(pixels) % 2)
    out += _big_ifd(exif, exif_at, order) + _big_ifd(gps_ifd, gps_at, order)
    return out + _big_ifd(ifd0, ifd0_at, order)


def mrw_bytes(tiff: bytes, size: tuple[int, int] = (3264, 2448)) -> bytes:
    """A Minolta MRW: PRD (firmware, sensor and image size), TTW holding ``tiff``, a WBG block,
    then stand-in sensor data."""
    width, height = size
    prd = b"27200001" + struct.pack(">HHHH", height + 8, width + 8, height, width)
    prd += bytes([12, 12, 0x59, 0, 0, 0, 0, 1])

    def block(name: bytes, body: bytes) -> bytes:
        return name + struct.pack(">I", len(body)) + body

    blocks = block(b"\x00PRD", prd) + block(b"\x00TTW", tiff) + block(b"\x00WBG", bytes(12))
    return b"\x00MRM" + struct.pack(">I", len(blocks)) + blocks + bytes(64)
