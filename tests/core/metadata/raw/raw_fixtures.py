"""Tiny CR3, CRW, RAF and X3F files built in code (no real RAW files in the repo).

Each builder lays out only the structure photoscan reads: the boxes, heaps, headers and
sections that hold metadata and previews, with small generated JPEGs and EXIF blocks from
``exif_fixtures``. The sensor data is a few placeholder bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from PIL import Image

from tests.core.metadata.exif.exif_fixtures import (
    RATIONAL,
    Tag,
    ascii_tag,
    build_tiff,
    exif_jpeg,
    ifd_bytes,
    jpeg_bytes,
    long_tag,
    undefined_tag,
    with_thumbnail,
)

CANON_UUID = bytes.fromhex("85c0b687820f11e08111f4ce462b6a48")
PREVIEW_UUID = bytes.fromhex("eaf42b5e1c984b88b9fbb7dc406e4d16")
XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")
XMP_CREATOR = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq>'
    b"<rdf:li>Ada Lovelace</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF>"
    b"</x:xmpmeta>"
)


def small_jpeg(
    size: tuple[int, int] = (32, 24), colour: tuple[int, int, int] = (200, 80, 40)
) -> bytes:
    return jpeg_bytes(Image.new("RGB", size, colour))


def _rational(tag: int, *values: int) -> Tag:
    return Tag(tag, RATIONAL, len(values), b"".join(struct.pack("<II", v, 1) for v in values))


# --- Canon CR3 ---------------------------------------------------------------------------


def box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def uuid_box(uuid: bytes, body: bytes) -> bytes:
    return box(b"uuid", uuid + body)


def cr3_image_body(jpeg: bytes, size: tuple[int, int], preview: bool) -> bytes:
    """THMB: flags, width, height, length, 2 x u16; PRVW: flags, u16, width, height, u16,
    length. The JPEG follows at byte 16 in both."""
    if preview:
        head = struct.pack(">IHHHHI", 0, 1, size[0], size[1], 1, len(jpeg))
    else:
        head = struct.pack(">IHHIHH", 0, size[0], size[1], len(jpeg), 1, 0)
    return head + jpeg


def cmt_blocks() -> dict[bytes, bytes]:
    """CMT1 (IFD0), CMT2 (Exif IFD), CMT3 (Canon maker notes), CMT4 (GPS IFD)."""
    cmt1 = build_tiff(
        [
            ascii_tag(0x010F, "Canon"),
            ascii_tag(0x0110, "Canon EOS R9"),
            ascii_tag(0x013B, "Jane Photographer"),
            long_tag(0x0100, 6000),
            long_tag(0x0101, 4000),
        ]
    )
    cmt2 = build_tiff([ascii_tag(0xA430, "Jane Owner"), ascii_tag(0xA431, "012345678901")])
    cmt3 = build_tiff([ascii_tag(0x0009, "Jane Canon"), ascii_tag(0x0096, "AB1234567")])
    gps = [
        ascii_tag(0x0001, "N"),
        _rational(0x0002, 48, 51, 30),
        ascii_tag(0x0003, "E"),
        _rational(0x0004, 2, 17, 40),
    ]
    return {b"CMT1": cmt1, b"CMT2": cmt2, b"CMT3": cmt3, b"CMT4": build_tiff(gps)}


def cr3(
    cmts: dict[bytes, bytes] | None = None,
    thumb: bytes | None = None,
    preview: bytes | None = None,
    xmp: bytes | None = XMP_CREATOR,
) -> bytes:
    blocks = cmt_blocks() if cmts is None else cmts
    canon = b"".join(box(kind, body) for kind, body in blocks.items())
    canon += box(b"THMB", cr3_image_body(thumb or small_jpeg((160, 120)), (160, 120), False))
    out = box(b"ftyp", b"crx " + b"\x00\x00\x00\x01" + b"crx isom")
    out += box(b"moov", uuid_box(CANON_UUID, canon) + box(b"mvhd", b"\x00" * 100))
    if xmp is not None:
        out += uuid_box(XMP_UUID, xmp)
    prvw = box(b"PRVW", cr3_image_body(preview or small_jpeg((64, 48)), (64, 48), True))
    out += uuid_box(PREVIEW_UUID, b"\x00" * 8 + prvw)
    return out + box(b"mdat", b"\x00" * 16)


# --- Canon CRW (CIFF) ----------------------------------------------------------------------


def ciff_heap(entries: list[tuple[int, bytes]]) -> bytes:
    """A CIFF heap: the values, then the table (count, 10-byte entries), then its offset.
    Tags of type 0x2800/0x3000 hold sub-heaps (pass a ``ciff_heap`` as the value)."""
    values = b""
    table = struct.pack("<H", len(entries))
    for tag, value in entries:
        table += struct.pack("<HII", tag, len(value), len(values))
        values += value
    return values + table + struct.pack("<I", len(values))


def crw(entries: list[tuple[int, bytes]] | None = None) -> bytes:
    if entries is None:
        props = ciff_heap(
            [
                (0x080A, b"Canon\x00Canon EOS D60\x00"),
                (0x0810, b"Jane Owner\x00"),
                (0x180B, struct.pack("<I", 1234567)),
                (0x1810, struct.pack("<II", 3072, 2048) + b"\x00" * 8),
            ]
        )
        entries = [
            (0x2007, small_jpeg((96, 64))),
            (0x2008, small_jpeg((48, 32))),
            (0x300A, props),
        ]
    header = b"II" + struct.pack("<I", 26) + b"HEAPCCDR" + struct.pack("<I", 0x10002) + b"\x00" * 8
    return header + ciff_heap(entries)


# --- Fujifilm RAF ----------------------------------------------------------------------


def fuji_jpeg(serial: str = "FPX20582698 ABCDEF") -> bytes:
    """A JPEG whose EXIF has a Fujifilm maker note (InternalSerialNumber) and a thumbnail."""
    note_ifd = ifd_bytes([ascii_tag(0x0010, serial)], 12)
    note = b"FUJIFILM" + struct.pack("<I", 12) + note_ifd
    tiff = with_thumbnail(
        [ascii_tag(0x010F, "FUJIFILM"), ascii_tag(0x0110, "X-T99")],
        small_jpeg((40, 30)),
        exif=[undefined_tag(0x927C, note)],
    )
    return exif_jpeg(tiff, Image.new("RGB", (80, 60), (20, 90, 200)))


def raf_directory(width: int, height: int) -> bytes:
    records = struct.pack(">HH", 0x0100, 4) + struct.pack(">HH", height, width)
    records += struct.pack(">HH", 0x0130, 2) + b"\x00\x00"
    return struct.pack(">I", 2) + records


def raf(jpeg: bytes | None = None, directory: bytes | None = None) -> bytes:
    jpeg = fuji_jpeg() if jpeg is None else jpeg
    directory = raf_directory(4000, 3000) if directory is None else directory
    jpeg_at = 148
    dir_at = jpeg_at + len(jpeg)
    cfa_at = dir_at + len(directory)
    head = b"FUJIFILMCCD-RAW 0201FF129502" + b"X-T99".ljust(32, b"\x00") + b"0100" + b"\x00" * 20
    head += struct.pack(">IIIIII", jpeg_at, len(jpeg), dir_at, len(directory), cfa_at, 16)
    head = head.ljust(jpeg_at, b"\x00")
    return head + jpeg + directory + b"\x00" * 16


# --- Sigma X3F ------------------------------------------------------------------------

X3F_PROPS = {"CAMMANUF": "SIGMA", "CAMMODEL": "SIGMA DP9", "CAMSERIAL": "1008382", "TIME": "1"}


def x3f_properties(props: dict[str, str]) -> bytes:
    chars = ""
    pairs = b""
    for name, value in props.items():
        name_at = len(chars)
        chars += name + "\x00"
        value_at = len(chars)
        chars += value + "\x00"
        pairs += struct.pack("<II", name_at, value_at)
    head = b"SECp" + struct.pack("<IIIII", 0x20000, len(props), 0, 0, len(chars))
    return head + pairs + chars.encode("utf-16-le")


def x3f_image(jpeg: bytes, size: tuple[int, int], kind: int = 2, fmt: int = 18) -> bytes:
    return b"SECi" + struct.pack("<IIIIII", 0x20000, kind, fmt, *size, 0) + jpeg


def x3f_jpeg(serial: str = "1008382") -> bytes:
    """A JPEG preview whose EXIF has a Sigma maker note with the serial number."""
    tiff = build_tiff(
        [ascii_tag(0x010F, "SIGMA"), ascii_tag(0x0110, "SIGMA DP9")],
        exif=[_sigma_note(serial)],
    )
    return exif_jpeg(tiff, Image.new("RGB", (72, 48), (60, 160, 60)))


def _sigma_note(serial: str) -> Tag:
    """A Sigma maker note ("SIGMA" header, IFD at +10, offsets from the TIFF header)."""

    def at(offset: int) -> bytes:
        return b"SIGMA\x00\x00\x00\x01\x00" + ifd_bytes([ascii_tag(0x0002, serial)], offset + 10)

    length = len(at(0))
    return Tag(0x927C, 7, length, (length, at))


def x3f(
    sections: list[tuple[bytes, bytes]] | None = None,
    size: tuple[int, int] = (2640, 1760),
    version: int = 0x00020003,
) -> bytes:
    """Header (size at byte 28, or at 40 from version 4.0), sections, directory, pointer."""
    if sections is None:
        sections = [
            (b"IMA2", x3f_image(x3f_jpeg(), (96, 64))),
            (b"PROP", x3f_properties(X3F_PROPS)),
            (b"IMA2", x3f_image(b"\x00" * 32, (20, 10), kind=3, fmt=30)),
            (b"IMAG", x3f_image(small_jpeg((36, 24)), (36, 24))),
        ]
    out = b"FOVb" + struct.pack("<I", version) + b"01008382" + b"\x10\x20\x11\x4b1df8"
    dims = struct.pack("<II", *size)
    if version >> 16 >= 4:
        out += b"\x00" * 16 + dims + b"\x00" * 16
    else:
        out += b"\x00" * 4 + dims + b"\x00" * 28
    entries = b""
    for kind, body in sections:
        entries += struct.pack("<II", len(out), len(body)) + kind
        out += body
    directory = len(out)
    out += b"SECd" + struct.pack("<II", 0x20000, len(sections)) + entries
    return out + struct.pack("<I", directory)


# label -> builder of a complete little file, for tests that want one of each
BUILDERS: dict[str, Callable[[], bytes]] = {"CR3": cr3, "CRW": crw, "RAF": raf, "X3F": x3f}
