"""Pixelating children's faces on screen: only the children's boxes change, into blocks."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap

from photoscan.gui.library.pixelate import child_regions, paint_pixelated
from photoscan.model import Face

CHILD = Face((40, 40, 80, 80), 5.0, True)
ADULT = Face((120, 40, 160, 80), 40.0, False)


def stripes(width: int = 200, height: int = 120) -> QPixmap:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    for x in range(width):
        colour = QColor(255, 255, 255) if x % 2 else QColor(0, 0, 0)
        for y in range(height):
            image.setPixelColor(x, y, colour)
    return QPixmap.fromImage(image)


def test_child_regions_grow_the_box_and_skip_adults() -> None:
    regions = child_regions([CHILD, ADULT], scale=0.5, bounds=QRect(0, 0, 100, 60))
    assert regions == [QRect(12, 12, 36, 36)]  # (40-16)*0.5 … grown by 40% each side


def test_only_the_childs_face_is_pixelated(qtbot) -> None:
    source = stripes()
    canvas = QPixmap(source.size())
    painter = QPainter(canvas)
    painter.drawPixmap(0, 0, source)
    paint_pixelated(painter, source, source.rect(), [CHILD, ADULT], full_width=200)
    painter.end()
    after, before = canvas.toImage(), source.toImage()
    # Inside the child's box neighbouring stripes merged into blocks of one colour...
    assert after.pixelColor(60, 60) == after.pixelColor(61, 60)
    # ...while the adult's face and the background keep their 1-pixel stripes.
    assert after.pixelColor(140, 60) != after.pixelColor(141, 60)
    assert after.pixelColor(5, 5) == before.pixelColor(5, 5)


def test_grid_paints_thumbnails_with_children_pixelated(qtbot, tmp_path) -> None:
    import dataclasses

    from PySide6.QtWidgets import QListView

    from photoscan.gui.library.delegates import PhotoDelegate
    from photoscan.gui.library.models import PhotoTableModel
    from photoscan.gui.library.thumbnails import THUMB_SIZE, ThumbnailLoader
    from tests.gui.factories import record
    from tests.gui.library.test_thumbnails import write_photo

    write_photo(tmp_path / "kid.jpg", (400, 300))
    kid = dataclasses.replace(record("kid.jpg"), faces=(Face((40, 40, 200, 200), 4.0, True),))
    model = PhotoTableModel()
    model.add_records([kid])
    loader = ThumbnailLoader()
    loader.set_root(tmp_path)
    view = QListView()
    qtbot.addWidget(view)
    view.setViewMode(QListView.ViewMode.IconMode)
    view.setModel(model)
    delegate = PhotoDelegate(loader, view)
    delegate.pixelate_children = True
    view.setItemDelegate(delegate)
    view.resize(400, 400)
    with qtbot.waitSignal(loader.thumbnail_ready, timeout=5000):
        view.show()
        view.grab()  # the first paint asks for the thumbnail
    assert loader.full_size("kid.jpg", THUMB_SIZE) is not None
    image = view.grab().toImage()  # paints the thumbnail, pixelated; raises on any error
    assert not image.isNull()
