"""Every format stripper on dirty fixtures made in code: what goes, what stays, same pixels."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image, ImageSequence

from photoscan.errors import CorruptFile
from photoscan.model import ImageFormat
from photoscan.strip import Refused, StripOptions, strip_bytes
from tests.core.strip import fixtures

pytestmark = pytest.mark.filterwarnings("ignore:Image appears to be a malformed MPO")
Builder = Callable[[], bytes]
# what a JPEG's EXIF must hold besides the kept values (ExifTool -validate: resolution and
# YCbCrPositioning; in an Exif IFD the versions, components, colour space and pixel size)
JPEG_IFD0_REQUIRED = {0x011A, 0x011B, 0x0128, 0x0213}
JPEG_EXIF_REQUIRED = {0x9000, 0x9101, 0xA000, 0xA001, 0xA002, 0xA003}

CASES: list[tuple[str, Builder, ImageFormat]] = [
    ("jpeg", fixtures.dirty_jpeg, ImageFormat.JPEG),
    ("png", fixtures.dirty_png, ImageFormat.PNG),
    ("webp-lossy", fixtures.dirty_webp, ImageFormat.WEBP),
    ("webp-lossless", lambda: fixtures.dirty_webp(lossless=True), ImageFormat.WEBP),
    ("gif", fixtures.dirty_gif, ImageFormat.GIF),
    ("tiff-lzw", fixtures.dirty_tiff, ImageFormat.TIFF),
    ("tiff-raw", lambda: fixtures.dirty_tiff("raw"), ImageFormat.TIFF),
]
SECRETS = (
    fixtures.ARTIST.encode(),
    fixtures.SERIAL.encode(),
    b"Springfield",
    b"ACME",
    b"Snapper",
    b"2024:05:01",
    b"MOTION-PHOTO",
    b"Jane's",
    b"XMP DataXMP",
    b"private vendor",
)
ORIENTED = {"jpeg", "png", "webp-lossy", "webp-lossless", "tiff-lzw", "tiff-raw"}
WITH_ICC = ORIENTED


def frames(data: bytes) -> list[bytes]:
    with Image.open(io.BytesIO(data)) as img:
        return [frame.convert("RGBA").tobytes() for frame in ImageSequence.Iterator(img)]


@pytest.mark.parametrize(("name", "build", "fmt"), CASES, ids=[c[0] for c in CASES])
def test_full_strip_removes_everything_and_keeps_pixels(
    name: str, build: Builder, fmt: ImageFormat
) -> None:
    dirty = build()
    out = strip_bytes(dirty, fmt, StripOptions())
    for secret in SECRETS:
        assert secret not in out.data, f"{secret!r} survived in {name}"
    assert frames(out.data) == frames(dirty)
    assert out.blocks, "a dirty file must report what was removed"
    again = strip_bytes(out.data, fmt, StripOptions())
    assert again.data == out.data, "stripping a clean file must change nothing"


@pytest.mark.parametrize(("name", "build", "fmt"), CASES, ids=[c[0] for c in CASES])
def test_orientation_and_icc_kept_by_default(name: str, build: Builder, fmt: ImageFormat) -> None:
    out = strip_bytes(build(), fmt, StripOptions()).data
    with Image.open(io.BytesIO(out)) as img:
        if name in ORIENTED:
            assert img.getexif().get(0x0112) == 6
            tags = set(img.getexif())
            if name.startswith("tiff"):
                assert not tags & {0x010F, 0x0110, 0x0132, 0x013B, 0x8769, 0x8825}
            elif name == "jpeg":  # with the IFD0 tags the EXIF spec makes mandatory in a JPEG
                assert tags == {0x0112, *JPEG_IFD0_REQUIRED}
            else:
                assert tags == {0x0112}
        if name in WITH_ICC:
            assert img.info.get("icc_profile") == fixtures.srgb_icc()


@pytest.mark.parametrize(("name", "build", "fmt"), CASES, ids=[c[0] for c in CASES])
def test_keep_nothing_drops_orientation_and_icc(
    name: str, build: Builder, fmt: ImageFormat
) -> None:
    options = StripOptions(keep_orientation=False, keep_icc=False)
    out = strip_bytes(build(), fmt, options).data
    with Image.open(io.BytesIO(out)) as img:
        assert 0x0112 not in img.getexif()
        assert not img.info.get("icc_profile")


@pytest.mark.parametrize("name", ["jpeg", "png", "webp-lossy"])
def test_keep_datetime_keeps_only_dates_and_orientation(name: str) -> None:
    _, build, fmt = next(c for c in CASES if c[0] == name)
    out = strip_bytes(build(), fmt, StripOptions(keep_datetime=True)).data
    with Image.open(io.BytesIO(out)) as img:
        ex = img.getexif()
        assert ex.get(0x0132) == "2024:05:01 10:00:00"
        required = JPEG_IFD0_REQUIRED if name == "jpeg" else set()
        sub = ex.get_ifd(0x8769)
        assert sub.pop(0x9003) == "2024:05:01 10:00:00"
        assert set(sub) == (JPEG_EXIF_REQUIRED if name == "jpeg" else set())
        assert set(ex) == {0x0112, 0x0132, 0x8769, *required}
    assert fixtures.ARTIST.encode() not in out


@pytest.mark.parametrize("name", ["jpeg", "png", "webp-lossy", "tiff-lzw"])
def test_only_location_removes_gps_and_places_and_keeps_the_rest(name: str) -> None:
    _, build, fmt = next(c for c in CASES if c[0] == name)
    dirty = build()
    out = strip_bytes(dirty, fmt, StripOptions(only_location=True)).data
    with Image.open(io.BytesIO(out)) as img:
        ex = img.getexif()
        assert ex.get_ifd(0x8825) == {}
        assert ex.get(0x013B) == fixtures.ARTIST  # not location: stays
        assert ex.get(0x0112) == 6
    assert b"Springfield" not in out
    assert b"GPSLatitude" not in out
    assert frames(out) == frames(dirty)
    if name != "tiff-lzw":
        assert b"Jane Doe</rdf:li>" in out  # XMP creator kept
    if name == "jpeg":
        assert b"MOTION-PHOTO" not in out  # trailers may hold their own GPS
        assert b"\x1c\x02\x50\x00\x08Jane Doe" in out  # IPTC By-line kept, City gone


def test_jpeg_jfif_thumbnail_is_cut() -> None:
    data = fixtures.dirty_jpeg()
    thumb = b"JFIF\0\x01\x01\0\0\x01\0\x01\x02\x02" + b"\x11" * 12
    jfif = b"\xff\xe0" + (len(thumb) + 2).to_bytes(2, "big") + thumb
    out = strip_bytes(data[:2] + jfif + data[2:], ImageFormat.JPEG, StripOptions())
    assert b"\x11" * 12 not in out.data
    assert "JFIF thumbnail" in out.blocks


@pytest.mark.parametrize(
    "data",
    [b"\xff\xd8\xff\xe1\x00\x40Exif", b"\xff\xd8\xff\xdb\x00\x04\x00\x00"],
    ids=["truncated-segment", "no-eoi"],
)
def test_damaged_jpeg_is_an_error_not_a_crash(data: bytes) -> None:
    with pytest.raises(CorruptFile):
        strip_bytes(data, ImageFormat.JPEG, StripOptions())


@pytest.mark.parametrize("fmt", [ImageFormat.RAW, ImageFormat.DNG])
def test_raw_and_dng_are_refused(fmt: ImageFormat) -> None:
    with pytest.raises(Refused):
        strip_bytes(b"II*\0\x08\0\0\0", fmt, StripOptions())


def test_png_unknown_critical_chunk_is_refused() -> None:
    data = fixtures.dirty_png()
    pos = data.index(b"IDAT") - 4
    bad = b"\0\0\0\0ZZZZ\0\0\0\0"
    with pytest.raises(Refused):
        strip_bytes(data[:pos] + bad + data[pos:], ImageFormat.PNG, StripOptions())


def test_webp_vp8x_flags_match_the_chunks_left() -> None:
    out = strip_bytes(fixtures.dirty_webp(), ImageFormat.WEBP, StripOptions(keep_icc=False))
    data = out.data
    assert data[12:16] == b"VP8X"
    flags = data[20]
    assert flags & 0x20 == 0 and flags & 0x04 == 0  # no ICC, no XMP
    assert flags & 0x08  # EXIF with Orientation
    assert int.from_bytes(data[4:8], "little") == len(data) - 8


def test_jpeg_exif_carries_the_originals_mandatory_values() -> None:
    """Valid resolution, positioning and colour space come from the original; an invalid
    one takes ExifTool's default; the pixel size is the frame's."""
    ex = fixtures.exif()
    ex[0x011A] = ex[0x011B] = 300.0
    ex[0x0128] = 3
    ex[0x0213] = 7  # invalid: the default (1, centred) replaces it
    ex.get_ifd(0x8769)[0xA001] = 1
    buf = io.BytesIO()
    fixtures.picture().save(buf, "JPEG", exif=ex.tobytes())
    out = strip_bytes(buf.getvalue(), ImageFormat.JPEG, StripOptions(keep_datetime=True)).data
    with Image.open(io.BytesIO(out)) as img:
        kept = img.getexif()
        assert (kept[0x011A], kept[0x011B], kept[0x0128], kept[0x0213]) == (300, 300, 3, 1)
        sub = kept.get_ifd(0x8769)
        assert (sub[0x9000], sub[0xA001]) == (b"0232", 1)
        assert (sub[0xA002], sub[0xA003]) == img.size


def test_jpeg_without_orientation_gets_no_exif() -> None:
    """Nothing to keep: no EXIF block at all (not one with only the mandatory tags)."""
    out = strip_bytes(fixtures.dirty_jpeg(orientation=None), ImageFormat.JPEG, StripOptions())
    assert b"Exif\0\0" not in out.data
