"""PSD/PSB, JPEG 2000 and JPEG XL are read for metadata but never stripped: always refused,
never copied as if clean (their metadata is not removable losslessly by photoscan)."""

from __future__ import annotations

from pathlib import Path

import pytest

from photoscan.model import ImageFormat
from photoscan.strip import Refused, StripOptions, StripStatus, strip_bytes
from photoscan.strip.batch import apply, plan
from tests.core.metadata import box_fixtures as fx

FILES = {
    "layers.psd": (fx.psd(), ImageFormat.PSD, "Photoshop"),
    "big.psb": (fx.psd(version=2), ImageFormat.PSD, "Photoshop"),
    "scan.jp2": (fx.jp2(*fx.jp2_metadata()), ImageFormat.JP2, "JPEG 2000"),
    "new.jxl": (fx.jxl(fx.jxl_exif(fx.exif_tiff())), ImageFormat.JXL, "JPEG XL"),
    "bare.jxl": (fx.jxl_codestream(64, 48), ImageFormat.JXL, "JPEG XL"),
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_strip_bytes_refuses_with_a_reason(name: str) -> None:
    data, fmt, words = FILES[name]
    with pytest.raises(Refused, match=words):
        strip_bytes(data, fmt, StripOptions())


def test_batch_refuses_them_and_writes_nothing(tmp_path: Path) -> None:
    src, out = tmp_path / "photos", tmp_path / "clean"
    src.mkdir()
    for name, (data, _, _) in FILES.items():
        (src / name).write_bytes(data)
    results = {Path(r.path).name: r for r in apply(plan([src], out=out), StripOptions())}
    assert set(results) == set(FILES)
    for name, result in results.items():
        assert result.status is StripStatus.REFUSED, (name, result)
        assert result.output is None and "not copied" in result.reason
        assert not (out / name).exists()
    assert "layers and resources are structural" in results["layers.psd"].reason
    assert "not supported for lossless stripping" in results["new.jxl"].reason
