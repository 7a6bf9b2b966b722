"""A large preview with the detected faces outlined and their estimated ages.

Face boxes come in full-image pixels with EXIF orientation applied (``photoscan.model.Face``);
the preview is decoded the same way, so a box maps by one scale factor. Children's boxes are
drawn in their own colour (and labelled "child") so they stand out whatever the photo shows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, QSizeF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QDialog, QSizePolicy, QVBoxLayout, QWidget

from photoscan.gui.icons import ADULT_COLOUR, CHILD_COLOUR
from photoscan.gui.library.pixelate import hides_whole, paint_pixelated, paint_whole_pixelated
from photoscan.gui.library.thumbnails import ThumbnailLoader
from photoscan.model import Face, FaceSource, Mark, MediaKind, PhotoRecord

PREVIEW_SIZE = 1280


def face_label(face: Face) -> str:
    """'child ~6', 'adult ~38'; the parent's word as they gave it (an estimate of 2 they
    said is not a child read 'adult ~2')."""
    if face.mark is Mark.NOT_CHILD:
        return "not a child"
    if face.mark is Mark.CHILD or face.source is FaceSource.PARENT:
        return "child (marked)"
    age = "" if face.age is None else f" ~{round(face.age)}"
    return f"child{age}" if face.child else (f"adult{age}" if age else "face")


def place_labels(boxes: list[QRectF], sizes: list[QSizeF], bounds: QRectF) -> list[QRectF]:
    """Where each box's label goes: inside ``bounds``, over no other label.

    Two faces side by side at the photo's bottom edge drew their labels on top of each other
    ("ch child ~14"). Each label tries, in turn: above its box, below it, inside its top
    edge, then ever further above and below (a stack); a spot that also covers no other face
    is taken first. Boxes are labelled left to right, so a row of faces reads in order.
    """
    placed: list[QRectF | None] = [None] * len(boxes)
    taken: list[QRectF] = []
    for index in sorted(range(len(boxes)), key=lambda i: (boxes[i].left(), boxes[i].top())):
        box, size = boxes[index], sizes[index]
        others = [b for i, b in enumerate(boxes) if i != index]
        spots = [_clamped(spot, size, bounds) for spot in _spots(box, size, bounds)]
        inside = [s for s in spots if bounds.contains(s)]
        free = [s for s in inside if not any(s.intersects(t) for t in taken)]
        clear = [s for s in free if not any(s.intersects(b) for b in others)]
        best = (clear or free or inside or spots)[0]
        placed[index] = best
        taken.append(best)
    return [rect for rect in placed if rect is not None]


def _spots(box: QRectF, size: QSizeF, bounds: QRectF) -> list[QPointF]:
    height = size.height()
    spots = [
        QPointF(box.left(), box.top() - height),
        QPointF(box.left(), box.bottom()),
        QPointF(box.left() + 1, box.top() + 1),
    ]
    for step in range(1, int(bounds.height() // max(height, 1.0)) + 2):
        spots.append(QPointF(box.left(), box.top() - height * (step + 1)))
        spots.append(QPointF(box.left(), box.bottom() + height * step))
    return spots


def _clamped(spot: QPointF, size: QSizeF, bounds: QRectF) -> QRectF:
    """``size`` at ``spot``, moved sideways into ``bounds`` (never past its left edge)."""
    left = max(bounds.left(), min(spot.x(), bounds.right() - size.width()))
    return QRectF(QPointF(left, spot.y()), size)


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
        record, geometry = self._record, self._geometry()
        if record is None or geometry is None:
            return []
        target, scale = geometry
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

    def _geometry(self) -> tuple[QRect, float] | None:
        """Where the photo is drawn and widget pixels per photo pixel (None: not shown)."""
        record = self._record
        if record is None or record.media is not MediaKind.PHOTO:
            return None  # a video's faces were found on other frames than its poster
        pixmap = self._loader.pixmap(record.path, PREVIEW_SIZE)
        full = self._loader.full_size(record.path, PREVIEW_SIZE)
        if pixmap is None or full is None or full.width() <= 0:
            return None
        target = self._image_rect(pixmap.size())
        return target, target.width() / full.width()

    def image_box(self, rect: QRectF) -> tuple[int, int, int, int] | None:
        """``rect`` (widget pixels) in full-image pixels, cut to the photo; None off it."""
        geometry = self._geometry()
        if geometry is None:
            return None
        target, scale = geometry
        cut = rect.intersected(QRectF(target))
        if cut.width() < 1 or cut.height() < 1:
            return None
        width, height = round(target.width() / scale), round(target.height() / scale)
        left = max(0, round((cut.left() - target.x()) / scale))
        top = max(0, round((cut.top() - target.y()) / scale))
        right = min(width, round((cut.right() - target.x()) / scale))
        bottom = min(height, round((cut.bottom() - target.y()) / scale))
        return (left, top, right, bottom) if right > left and bottom > top else None

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
        if self.pixelate_children and hides_whole(record):
            paint_whole_pixelated(painter, pixmap, target)  # a video poster: no boxes for it
        else:
            painter.drawPixmap(target, pixmap)
        full = self._loader.full_size(record.path, PREVIEW_SIZE)
        if self.pixelate_children and full is not None and record.media is MediaKind.PHOTO:
            paint_pixelated(painter, pixmap, target, record.faces, full.width())
        painter.setFont(self._label_font())
        faces = self.face_rects()
        for rect, face in faces:
            colour = QColor(CHILD_COLOUR if face.child else ADULT_COLOUR)
            painter.setPen(QPen(colour, 3 if face.child else 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect)
        for (_, face), box in zip(faces, self.label_rects(), strict=True):
            painter.fillRect(box, QColor(CHILD_COLOUR if face.child else ADULT_COLOUR))
            painter.setPen(QColor("#000000"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, face_label(face))

    def label_rects(self) -> list[QRectF]:
        """Where each face's label is drawn, in ``face_rects``'s order (widget coordinates)."""
        faces = self.face_rects()
        metrics = QFontMetrics(self._label_font())
        sizes = [
            QRectF(metrics.boundingRect(face_label(face))).adjusted(-4, -2, 4, 2).size()
            for _, face in faces
        ]
        return place_labels([rect for rect, _ in faces], sizes, QRectF(self.rect()))

    def _label_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

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
