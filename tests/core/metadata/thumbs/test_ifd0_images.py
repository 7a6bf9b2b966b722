"""Images that IFD0 of a TIFF-based file holds itself: Photoshop's thumbnail resource, RW2's
JpgFromRaw, and IFD0 as the reduced-resolution copy of a DNG/NEF whose raw data is a SubIFD."""

from __future__ import annotations

import io

from PIL import Image

from photoscan.metadata import extract
from photoscan.metadata.base import Source
from photoscan.model import Extraction, FindingKind, ImageFormat
from photoscan.source.sniff import sniff
from photoscan.strip import strip_bytes
from photoscan.strip.types import StripOptions
from tests.core.metadata.box_fixtures import thumbnail_resource
from tests.core.metadata.exif.exif_fixtures import (
    Tag,
    ascii_tag,
    build_tiff,
    jpeg_bytes,
    long_tag,
    scene,
    short_tag,
    undefined_tag,
)

PIXELS = bytes(range(48)) * 4  # 8×8 RGB


def read(data: bytes, name: str = "x.tif") -> Extraction:
    found = sniff(data[:4096], name)
    assert found.format is not None
    return extract(Source(name, data, found.format, found.label))


def thumbnails(result: Extraction) -> dict[str, str]:
    return {f.field: f.value for f in result.findings if f.kind is FindingKind.THUMBNAIL}


def strip_image(subfile: int, extra: list[Tag]) -> list[Tag]:
    """IFD0 of an 8×8 RGB image whose one strip is ``PIXELS`` (placed after the IFDs)."""
    return [
        long_tag(0x00FE, subfile),
        short_tag(0x0100, 8),
        short_tag(0x0101, 8),
        short_tag(0x0102, 8, 8, 8),
        short_tag(0x0103, 1),
        short_tag(0x0106, 2),
        short_tag(0x0115, 3),
        short_tag(0x0116, 8),
        long_tag(0x0117, len(PIXELS)),
        *extra,
    ]


def with_strip(ifd0: list[Tag]) -> bytes:
    """A TIFF of ``ifd0`` plus StripOffsets pointing at ``PIXELS`` appended after it."""
    probe = build_tiff([*ifd0, long_tag(0x0111, 0)])
    return build_tiff([*ifd0, long_tag(0x0111, len(probe))]) + PIXELS


def test_photoshop_thumbnail_resource_of_a_tiff_is_found_and_stripped() -> None:
    irb = thumbnail_resource((24, 16))
    data = with_strip(strip_image(0, [undefined_tag(34377, irb), ascii_tag(0x0131, "Photoshop")]))
    found = thumbnails(read(data))
    assert found["Photoshop:ThumbnailImage"].startswith("24×16 JPEG thumbnail")
    out = strip_bytes(data, ImageFormat.TIFF, StripOptions()).data
    assert thumbnails(read(out)) == {}


def test_rw2_jpg_from_raw_is_a_preview() -> None:
    preview = jpeg_bytes(scene((120, 80)))
    tiff = build_tiff([ascii_tag(0x010F, "Panasonic"), undefined_tag(0x002E, preview)])
    rw2 = b"IIU\x00" + tiff[4:]
    found = thumbnails(read(rw2, "P1000001.RW2"))
    assert found["PanasonicRaw:JpgFromRaw"].startswith("120×80 JPEG preview")


def test_reduced_resolution_ifd0_beside_the_raw_data_is_a_thumbnail() -> None:
    # DNGVersion, and a SubIFDs tag (where the raw data would be: its content does not matter)
    dng = [long_tag(0x014A, 0), Tag(0xC612, 1, 4, b"\x01\x04\x00\x00")]
    data = with_strip(strip_image(1, dng))
    found = thumbnails(read(data, "x.dng"))
    assert found["EXIF:ThumbnailTIFF"].startswith("8×8 thumbnail")


def test_a_tiff_whose_only_image_says_reduced_resolution_has_no_thumbnail() -> None:
    data = with_strip(strip_image(1, []))
    assert "EXIF:ThumbnailTIFF" not in thumbnails(read(data))
    assert Image.open(io.BytesIO(data)).size == (8, 8)
