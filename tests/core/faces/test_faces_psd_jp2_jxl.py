"""The face pass on PSD, JPEG 2000 and JPEG XL: pixels Pillow decodes (a PSD's composite,
JPEG 2000 through OpenJPEG) are looked at as any photo's; JPEG XL and PSB, which Pillow
cannot decode, end as a plain per-file reason ("Faces: could not be checked"), the way an
undecodable RAW does, before any model is loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from photoscan.faces import pool as facepool
from photoscan.faces.analyse import JXL_UNDECODABLE
from photoscan.images import pillow
from photoscan.images.decode import decode
from photoscan.model import FileError
from photoscan.source.fileref import FileRef
from tests.core.metadata import box_fixtures as fx


@pytest.mark.parametrize("data", [fx.psd(size=(40, 30)), fx.jp2(size=(40, 30))], ids=["psd", "jp2"])
def test_psd_composite_and_jpeg2000_pixels_are_decoded(data: bytes) -> None:
    decoded = decode(data, 80)
    assert (decoded.width, decoded.height) == (40, 30)
    assert decoded.pixels.shape == (60, 80, 3)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("new.jxl", fx.jxl(fx.jxl_exif(fx.exif_tiff())), JXL_UNDECODABLE),
        ("bare.jxl", fx.jxl_codestream(64, 48), JXL_UNDECODABLE),
        ("big.psb", fx.psd(version=2), pillow.UNDECODABLE),
    ],
)
def test_undecodable_photos_get_a_plain_reason(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = facepool._work(name, FileRef(str(path)))
    assert result == FileError(name, reason)
