"""Maker-note serials, owners and ids for every make: notes built in code, one per layout.

Each note is assembled with the header, byte order and offset base its vendor uses (facts
from ExifTool's MakerNotes.pm and tag tables), so a reader that gets a base or an order
wrong reads garbage and the test fails. Real camera files are in ``test_makernotes_real``.
"""

from __future__ import annotations

import random
import re
import struct

import pytest

from photoscan.containers.tiff import TiffReader
from photoscan.metadata.base import Collector
from photoscan.metadata.exif import exif, makernotes
from photoscan.model import FindingKind, ImageFormat
from tests.core.metadata.exif.makernote_fixtures import (
    ASCII,
    IFD_TYPE,
    LONG,
    SHORT,
    E,
    NoteBuilder,
    exif_with_note,
    ifd,
    long,
    sony_encipher,
    text,
    undef,
)

K = FindingKind


def read(make: str, model: str, note: NoteBuilder, order: str = "<") -> dict[str, str]:
    """MakerNotes findings of an EXIF block holding ``note``: field -> value."""
    col = Collector(ImageFormat.JPEG)
    exif.read_exif_block(exif_with_note(make, model, note, order), col)
    return {f.field: f.value for f in col.findings if f.field.startswith("MakerNotes:")}


def kinds(make: str, model: str, note: NoteBuilder, order: str = "<") -> dict[str, K]:
    col = Collector(ImageFormat.JPEG)
    exif.read_exif_block(exif_with_note(make, model, note, order), col)
    return {f.field: f.kind for f in col.findings if f.field.startswith("MakerNotes:")}


def bare(entries: list[E], order: str = "<") -> NoteBuilder:
    """A note that is a bare IFD with offsets from the TIFF header (Canon, Nikon type 3,
    Sony type 5...)."""
    return lambda at: ifd(entries, order, at, 0)


def headed(header: bytes, entries: list[E], order: str = "<", base: str = "tiff") -> NoteBuilder:
    """A header, then the IFD; offsets count from the TIFF header or from the note start."""

    def build(at: int) -> bytes:
        origin = at if base == "note" else 0
        return header + ifd(entries, order, at + len(header), origin)

    return build


def short(tag: int, value: int, order: str = "<") -> E:
    return E(tag, SHORT, struct.pack(order + "H", value))


# --- Canon ---------------------------------------------------------------------------------


def test_canon_owner_serial_printed_as_the_camera_labels_it() -> None:
    entries = [text(0x0009, "Ann Owner"), long(0x000C, 560018150)]
    found = read("Canon", "Canon EOS 300D DIGITAL", bare(entries))
    assert found["MakerNotes:OwnerName"] == "Ann Owner"
    assert found["MakerNotes:SerialNumber"] == "0560018150"  # %.10u
    assert read("Canon", "Canon EOS D30", bare(entries))["MakerNotes:SerialNumber"] == (
        "216113030"  # %.4x%.5d of the high and low halves
    )
    assert read("Canon", "Canon EOS-1D", bare(entries))["MakerNotes:SerialNumber"] == "560018150"


def test_canon_internal_serials_lens_serial_image_id_and_camera_info_owner() -> None:
    camera_info = bytearray(0x200)
    camera_info[0x18E : 0x18E + 8] = b"Ben Body"
    lens_info = bytes.fromhex("00000013e8") + b"\x00" * 25
    entries = [
        undef(0x000D, bytes(camera_info)),
        undef(0x0028, bytes.fromhex("54e8b2b5539347478841864f8be0dcc5")),
        E(0x0096, ASCII, b"HA0123456\x00\xff\xff"),
        undef(0x4019, lens_info),
    ]
    found = read("Canon", "Canon EOS 5D Mark II", bare(entries))
    assert found["MakerNotes:OwnerName"] == "Ben Body"  # CameraInfo5DmkII
    assert found["MakerNotes:ImageUniqueID"] == "54e8b2b5539347478841864f8be0dcc5"
    assert found["MakerNotes:LensSerialNumber"] == "00000013e8"
    # EOS 5D models keep a SerialInfo record at 0x0096: two serials at offsets 0 and 9
    assert "MakerNotes:InternalSerialNumber2" in found
    elsewhere = read("Canon", "Canon EOS 7D", bare(entries))
    assert elsewhere["MakerNotes:InternalSerialNumber"] == "HA0123456"  # 0xff padding cut
    assert "MakerNotes:OwnerName" not in elsewhere  # CameraInfo differs by model


def test_canon_all_zero_ids_and_zero_lens_prefix_are_not_serials() -> None:
    entries = [
        undef(0x0028, b"\x00" * 16),
        long(0x000C, 0),
        undef(0x4019, b"\x00\x00\x00\x00\x07" + b"\x00" * 25),
    ]
    assert read("Canon", "Canon EOS 550D", bare(entries)) == {}


def test_canon_note_moved_by_an_editor_is_read_through_its_footer() -> None:
    """Editors move a Canon note without rewriting its offsets; the footer (a TIFF mark and
    the note's original offset) says by how much, as ExifTool's FixBase reads it."""
    shift = 0x40

    def moved(at: int) -> bytes:
        original = at + shift  # where the note was when its offsets were written
        body = ifd([text(0x0009, "Moved Owner")], "<", original, 0)
        return body + b"II*\x00" + struct.pack("<I", original)

    assert read("Canon", "Canon PowerShot SX60 HS", moved)["MakerNotes:OwnerName"] == (
        "Moved Owner"
    )


# --- Nikon ---------------------------------------------------------------------------------


def test_nikon_type3_big_endian_tiff_header_serials_and_location() -> None:
    location = bytearray(79)
    location[0:4] = b"0100"
    location[4] = 1  # UTF-8
    location[5:8] = b"NOR"
    location[9:19] = b"Tromso Inn"

    def note(at: int) -> bytes:
        inner = ifd(
            [text(0x001D, "3001006"), text(0x00A0, "NO= 100005e5"), undef(0x0039, location)],
            ">",
            8,
            0,
        )
        return b"Nikon\x00\x02\x10\x00\x00" + b"MM\x00*" + struct.pack(">I", 8) + inner

    found = read("NIKON CORPORATION", "NIKON D2Hs", note, ">")
    assert found["MakerNotes:SerialNumber"] in {"3001006", "NO= 100005e5"}
    assert found["MakerNotes:CountryCode"] == "NOR"
    assert found["MakerNotes:Location"] == "Tromso Inn"


def test_nikon_headerless_note_in_a_big_endian_file() -> None:
    found = read("NIKON", "E950", bare([text(0x00A0, "E9501234")], ">"), ">")
    assert found["MakerNotes:SerialNumber"] == "E9501234"


# --- Sony ----------------------------------------------------------------------------------


def _sony_9050(offset: int, serial: bytes, prefix: bytes = b"\x01") -> bytes:
    plain = bytearray(prefix + b"\x00" * (0x100 - len(prefix)))
    plain[offset : offset + len(serial)] = serial
    return sony_encipher(bytes(plain))


@pytest.mark.parametrize(
    ("model", "offset", "serial"),
    [
        ("ILCE-7M3", 0x88, bytes.fromhex("00006a0d700f")),  # Tag9050b
        ("ILCE-1", 0x8A, bytes.fromhex("0000112233aa")),  # Tag9050c
        ("ILCE-7RM5", 0x88, bytes.fromhex("0000445566bb")),  # Tag9050c
        ("ILCE-6700", 0x38, bytes.fromhex("000077889900")),  # Tag9050d
        ("NEX-6", 0x7C, bytes.fromhex("1a2b3c4d")),  # Tag9050a, ILCE/NEX
        ("SLT-A77V", 0xF0, bytes.fromhex("5e6f708192")),  # Tag9050a, SLT
    ],
)
def test_sony_internal_serial_from_the_enciphered_9050_block(
    model: str, offset: int, serial: bytes
) -> None:
    entries = [text(0x2031, "SN 4567"), undef(0x9050, _sony_9050(offset, serial))]
    found = read("SONY", model, headed(b"SONY DSC \x00\x00\x00", entries))
    assert found["MakerNotes:InternalSerialNumber"] == serial.hex()
    assert found["MakerNotes:SerialNumber"] == "SN 4567"


def test_sony_9050_families_that_hold_no_serial_or_another_layout() -> None:
    # (a headerless Sony note needs two entries: one starting "\x01\x00" is another format)
    serial = text(0x2031, "SN 1")
    block = undef(0x9050, _sony_9050(0x88, bytes.fromhex("00006a0d700f")))
    found = read("SONY", "DSC-RX100", bare([block, serial]))
    assert found == {"MakerNotes:SerialNumber": "SN 1"}
    # the ILCE-1M2 uses Tag9050d only when the block starts with five zero bytes
    newer = undef(0x9050, _sony_9050(0x38, bytes.fromhex("0000abcdef01"), b"\x00" * 5))
    found = read("SONY", "ILCE-1M2", bare([newer, serial]))
    assert found["MakerNotes:InternalSerialNumber"] == "0000abcdef01"
    older = undef(0x9050, _sony_9050(0x8A, bytes.fromhex("0000abcdef01")))
    assert "MakerNotes:InternalSerialNumber" not in read("SONY", "ILCE-1M2", bare([older, serial]))


def test_sony_a100_minolta_sub_note_serial() -> None:
    """The DSLR-A100 points (Sony 0xB028) at a Minolta-style IFD whose WBInfoA100 record
    holds the internal serial at 0x49DC."""
    record = bytearray(0x49DC + 12)
    record[0x49DC : 0x49DC + 11] = b"A100SER1234"

    def note(at: int) -> bytes:
        main_len = len(ifd([long(0xB028, 0), text(0x2031, "x1")], "<", at, 0))
        sub = ifd([undef(0x0020, bytes(record))], "<", at + main_len, 0)
        main = ifd([long(0xB028, at + main_len), text(0x2031, "x1")], "<", at, 0)
        return main + sub

    found = read("SONY", "DSLR-A100", note)
    assert found["MakerNotes:InternalSerialNumber"] == "A100SER1234"
    assert "MakerNotes:InternalSerialNumber" not in read("SONY", "DSLR-A700", note)


# --- Olympus / OM System -----------------------------------------------------------------


def _equipment(order: str) -> list[E]:
    return [
        text(0x0101, "BHP123456"),
        text(0x0102, "4100810001234001"),
        text(0x0202, "ABK654321"),
        text(0x0302, "EXT777"),
    ]


@pytest.mark.parametrize(
    ("header", "base", "order"),
    [
        (b"OLYMPUS\x00II\x03\x00", "note", "<"),  # E-series and newer: offsets from the note
        (b"OLYMPUS\x00MM\x03\x00", "note", ">"),
        (b"OM SYSTEM\x00\x00\x00II\x04\x00", "note", "<"),  # OM System bodies
    ],
)
def test_olympus_equipment_ifd_serials(header: bytes, base: str, order: str) -> None:
    def note(at: int) -> bytes:
        origin = at if base == "note" else 0
        start = at + len(header)
        main_len = len(ifd([long(0x2010, 0, order, IFD_TYPE)], order, start, origin))
        sub_at = start + main_len
        main = ifd([long(0x2010, sub_at - origin, order, IFD_TYPE)], order, start, origin)
        return header + main + ifd(_equipment(order), order, sub_at, origin)

    found = read("OLYMPUS IMAGING CORP.", "E-M1", note, order)
    assert found["MakerNotes:SerialNumber"] == "BHP123456"
    assert found["MakerNotes:InternalSerialNumber"] == "4100810001234001"
    assert found["MakerNotes:LensSerialNumber"] == "ABK654321"
    assert found["MakerNotes:ExtenderSerialNumber"] == "EXT777"


def test_old_olympus_note_with_the_equipment_ifd_inline() -> None:
    """ "OLYMP\\0" notes (E-1, E-300) keep Equipment as an UNDEFINED value holding the IFD,
    its offsets counted from the TIFF header like the note's own."""

    def note(at: int) -> bytes:
        header = b"OLYMP\x00\x01\x00"
        start = at + len(header)
        probe = ifd([undef(0x2010, b"\x00" * 200), text(0x0404, "C7070WZ12")], "<", start, 0)
        inner_at = start + 2 + 2 * 12 + 4 + 10  # the 0x2010 value, after 0x0404's
        inner = ifd(_equipment("<"), "<", inner_at, 0).ljust(200, b"\x00")
        body = ifd([undef(0x2010, inner), text(0x0404, "C7070WZ12")], "<", start, 0)
        assert len(body) == len(probe)
        return header + body

    found = read("OLYMPUS CORPORATION", "E-300", note)
    assert found["MakerNotes:SerialNumber"] in {"C7070WZ12", "BHP123456"}
    assert found["MakerNotes:LensSerialNumber"] == "ABK654321"


# --- Panasonic and Leica -------------------------------------------------------------------


def test_panasonic_serials_and_place_names() -> None:
    entries = [
        undef(0x0025, b"F350807010058^\x00\x00"),
        text(0x0052, "XA1234567   "),
        text(0x0054, "ACC99"),
        undef(0x006D, b"Lyon\x00"),
        undef(0x006F, b"---\x00"),  # not set
        undef(0x0080, b"Villeurbanne\x00"),
    ]
    found = read("Panasonic", "DMC-GH2", headed(b"Panasonic\x00\x00\x00", entries))
    assert found["MakerNotes:InternalSerialNumber"] == "F350807010058^"
    assert found["MakerNotes:LensSerialNumber"] == "XA1234567"
    assert found["MakerNotes:AccessorySerialNumber"] == "ACC99"
    assert found["MakerNotes:City"] == "Lyon"
    assert found["MakerNotes:City2"] == "Villeurbanne"
    assert "MakerNotes:Landmark" not in found


def test_leica_d_lux_note_uses_the_panasonic_table() -> None:
    entries = [undef(0x0025, b"LC0012345678\x00\x00\x00\x00")]
    found = read("LEICA CAMERA AG", "D-LUX 7", headed(b"LEICA CAMERA AG\x00\x00\x00", entries))
    assert found["MakerNotes:InternalSerialNumber"] == "LC0012345678"


@pytest.mark.parametrize("dng", [False, True])
def test_leica_m8_serial_with_either_offset_base(dng: bool) -> None:
    """M8 notes count offsets from the IFD in JPEGs and from the note start in DNGs."""

    def note(at: int) -> bytes:
        header = b"LEICA\x00\x00\x00"
        base = at if dng else at + 8
        entries = [long(0x0303, 3104567), text(0x0310, "padding value here")]
        return header + ifd(entries, "<", at + 8, base)

    assert read("Leica Camera AG", "M8 Digital Camera", note)["MakerNotes:SerialNumber"] == (
        "3104567"
    )


def test_leica_m9_subdirectory_serial() -> None:
    def note(at: int) -> bytes:
        header = b"LEICA0\x03\x00"
        start = at + 8
        probe = ifd([undef(0x3100, b"\x00" * 40)], "<", start, at)
        sub_at = start + 2 + 12 + 4
        sub = ifd([text(0x3103, "4012345")], "<", sub_at, at).ljust(40, b"\x00")
        body = ifd([undef(0x3100, sub)], "<", start, at)
        assert len(body) == len(probe)
        return header + body

    assert read("Leica Camera AG", "M9 Digital Camera", note)["MakerNotes:SerialNumber"] == (
        "4012345"
    )


def test_leica_x_and_r8_and_s_serials() -> None:
    x_entries = [long(0x0305, 4567890), undef(0x0500, b"LXX12345678901\x00")]
    found = read(
        "LEICA CAMERA AG", "LEICA X2", headed(b"LEICA\x00\x05\x00", x_entries, base="note")
    )
    assert found["MakerNotes:SerialNumber"] == "4567890"
    assert found["MakerNotes:InternalSerialNumber"] == "LXX12345678901"
    r8 = [undef(0x000B, b"\x00\x00\x00\x00R8123456\x00\x00")]
    assert (
        read("Leica Camera AG", "R8 - Digital Back DMR", bare(r8))["MakerNotes:SerialNumber"]
        == "R8123456"
    )
    s = [long(0x0321, 1234567)]
    found = read("Leica Camera AG", "LEICA S (Typ 006)", headed(b"LEICA\x00\x02\xff", s))
    assert found["MakerNotes:LensSerialNumber"] == "0001234567"


# --- Pentax and Ricoh ----------------------------------------------------------------------


def test_pentax_aoc_note_serials_owner_and_camera_info() -> None:
    info = struct.pack("<5I", 0x12345, 0, 0, 0, 6322060)
    entries = [
        text(0x0229, "4512345"),
        text(0x022E, "Pat Pentax"),
        text(0x022F, "(c) Pat"),
        E(0x0215, LONG, info),
    ]
    found = read("PENTAX Corporation", "PENTAX K10D", headed(b"AOC\x00II", entries))
    assert found["MakerNotes:SerialNumber"] == "4512345"
    assert found["MakerNotes:Artist"] == "Pat Pentax"
    assert found["MakerNotes:InternalSerialNumber"] == "6322060"


def test_pentax_aoc_note_whose_offsets_need_the_base_fix() -> None:
    """Some Pentax firmware writes offsets counted from elsewhere; ExifTool's FixBase finds
    the shift from where the first value must sit (4 bytes after the directory)."""

    def note(at: int) -> bytes:
        return b"AOC\x00MM" + ifd([text(0x0229, "SHIFTED99")], ">", at + 6, -0x1000)

    assert read("PENTAX", "PENTAX Optio WG-1", note, ">")["MakerNotes:SerialNumber"] == (
        "SHIFTED99"
    )


def test_pentax_q_and_ricoh_gr_notes_count_offsets_from_the_note() -> None:
    entries = [text(0x0229, "QSERIAL1")]
    assert (
        read("PENTAX", "PENTAX Q", headed(b"PENTAX \x00II", entries, base="note"))[
            "MakerNotes:SerialNumber"
        ]
        == "QSERIAL1"
    )
    gr = headed(b"RICOH\x00II", [text(0x0229, "GR3SERIAL")], base="note")
    assert read("RICOH IMAGING COMPANY, LTD.", "GR III", gr)["MakerNotes:SerialNumber"] == (
        "GR3SERIAL"
    )


def test_ricoh_serial_internal_serial_and_camera_info_subdirectory() -> None:
    serial_info = b"RS1 :V00560000\x00\x00SID:00100056\x00\x00\x00\x00" + b"\x00" * 16
    serial_info += b"LID:00010024\x00\x00\x00\x00"

    def note(at: int) -> bytes:
        header = b"Ricoh\x00\x00\x00"
        start = at + len(header)
        sub_size = 20 + 2 + 12 + 4 + len(serial_info)
        probe = ifd([undef(0x0005, b"\x00" * 16), undef(0x2001, b"\x00" * sub_size)], "<", start, 0)
        sub_at = start + 2 + 2 * 12 + 4 + 16
        inner = ifd([undef(0x002C, serial_info)], ">", sub_at + 20, 0)
        sub = b"[Ricoh Camera Info]\x00" + inner
        assert len(sub) == sub_size
        serial = undef(0x0005, bytes.fromhex("0123456789abcdef0011223344556677"))
        body = ifd([serial, undef(0x2001, sub)], "<", start, 0)
        assert len(body) == len(probe)
        return header + body

    found = read("RICOH", "GXR", note)
    assert found["MakerNotes:InternalSerialNumber"] == "0123456789abcdef0011223344556677"
    assert found["MakerNotes:BodySerialNumber"] == "SID:00100056"
    assert found["MakerNotes:LensSerialNumber"] == "LID:00010024"
    plain = [undef(0x0005, b"00000000WD001234")]
    assert (
        read("RICOH", "GXR", headed(b"Ricoh\x00\x00\x00", plain))["MakerNotes:SerialNumber"]
        == "00000000WD001234"
    )


# --- Fujifilm, Samsung, Sigma, Casio, Motorola, Sanyo, Apple, Nintendo ------------------------


def test_fujifilm_and_ge_notes() -> None:
    def fuji(header: bytes, table_at: int) -> NoteBuilder:
        def build(at: int) -> bytes:
            body = ifd([text(0x0010, "FPX20582698 592D3131")], "<", table_at, 0)
            return header.ljust(table_at, b"\x00") + body

        return build

    found = read("FUJIFILM", "X-T4", fuji(b"FUJIFILM\x0c\x00\x00\x00", 12))
    assert found["MakerNotes:InternalSerialNumber"] == "FPX20582698 592D3131"

    def ge2(at: int) -> bytes:  # GE: Fujifilm's table, 12 bytes in, offsets from byte 6
        header = b"GE\x0c\x00\x00\x00\x16\x00\x00\x00\x00\x00"
        return header + ifd([text(0x0010, "GE0012345")], "<", 12, 6)

    assert read("GE", "E1480W", ge2)["MakerNotes:InternalSerialNumber"] == "GE0012345"


def test_samsung_type2_with_absolute_offsets_fixed_and_names() -> None:
    entries = [
        undef(0x0001, b"0100"),
        text(0xA002, "R58M12345"),
        text(0x0123, "Grandma Lee"),
        E(0x0030, ASCII, b"Paris\x00Louvre\x00\x00"),
    ]
    found = read("SAMSUNG", "SM-N950F", lambda at: ifd(entries, "<", at, -0x200))
    assert found["MakerNotes:SerialNumber"] == "R58M12345"
    assert found["MakerNotes:FaceName"] == "Grandma Lee"
    assert found["MakerNotes:LocalLocationName"] == "Paris, Louvre"


def test_sigma_casio_motorola_sanyo_serials_and_casio_home_town() -> None:
    sigma = headed(b"SIGMA\x00\x00\x00\x01\x00", [text(0x0002, "02000019")])
    assert read("SIGMA", "SIGMA SD10", sigma)["MakerNotes:SerialNumber"] == "02000019"
    casio = headed(b"QVC\x00\x00\x00", [text(0x3006, "San Jose")], ">")
    found = kinds("CASIO COMPUTER CO.,LTD", "EX-Z3", casio, ">")
    assert found["MakerNotes:HometownCity"] is K.LOCATION
    motorola = headed(b"MOT\x00\x00\x00\x00\x00", [text(0x5501, "NX0A3S0075")], base="note")
    assert read("Motorola", "XT1068", motorola)["MakerNotes:SerialNumber"] == "NX0A3S0075"
    sanyo = headed(b"SANYO\x00\x01\x00", [undef(0x0209, b"SY1234567890\x00\x00")])
    assert read("SANYO Electric Co.,Ltd.", "VPC-E1", sanyo)["MakerNotes:CameraID"] == (
        "SY1234567890"
    )


def test_apple_burst_and_content_identifiers() -> None:
    entries = [
        text(0x000B, "B7A1-BURST"),
        text(0x0011, "LIVE-PHOTO-ID"),
        text(0x0015, "IMG-UUID"),
        text(0x002B, "PHOTO-ID"),
    ]
    note = headed(b"Apple iOS\x00\x00\x01MM", entries, ">", base="note")
    found = read("Apple", "iPhone 13 Pro", note)
    assert found == {
        "MakerNotes:BurstUUID": "B7A1-BURST",
        "MakerNotes:ContentIdentifier": "LIVE-PHOTO-ID",
        "MakerNotes:ImageUniqueID": "IMG-UUID",
        "MakerNotes:PhotoIdentifier": "PHOTO-ID",
    }


def test_nintendo_camera_info_serial() -> None:
    info = bytearray(0x30)
    info[0:4] = b"3DS1"
    info[0x18:0x1C] = bytes.fromhex("a1b2c3d4")
    found = read("Nintendo", "Nintendo 3DS", bare([undef(0x1101, bytes(info))]))
    assert found["MakerNotes:InternalSerialNumber"] == "0xa1b2c3d4"


# --- Kodak, HP, Phase One, Reconyx: notes that are not plain IFDs ----------------------------


def test_kodak_serial_as_text_tiff_like_and_patched_notes() -> None:
    type7 = lambda at: b"KXCB 123456789 " + b"\x00" * 50  # noqa: E731
    assert (
        read("EASTMAN KODAK COMPANY", "KODAK C340 ZOOM DIGITAL CAMERA", type7)[
            "MakerNotes:SerialNumber"
        ]
        == "KXCB 123456789"
    )

    def type8c(at: int) -> bytes:  # a TIFF header, then the IFD; SubIFD0 by offset
        start = at + 8
        main_len = len(ifd([long(0xFC00, 0)], "<", start, at))
        sub = ifd([text(0xFA19, "KCZ712000123")], "<", start + main_len, at)
        main = ifd([long(0xFC00, start + main_len - at)], "<", start, at)
        return b"II*\x00\x08\x00\x00\x00" + main + sub

    assert read("EASTMAN KODAK COMPANY", "KODAK Z712 IS", type8c)["MakerNotes:SerialNumber"] == (
        "KCZ712000123"
    )

    def pixpro(at: int) -> bytes:  # two stray bytes after the entry count
        body = ifd([text(0x0308, "LENS-0042")], "<", at + 8, at, gap=b"\x00\x00")
        return b"II*\x00\x08\x00\x00\x00" + body

    assert read("JK Imaging, Ltd.", "PixPro S-1", pixpro)["MakerNotes:LensSerialNumber"] == (
        "LENS-0042"
    )


def test_hp_binary_and_text_notes() -> None:
    binary = bytearray(0x80)
    binary[0:6] = b"IIII\x04\x00"
    binary[0x5C : 0x5C + 22] = b"SERIAL NUMBER:CN12345"
    assert (
        read("Hewlett-Packard", "PhotoSmart M627", lambda at: bytes(binary))[
            "MakerNotes:SerialNumber"
        ]
        == "CN12345"
    )
    textual = b"610\x00 Model: E427\nSerial Number: CN9876543\nRev: 1\x00"
    assert (
        read("Hewlett-Packard", "HP PhotoSmart E427", lambda at: textual)["MakerNotes:SerialNumber"]
        == "CN9876543"
    )


def test_phase_one_note_serial() -> None:
    serial = b"EH001234\x00\x00\x00\x00"
    entries_at = 12  # after the 8-byte mark and this offset
    note = bytearray(b"IIIITwaR" + struct.pack("<I", entries_at))
    note += struct.pack("<II", 2, 0)  # entry count, unused
    data_at = len(note) + 2 * 16
    note += struct.pack("<4I", 0x0102, 1, len(serial), data_at)
    note += struct.pack("<4I", 0x0105, 4, 4, 200)
    note += serial
    assert read("Phase One", "IQ180", lambda at: bytes(note))["MakerNotes:SerialNumber"] == (
        "EH001234"
    )


@pytest.mark.parametrize(
    ("header", "offset", "utf16"),
    [
        (b"RECONYXMF\x00", 0x8C, True),
        (b"RECONYXHF4K\x00", 0x84, False),
        (b"RECONYXUF\x00", 0x4B, False),
        (b"\x01\xf1\x03\x00", 42, True),
    ],
)
def test_reconyx_trail_camera_serials(header: bytes, offset: int, utf16: bool) -> None:
    raw = bytearray(0x100)
    raw[: len(header)] = header
    serial = "H500EE06130468".encode("utf-16-le" if utf16 else "ascii")
    raw[offset : offset + len(serial)] = serial
    assert read("RECONYX", "HC500", lambda at: bytes(raw))["MakerNotes:SerialNumber"] == (
        "H500EE06130468"
    )


# --- hostile notes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "note",
    [
        b"Nikon\x00\x02\x10\x00\x00MM\x00*\xff\xff\xff\xff",  # IFD offset past the end
        b"OLYMPUS\x00II\x03\x00\xff\xff",  # a huge entry count
        b"AOC\x00II\x01\x00\x29\x02\x02\x00\xff\xff\xff\x7f\x00\x00\x00\x00",  # a huge count
        b"Apple iOS\x00\x00\x01MM\x00\x01\x00\x0b\x00\x02\x00\x00\x00\x10\xff\xff\xff\xf0",
        b"SONY DSC \x00\x00\x00" + b"\x00\x01\x90\x50\x00\x07\x00\x00\x10\x00\x00\x00\x00\x20",
        b"LEICA0\x03\x00\x01\x00\x00\x31\x07\x00\x00\x00\x00\x10\x00\x00\x00\x08",
    ],
)
def test_damaged_notes_give_nothing_and_never_raise(note: bytes) -> None:
    for make in ("NIKON", "OLYMPUS", "PENTAX", "Apple", "SONY", "Leica Camera AG"):
        found = read(make, "X", lambda at: note)
        assert all(v.isprintable() for v in found.values())


def test_sub_ifds_that_point_at_themselves_end() -> None:
    def note(at: int) -> bytes:
        header = b"OLYMPUS\x00II\x03\x00"
        start = at + len(header)
        return header + ifd([long(0x2010, start - at, "<", IFD_TYPE)], "<", start, at)

    assert read("OLYMPUS IMAGING CORP.", "E-M5", note) == {}


def test_every_layout_has_a_table_or_a_record_reader() -> None:
    from photoscan.metadata.exif import makernote_records
    from photoscan.metadata.exif.makernote_layouts import LAYOUTS
    from photoscan.metadata.exif.makernote_tags import TABLES

    for layout in LAYOUTS:
        if layout.binary:
            col = Collector(ImageFormat.JPEG)
            makernote_records.read_binary(layout.table, b"\x00" * 64, col)  # known kind
            assert layout.table in makernote_records.BINARY_KINDS, layout.name
        else:
            assert layout.table in TABLES, layout.name


def test_preview_inside_a_note_that_is_only_a_jpeg() -> None:
    jpeg = b"\xff\xd8\xff\xdb" + b"\x00" * 60 + b"\xff\xd9"
    tiff = exif_with_note("Samsung Techwin", "Digimax i50 MP3", lambda at: jpeg)
    reader = TiffReader.at_header(tiff)
    assert reader is not None
    spans = makernotes.preview_spans(reader)
    assert [(field, length) for field, _start, length in spans] == [
        ("MakerNotes:PreviewImage", len(jpeg))
    ]
    assert tiff[spans[0][1] : spans[0][1] + 2] == b"\xff\xd8"


# One note start per header layout (each must be matched by some layout's pattern).
_HEADERS = [
    b"Apple iOS\x00\x00\x01MM",
    b"Nikon\x00\x02\x10\x00\x00MM\x00*",
    b"Nikon\x00\x01\x00\x00",
    b"QVC\x00\x00\x00",
    b"FUJIFILM\x0c\x00\x00\x00",
    b"GE\x0c\x00\x00\x00\x16\x00\x00\x00",
    b"610\x00",
    b"IIII\x04\x00",
    b"IIII\x06\x00",
    b"KXCB 123456789 ",
    b"\x00\x05\x00\x00\x00\x01\x00\x00",
    b"MM\x00\x2a\x00\x00\x00\x08\x00\x01\x00\x00",
    b"II\x2a\x00\x08\x00\x00\x00\x01\x00\x00\x00",
    b"MM\x00\x2a\x00\x00\x00\x08\x00\x00\x00\x01",
    b"MINOL\x00",
    b"CAMER\x00",
    b"MOT\x00",
    b"OLYMP\x00\x01\x00",
    b"EPSON\x00",
    b"OLYMPUS\x00II\x03\x00",
    b"OM SYSTEM\x00\x00\x00II",
    b"LEICA\x00\x00\x00",
    b"LEICA0\x03\x00",
    b"LEICA\x00\x05\x00",
    b"LEICA\x00\x02\xff",
    b"LEICA\x00\x08\x00",
    b"LEICA CAMERA AG\x00",
    b"Panasonic\x00\x00\x00",
    b"AOC\x00II",
    b"PENTAX \x00II",
    b"IIIITwaR",
    b"MMMMRawT",
    b"\x01\xf1\x03\x00",
    b"RECONYXUF\x00",
    b"RECONYXH2\x00",
    b"RECONYXMF\x00",
    b"RECONYXHF4K\x00",
    b"RICOH\x00II",
    b"Ricoh\x00\x00\x00",
    b"\x05\x00\x01\x00\x07\x00\x04\x00\x00\x000100",
    b"SANYO\x00\x01\x00",
    b"SIGMA\x00\x00\x00\x01",
    b"FOVEON\x00\x00",
    b"SONY DSC \x00\x00\x00",
    b"SONY PI\x00",
    b"PREMI\x00",
    b"VHAB     \x00",
]
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_MAKES = ("Canon", "NIKON", "OLYMPUS", "SONY", "Leica Camera AG", "SAMSUNG", "Kodak", "RECONYX")


def test_every_header_layout_has_a_sample_start() -> None:
    from photoscan.metadata.exif.makernote_layouts import LAYOUTS

    for layout in LAYOUTS:
        if layout.header is not None:
            assert any(layout.header.match(h) for h in _HEADERS), layout.name


def test_random_bytes_behind_every_header_never_raise() -> None:
    """Hostile notes: each known note start (and none), then garbage from a fixed seed, read
    as every make in both byte orders: nothing may raise, and every value that comes out is
    bounded and free of control characters (garbage in, garbage out, but safe to show)."""
    rng = random.Random(15)
    for head in [b"", *_HEADERS]:
        for size in (0, 4, 16, 64, 600):
            body = head + bytes(rng.randrange(256) for _ in range(size))
            for make in _MAKES:
                for order in ("<", ">"):
                    found = read(make, "EOS 5D Mark II", lambda at, b=body: b, order)
                    assert all(len(v) <= 300 and not _CONTROL.search(v) for v in found.values())


def test_minolta_note_preview_span() -> None:
    jpeg = b"\xff\xd8\xff\xdb" + b"\x01" * 40 + b"\xff\xd9"

    def note(at: int) -> bytes:
        entries = [long(0x0088, 0), long(0x0089, len(jpeg))]
        head_len = len(ifd(entries, "<", at, 0))
        entries[0] = long(0x0088, at + head_len)
        return ifd(entries, "<", at, 0) + jpeg

    tiff = exif_with_note("KONICA MINOLTA", "DiMAGE Z3", note)
    reader = TiffReader.at_header(tiff)
    assert reader is not None
    ((field, start, length),) = makernotes.preview_spans(reader)
    assert field == "MakerNotes:PreviewImage"
    assert tiff[start : start + length] == jpeg
