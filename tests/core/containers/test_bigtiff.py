"""BigTIFF: read through its classic view, stripped like TIFF and written as BigTIFF again.

Built files (``tests.synthlib.bigtiff_bytes``: every BigTIFF-only type) in both byte orders,
and the BigTIFF files of ``../shared/testdata/d_metadata`` where the test data has them.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from photoscan.containers import bigtiff
from photoscan.errors import CorruptFile
from photoscan.metadata import extract
from photoscan.metadata.base import Source
from photoscan.model import Extraction, FindingKind, ImageFormat
from photoscan.source.sniff import sniff
from photoscan.strip import StripOptions, strip_bytes
from photoscan.strip.types import Refused
from tests import conftest
from tests.synthlib import HOME, bigtiff_bytes


def read(data: bytes) -> Extraction:
    found = sniff(data[:4096], "x.tif")
    assert (found.format, found.label) == (ImageFormat.TIFF, "BigTIFF")
    return extract(Source("x.tif", data, ImageFormat.TIFF, found.label))


def pixels(data: bytes) -> bytes:
    view = bigtiff.classic_view(data) if bigtiff.is_bigtiff(data) else data
    with Image.open(io.BytesIO(view)) as image:
        return image.convert("RGB").tobytes()


@pytest.mark.parametrize("big_endian", [False, True])
def test_metadata_of_a_bigtiff_is_read(big_endian: bool) -> None:
    result = read(bigtiff_bytes(big_endian=big_endian))
    assert (result.width, result.height) == (8, 6)
    assert result.gps is not None
    assert (result.gps.lat, result.gps.lon) == pytest.approx(HOME, abs=1e-5)
    found = {(f.kind, f.value) for f in result.findings}
    assert (FindingKind.PERSON, "Kim Example") in found  # IFD0 Artist
    assert (FindingKind.PERSON, "Lee Example") in found  # the XMP packet
    assert (FindingKind.DEVICE, "SN-4711") in found  # the Exif IFD, by an IFD8 pointer
    assert not result.warnings


@pytest.mark.parametrize("big_endian", [False, True])
def test_strip_writes_a_clean_bigtiff_with_the_same_pixels(big_endian: bool) -> None:
    data = bigtiff_bytes(big_endian=big_endian)
    done = strip_bytes(data, ImageFormat.TIFF, StripOptions())
    assert done.data[:4] == (b"MM\x00+" if big_endian else b"II+\x00")
    assert pixels(done.data) == pixels(data)
    kinds = {f.kind for f in read(done.data).findings}
    assert not kinds & {FindingKind.PERSON, FindingKind.DEVICE, FindingKind.LOCATION}
    assert strip_bytes(done.data, ImageFormat.TIFF, StripOptions()).data == done.data
    with pytest.raises(Refused, match="BigTIFF"):
        strip_bytes(data, ImageFormat.TIFF, StripOptions(only_location=True))


def test_classic_view_keeps_every_offset_and_pillow_reads_it() -> None:
    data = bigtiff_bytes()
    view = bigtiff.classic_view(data)
    assert view[:4] == b"II*\x00" and view[8 : len(data)] == data[8:]
    with Image.open(io.BytesIO(view)) as image:
        assert image.size == (8, 6)


def _ifd0_at(data: bytes) -> int:
    return int(struct.unpack_from("<Q", data, 8)[0])


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d[:8] + struct.pack("<Q", len(d) + 100),  # IFD0 past the end
        lambda d: d[: _ifd0_at(d)] + struct.pack("<Q", 10**6) + d[_ifd0_at(d) + 8 :],  # count
        lambda d: d[:4] + struct.pack("<HH", 4, 0) + d[8:],  # offset size 4
        lambda d: d[:60],  # cut inside the pixels: IFD0 gone
    ],
)
def test_damaged_bigtiff_is_corrupt(damage: Callable[[bytes], bytes]) -> None:
    with pytest.raises(CorruptFile):
        bigtiff.classic_view(damage(bigtiff_bytes()))


def test_pointer_loops_end() -> None:
    data = bytearray(bigtiff_bytes())
    ifd0 = _ifd0_at(bytes(data))
    (count,) = struct.unpack_from("<Q", data, ifd0)
    for i in range(count):  # point the Exif IFD pointer back at IFD0 itself
        pos = ifd0 + 8 + 20 * i
        if struct.unpack_from("<H", data, pos)[0] == 0x8769:
            struct.pack_into("<Q", data, pos + 12, ifd0)
    with pytest.raises(CorruptFile):
        bigtiff.classic_view(bytes(data))


def _real_bigtiffs() -> list[Path]:
    folder = conftest.testdata_dir("d_metadata")
    files = sorted(p for p in folder.iterdir() if p.read_bytes()[:4] in bigtiff.MAGICS)
    if not files:
        pytest.skip("no BigTIFF in the test data")
    return files


def test_real_bigtiffs_are_read_and_single_pages_stripped() -> None:
    for path in _real_bigtiffs():
        data = path.read_bytes()
        result = read(data)
        assert (result.width, result.height) == (64, 64), path.name
        try:
            done = strip_bytes(data, ImageFormat.TIFF, StripOptions())
        except Refused as exc:
            assert "multi-page" in str(exc), path.name  # the SubIFD samples have two pages
            continue
        assert bigtiff.is_bigtiff(done.data)
        assert pixels(done.data) == pixels(data), path.name
