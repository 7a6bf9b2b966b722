"""A RAW photo in the GUI: its embedded preview is shown, at the photo's full size, so the
face boxes found in that preview (``photoscan.images.previews``) are drawn where they belong."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

from PIL import Image

from photoscan.gui.detail.preview import PREVIEW_SIZE
from photoscan.gui.library.thumbnails import decode
from photoscan.model import Face
from tests.core.images.test_previews import nef_with_preview
from tests.gui.detail.test_pane import make_pane
from tests.gui.factories import record


def _raw(path: Path) -> Path:
    """A .nef whose 1200x900 preview (stored sideways, Orientation 6) is blue on its left:
    displayed, the photo is 3600x4800 (portrait) with blue on top."""
    stored = Image.new("RGB", (1200, 900), (200, 30, 30))
    stored.paste((30, 30, 200), (0, 0, 600, 900))
    out = io.BytesIO()
    stored.save(out, "JPEG")
    path.write_bytes(nef_with_preview(out.getvalue(), (4800, 3600), orientation=6))
    return path


def test_raw_shows_its_preview_at_the_photo_size(tmp_path: Path) -> None:
    decoded = decode(_raw(tmp_path / "p.nef").read_bytes(), 400, "p.nef")
    assert (decoded.full_width, decoded.full_height) == (3600, 4800)
    assert (decoded.image.width(), decoded.image.height()) == (300, 400)
    top = decoded.image.pixelColor(150, 20)
    assert top.blue() > 150 and top.red() < 100


def test_face_boxes_on_a_raw_are_scaled_from_the_photo_size(qtbot, tmp_path: Path) -> None:
    _raw(tmp_path / "p.nef")
    box = (900, 1200, 2700, 3600)  # the middle of the 3600x4800 photo
    rec = dataclasses.replace(record("p.nef"), faces=(Face(box, 5.0, True),))
    pane = make_pane(qtbot, tmp_path)
    with qtbot.waitSignal(pane.preview.preview_loaded, timeout=5000):
        pane.show_record(rec)
    pixmap = pane.preview._loader.pixmap("p.nef", PREVIEW_SIZE)
    assert pixmap is not None
    shown = pane.preview._image_rect(pixmap.size())
    (rect, _face), *_ = pane.preview.face_rects()
    assert abs(rect.width() - shown.width() / 2) <= 2  # half the photo's width
    assert abs(rect.center().x() - shown.center().x()) <= 2
    assert abs(rect.center().y() - shown.center().y()) <= 2
