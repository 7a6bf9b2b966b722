"""Metadata that no reader sees never survives a strip (issue 10): rebuilt, or refused.

Each case hides an identifying block where a reader does not look — swallowed by a kept
segment whose length was raised, behind a marker no decoder knows, inside the scan data —
and the strip either writes nothing of it or refuses the file with a reason.
"""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image

from photoscan.errors import CorruptFile
from photoscan.model import ImageFormat
from photoscan.strip import Refused, StripOptions, strip_bytes
from tests.core.strip import fixtures

MODES = [StripOptions(), StripOptions(only_location=True)]
MODE_IDS = ["all", "only-location"]
SECRETS = (fixtures.ARTIST.encode(), fixtures.SERIAL.encode(), b"ACME", b"Exif\0\0")


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def _clean_jpeg() -> bytes:
    buf = io.BytesIO()
    fixtures.picture().save(buf, "JPEG", quality=90)
    data = buf.getvalue()
    assert data[2:4] == b"\xff\xe0" and data[6:11] == b"JFIF\0"
    return data


def _exif_app1() -> bytes:
    return _segment(0xE1, fixtures.exif().tobytes())


def _pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as img:
        return img.tobytes()


def _after_jfif(data: bytes) -> int:
    return 4 + int.from_bytes(data[4:6], "big")


@pytest.mark.parametrize("options", MODES, ids=MODE_IDS)
def test_a_jfif_app0_that_swallowed_the_exif_is_rebuilt_without_it(
    options: StripOptions,
) -> None:
    data = _clean_jpeg()
    app1 = _exif_app1()
    end = _after_jfif(data)
    grown = struct.pack(">H", end - 4 + len(app1))
    dirty = data[:4] + grown + data[6:end] + app1 + data[end:]
    out = strip_bytes(dirty, ImageFormat.JPEG, options)
    for secret in SECRETS:
        assert secret in dirty and secret not in out.data
    assert out.data[2:6] == b"\xff\xe0\x00\x10"  # the 16-byte header, from its fields
    assert out.data[6:18] == data[6:18]
    assert "JFIF extra bytes" in out.blocks
    assert _pixels(out.data) == _pixels(data)


@pytest.mark.parametrize("options", MODES, ids=MODE_IDS)
def test_an_adobe_app14_keeps_only_its_fields(options: StripOptions) -> None:
    data = _clean_jpeg()
    fields = b"Adobe\0\x64\0\0\0\0\x01"  # version 100, transform 1 (YCbCr)
    end = _after_jfif(data)
    dirty = data[:end] + _segment(0xEE, fields + _exif_app1()) + data[end:]
    out = strip_bytes(dirty, ImageFormat.JPEG, options)
    for secret in SECRETS:
        assert secret not in out.data
    assert _segment(0xEE, fields) in out.data
    assert _pixels(out.data) == _pixels(data)


@pytest.mark.parametrize("options", MODES, ids=MODE_IDS)
def test_a_segment_behind_a_reserved_marker_is_refused(options: StripOptions) -> None:
    """An APP1 whose marker byte became 0xB4: no decoder parses it, so nothing can say
    what it holds; it was copied as it was, EXIF and GPS inside."""
    data = _clean_jpeg()
    end = _after_jfif(data)
    dirty = data[:end] + b"\xff\xb4" + _exif_app1()[2:] + data[end:]
    with pytest.raises(CorruptFile, match="unknown JPEG marker 0xFFB4"):
        strip_bytes(dirty, ImageFormat.JPEG, options)


@pytest.mark.parametrize("options", MODES, ids=MODE_IDS)
def test_a_coding_segment_longer_than_its_tables_is_refused(options: StripOptions) -> None:
    data = _clean_jpeg()
    dqt = data.index(b"\xff\xdb")
    end = dqt + 2 + int.from_bytes(data[dqt + 2 : dqt + 4], "big")
    app1 = _exif_app1()
    grown = struct.pack(">H", end - dqt - 2 + len(app1))
    dirty = data[: dqt + 2] + grown + data[dqt + 4 : end] + app1 + data[end:]
    with pytest.raises(CorruptFile, match="DQT segment length does not match"):
        strip_bytes(dirty, ImageFormat.JPEG, options)


@pytest.mark.parametrize("options", MODES, ids=MODE_IDS)
@pytest.mark.parametrize(
    ("hidden", "kind"),
    [
        (fixtures.XMP, "XMP"),
        (b"Exif\0\0MM\0*\0\0\0\x08\0\0", "EXIF"),
        (b'exif:GPSLatitude="47,36.5N"', "XMP"),  # a fragment of a packet, no header
    ],
    ids=["xmp-packet", "exif-header", "xmp-fragment"],
)
def test_metadata_inside_the_scan_data_is_refused(
    options: StripOptions, hidden: bytes, kind: str
) -> None:
    """Spliced into the entropy-coded data, which the strip copies without decoding: no
    reader sees it there, a carving tool does, and only a re-encode could remove it."""
    data = _clean_jpeg()
    assert data.endswith(b"\xff\xd9") and b"\xff" not in hidden
    dirty = data[:-2] + hidden + data[-2:]
    assert _pixels(dirty) == _pixels(data)  # a decoder never notices
    with pytest.raises(Refused, match=f"{kind} metadata inside the image data"):
        strip_bytes(dirty, ImageFormat.JPEG, options)


# --- HEIF -----------------------------------------------------------------------------------


def _exif_item(data: bytes) -> tuple[int, int]:
    """(offset, length) of the Exif item's data."""
    from photoscan.strip.heifbox import boxes, infe_kind, parse_iloc

    meta = next(b for b in boxes(data, 0, len(data)) if b.type == b"meta")
    children = {c.type: c for c in boxes(data, meta.body + 4, meta.end)}
    iinf = children[b"iinf"]
    infes = boxes(data, iinf.body + 4 + (2 if data[iinf.body] == 0 else 4), iinf.end)
    (exif_id,) = [k[0] for b in infes if (k := infe_kind(data, b)) and k[1] == "Exif"]
    (item,) = [i for i in parse_iloc(data, children[b"iloc"])[1] if i.item_id == exif_id]
    ((offset, length),) = item.extents
    return offset, length


@pytest.mark.parametrize("options", MODES, ids=MODE_IDS)
def test_a_second_exif_copy_outside_the_items_is_refused_as_damaged(
    heic: bytes, options: StripOptions
) -> None:
    """A copy of the Exif item's bytes in a box that no item points at (a duplicated box):
    the items are no longer all there is, so nothing is copied (nor re-encoded)."""
    offset, length = _exif_item(heic)
    copy = heic[offset : offset + length]
    dirty = heic + struct.pack(">I", 8 + len(copy)) + b"free" + copy
    assert strip_bytes(heic, ImageFormat.HEIF, options).data  # the file without the copy
    with pytest.raises(CorruptFile, match="EXIF metadata outside the HEIF's metadata items"):
        strip_bytes(dirty, ImageFormat.HEIF, options)


def test_an_exif_item_that_does_not_parse_is_not_kept_by_a_location_strip(heic: bytes) -> None:
    """The item's offset to its TIFF header points past its data (where iloc says is no
    EXIF): its GPS cannot be cut, so the item is not copied as it was. (The full strip
    zeroes the item, whatever it holds.)"""
    offset, length = _exif_item(heic)
    dirty = heic[:offset] + struct.pack(">I", length) + heic[offset + 4 :]
    with pytest.raises(CorruptFile, match="Exif item does not parse"):
        strip_bytes(dirty, ImageFormat.HEIF, StripOptions(only_location=True))
    out = strip_bytes(dirty, ImageFormat.HEIF, StripOptions()).data
    assert b"ACME" in dirty and b"ACME" not in out


# --- WebP -----------------------------------------------------------------------------------


@pytest.mark.parametrize("options", MODES, ids=MODE_IDS)
def test_exif_inside_a_webp_image_chunk_is_refused_as_damaged(options: StripOptions) -> None:
    """EXIF spliced into the VP8 chunk's payload, which the strip copies undecoded."""
    buf = io.BytesIO()
    fixtures.picture().save(buf, "WEBP", quality=90)
    data = buf.getvalue()
    assert data[12:16] == b"VP8 "
    size = int.from_bytes(data[16:20], "little")
    hidden = fixtures.exif().tobytes()
    payload = data[20 : 20 + size] + hidden
    payload += b"\0" * (len(payload) % 2)
    chunk = b"VP8 " + len(payload).to_bytes(4, "little") + payload
    dirty = b"RIFF" + (4 + len(chunk)).to_bytes(4, "little") + b"WEBP" + chunk
    assert _pixels(dirty) == _pixels(data)  # a decoder never notices
    with pytest.raises(CorruptFile, match="EXIF metadata inside the VP8 chunk"):
        strip_bytes(dirty, ImageFormat.WEBP, options)
