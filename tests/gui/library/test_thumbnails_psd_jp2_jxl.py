"""Thumbnails of PSD, JPEG 2000 and JPEG XL photos: shown where Pillow decodes the pixels
(a PSD's composite, JPEG 2000 through OpenJPEG), marked failed where it cannot (JPEG XL,
PSB), never an exception escaping the decode thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from photoscan.gui.library.thumbnails import ThumbnailLoader, decode
from tests.core.metadata import box_fixtures as fx


@pytest.mark.parametrize("data", [fx.psd(size=(8, 6)), fx.jp2(size=(8, 6))], ids=["psd", "jp2"])
def test_psd_composite_and_jpeg2000_are_decoded(data: bytes) -> None:
    decoded = decode(data, 64)
    assert (decoded.full_width, decoded.full_height) == (8, 6)
    assert decoded.image.width() == 8


def test_undecodable_formats_are_marked_failed(qtbot: Any, tmp_path: Path) -> None:
    files = {"new.jxl": fx.jxl(), "bare.jxl": fx.jxl_codestream(8, 8), "big.psb": fx.psd(version=2)}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "layers.psd").write_bytes(fx.psd())
    loader = ThumbnailLoader()
    loader.set_root(tmp_path)
    for name in [*files, "layers.psd"]:
        with qtbot.waitSignal(loader.thumbnail_ready, timeout=5000):
            loader.pixmap(name, 32)
    assert all(loader.is_failed(name, 32) for name in files)
    assert not loader.is_failed("layers.psd", 32)
    assert loader.pixmap("layers.psd", 32) is not None
