"""A large preview with the detected faces outlined and their estimated ages.

Face boxes come in full-image pixels with EXIF orientation applied (``photoscan.model.Face``);
the preview is decoded the same way, so a box maps by one scale factor. Children's boxes are
drawn in their own colour (and labelled "child") so they stand out whatever the photo shows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QDialog, QSizePolicy, QVBoxLayout, QWidget

from photoscan.gui.icons import ADULT_COLOUR, CHILD_COLOUR
from photoscan.gui.library.pixelate import paint_pixelated
from photoscan.gui.library.thumbnails import ThumbnailLoader
from photoscan.model import Face, PhotoRecord

PREVIEW_SIZE = 1280


def face_label(face: Face) -> str:
    age = "" if face.age is None else f" ~{round(face.age)}"
    return f"child{age}" if face.child else (f"adult{age}" if age else "face")


class PreviewWidget(QWidget):
    """Paints the photo scaled to fit, then the face boxes over it."""

    preview_loaded = Signal(str)  # path

    def __init__(self, loader: ThumbnailLoader, parent: Any = None) -> None:
        super().__init__(parent)
        self._loader = loader
        self._record: PhotoRecord | None = None
        self.pixelate_children = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 180)
        self.setAccessibleName("Photo preview")
        loader.thumbnail_ready.connect(self._on_loader_thumbnail_ready)

    def sizeHint(self) -> QSize:
        return QSize(640, 420)

    @property
    def record(self) -> PhotoRecord | None:
        return self._record

    def set_record(self, record: PhotoRecord | None) -> None:
        self._record = record
        if record is not None and self._loader.pixmap(record.path, PREVIEW_SIZE) is not None:
            self.preview_loaded.emit(record.path)
        self.update()

    def is_loaded(self) -> bool:
        return (
            self._record is not None
            and self._loader.full_size(self._record.path, PREVIEW_SIZE) is not None
        )

    def face_rects(self) -> list[tuple[QRectF, Face]]:
        """Where each face is drawn, in widget coordinates (empty until the preview is in)."""
        record = self._record
        if record is None:
            return []
        pixmap = self._loader.pixmap(record.path, PREVIEW_SIZE)
        full = self._loader.full_size(record.path, PREVIEW_SIZE)
        if pixmap is None or full is None or full.width() <= 0:
            return []
        target = self._image_rect(pixmap.size())
        scale = target.width() / full.width()
        rects = []
        for face in record.faces:
            left, top, right, bottom = face.box
            rects.append(
                (
                    QRectF(
                        target.x() + left * scale,
                        target.y() + top * scale,
                        (right - left) * scale,
                        (bottom - top) * scale,
                    ),
                    face,
                )
            )
        return rects

    def _image_rect(self, image: QSize) -> QRect:
        size = image.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        if size.width() > image.width() * 2:  # do not blow small images up past 2x
            size = image * 2
        rect = QRect(0, 0, size.width(), size.height())
        rect.moveCenter(self.rect().center())
        return rect

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        record = self._record
        if record is None:
            painter.setPen(self.palette().color(self.foregroundRole()))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Select a photo")
            return
        pixmap = self._loader.pixmap(record.path, PREVIEW_SIZE)
        if pixmap is None:
            text = "No preview" if self._loader.is_failed(record.path, PREVIEW_SIZE) else "Loading…"
            painter.setPen(self.palette().color(self.foregroundRole()))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, text)
            return
        target = self._image_rect(pixmap.size())
        painter.drawPixmap(target, pixmap)
        full = self._loader.full_size(record.path, PREVIEW_SIZE)
        if self.pixelate_children and full is not None:
            paint_pixelated(painter, pixmap, target, record.faces, full.width())
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        for rect, face in self.face_rects():
            colour = QColor(CHILD_COLOUR if face.child else ADULT_COLOUR)
            painter.setPen(QPen(colour, 3 if face.child else 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect)
            label = face_label(face)
            box = QRectF(metrics.boundingRect(label)).adjusted(-4, -2, 4, 2)
            box.moveBottomLeft(rect.topLeft())
            if box.top() < 0:
                box.moveTopLeft(rect.bottomLeft())
            painter.fillRect(box, colour)
            painter.setPen(QColor("#000000"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)

    @Slot(str, int)
    def _on_loader_thumbnail_ready(self, path: str, size: int) -> None:
        if self._record is not None and path == self._record.path and size == PREVIEW_SIZE:
            self.update()
            self.preview_loaded.emit(path)


class PreviewDialog(QDialog):
    """Space on a photo: a big preview; Space or Escape closes it (like Quick Look)."""

    def __init__(self, loader: ThumbnailLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preview")
        self.preview = PreviewWidget(loader, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview)
        if parent is not None:
            self.resize(parent.size() * 0.9)

    def show_record(self, record: PhotoRecord) -> None:
        self.setWindowTitle(record.path.rsplit("/", 1)[-1])
        self.preview.set_record(record)

    def present(self, record: PhotoRecord) -> None:
        """Show ``record`` in front, focused."""
        self.show_record(record)
        self.show()
        self.raise_()
        self.activateWindow()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space:
            self.accept()
            return
        super().keyPressEvent(event)
