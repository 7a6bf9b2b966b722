"""EXIF and maker-note readers on EXIF blocks built in code (and a few real files)."""

from __future__ import annotations

import io
import math
import random
import struct

import pytest
from PIL import Image

from photoscan.metadata.base import Collector, Source
from photoscan.metadata.exif import exif
from photoscan.model import Extraction, FindingKind, ImageFormat, Severity
from tests import conftest
from tests.core.metadata.exif.exif_fixtures import (
    Tag,
    ascii_tag,
    build_tiff,
    exif_jpeg,
    ifd_bytes,
    ifd_size,
    long_tag,
    rational_tag,
    short_tag,
    undefined_tag,
)

K = FindingKind


def read_block(tiff: bytes) -> Extraction:
    col = Collector(ImageFormat.JPEG)
    exif.read_exif_block(tiff, col)
    return col.build()


def read_jpeg(data: bytes) -> Extraction:
    col = Collector(ImageFormat.JPEG)
    exif.read_exif(Source("x.jpg", data, ImageFormat.JPEG), col)
    return col.build()


def fields(result: Extraction) -> dict[str, tuple[FindingKind, str, Severity]]:
    return {f.field: (f.kind, f.value, f.severity) for f in result.findings}


def gps_ifd(lat_ref: str, lat: float, lon_ref: str, lon: float) -> list[Tag]:
    def dms(value: float) -> list[tuple[int, int]]:
        deg = int(value)
        minutes = int((value - deg) * 60)
        seconds = round(((value - deg) * 60 - minutes) * 60 * 10000)
        return [(deg, 1), (minutes, 1), (seconds, 10000)]

    return [
        ascii_tag(0x0001, lat_ref),
        rational_tag(0x0002, *dms(lat)),
        ascii_tag(0x0003, lon_ref),
        rational_tag(0x0004, *dms(lon)),
    ]


@pytest.mark.parametrize(
    ("lat_ref", "lon_ref", "sign_lat", "sign_lon"),
    [("N", "E", 1, 1), ("S", "W", -1, -1), ("S", "E", -1, 1), ("N", "W", 1, -1)],
)
def test_gps_refs_give_signed_decimal_degrees(
    lat_ref: str, lon_ref: str, sign_lat: int, sign_lon: int
) -> None:
    tiff = build_tiff(
        [ascii_tag(0x010F, "Canon")], [], gps_ifd(lat_ref, 33.8688, lon_ref, 151.2093)
    )
    result = read_block(tiff)
    assert result.gps is not None
    assert result.gps.lat == pytest.approx(sign_lat * 33.8688, abs=1e-6)
    assert result.gps.lon == pytest.approx(sign_lon * 151.2093, abs=1e-6)
    assert result.gps.source == "exif"
    found = fields(result)
    assert found["EXIF:GPSLatitude"][0] is K.LOCATION
    assert found["EXIF:GPSLatitude"][2] is Severity.HIGH


def test_pillow_written_gps_with_altitude_below_sea_level() -> None:
    im = Image.new("RGB", (32, 24))
    info = im.getexif()
    gps = info.get_ifd(0x8825)
    gps[1], gps[2] = "S", (12.0, 30.0, 0.0)
    gps[3], gps[4] = "W", (77.0, 2.0, 24.0)
    gps[5], gps[6] = b"\x01", 15.5
    buf = io.BytesIO()
    im.save(buf, "JPEG", exif=info.tobytes())
    result = read_jpeg(buf.getvalue())
    assert result.gps is not None
    assert (result.gps.lat, result.gps.lon) == pytest.approx((-12.5, -77.04), abs=1e-6)
    assert result.gps.altitude == pytest.approx(-15.5)


@pytest.mark.parametrize(
    "gps",
    [
        gps_ifd("N", 0.0, "E", 0.0),  # "null island": a placeholder, not a place
        [  # zero denominators: NaN degrees
            ascii_tag(0x0001, "N"),
            rational_tag(0x0002, (0, 0), (0, 0), (0, 0)),
            ascii_tag(0x0003, "E"),
            rational_tag(0x0004, (5, 0), (0, 0), (0, 0)),
        ],
        gps_ifd("N", 95.0, "E", 10.0),  # out of range
    ],
    ids=["zero", "nan", "out-of-range"],
)
def test_invalid_gps_is_an_invalid_finding_not_a_position(gps: list[Tag]) -> None:
    result = read_block(build_tiff([ascii_tag(0x010F, "X")], [], gps))
    assert result.gps is None
    invalid = [f for f in result.findings if f.field == "EXIF:GPS (invalid)"]
    assert len(invalid) == 1 and invalid[0].kind is K.LOCATION
    assert "EXIF:GPSLatitude" not in fields(result)


def test_people_devices_and_dates_get_exiftool_names_and_kinds() -> None:
    ifd0 = [
        ascii_tag(0x010F, "Canon"),
        ascii_tag(0x0110, "Canon EOS 5D"),
        ascii_tag(0x013B, "Jane\x07 Doe"),
        ascii_tag(0x0131, "Adobe Photoshop"),
        ascii_tag(0x8298, "(c) Jane Doe"),
        Tag(0x9C9D, 1, 10, "Ann B".encode("utf-16-le")),
    ]
    exif_ifd = [
        ascii_tag(0x9003, "2020:01:02 03:04:05"),
        ascii_tag(0xA430, "Jane Doe"),
        ascii_tag(0xA431, "SN-0042"),
        ascii_tag(0xA435, "LENS-7"),
        ascii_tag(0xA420, "abc123"),
        long_tag(0xA002, 4000),
        long_tag(0xA003, 3000),
        undefined_tag(0x9286, b"ASCII\x00\x00\x00a comment"),
    ]
    result = read_block(build_tiff(ifd0, exif_ifd))
    found = fields(result)
    assert found["EXIF:Artist"] == (K.PERSON, "Jane Doe", Severity.HIGH)  # control char gone
    assert found["EXIF:OwnerName"][:2] == (K.PERSON, "Jane Doe")
    assert found["EXIF:XPAuthor"][:2] == (K.PERSON, "Ann B")
    assert found["EXIF:SerialNumber"] == (K.DEVICE, "SN-0042", Severity.HIGH)
    assert found["EXIF:LensSerialNumber"][:2] == (K.DEVICE, "LENS-7")
    assert found["EXIF:ImageUniqueID"][0] is K.DEVICE
    assert found["EXIF:Make"][0] is K.CAMERA
    assert found["EXIF:Software"] == (K.SOFTWARE, "Adobe Photoshop", Severity.INFO)
    assert found["EXIF:DateTimeOriginal"] == (K.DATETIME, "2020:01:02 03:04:05", Severity.LOW)
    assert (result.width, result.height) == (4000, 3000)
    assert found["EXIF:UserComment"] == (K.TEXT, "a comment", Severity.MEDIUM)


def test_latin1_text_and_placeholder_values() -> None:
    ifd0 = [Tag(0x013B, 2, 10, "Wördehoff".encode("latin-1") + b"\x00")]
    exif_ifd = [ascii_tag(0x9003, "0000:00:00 00:00:00"), ascii_tag(0xA435, "0000000000")]
    found = fields(read_block(build_tiff(ifd0, exif_ifd)))
    assert found["EXIF:Artist"][1] == "Wördehoff"
    assert "EXIF:DateTimeOriginal" not in found  # a camera's "no date"
    assert "EXIF:LensSerialNumber" not in found  # all zeros identify nothing


def test_camera_model_written_into_copyright_is_not_a_person() -> None:
    ifd0 = [
        ascii_tag(0x8298, "KODAK DC3400 ZOOM DIGITAL CAMERA"),
        ascii_tag(0x013B, "Jane Doe"),
    ]
    found = fields(read_block(build_tiff(ifd0, [])))
    assert "EXIF:Copyright" not in found
    assert found["EXIF:Artist"][0] is K.PERSON


def _canon_note(at: int) -> bytes:
    """A Canon maker note: a bare IFD whose pointers count from the TIFF header."""
    return ifd_bytes([ascii_tag(0x0009, "Phil Owner"), long_tag(0x000C, 560018150)], at)


def _note_tag(builder: object, length: int) -> Tag:
    return undefined_tag(0x927C, (length, builder))  # type: ignore[arg-type]


def test_canon_maker_note_owner_and_serial() -> None:
    length = len(_canon_note(0))
    tiff = build_tiff([ascii_tag(0x010F, "Canon")], [_note_tag(_canon_note, length)])
    found = fields(read_block(tiff))
    assert found["MakerNotes:OwnerName"] == (K.PERSON, "Phil Owner", Severity.HIGH)
    assert found["MakerNotes:SerialNumber"] == (K.DEVICE, "0560018150", Severity.HIGH)


def _panasonic_note(at: int) -> bytes:
    faces = bytearray(4 + 48 * 3)
    faces[0:2] = struct.pack("<H", 2)
    faces[4:9] = b"Alice"
    faces[32:51] = b"0006:03:01 00:00:00"
    faces[52:55] = b"Bob"
    faces[80:99] = b"0041:00:00 00:00:00"
    tags = [
        undefined_tag(0x0025, b"F350807010058^\x00\x00"),
        ascii_tag(0x0033, "0002:05:10 00:00:00"),
        undefined_tag(0x0061, bytes(faces)),
        undefined_tag(0x0066, b"Mia\x00" + b"\x00" * 60),
        ascii_tag(0x8010, "9999:99:99 00:00:00"),
    ]
    return b"Panasonic\x00\x00\x00" + ifd_bytes(tags, at + 12)


def test_panasonic_baby_name_age_and_recognised_faces_are_minor_and_person() -> None:
    length = len(_panasonic_note(0))
    tiff = build_tiff([ascii_tag(0x010F, "Panasonic")], [_note_tag(_panasonic_note, length)])
    result = read_block(tiff)
    by_kind = {(f.kind, f.field): f.value for f in result.findings}
    assert by_kind[(K.PERSON, "MakerNotes:BabyName")] == "Mia"
    assert by_kind[(K.MINOR, "MakerNotes:BabyName")] == "Mia"
    assert by_kind[(K.MINOR, "MakerNotes:BabyAge")] == "Mia: 0002:05:10 00:00:00"
    assert by_kind[(K.PERSON, "MakerNotes:RecognizedFace1Name")] == "Alice"
    assert by_kind[(K.PERSON, "MakerNotes:RecognizedFace2Name")] == "Bob"
    assert (K.MINOR, "MakerNotes:RecognizedFace1Age") in by_kind  # 6 years old
    assert (K.MINOR, "MakerNotes:RecognizedFace2Age") not in by_kind  # 41: an adult
    assert by_kind[(K.DEVICE, "MakerNotes:InternalSerialNumber")] == "F350807010058^"
    assert all("9999" not in f.value for f in result.findings)  # "not set" is not an age


def test_nikon_type2_maker_note_has_its_own_tiff_header() -> None:
    inner = b"II*\x00\x08\x00\x00\x00" + ifd_bytes([ascii_tag(0x001D, "6435634")], 8)
    note = b"Nikon\x00\x02\x10\x00\x00" + inner
    tiff = build_tiff([ascii_tag(0x010F, "NIKON CORPORATION")], [undefined_tag(0x927C, note)])
    assert fields(read_block(tiff))["MakerNotes:SerialNumber"][:2] == (K.DEVICE, "6435634")


def test_apple_maker_note_identifiers() -> None:
    body = ifd_bytes([ascii_tag(0x0011, "LIVE-PHOTO-ID"), ascii_tag(0x0015, "IMG-UUID")], 14)
    note = b"Apple iOS\x00\x00\x01II" + body
    tiff = build_tiff([ascii_tag(0x010F, "Apple")], [undefined_tag(0x927C, note)])
    found = fields(read_block(tiff))
    assert found["MakerNotes:ContentIdentifier"][:2] == (K.DEVICE, "LIVE-PHOTO-ID")
    assert found["MakerNotes:ImageUniqueID"][:2] == (K.DEVICE, "IMG-UUID")


def test_exif_header_prefix_is_accepted_by_the_block_reader() -> None:
    tiff = build_tiff([ascii_tag(0x013B, "Someone")])
    assert "EXIF:Artist" in fields(read_block(b"Exif\x00\x00" + tiff))


def test_block_without_tiff_header_warns() -> None:
    result = read_block(b"not a tiff at all")
    assert result.findings == () and result.warnings


def _full_tiff() -> bytes:
    length = len(_canon_note(0))
    return build_tiff(
        [ascii_tag(0x010F, "Canon"), ascii_tag(0x013B, "A"), short_tag(0x0112, 1)],
        [ascii_tag(0xA431, "SN1"), _note_tag(_canon_note, length)],
        gps_ifd("S", 1.5, "W", 2.5),
    )


def test_truncated_exif_never_raises() -> None:
    data = exif_jpeg(_full_tiff())
    for cut in range(0, len(data), 7):
        read_jpeg(data[:cut])  # must not raise
        read_block(_full_tiff()[:cut])


def test_corrupt_exif_never_raises() -> None:
    rng = random.Random(7)
    tiff = bytearray(_full_tiff())
    for _ in range(150):
        broken = bytearray(tiff)
        for _ in range(rng.randint(1, 12)):
            broken[rng.randrange(8, len(broken))] = rng.randrange(256)
        result = read_block(bytes(broken))
        if result.gps is not None:
            assert math.isfinite(result.gps.lat) and math.isfinite(result.gps.lon)


def test_ifd_loop_and_huge_counts_are_bounded() -> None:
    # IFD0 pointing to itself as the next IFD, and an Exif pointer with a huge entry count
    ifd0 = (
        b"\x02\x00"
        + struct.pack("<HHII", 0x013B, 2, 2, ord("Z"))
        + struct.pack("<HHII", 0x8769, 4, 1, 40)
    )
    tiff = b"II*\x00\x08\x00\x00\x00" + ifd0 + struct.pack("<I", 8)
    tiff += b"\x00" * (40 - len(tiff)) + b"\xff\xff" + b"\x00" * 20
    result = read_block(tiff)
    assert fields(result)["EXIF:Artist"][1] == "Z"


def test_real_files_keep_gps_and_serials() -> None:
    folder = conftest.testdata_dir("d_metadata")
    gps = read_jpeg((folder / "exiftool_GPS.jpg").read_bytes()).gps
    assert gps is not None
    assert (gps.lat, gps.lon) == pytest.approx((54.9896667, -1.9141667), abs=1e-6)
    canon = fields(read_jpeg((folder / "exiftool_Canon.jpg").read_bytes()))
    assert canon["MakerNotes:OwnerName"][1] == "Phil Harvey"
    assert canon["MakerNotes:SerialNumber"][1] == "0560018150"


def _fuji_note(names: list[tuple[bytes, bytes]]) -> bytes:
    """FaceRecInfo: (offset, length) pairs, then records with name/birthday pointers."""
    n = len(names)
    table = b""
    records = b""
    strings = b""
    rec_base = 8 * n + 8  # directory + terminator
    str_base = rec_base + 62 * n
    for name, birthday in names:
        record = bytearray(62)
        name_at = str_base + len(strings)
        strings += name
        birth_at = str_base + len(strings)
        strings += birthday
        record[30:38] = struct.pack("<II", len(name), name_at)
        record[54:62] = struct.pack("<II", len(birthday), birth_at)
        table += struct.pack("<II", rec_base + len(records), 62)
        records += bytes(record)
    info = table + b"\x00" * 8 + records + strings
    ifd = ifd_bytes([ascii_tag(0x0010, "FPX20582698"), undefined_tag(0x4282, info)], 12)
    return b"FUJIFILM" + struct.pack("<I", 12) + ifd


def test_fujifilm_face_recognition_names_and_serial() -> None:
    note = _fuji_note([(b"Emma", b"20150401"), (b"Dad", b"19800101")])
    taken = ascii_tag(0x9003, "2021:06:01 10:00:00")
    tiff = build_tiff([ascii_tag(0x010F, "FUJIFILM")], [taken, undefined_tag(0x927C, note)])
    result = read_block(tiff)
    found = {(f.field, f.value) for f in result.findings}
    minors = {f.field for f in result.findings if f.kind is K.MINOR}
    assert minors == {"MakerNotes:Face1Birthday"}  # Emma was 6; Dad was 41
    assert ("MakerNotes:Face1Name", "Emma") in found
    assert ("MakerNotes:Face2Name", "Dad") in found
    assert ("MakerNotes:Face1Birthday", "20150401") in found
    assert ("MakerNotes:InternalSerialNumber", "FPX20582698") in found


def test_raw_size_comes_from_the_full_resolution_subifd() -> None:
    def ifd0(sub_at: int) -> list[Tag]:
        return [
            long_tag(0x00FE, 1),  # IFD0: a reduced-resolution thumbnail, as in NEF files
            long_tag(0x0100, 160),
            long_tag(0x0101, 120),
            ascii_tag(0x010F, "NIKON CORPORATION"),
            long_tag(0x014A, sub_at),
        ]

    sensor = [long_tag(0x00FE, 0), long_tag(0x0100, 3008), long_tag(0x0101, 2000)]
    sub_at = 8 + ifd_size([*ifd0(0), long_tag(0x8769, 0)])
    data = build_tiff(ifd0(sub_at), sensor)  # the "Exif IFD" slot doubles as the SubIFD
    col = Collector(ImageFormat.RAW)
    exif.read_exif(Source("x.nef", data, ImageFormat.RAW), col)
    assert (col.width, col.height) == (3008, 2000)


def test_samsung_note_relative_offsets_are_fixed() -> None:
    tags = [
        undefined_tag(0x0001, b"0100"),
        ascii_tag(0x0123, "Grandma Lee"),
        ascii_tag(0xA002, "R58M12345"),
    ]
    note = ifd_bytes(tags, 0)  # pointers count from the note, not from the TIFF header
    tiff = build_tiff([ascii_tag(0x010F, "SAMSUNG")], [undefined_tag(0x927C, note)])
    found = fields(read_block(tiff))
    assert found["MakerNotes:FaceName"] == (K.PERSON, "Grandma Lee", Severity.HIGH)
    assert found["MakerNotes:SerialNumber"][1] == "R58M12345"


def test_camera_default_descriptions_are_not_reported_as_text() -> None:
    ifd0 = [ascii_tag(0x010E, "OLYMPUS DIGITAL CAMERA"), ascii_tag(0x013B, "Ann")]
    found = fields(read_block(build_tiff(ifd0)))
    assert "EXIF:ImageDescription" not in found and "EXIF:Artist" in found
    mine = fields(read_block(build_tiff([ascii_tag(0x010E, "Mia's first day at school")])))
    assert mine["EXIF:ImageDescription"][:2] == (K.TEXT, "Mia's first day at school")


def test_damaged_gps_directory_is_skipped_quickly() -> None:
    tiff = bytearray(build_tiff([ascii_tag(0x013B, "Ann")], None, gps_ifd("N", 1.0, "E", 2.0)))
    gps_at = struct.unpack_from("<I", tiff, tiff.index(struct.pack("<HHI", 0x8825, 4, 1)) + 8)[0]
    tiff[gps_at : gps_at + 2] = b"\xff\xff"  # 65,535 entries claimed
    result = read_block(bytes(tiff))
    assert result.gps is None and "EXIF:Artist" in fields(result)
    assert any("damaged directory" in w for w in result.warnings)
