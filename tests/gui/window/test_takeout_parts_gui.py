"""The app on a multi-part Takeout export: thumbnails and the detail pane's path come from
the part each photo lives in, not from the part that was opened."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from photoscan.gui.library.thumbnails import ThumbnailLoader, read_photo_bytes
from tests.core.source.test_takeout_parts import ALBUM, PHOTO, _jpeg, _two_parts
from tests.gui.detail.test_pane import make_pane
from tests.gui.factories import record


def test_thumbnails_read_each_photo_from_its_own_part(qtbot, tmp_path: Path) -> None:
    one, two = _two_parts(tmp_path)
    assert read_photo_bytes(two, PHOTO) == _jpeg()  # opened part 2, the photo is in part 1
    assert read_photo_bytes(one, f"{ALBUM}/IMG_2.jpg") == _jpeg(9)
    loader = ThumbnailLoader()
    loader.set_root(two)
    with qtbot.waitSignal(loader.thumbnail_ready, timeout=5000) as blocker:
        assert loader.pixmap(PHOTO, 64) is None
    assert blocker.args == [PHOTO, 64]
    pixmap = loader.pixmap(PHOTO, 64)
    assert pixmap is not None and not pixmap.isNull()


def test_copy_path_names_the_part_the_photo_is_in(qtbot, tmp_path: Path) -> None:
    one, two = _two_parts(tmp_path)
    pane = make_pane(qtbot, two)
    pane.show_record(record(PHOTO))
    with qtbot.waitSignal(pane.path_copied, timeout=1000):
        qtbot.mouseClick(pane.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == str(one / PHOTO)
