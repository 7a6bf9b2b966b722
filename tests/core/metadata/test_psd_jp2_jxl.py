"""PSD/PSB, JPEG 2000 and JPEG XL readers: built files, hostile variants and the real ones."""

from __future__ import annotations

import struct

import pytest

from photoscan.errors import CorruptFile
from photoscan.metadata import extract
from photoscan.metadata.base import Source
from photoscan.metadata.jp2 import EXIF_UUID
from photoscan.metadata.jxl import codestream_size
from photoscan.model import Extraction, FindingKind, ImageFormat
from photoscan.source.sniff import HEADER_BYTES, sniff
from tests import conftest
from tests.core.metadata import box_fixtures as fx

K = FindingKind


def _read(data: bytes, name: str = "photo") -> Extraction:
    sniffed = sniff(data[:HEADER_BYTES], name)
    assert sniffed.format is not None, sniffed.reason
    return extract(Source(name, data, sniffed.format, sniffed.label))


def _people(result: Extraction) -> set[str]:
    return {f.field for f in result.findings if f.kind is K.PERSON}


def _kinds(result: Extraction) -> set[FindingKind]:
    return {f.kind for f in result.findings}


# --- Photoshop ------------------------------------------------------------------------


@pytest.mark.parametrize("version", [1, 2])
def test_psd_and_psb_resources_give_names_and_the_thumbnail(version: int) -> None:
    result = _read(fx.psd(version=version, size=(8, 6)))
    assert result.format is ImageFormat.PSD
    assert (result.width, result.height) == (8, 6)
    assert _people(result) == {"EXIF:Artist", "IPTC:By-line", "XMP:Creator"}
    values = {f.value for f in result.findings}
    assert {fx.ARTIST, fx.BYLINE, fx.CREATOR} <= values
    thumbs = [f for f in result.findings if f.kind is K.THUMBNAIL]
    assert [f.field for f in thumbs] == ["Photoshop:ThumbnailImage"]
    assert thumbs[0].value.startswith("16×12 JPEG thumbnail")
    assert result.warnings == ()


def test_psd_resource_signatures_other_than_8bim_are_read() -> None:
    resources = fx.resource(0x0422, fx.exif_tiff(), signature=b"PHUT")
    assert _people(_read(fx.psd(resources))) == {"EXIF:Artist"}


def test_psd_exif_thumbnail_is_reported_too() -> None:
    result = _read(fx.psd(fx.resource(0x0422, fx.exif_tiff(thumbnail=True))))
    assert "EXIF:ThumbnailImage" in {f.field for f in result.findings}


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"8BPS\x00\x01" + b"\x00" * 10, "truncated"),
        (b"8BPS\x00\x07" + b"\x00" * 40, "unknown version"),
        (fx.psd()[:26] + struct.pack(">I", 0xFFFFFFF0) + b"\x00" * 64, "truncated before"),
    ],
)
def test_psd_damaged_at_the_root_is_corrupt(data: bytes, reason: str) -> None:
    with pytest.raises(CorruptFile, match=reason):
        _read(data)


def test_psd_resources_longer_than_the_file_keep_what_is_complete() -> None:
    resources = fx.resource(0x0424, fx.XMP) + b"8BIM\x04\x22\x00\x00\xff\xff\xff\xf0abc"
    data = fx.psd(resources, declared=0x7FFFFFFF)
    result = _read(data[: 30 + 4 + len(resources)])
    assert _people(result) == {"XMP:Creator"}
    assert any("truncated" in w for w in result.warnings)


def test_psd_garbage_resources_are_a_warning() -> None:
    result = _read(fx.psd(b"\xde\xad" * 40))
    assert result.findings == ()
    assert result.warnings == ("Photoshop image resources are unreadable",)


def test_psd_many_tiny_resources_are_bounded() -> None:
    tiny = fx.resource(0x03F3, b"") * 50_000  # 600 KB of empty resources
    result = _read(fx.psd(tiny + fx.resource(0x0422, fx.exif_tiff())))
    assert _people(result) == set()  # the walk stops at the cap, past the 10,000th


def test_psd_thumbnail_resource_that_is_not_jpeg_is_ignored() -> None:
    result = _read(fx.psd(fx.resource(0x040C, b"\x00" * 28 + b"not a jpeg")))
    assert K.THUMBNAIL not in _kinds(result)


# --- JPEG 2000 ------------------------------------------------------------------------


def test_jp2_uuid_boxes_give_exif_iptc_and_xmp() -> None:
    result = _read(fx.jp2(*fx.jp2_metadata(), size=(24, 16)))
    assert result.format is ImageFormat.JP2
    assert (result.width, result.height) == (24, 16)
    assert _people(result) == {"EXIF:Artist", "IPTC:By-line", "XMP:Creator"}
    assert result.warnings == ()


def test_jp2_exif_uuid_with_exif_header_and_xml_box() -> None:
    exif = fx.box(b"uuid", EXIF_UUID + b"Exif\x00\x00" + fx.exif_tiff())
    gml = fx.box(b"xml ", b"<gml:FeatureCollection/>")  # not XMP: ignored quietly
    result = _read(fx.jp2(exif, gml, fx.box(b"xml ", fx.XMP)))
    assert _people(result) == {"EXIF:Artist", "XMP:Creator"}
    assert result.warnings == ()


def test_jp2_box_past_the_end_keeps_what_came_before() -> None:
    head = fx.jp2(*fx.jp2_metadata())
    cut = head[: head.index(b"jp2c") + 20]  # the codestream box claims far more
    result = _read(cut)
    assert _people(result) == {"EXIF:Artist", "IPTC:By-line", "XMP:Creator"}
    assert any("truncated" in w and "jp2c" in w for w in result.warnings)


@pytest.mark.parametrize(
    "tail",
    [
        struct.pack(">I", 4) + b"uuid",  # shorter than its own header
        struct.pack(">I", 1) + b"uuid" + struct.pack(">Q", 1 << 60),  # 64-bit length past end
        struct.pack(">I", 1) + b"uuid\x00",  # 64-bit length cut off
        b"\x01\x02\x03",  # stray bytes (zero padding is fine)
    ],
)
def test_jp2_hostile_boxes_are_warnings(tail: bytes) -> None:
    start = fx.JP2_SIGNATURE + fx.box(b"ftyp", b"jp2 \x00\x00\x00\x00jp2 ")
    result = _read(start + b"".join(fx.jp2_metadata()) + tail)
    assert _people(result) == {"EXIF:Artist", "IPTC:By-line", "XMP:Creator"}
    assert len(result.warnings) == 1


def test_jp2_deeply_nested_superboxes_are_bounded() -> None:
    inner = fx.box(b"xml ", fx.XMP)
    for _ in range(2000):
        inner = fx.box(b"asoc", inner)
    result = _read(fx.JP2_SIGNATURE + inner)
    assert result.format is ImageFormat.JP2  # no RecursionError; the XMP is too deep to read


def test_jp2_without_its_signature_is_corrupt() -> None:
    with pytest.raises(CorruptFile):
        extract(Source("x.jp2", b"\x00\x00\x00\x0cjP  \r\n", ImageFormat.JP2))
    with pytest.raises(CorruptFile, match="truncated"):  # the first box runs past the end
        _read(struct.pack(">I", 999) + b"ftypjpx \x00\x00\x00\x00")


# --- JPEG XL --------------------------------------------------------------------------


@pytest.mark.parametrize("offset", [0, 6])
def test_jxl_exif_and_xml_boxes(offset: int) -> None:
    boxes = (fx.jxl_exif(fx.exif_tiff(thumbnail=True), offset), fx.box(b"xml ", fx.XMP))
    result = _read(fx.jxl(*boxes, size=(200, 130)))
    assert result.format is ImageFormat.JXL
    assert (result.width, result.height) == (200, 130)
    assert _people(result) == {"EXIF:Artist", "XMP:Creator"}
    assert "EXIF:ThumbnailImage" in {f.field for f in result.findings}
    assert result.warnings == ()


def test_jxl_brotli_boxes_are_named_in_a_warning() -> None:
    result = _read(fx.jxl(fx.box(b"brob", b"Exif\x1b\x00garbage"), fx.box(b"brob", b"xml ?")))
    assert result.findings == ()
    assert result.warnings == (
        "JPEG XL: compressed (Brotli) Exif metadata was not read",
        "JPEG XL: compressed (Brotli) XMP metadata was not read",
    )


@pytest.mark.parametrize(
    "exif_box",
    [
        fx.box(b"Exif", b"\x00\x00"),  # shorter than its offset field
        fx.box(b"Exif", struct.pack(">I", 0xFFFFFFFF) + b"II*\x00"),  # offset past the box
        fx.box(b"Exif", struct.pack(">I", 0) + b"no tiff here"),
    ],
)
def test_jxl_damaged_exif_box_is_a_warning(exif_box: bytes) -> None:
    result = _read(fx.jxl(exif_box, fx.box(b"xml ", fx.XMP)))
    assert _people(result) == {"XMP:Creator"}
    assert len(result.warnings) == 1 and "Exif box" in result.warnings[0]


def test_bare_jxl_codestream_has_a_size_and_no_metadata() -> None:
    result = _read(fx.jxl_codestream(640, 480))
    assert (result.format, result.width, result.height) == (ImageFormat.JXL, 640, 480)
    assert result.findings == () and result.warnings == ()
    assert _read(b"\xff\x0a").width is None  # cut short: no size, no error


def test_jxl_codestream_size_header_variants() -> None:
    assert codestream_size(b"\xff\x0a\x08\x04\x8e\x81") == (200, 130)  # ExifTool's sample
    assert codestream_size(fx.jxl_codestream(100_000, 3)) == (100_000, 3)
    assert codestream_size(bytes([0xFF, 0x0A, 0b00001011, 0])) == (8, 48)  # small, 1:1
    assert codestream_size(bytes([0xFF, 0x0A, 0b11001011, 1])) == (96, 48)  # small, 2:1
    assert codestream_size(bytes([0xFF, 0x0A, 0b10001011, 0])) == (57, 48)  # small, 12:10
    assert codestream_size(b"\xff\x0a") is None
    assert codestream_size(b"not jxl") is None


def test_jxl_split_codestream_size_from_the_first_part() -> None:
    part = fx.box(b"jxlp", b"\x00\x00\x00\x00" + fx.jxl_codestream(33, 44))
    data = fx.JXL_SIGNATURE + fx.box(b"ftyp", b"jxl \x00\x00\x00\x00jxl ") + part
    assert (_read(data).width, _read(data).height) == (33, 44)


def test_jxl_without_its_signature_is_corrupt() -> None:
    with pytest.raises(CorruptFile):
        extract(Source("x.jxl", b"\x00\x00\x00\x0cJXL", ImageFormat.JXL))


# --- the real files -----------------------------------------------------------------


def test_real_psd_jp2_jxl_files() -> None:
    folder = conftest.testdata_dir("d_metadata")
    read = {p.name: _read(p.read_bytes(), p.name) for p in folder.glob("*.[pj][sxp][d2l]")}
    assert {"exiftool_Photoshop.psd", "exiv2_Reagan.jp2", "exiv2_Reagan.jxl"} <= set(read)
    photoshop = read["exiftool_Photoshop.psd"]
    assert {"EXIF:Artist", "IPTC:By-line", "XMP:Creator"} <= _people(photoshop)
    phase_one = read["mei_psd_Issue_524_java_.psd"]
    assert (phase_one.width, phase_one.height) == (1650, 1350)
    assert {K.DEVICE, K.THUMBNAIL} <= _kinds(phase_one)
    jp2 = read["exiv2_Reagan.jp2"]
    assert (jp2.width, jp2.height) == (200, 130)
    assert {"EXIF:Artist", "IPTC:By-line", "XMP:Creator"} <= _people(jp2)
    assert K.LOCATION in _kinds(jp2)
    jxl = read["exiv2_Reagan.jxl"]
    assert {K.PERSON, K.THUMBNAIL, K.CAMERA} <= _kinds(jxl)
    assert (read["exiftool_JXL.jxl"].width, read["exiftool_JXL.jxl"].findings) == (200, ())
    assert any("Brotli" in w for w in read["exiftool_JXL2.jxl"].warnings)
    assert read["exiv2_h02.psd"].warnings  # ExifTool: "File format error"
