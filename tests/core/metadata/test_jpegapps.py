"""JPEG segments of camera makers (FLIR APP1, GoPro APP6), FlashPix APP2 previews, Exiv2 EXV.

Each is built in code after ExifTool's layouts (FLIR.pm, GoPro.pm, FlashPix.pm), then read by
``extract`` as a scan reads it and stripped as ``photoscan strip`` strips it; the real files of
``../shared/testdata/d_metadata`` are the recall test's (``test_recall_exiftool``).
"""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image

from photoscan.metadata import extract
from photoscan.metadata.base import Source
from photoscan.model import Extraction, FindingKind, ImageFormat
from photoscan.source.sniff import sniff
from photoscan.strip import strip_bytes
from photoscan.strip.types import Refused, StripOptions
from tests.core.metadata.exif.exif_fixtures import (
    ascii_tag,
    jpeg_bytes,
    scene,
    with_app_segments,
    with_thumbnail,
)


def read(data: bytes) -> Extraction:
    found = sniff(data[:4096], "x.jpg")
    assert found.format is not None
    return extract(Source("x.jpg", data, found.format, found.label))


def values(result: Extraction, kind: FindingKind) -> dict[str, str]:
    return {f.field: f.value for f in result.findings if f.kind is kind}


def png_bytes(size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", size, 90).save(buffer, "PNG")
    return buffer.getvalue()


def stripped_kinds(data: bytes) -> set[FindingKind]:
    out = strip_bytes(data, ImageFormat.JPEG, StripOptions()).data
    return {f.kind for f in read(out).findings}


# --- FLIR ------------------------------------------------------------------------------


def flir_store(records: list[tuple[int, bytes]], little_endian: bool = False) -> bytes:
    """An FFF record store: a 0x40-byte header, the records, then their directory."""
    order = "<" if little_endian else ">"
    body = b""
    directory = b""
    at = 0x40
    for kind, record in records:
        directory += struct.pack(order + "HHIIII12x", kind, 1, 0x64, 1, at + len(body), len(record))
        body += record
    header = (
        b"FFF\x00"
        + b"CAMCTRL".ljust(16, b"\x00")
        + struct.pack(order + "III", 100, at + len(body), len(records))
    )
    return header.ljust(0x40, b"\x00") + body + directory


def camera_info(serial: bytes, lens: bytes = b"") -> bytes:
    record = bytearray(0x240)
    record[0:2] = b"\x00\x02"  # big-endian: the first word reads 2
    record[0xD4 : 0xD4 + 6] = b"FLIR i7"[:6]
    record[0x104 : 0x104 + len(serial)] = serial
    record[0x1A0 : 0x1A0 + len(lens)] = lens
    return bytes(record)


def raw_data(width: int, height: int, body: bytes) -> bytes:
    return struct.pack("<HHH", 2, width, height).ljust(0x20, b"\x00") + body


def flir_segments(store: bytes, pieces: int = 1) -> list[tuple[int, bytes]]:
    step = -(-len(store) // pieces)
    chunks = [store[i : i + step] for i in range(0, len(store), step)]
    return [(0xE1, b"FLIR\x00\x01" + bytes([n, len(chunks) - 1]) + c) for n, c in enumerate(chunks)]


def test_flir_serials_and_thermal_picture_over_two_segments() -> None:
    store = flir_store(
        [
            (0x20, camera_info(b"470023842", b"LS55012")),
            (0x01, raw_data(120, 90, png_bytes((12, 9)))),
        ]
    )
    segments = flir_segments(store, pieces=2)
    data = with_app_segments(jpeg_bytes(scene((64, 48))), *reversed(segments))
    result = read(data)
    devices = values(result, FindingKind.DEVICE)
    assert devices["FLIR:CameraSerialNumber"] == "470023842"
    assert devices["FLIR:LensSerialNumber"] == "LS55012"
    assert "FLIR:FilterSerialNumber" not in devices  # blank: not a serial
    thumbs = values(result, FindingKind.THUMBNAIL)
    assert thumbs["FLIR:RawThermalImage"].startswith("12×9 PNG thermal image")  # the PNG's size
    assert not {FindingKind.DEVICE, FindingKind.THUMBNAIL} & stripped_kinds(data)


def test_flir_raw_samples_little_endian_and_gps() -> None:
    samples = raw_data(4, 3, bytes(24))
    gps = struct.pack("<I4s2s2s4xdd", 1, b"\x02\x02\x00\x00", b"S\x00", b"W\x00", 33.5, 70.25)
    store = flir_store([(0x01, samples), (0x2B, gps)], little_endian=True)
    result = read(with_app_segments(jpeg_bytes(scene((64, 48))), *flir_segments(store)))
    assert values(result, FindingKind.THUMBNAIL)["FLIR:RawThermalImage"].startswith("4×3 thermal")
    assert result.gps is not None and (result.gps.lat, result.gps.lon) == (-33.5, -70.25)


def test_flir_garbage_is_read_as_far_as_it_goes() -> None:
    store = flir_store([(0x20, camera_info(b"12345"))])
    broken = store[:0x18] + struct.pack(">II", 0xFFFFFF00, 0xFFFFFFFF) + store[0x20:]
    for payload in (broken, b"FFF\x00" + bytes(60), store[:50]):
        result = read(with_app_segments(jpeg_bytes(scene((32, 24))), *flir_segments(payload)))
        assert "FLIR:CameraSerialNumber" not in values(result, FindingKind.DEVICE)


# --- GoPro -----------------------------------------------------------------------------


def klv(key: bytes, kind: str, size: int, body: bytes) -> bytes:
    repeat = len(body) // size if size else 0
    return (
        key + struct.pack(">cBH", kind.encode(), size, repeat) + body + b"\x00" * (-len(body) % 4)
    )


def nest(key: bytes, *items: bytes) -> bytes:
    body = b"".join(items)
    return key + struct.pack(">BBH", 0, 1, len(body)) + body


@pytest.mark.parametrize("muid_words", [(1226518844, 2828866582, 7, 9, 0, 0, 0, 0), (0,) * 8])
def test_gopro_serial_and_media_id(muid_words: tuple[int, ...]) -> None:
    muid = struct.pack(">8I", *muid_words)
    gpmf = nest(b"DEVC", klv(b"DVNM", "c", 1, b"Photo"), klv(b"CASN", "c", 1, b"C3221324657219"),
                klv(b"MUID", "L", 4, muid))  # fmt: skip
    data = with_app_segments(jpeg_bytes(scene((64, 48))), (0xE6, b"GoPro\x00" + gpmf))
    devices = values(read(data), FindingKind.DEVICE)
    assert devices["GoPro:CameraSerialNumber"] == "C3221324657219"
    if any(muid_words):
        assert devices["GoPro:MediaUniqueID"] == muid.hex()  # as ExifTool prints it
    else:
        assert "GoPro:MediaUniqueID" not in devices  # all zero: identifies nothing
    assert FindingKind.DEVICE not in stripped_kinds(data)


# --- FlashPix --------------------------------------------------------------------------


def fpxr_contents(entries: list[tuple[str, int]]) -> bytes:
    body = b""
    for name, size in entries:
        body += struct.pack(">IB", size, 0) + name.encode("utf-16-le") + b"\x00\x00"
        if size == 0xFFFFFFFF:
            body += bytes(16)  # a storage's class id
    return b"FPXR\x00\x00\x01" + struct.pack(">H", len(entries)) + body


def fpxr_stream(index: int, offset: int, data: bytes) -> bytes:
    return b"FPXR\x00\x00\x02" + struct.pack(">HI", index, offset) + data


def test_flashpix_screen_nail_split_over_segments_is_a_preview() -> None:
    preview = jpeg_bytes(scene((96, 64), seed=3))
    stream = bytes(0x1C) + preview  # the stream header ExifTool skips
    half = len(stream) // 2
    names = [("/", 0xFFFFFFFF), ("/Data Object Store 000001", 0xFFFFFFFF),
             ("/\x05Screen Nail_bd0100609719a180", len(stream))]  # fmt: skip
    segments = [
        (0xE2, fpxr_contents(names)),
        (0xE2, fpxr_stream(2, 1234, stream[:half])),  # the first offset is not trusted
        (0xE2, fpxr_stream(2, half - 4, stream[half - 4 :])),  # 4 bytes overlap
    ]
    data = with_app_segments(jpeg_bytes(scene((96, 64), seed=3)), *segments)
    thumbs = values(read(data), FindingKind.THUMBNAIL)
    assert thumbs["FlashPix:PreviewImage"].startswith("96×64 JPEG preview")
    assert FindingKind.THUMBNAIL not in stripped_kinds(data)


def test_flashpix_without_a_picture_or_with_broken_lists_finds_none() -> None:
    names = [("/\x05Screen Nail_bd0100609719a180", 64), ("/Audio Stream 000001", 20)]
    segments = [
        (0xE2, fpxr_contents(names)),
        (0xE2, fpxr_stream(0, 0, bytes(64))),  # no JPEG in the screen nail
        (0xE2, fpxr_stream(7, 0, jpeg_bytes(scene((16, 16))))),  # an index nothing names
        (0xE2, b"FPXR\x00\x00\x01\xff\xff/"),  # a contents list cut short
    ]
    data = with_app_segments(jpeg_bytes(scene((32, 24))), *segments)
    assert "FlashPix:PreviewImage" not in values(read(data), FindingKind.THUMBNAIL)


# --- Exiv2 EXV -------------------------------------------------------------------------


def test_exv_metadata_file_is_read_like_the_jpeg_header_it_holds() -> None:
    tiff = with_thumbnail([ascii_tag(0x010F, "SONY"), ascii_tag(0x013B, "Kim Example")],
                          jpeg_bytes(scene((160, 120))))  # fmt: skip
    header = with_app_segments(b"\xff\xd8", (0xE1, b"Exif\x00\x00" + tiff))
    exv = b"\xff\x01Exiv2" + header[2:] + b"\xff\xd9"
    found = sniff(exv[:4096], "x.exv")
    assert found.format is ImageFormat.EXV
    result = read(exv)
    assert result.format is ImageFormat.EXV
    assert values(result, FindingKind.THUMBNAIL)["EXIF:ThumbnailImage"].startswith("160×120")
    assert "Kim Example" in values(result, FindingKind.PERSON).values()
    with pytest.raises(Refused, match="metadata only"):
        strip_bytes(exv, ImageFormat.EXV, StripOptions())
