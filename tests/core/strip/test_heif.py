"""HEIF items removed without re-encoding: metadata and thumbnail items go, pixels stay."""

from __future__ import annotations

import io

import pillow_heif
import pytest
from PIL import Image

from photoscan.model import ImageFormat
from photoscan.strip import StripOptions, strip_bytes
from tests.core.strip import fixtures


def _pixels(data: bytes) -> bytes:
    pillow_heif.register_heif_opener()
    with Image.open(io.BytesIO(data)) as img:
        return img.tobytes()


def test_full_strip_removes_items_and_keeps_pixels(heic: bytes) -> None:
    out = strip_bytes(heic, ImageFormat.HEIF, StripOptions())
    for secret in (fixtures.ARTIST.encode(), fixtures.SERIAL.encode(), b"Springfield", b"ACME"):
        assert secret in heic
        assert secret not in out.data
    assert len(out.data) == len(heic)  # nothing moved: a free box took the items' place
    assert _pixels(out.data) == _pixels(heic)
    assert pillow_heif.open_heif(io.BytesIO(heic)).info["thumbnails"]
    info = pillow_heif.open_heif(io.BytesIO(out.data)).info
    assert not info.get("thumbnails") and not info.get("xmp")
    # The Exif item stays, rewritten in place to hold only the Orientation viewers turn by.
    exif = Image.Exif()
    exif.load(info["exif"].rstrip(b"\0") + bytes(4))
    assert dict(exif) == {0x0112: 6}
    assert info.get("icc_profile") == fixtures.srgb_icc()
    assert {"HEIF Exif item", "HEIF XMP item", "HEIF thumbnail"} <= set(out.blocks)
    assert strip_bytes(out.data, ImageFormat.HEIF, StripOptions()).data == out.data


def test_only_location_cuts_gps_in_place(heic: bytes) -> None:
    out = strip_bytes(heic, ImageFormat.HEIF, StripOptions(only_location=True)).data
    assert len(out) == len(heic)
    assert b"Springfield" not in out and b"GPSLatitude" not in out
    pillow_heif.register_heif_opener()
    with Image.open(io.BytesIO(out)) as img:
        exif = img.getexif()
        assert exif.get(0x013B) == fixtures.ARTIST
        assert exif.get_ifd(0x8825) == {}
    assert _pixels(out) == _pixels(heic)


def test_unhandled_structure_falls_back_to_a_labelled_reencode(
    heic: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from photoscan import strip
    from photoscan.strip import Refused

    def refuse(data: bytes, options: StripOptions) -> object:
        raise Refused("fragmented HEIF metadata item")

    monkeypatch.setitem(strip.STRIPPERS, ImageFormat.HEIF, refuse)
    out = strip_bytes(heic, ImageFormat.HEIF, StripOptions())
    assert out.reencoded == "HEIF quality 95"
    for secret in (fixtures.ARTIST.encode(), b"Springfield", b"ACME"):
        assert secret not in out.data
    info = pillow_heif.open_heif(io.BytesIO(out.data)).info
    assert not info.get("exif") and not info.get("xmp") and not info.get("thumbnails")
    assert info.get("icc_profile") == fixtures.srgb_icc()
    with Image.open(io.BytesIO(out.data)) as img, Image.open(io.BytesIO(heic)) as orig:
        assert img.size == orig.size


def test_an_image_item_without_data_is_refused_as_damaged(heic: bytes) -> None:
    """libheif: "Item has no data". The primary item's iloc entry is renamed to an id no
    item has, so the image has no place in the file: a copy would be just as broken."""
    from photoscan.errors import CorruptFile
    from photoscan.strip.heifbox import boxes, parse_iloc

    top = boxes(heic, 0, len(heic))
    meta = next(b for b in top if b.type == b"meta")
    children = {c.type: c for c in boxes(heic, meta.body + 4, meta.end)}
    primary = int.from_bytes(heic[children[b"pitm"].body + 4 : children[b"pitm"].end], "big")
    version = heic[children[b"iloc"].body]
    id_size = 2 if version < 2 else 4
    (item,) = [i for i in parse_iloc(heic, children[b"iloc"])[1] if i.item_id == primary]
    at = heic.index(item.raw, children[b"iloc"].start)
    broken = heic[:at] + b"\xfe" * id_size + heic[at + id_size :]
    with pytest.raises(CorruptFile, match=f"item {primary} has no data"):
        strip_bytes(broken, ImageFormat.HEIF, StripOptions())
