"""ICC display profiles (Apple's mmod/ndin/vcgt): found as device ids, stripped to the same
colours without them, in every format that keeps a profile. Profiles are built in code."""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image, ImageCms

from photoscan.containers import icc
from photoscan.errors import CorruptFile
from photoscan.metadata import extract
from photoscan.metadata.base import Source
from photoscan.model import FindingKind, ImageFormat
from photoscan.strip import StripOptions, strip_bytes
from tests.core.strip import fixtures

MAKER, MODEL, SERIAL = 0x0610, 0x9C5F, 123456789


def _with_tags(profile: bytes, extra: dict[bytes, bytes], profile_id: bool = False) -> bytes:
    """``profile`` rebuilt with ``extra`` tags after its own (every data element its own)."""
    tags = [(t.signature, profile[t.offset : t.offset + t.size]) for t in icc.tags(profile)]
    tags += extra.items()
    offset = icc.HEADER_SIZE + 4 + 12 * len(tags)
    entries, body = b"", b""
    for signature, data in tags:
        entries += struct.pack(">4sII", signature, offset + len(body), len(data))
        body += data + bytes(-len(data) % 4)
    out = bytearray(profile[: icc.HEADER_SIZE]) + struct.pack(">I", len(tags)) + entries + body
    out[0:4] = struct.pack(">I", len(out))
    out[84:100] = bytes(16)
    if profile_id:
        out[84:100] = icc.profile_id(bytes(out))
    return bytes(out)


def apple_profile(big: bool = False, profile_id: bool = True) -> bytes:
    extra = {
        b"mmod": b"mmod" + bytes(4) + struct.pack(">III", MAKER, MODEL, SERIAL) + bytes(20),
        b"ndin": b"ndin" + bytes(4) + bytes(range(200)) * 2,
        b"vcgt": b"vcgt" + bytes(4) + struct.pack(">I", 1) + bytes(range(256)) * 6,
    }
    if big:  # a colour tag's worth of bytes that takes the profile over one APP2 segment
        extra[b"zzzz"] = b"zzzz" + bytes(4) + bytes(range(256)) * 400
    return _with_tags(fixtures.srgb_icc(), extra, profile_id)


def _save(fmt: str, profile: bytes) -> bytes:
    out = io.BytesIO()
    fixtures.picture().save(out, fmt, icc_profile=profile)
    return out.getvalue()


def _profile_of(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        return bytes(image.info.get("icc_profile") or b"")


def _convert(profile: bytes) -> bytes:
    """The test picture converted from ``profile`` to sRGB by LittleCMS."""
    source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
    target = ImageCms.createProfile("sRGB")
    return ImageCms.profileToProfile(fixtures.picture(), source, target).tobytes()


def test_tag_table_is_read_and_device_tags_named() -> None:
    profile = apple_profile()
    names = [name for name, _ in icc.device_tags(profile)]
    assert names == ["MakeAndModel", "NativeDisplayInfo", "VideoCardGamma"]


def test_without_device_tags_keeps_every_other_tag_byte_for_byte() -> None:
    profile = apple_profile()
    clean = icc.without_device_tags(profile)
    assert clean is not None
    assert icc.device_tags(clean) == []
    before = {t.signature: profile[t.offset : t.offset + t.size] for t in icc.tags(profile)}
    after = {t.signature: clean[t.offset : t.offset + t.size] for t in icc.tags(clean)}
    assert after == {s: d for s, d in before.items() if s not in icc.DEVICE_TAGS}
    assert struct.unpack(">I", clean[:4])[0] == len(clean)
    assert clean[84:100] == icc.profile_id(clean) != profile[84:100]
    assert _convert(clean) == _convert(profile)
    assert icc.without_device_tags(fixtures.srgb_icc()) is None


def test_a_profile_without_id_gets_none() -> None:
    clean = icc.without_device_tags(apple_profile(profile_id=False))
    assert clean is not None and clean[84:100] == bytes(16)


@pytest.mark.parametrize(
    "profile",
    [
        b"",
        bytes(200),
        fixtures.srgb_icc()[:132] + b"\xff" * 8,  # tag count far past the bytes
        fixtures.srgb_icc()[:-20],  # the last tag's data cut
    ],
)
def test_hostile_profiles_raise_corrupt_file(profile: bytes) -> None:
    with pytest.raises(CorruptFile):
        icc.without_device_tags(profile)


FORMATS = [
    ("JPEG", ImageFormat.JPEG),
    ("PNG", ImageFormat.PNG),
    ("WEBP", ImageFormat.WEBP),
    ("TIFF", ImageFormat.TIFF),
]


@pytest.mark.parametrize(("pil", "fmt"), FORMATS)
def test_scan_reports_the_display_as_a_device(pil: str, fmt: ImageFormat) -> None:
    result = extract(Source("x", _save(pil, apple_profile()), fmt))
    device = {f.field: f.value for f in result.findings if f.kind is FindingKind.DEVICE}
    assert device["ICC_Profile:MakeAndModel"] == (
        f"display maker {MAKER:04X}, model {MODEL:04X}, serial number {SERIAL}"
    )
    assert "ICC_Profile:VideoCardGamma" in device
    assert "ICC_Profile:NativeDisplayInfo" in device


@pytest.mark.parametrize(("pil", "fmt"), FORMATS)
@pytest.mark.parametrize("big", [False, True])
def test_strip_keeps_the_colours_and_drops_the_display(
    pil: str, fmt: ImageFormat, big: bool
) -> None:
    profile = apple_profile(big)
    data = _save(pil, profile)
    done = strip_bytes(data, fmt, StripOptions())
    assert "ICC display device tags" in done.blocks
    kept = _profile_of(done.data)
    assert kept == icc.without_device_tags(profile)
    assert _convert(kept) == _convert(profile)
    with Image.open(io.BytesIO(done.data)) as image, Image.open(io.BytesIO(data)) as original:
        assert image.convert("RGB").tobytes() == original.convert("RGB").tobytes()
    again = extract(Source("x", done.data, fmt))
    assert not [f for f in again.findings if f.field.startswith("ICC_Profile:")]


@pytest.mark.parametrize(("pil", "fmt"), FORMATS)
def test_a_plain_profile_is_copied_as_it_was(pil: str, fmt: ImageFormat) -> None:
    data = _save(pil, fixtures.srgb_icc())
    done = strip_bytes(data, fmt, StripOptions())
    assert _profile_of(done.data) == fixtures.srgb_icc()
    assert not [b for b in done.blocks if b.startswith("ICC")]


def test_jpeg_profile_missing_a_chunk_is_dropped() -> None:
    data = _save("JPEG", apple_profile(big=True))
    start = data.index(b"ICC_PROFILE\0\x02") - 4  # the second of two chunks
    (length,) = struct.unpack_from(">H", data, start + 2)
    cut = data[:start] + data[start + 2 + length :]
    done = strip_bytes(cut, ImageFormat.JPEG, StripOptions())
    assert b"ICC_PROFILE" not in done.data
    assert "ICC profile (damaged)" in done.blocks


def _heif(profile: bytes, thumbnail: bool = False) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    image = fixtures.picture()
    if thumbnail:
        image.info["thumbnails"] = [32]
    out = io.BytesIO()
    image.save(out, "HEIF", quality=90, icc_profile=profile)
    return out.getvalue()


def _colr_profiles(data: bytes) -> list[bytes]:
    from photoscan.metadata.heif import colr_profiles

    return list(colr_profiles(data))


@pytest.mark.parametrize("thumbnail", [False, True])
def test_heif_colr_display_profile_is_found_and_cleaned(thumbnail: bool) -> None:
    profile = apple_profile()
    data = _heif(profile, thumbnail)
    assert _colr_profiles(data) == [profile]  # a prof colr property in ipco
    found = extract(Source("x", data, ImageFormat.HEIF))
    device = {f.field: f.value for f in found.findings if f.kind is FindingKind.DEVICE}
    assert device["ICC_Profile:MakeAndModel"].endswith(f"serial number {SERIAL}")
    done = strip_bytes(data, ImageFormat.HEIF, StripOptions())
    assert not done.reencoded  # lossless: items and properties edited, nothing re-encoded
    assert "ICC display device tags" in done.blocks
    assert len(done.data) == len(data)  # a free box takes the room the tags had
    assert _colr_profiles(done.data) == [icc.without_device_tags(profile)]
    kept = _profile_of(done.data)
    assert _convert(kept) == _convert(profile)
    with Image.open(io.BytesIO(done.data)) as image, Image.open(io.BytesIO(data)) as original:
        assert image.convert("RGB").tobytes() == original.convert("RGB").tobytes()
    again = extract(Source("x", done.data, ImageFormat.HEIF))
    assert not [f for f in again.findings if f.field.startswith("ICC_Profile:")]


def test_heif_plain_profile_is_untouched_and_a_damaged_one_dropped() -> None:
    plain = _heif(fixtures.srgb_icc())
    assert strip_bytes(plain, ImageFormat.HEIF, StripOptions()).data == plain
    data = _heif(fixtures.srgb_icc()[:-20])  # the last tag's data cut off
    done = strip_bytes(data, ImageFormat.HEIF, StripOptions())
    assert "ICC profile (damaged)" in done.blocks
    assert _colr_profiles(done.data) == []
    with Image.open(io.BytesIO(done.data)) as image, Image.open(io.BytesIO(data)) as original:
        assert image.convert("RGB").tobytes() == original.convert("RGB").tobytes()


def test_heif_reencoded_as_a_last_resort_keeps_the_colours_without_the_display() -> None:
    from photoscan.strip.reencode import reencode_heif

    profile = apple_profile()
    done = reencode_heif(_heif(profile), ImageFormat.HEIF, "test")
    assert "ICC display device tags" in done.blocks
    assert _profile_of(done.data) == icc.without_device_tags(profile)
