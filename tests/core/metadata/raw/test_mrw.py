"""Minolta MRW: the TTW block's EXIF (and maker notes), the PRD block's size; a built file
(``tests.synthlib.mrw_bytes``) and the real one of ``../shared/testdata/d_metadata``."""

from __future__ import annotations

import pytest

from photoscan.errors import CorruptFile
from photoscan.metadata import extract
from photoscan.metadata.base import Source
from photoscan.model import Extraction, FindingKind, ImageFormat
from photoscan.source.sniff import sniff
from photoscan.strip import StripOptions, strip_bytes
from photoscan.strip.types import Refused
from tests import conftest
from tests.core.metadata.exif.exif_fixtures import ascii_tag, jpeg_bytes, scene, with_thumbnail
from tests.synthlib import mrw_bytes


def read(data: bytes) -> Extraction:
    found = sniff(data[:4096], "x.mrw")
    assert (found.format, found.label) == (ImageFormat.RAW, "MRW")
    return extract(Source("x.mrw", data, ImageFormat.RAW, found.label))


def test_built_mrw_gives_its_exif_thumbnail_and_size() -> None:
    ifd0 = [ascii_tag(0x010F, "Minolta Co., Ltd."), ascii_tag(0x013B, "Kim Example")]
    tiff = with_thumbnail(ifd0, jpeg_bytes(scene((160, 120))), [ascii_tag(0xA431, "MRW-0042")])
    data = mrw_bytes(tiff, (3008, 2000))
    result = read(data)
    assert (result.width, result.height) == (3008, 2000)  # PRD, not the thumbnail
    found = {(f.kind, f.value) for f in result.findings}
    assert (FindingKind.PERSON, "Kim Example") in found
    assert (FindingKind.DEVICE, "MRW-0042") in found
    thumbs = [f.value for f in result.findings if f.kind is FindingKind.THUMBNAIL]
    assert thumbs and thumbs[0].startswith("160×120 JPEG thumbnail")
    with pytest.raises(Refused):
        strip_bytes(data, ImageFormat.RAW, StripOptions())


def test_mrw_without_blocks_warns_and_a_cut_header_is_corrupt() -> None:
    empty = read(b"\x00MRM" + bytes(4) + bytes(64))
    assert any("TTW" in w for w in empty.warnings)
    cut = read(mrw_bytes(b"MM\x00*" + bytes(4))[:40])
    assert cut.warnings
    with pytest.raises(CorruptFile):
        extract(Source("x.mrw", b"\x00MRM\x00", ImageFormat.RAW, "MRW"))


def test_real_mrw_is_read() -> None:
    path = conftest.testdata_dir("d_metadata") / "exiftool_Minolta.mrw"
    if not path.is_file():
        pytest.skip("no MRW in the test data")
    result = read(path.read_bytes())
    assert (result.width, result.height) == (3264, 2448)
    cameras = {f.field: f.value for f in result.findings if f.kind is FindingKind.CAMERA}
    assert cameras["EXIF:Model"] == "DiMAGE A2"
    assert not result.warnings
