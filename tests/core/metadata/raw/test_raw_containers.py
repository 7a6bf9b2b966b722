"""Canon CR3, Canon CRW, Fujifilm RAF and Sigma X3F: what their containers give away.

Generated files (``raw_fixtures``) check each field; hostile variants (cut anywhere, sizes
past the end, huge counts, self-pointing heaps) must end in findings or ``CorruptFile``,
never another exception; the real files of d_metadata are read as ExifTool reads them.
"""

from __future__ import annotations

import contextlib
import random
import struct

import pytest

from photoscan.errors import CorruptFile
from photoscan.metadata import extract, extract_kinds
from photoscan.metadata.base import Source
from photoscan.metadata.raw.cr3 import wrap_directory
from photoscan.model import Extraction, FindingKind, ImageFormat
from photoscan.source.sniff import HEADER_BYTES, sniff
from tests import conftest
from tests.core.metadata.exif.exif_fixtures import ascii_tag, build_tiff, ifd_bytes
from tests.core.metadata.raw import raw_fixtures as rf


def _read(data: bytes, name: str = "photo") -> Extraction:
    sniffed = sniff(data[:HEADER_BYTES], name)
    assert sniffed.format is ImageFormat.RAW, sniffed
    return extract(Source(name, data, ImageFormat.RAW, sniffed.label))


def _fields(extraction: Extraction) -> dict[str, str]:
    return {f.field: f.value for f in extraction.findings}


def test_cr3_exif_maker_notes_gps_xmp_and_previews() -> None:
    result = _read(rf.cr3())
    fields = _fields(result)
    assert fields["EXIF:Artist"] == "Jane Photographer"
    assert fields["EXIF:OwnerName"] == "Jane Owner"
    assert fields["EXIF:SerialNumber"] == "012345678901"
    assert fields["MakerNotes:OwnerName"] == "Jane Canon"
    assert fields["MakerNotes:InternalSerialNumber"] == "AB1234567"
    assert fields["XMP:Creator"] == "Ada Lovelace"
    assert fields["CR3:ThumbnailImage"].startswith("160×120 JPEG thumbnail")
    assert fields["CR3:PreviewImage"].startswith("64×48 JPEG preview")
    assert result.gps is not None
    assert (round(result.gps.lat, 4), round(result.gps.lon, 4)) == (48.8583, 2.2944)
    assert (result.width, result.height) == (6000, 4000)
    assert result.format is ImageFormat.RAW
    assert not result.warnings


def test_cr3_kinds_only_gives_the_same_kinds() -> None:
    data = rf.cr3()
    full = {f.kind for f in _read(data).findings}
    kinds = {f.kind for f in extract_kinds(Source("p", data, ImageFormat.RAW, "CR3")).findings}
    assert kinds == full


def test_cr3_preview_box_cut_short_is_still_reported() -> None:
    data = rf.cr3()
    cut = data[: data.index(b"PRVW") + 40]  # the PRVW box claims more than is left
    result = _read(cut)
    assert "CR3:PreviewImage" in _fields(result)
    assert any("truncated" in w for w in result.warnings)
    assert _fields(result)["EXIF:SerialNumber"] == "012345678901"


def test_wrapped_directory_keeps_offsets_and_points_at_the_original() -> None:
    tiff = build_tiff([ascii_tag(0xA431, "serial-number-long")])
    wrapped = wrap_directory(tiff, 0x8769)
    assert wrapped is not None
    assert wrapped[8 : len(tiff)] == tiff[8:]  # nothing before the new IFD0 moved
    (ifd0,) = struct.unpack("<I", wrapped[4:8])
    count, tag, _type, _n, target = struct.unpack("<HHHII", wrapped[ifd0 : ifd0 + 14])
    assert (count, tag, target) == (1, 0x8769, 8)
    assert wrap_directory(b"not a tiff", 0x8769) is None


def test_crw_owner_serial_model_previews_and_size() -> None:
    result = _read(rf.crw())
    fields = _fields(result)
    assert fields["CIFF:OwnerName"] == "Jane Owner"
    assert fields["CIFF:SerialNumber"] == "0001234567"
    assert fields["CIFF:Model"] == "Canon EOS D60"
    assert fields["CIFF:JpgFromRaw"].startswith("96×64 JPEG preview")
    assert fields["CIFF:ThumbnailImage"].startswith("48×32 JPEG thumbnail")
    assert (result.width, result.height) == (3072, 2048)


def test_crw_powershot_number_is_not_called_a_serial() -> None:
    props = rf.ciff_heap(
        [(0x080A, b"Canon\x00Canon PowerShot S40\x00"), (0x180B, struct.pack("<I", 99))]
    )
    fields = _fields(_read(rf.crw([(0x300A, props)])))
    assert "CIFF:SerialNumber" not in fields
    assert fields["CIFF:Model"] == "Canon PowerShot S40"


def test_raf_exif_and_fujifilm_maker_notes_come_from_the_embedded_jpeg() -> None:
    result = _read(rf.raf())
    fields = _fields(result)
    assert fields["MakerNotes:InternalSerialNumber"] == "FPX20582698 ABCDEF"
    assert fields["EXIF:Make"] == "FUJIFILM"
    assert fields["RAF:PreviewImage"].startswith("80×60 JPEG preview")
    assert fields["EXIF:ThumbnailImage"].startswith("40×30 JPEG thumbnail")
    assert (result.width, result.height) == (4000, 3000)  # the sensor's, not the preview's


def test_raf_without_directory_keeps_no_preview_size() -> None:
    result = _read(rf.raf(directory=b"\x00\x00\x00\x00"))
    assert result.width is None  # a 80×60 preview must not pass for the photo's size


def test_x3f_properties_previews_and_jpeg_exif() -> None:
    result = _read(rf.x3f())
    fields = _fields(result)
    assert fields["X3F:SerialNumber"] == "1008382"
    assert fields["X3F:Model"] == "SIGMA DP9"
    assert fields["MakerNotes:SerialNumber"] == "1008382"
    assert fields["EXIF:Model"] == "SIGMA DP9"
    previews = [f for f in result.findings if f.field == "X3F:PreviewImage"]
    assert len(previews) == 2  # the raw data section (type 3) is not a preview
    assert (result.width, result.height) == (2640, 1760)


def test_x3f_version_4_header_keeps_the_size_further_on() -> None:
    result = _read(rf.x3f(size=(5424, 3616), version=0x00040001))
    assert (result.width, result.height) == (5424, 3616)
    assert "X3F:ImageUniqueID" not in _fields(result)
    assert _fields(result)["X3F:SerialNumber"] == "1008382"


def test_tiff_based_raw_is_read_as_before() -> None:
    ifd0 = ifd_bytes([ascii_tag(0x010F, "Canon"), ascii_tag(0x013B, "Jane")], 16)
    cr2 = b"II*\x00" + struct.pack("<I", 16) + b"CR\x02\x00" + b"\x00" * 4 + ifd0
    assert sniff(cr2).label == "CR2"
    assert _fields(_read(cr2))["EXIF:Artist"] == "Jane"


# --- hostile input ------------------------------------------------------------------------

BUILDERS = rf.BUILDERS


def _survives(data: bytes, label: str) -> None:
    """Damage ends in findings, warnings or CorruptFile: never another exception."""
    with contextlib.suppress(CorruptFile):
        extract(Source("hostile", data, ImageFormat.RAW, label))


@pytest.mark.parametrize("label", sorted(BUILDERS))
def test_truncated_anywhere(label: str) -> None:
    data = BUILDERS[label]()
    for cut in range(0, len(data), max(1, len(data) // 60)):
        _survives(data[:cut], label)


@pytest.mark.parametrize("label", sorted(BUILDERS))
def test_random_byte_damage(label: str) -> None:
    data = BUILDERS[label]()
    rng = random.Random(label)
    for _ in range(40):
        damaged = bytearray(data)
        for _ in range(8):
            pos = rng.randrange(16, len(damaged))
            damaged[pos] = rng.choice((0x00, 0xFF, 0x7F, rng.randrange(256)))
        _survives(bytes(damaged), label)


def test_cr3_box_sizes_past_the_end_or_too_small() -> None:
    ftyp = rf.box(b"ftyp", b"crx \x00\x00\x00\x01crx isom")
    with pytest.raises(CorruptFile):
        _read(ftyp + struct.pack(">I", 0xFFFFFFF0) + b"moov" + b"\x00" * 32)
    with pytest.raises(CorruptFile):
        _read(ftyp + struct.pack(">I", 3) + b"moov" + b"\x00" * 32)
    huge64 = struct.pack(">I", 1) + b"moov" + struct.pack(">Q", 1 << 62)
    with pytest.raises(CorruptFile):
        _read(ftyp + huge64 + b"\x00" * 32)


def test_cr3_many_tiny_boxes_are_capped() -> None:
    ftyp = rf.box(b"ftyp", b"crx \x00\x00\x00\x01crx isom")
    few = _read(ftyp + rf.box(b"free", b"") * 100 + rf.cr3()[len(ftyp) :])
    assert "EXIF:SerialNumber" in _fields(few)
    with pytest.raises(CorruptFile):  # the walk gives up before the metadata boxes
        _read(ftyp + rf.box(b"free", b"") * 5000 + rf.cr3()[len(ftyp) :])


def test_crw_heap_loops_and_huge_counts_are_bounded() -> None:
    loop = b"\x00" * 10 + struct.pack("<H", 0xFFFF) + struct.pack("<HII", 0x300A, 16, 0) * 3
    heap = loop + struct.pack("<I", 10)  # entries point at the heap itself
    data = b"II" + struct.pack("<I", 26) + b"HEAPCCDR" + b"\x00" * 12 + heap
    _survives(data, "CRW")
    past = b"II" + struct.pack("<I", 26) + b"HEAPCCDR" + b"\x00" * 12 + struct.pack("<I", 1 << 30)
    with pytest.raises(CorruptFile):
        _read(past)


def test_crw_entries_all_pointing_at_one_big_range_are_not_copied_each_time() -> None:
    junk = b"\xff\xd8" + b"\x00" * (4 << 20)
    same = struct.pack("<HII", 0x2007, len(junk), 0) * 200  # every entry: the whole range
    heap = junk + struct.pack("<H", 200) + same + struct.pack("<I", len(junk))
    data = rf.crw()[:26] + heap
    previews = [f for f in _read(data).findings if f.field == "CIFF:JpgFromRaw"]
    assert len(previews) == 1


def test_x3f_sections_all_pointing_at_one_big_preview_are_capped() -> None:
    big = rf.x3f_image(b"\xff\xd8" + b"\x00" * (4 << 20), (4000, 3000))
    one = rf.x3f([(b"IMA2", big)])
    directory = len(one) - 4 - 24  # "SECd", version, count, one 12-byte entry; pointer
    entry = one[directory + 12 : directory + 24]
    data = one[: directory + 8] + struct.pack("<I", 64) + entry * 64
    data += struct.pack("<I", directory)
    previews = [f for f in _read(data).findings if f.field == "X3F:PreviewImage"]
    assert len(previews) == 1  # the same text eight times is one finding
    assert previews[0].value.endswith("4096 KB")


def test_raf_offsets_and_counts_past_the_end() -> None:
    data = bytearray(rf.raf())
    data[84:92] = struct.pack(">II", 0xFFFFFF00, 0xFFFFFF)  # JPEG outside the file
    data[92:100] = struct.pack(">II", 20, 0xFFFFFFFF)  # directory: absurd length
    result = _read(bytes(data))
    assert any("no embedded JPEG" in w for w in result.warnings)
    huge = rf.raf(directory=struct.pack(">I", 0xFFFFFFFF) + b"\x01\x00\xff\xff")
    assert _read(huge).width is None
    with pytest.raises(CorruptFile):
        _read(rf.raf()[:60])


def test_x3f_directory_and_properties_past_the_end() -> None:
    bad_dir = rf.x3f()[:-4] + struct.pack("<I", 0xFFFFFF00)
    assert any("directory" in w for w in _read(bad_dir).warnings)
    props = bytearray(rf.x3f_properties(rf.X3F_PROPS))
    props[8:12] = struct.pack("<I", 0xFFFFFFFF)  # count
    props[20:24] = struct.pack("<I", 0xFFFFFFFF)  # characters
    result = _read(rf.x3f([(b"PROP", bytes(props))]))
    assert (result.width, result.height) == (2640, 1760)
    many = rf.x3f([(b"IMAG", b"SECi")])
    many = many[:-16] + struct.pack("<I", 0xFFFFFFFF) + many[-12:]  # section count
    _survives(many, "X3F")


# --- the real files -----------------------------------------------------------------------


def _real(name: str) -> Extraction:
    path = conftest.testdata_dir("d_metadata") / name
    if not path.exists():
        pytest.skip(f"{name} is not in the test data")
    return _read(path.read_bytes(), name)


def test_real_cr3_files() -> None:
    r6 = _real("exiv2_Canon-R6-pruned.CR3")
    fields = _fields(r6)
    assert fields["EXIF:Artist"] == "Johannes Kimmel"
    assert fields["EXIF:SerialNumber"] == "093022004357"
    assert fields["MakerNotes:InternalSerialNumber"] == "KQ0121813"
    assert fields["CR3:PreviewImage"].startswith("1620×1080 JPEG preview")
    assert (r6.width, r6.height) == (3408, 2272)
    m50 = _fields(_real("exiftool_CanonRaw.cr3"))
    assert m50["EXIF:SerialNumber"] == "613040000565"
    assert "CR3:ThumbnailImage" in m50  # a placeholder in ExifTool's test file, still shown


def test_real_crw_file() -> None:
    result = _real("exiv2_exiv2-canon-powershot-s40.crw")
    fields = _fields(result)
    assert fields["CIFF:OwnerName"] == "Andreas Huggel"
    assert fields["CIFF:Model"] == "Canon PowerShot S40"
    assert "CIFF:ThumbnailImage" in fields
    assert (result.width, result.height) == (2272, 1704)


def test_real_raf_and_x3f_files() -> None:
    raf = _fields(_real("exiftool_FujiFilm.raf"))
    assert raf["MakerNotes:InternalSerialNumber"].startswith("FPX20582698")
    assert "EXIF:ThumbnailImage" in raf and "RAF:PreviewImage" in raf
    x3f = _real("exiftool_SigmaDP2.x3f")
    assert _fields(x3f)["X3F:SerialNumber"] == "1008382"
    assert FindingKind.THUMBNAIL in {f.kind for f in x3f.findings}
    assert (x3f.width, x3f.height) == (2640, 1760)


def test_real_damaged_raf_headers_stay_unsupported() -> None:
    folder = conftest.testdata_dir("d_metadata")
    for path in sorted(folder.glob("exiv2_issue_*.raf")):
        assert sniff(path.read_bytes()[:HEADER_BYTES], path.name).format is None
