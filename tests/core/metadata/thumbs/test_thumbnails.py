"""Embedded thumbnails: found, described, and flagged when they no longer match the photo."""

from __future__ import annotations

import struct

from PIL import Image

from photoscan.metadata.base import Collector, Source
from photoscan.metadata.exif import exif
from photoscan.metadata.thumbs import thumbcompare, thumbnails
from photoscan.model import Extraction, FindingKind, ImageFormat, Severity
from photoscan.source.sniff import HEADER_BYTES, sniff
from tests import conftest
from tests.core.metadata.exif.exif_fixtures import (
    Tag,
    ascii_tag,
    ifd_bytes,
    jpeg_bytes,
    scene,
    short_tag,
    with_app_segments,
    with_thumbnail,
)


def scan(data: bytes, thorough: bool = False) -> Extraction:
    fmt = sniff(data[:HEADER_BYTES], "x").format or ImageFormat.JPEG
    source = Source("x.jpg", data, fmt)
    col = Collector(fmt)
    exif.read_exif(source, col)
    thumbnails.read_thumbnails(source, col, thorough=thorough)
    return col.build()


def photo_with_thumbnail(
    main: Image.Image, thumb: Image.Image, ifd0: list[Tag] | None = None
) -> bytes:
    tiff = with_thumbnail(ifd0 or [ascii_tag(0x010F, "Cam")], jpeg_bytes(thumb))
    return with_app_segments(jpeg_bytes(main), (0xE1, b"Exif\x00\x00" + tiff))


def mismatches(result: Extraction) -> list[str]:
    return [f.field for f in result.findings if f.field.endswith("(mismatch)")]


def thumb_of(im: Image.Image, box: tuple[int, int] = (160, 120)) -> Image.Image:
    return im.resize(box, Image.Resampling.LANCZOS)


def test_matching_thumbnail_is_reported_not_flagged() -> None:
    original = scene((800, 600))
    orientation = [ascii_tag(0x010F, "Cam"), short_tag(0x0112, 6)]  # applies to both alike
    result = scan(photo_with_thumbnail(original, thumb_of(original), orientation))
    found = [f for f in result.findings if f.kind is FindingKind.THUMBNAIL]
    assert [f.field for f in found] == ["EXIF:ThumbnailImage"]
    assert found[0].value.startswith("160×120 JPEG thumbnail, ") and found[0].value.endswith("KB")
    assert found[0].severity is Severity.MEDIUM


def test_letterboxed_thumbnail_of_a_3_2_photo_matches() -> None:
    original = scene((900, 600), seed=4)
    thumb = Image.new("RGB", (160, 120))
    thumb.paste(original.resize((160, 107)), (0, 6))
    assert mismatches(scan(photo_with_thumbnail(original, thumb))) == []


def test_bars_on_one_side_and_a_dark_night_sky() -> None:
    original = scene((900, 600), seed=7)
    kodak = Image.new("RGB", (160, 120))
    kodak.paste(original.resize((160, 107)), (0, 13))  # all the padding above the picture
    assert mismatches(scan(photo_with_thumbnail(original, kodak), thorough=True)) == []
    night = scene((800, 600), seed=8)
    night.paste((0, 0, 0), (0, 0, 800, 260))  # a black sky is picture, not a bar
    assert mismatches(scan(photo_with_thumbnail(night, thumb_of(night)), thorough=True)) == []


def test_thumbnail_of_the_middle_or_squeezed_is_not_a_leak() -> None:
    original = scene((900, 600), seed=9)
    middle = original.crop((50, 0, 850, 600))  # a 4:3 thumbnail of a 3:2 photo's middle
    assert mismatches(scan(photo_with_thumbnail(original, thumb_of(middle)))) == []
    squeezed = thumb_of(original)  # the whole 3:2 photo squeezed into 160×120
    assert mismatches(scan(photo_with_thumbnail(original, squeezed))) == []


def test_crop_after_the_fact_is_flagged_high() -> None:
    original = scene((800, 600), seed=2)
    cropped = original.crop((250, 0, 800, 600))  # the thumbnail still shows the whole scene
    result = scan(photo_with_thumbnail(cropped, thumb_of(original)))
    flagged = [f for f in result.findings if f.field.endswith("(mismatch)")]
    assert len(flagged) == 1
    assert flagged[0].severity is Severity.HIGH and flagged[0].kind is FindingKind.THUMBNAIL
    assert "cropped" in flagged[0].value


def test_crop_that_keeps_the_aspect_ratio_is_flagged_by_content() -> None:
    original = scene((800, 600), seed=3)
    zoomed = original.crop((200, 150, 600, 450)).resize((800, 600))
    data = photo_with_thumbnail(zoomed, thumb_of(original))
    assert mismatches(scan(data)) == []  # same shape: pixels are compared when thorough
    assert mismatches(scan(data, thorough=True)) == ["EXIF:ThumbnailImage (mismatch)"]


def _mpf_segment(first_size: int, second_offset: int, second_size: int) -> bytes:
    entries = struct.pack("<IIIHH", 0x030000, first_size, 0, 0, 0)
    entries += struct.pack("<IIIHH", 0x010001, second_size, second_offset, 0, 0)
    index = ifd_bytes([Tag(0xB001, 4, 1, struct.pack("<I", 2)), Tag(0xB002, 7, 32, entries)], 8)
    return b"MPF\x00" + b"II*\x00\x08\x00\x00\x00" + index


def test_mpf_preview_after_the_main_image() -> None:
    main = jpeg_bytes(scene((320, 240)))
    preview = jpeg_bytes(scene((160, 120)))
    segment_len = len(_mpf_segment(0, 0, 0)) + 4
    # the MPF header sits 8 bytes into the APP2 segment, which follows SOI
    mpf_base = 2 + 4 + 4
    total = len(main) + segment_len
    data = with_app_segments(main, (0xE2, _mpf_segment(total, total - mpf_base, len(preview))))
    data += preview
    result = scan(data)
    values = {f.field: f.value for f in result.findings}
    assert values["MPF:MPImage2"].startswith("160×120 JPEG preview")


def test_broken_thumbnail_pointers_do_not_raise() -> None:
    original = scene((320, 240))
    good = photo_with_thumbnail(original, thumb_of(original))
    start = good.index(b"Exif\x00\x00") + 6
    for cut in range(start, len(good), 97):
        scan(good[:cut])
    garbage = bytearray(good)
    thumb_at = garbage.index(b"\xff\xd8", start)
    garbage[thumb_at : thumb_at + 64] = b"\x00" * 64  # thumbnail bytes are not a JPEG any more
    result = scan(bytes(garbage))
    assert mismatches(result) == []


def test_real_thumbnails_mostly_match_and_edits_are_found() -> None:
    group = conftest.testdata_dir("b_group_photos")
    checked = 0
    for path in sorted(group.iterdir()):
        data = path.read_bytes()
        if sniff(data[:HEADER_BYTES], path.name).format is not ImageFormat.JPEG:
            continue
        result = scan(data, thorough=True)
        if any(f.kind is FindingKind.THUMBNAIL for f in result.findings):
            checked += 1
            assert mismatches(result) == [], path.name
    assert checked >= 8
    # d_metadata: every flagged file is a real edit or a test file whose pixels were replaced
    # by a small placeholder (exiv2's samples keep the camera's thumbnail of the real photo)
    meta = conftest.testdata_dir("d_metadata")
    flagged = set()
    for path in sorted(meta.iterdir()):
        data = path.read_bytes()
        fmt = sniff(data[:HEADER_BYTES], path.name).format
        if fmt is None or not mismatches(scan(data, thorough=True)):
            continue
        size = thumbcompare.main_size(data, fmt)
        if size is None or max(size) >= 200:
            flagged.add(path.name)
    # a Casio photo cropped to the same aspect ratio, without a trace in its metadata; the
    # iPhone photo cropped square in Photoshop (IMG_E4120) got a new square thumbnail: no flag
    assert flagged == {"ianare_jpg_tests_35-empty.jpg"}
