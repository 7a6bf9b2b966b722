"""Paints one photo of the grid: thumbnail, risk colour and badges — no widget per photo.

The delegate asks the ``ThumbnailLoader`` for a cached pixmap and paints a placeholder while
it decodes; when the thumbnail arrives the view repaints just that item.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from photoscan.gui.icons import icon, risk_colour
from photoscan.gui.library.models import FLAGS_ROLE, RECORD_ROLE
from photoscan.gui.library.photoinfo import PhotoFlag
from photoscan.gui.library.pixelate import paint_pixelated
from photoscan.gui.library.thumbnails import THUMB_SIZE, ThumbnailLoader
from photoscan.model import PhotoRecord

CELL = QSize(THUMB_SIZE + 24, THUMB_SIZE + 48)
BADGE = 22
# Badge order matters: the most serious first, so a narrow cell still shows it.
BADGES: tuple[tuple[PhotoFlag, str, str], ...] = (
    (PhotoFlag.CHILDREN, "child", "Shows a child"),
    (PhotoFlag.LOCATION, "location", "Location"),
    (PhotoFlag.NAMES, "name", "Names a person"),
    (PhotoFlag.DEVICE, "device", "Device id"),
    (PhotoFlag.PUBLIC, "public", "Public on export"),
)


def badges_for(flags: int) -> list[tuple[str, str]]:
    return [(name, label) for flag, name, label in BADGES if flags & flag]


class PhotoDelegate(QStyledItemDelegate):
    def __init__(self, loader: ThumbnailLoader, parent: Any = None) -> None:
        super().__init__(parent)
        self._loader = loader
        self.pixelate_children = False

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return CELL

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        record = index.data(RECORD_ROLE)
        if not isinstance(record, PhotoRecord):
            return
        painter.save()
        try:
            self._paint_item(painter, option, index, record)
        finally:  # an error must not leave the painter (and the whole view) broken
            painter.restore()

    def _paint_item(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
        record: PhotoRecord,
    ) -> None:
        flags = int(index.data(FLAGS_ROLE) or 0)
        rect: QRect = option.rect
        palette: QPalette = option.palette
        state = option.state
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        cell = QRectF(rect).adjusted(3, 3, -3, -3)
        if state & QStyle.StateFlag.State_Selected:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRoundedRect(cell, 6, 6)
        elif state & QStyle.StateFlag.State_MouseOver:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.AlternateBase))
            painter.drawRoundedRect(cell, 6, 6)

        thumb_area = QRect(rect.x() + 12, rect.y() + 10, THUMB_SIZE, THUMB_SIZE)
        image_rect = self._paint_thumbnail(painter, thumb_area, record, palette)

        level = record.risk.level if record.risk else None
        colour = risk_colour(level)
        painter.setPen(QPen(colour, 4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawLine(
            thumb_area.left(), thumb_area.bottom() + 5, thumb_area.right(), thumb_area.bottom() + 5
        )
        self._paint_badges(painter, image_rect, flags)

        text_rect = QRect(rect.x() + 8, thumb_area.bottom() + 10, rect.width() - 16, 20)
        role = (
            QPalette.ColorRole.HighlightedText
            if state & QStyle.StateFlag.State_Selected
            else QPalette.ColorRole.Text
        )
        painter.setPen(palette.color(role))
        metrics = QFontMetrics(option.font)
        name = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        elided = metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, text_rect.width())
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, elided
        )
        if state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight).darker(140), 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(cell.adjusted(1, 1, -1, -1), 6, 6)

    def _paint_thumbnail(
        self, painter: QPainter, area: QRect, record: PhotoRecord, palette: QPalette
    ) -> QRect:
        """Paints the thumbnail (or a placeholder) and returns where the image is."""
        pixmap = self._loader.pixmap(record.path)
        if pixmap is None or pixmap.isNull():
            placeholder = area.adjusted(20, 20, -20, -20)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.Mid).lighter(115))
            painter.drawRoundedRect(QRectF(placeholder), 8, 8)
            if self._loader.is_failed(record.path):
                painter.setPen(palette.color(QPalette.ColorRole.Text))
                painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "No preview")
            return placeholder
        size = pixmap.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect(0, 0, size.width(), size.height())
        target.moveCenter(area.center())
        target.moveBottom(area.bottom())  # photos stand on the risk bar, like on a shelf
        clip = QPainterPath()
        clip.addRoundedRect(QRectF(target), 4, 4)
        painter.save()
        painter.setClipPath(clip)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawPixmap(target, pixmap)
        if self.pixelate_children and any(face.child for face in record.faces):
            full = self._loader.full_size(record.path, THUMB_SIZE)
            if full is not None:
                paint_pixelated(painter, pixmap, target, record.faces, full.width())
        painter.restore()
        return target

    @staticmethod
    def _paint_badges(painter: QPainter, area: QRect, flags: int) -> None:
        x = area.left() + 5
        for name, _label in badges_for(flags):
            badge = QRect(x, area.top() + 5, BADGE, BADGE)
            painter.setPen(QPen(QColor(255, 255, 255, 200), 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QRectF(badge).adjusted(-0.5, -0.5, 0.5, 0.5))
            icon(name).paint(painter, badge)
            x += BADGE + 3
