"""Paints one photo of the grid: thumbnail, risk colour and badges — no widget per photo.

The delegate asks the ``ThumbnailLoader`` for a cached pixmap and paints a placeholder while
it decodes; when the thumbnail arrives the view repaints just that item.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

from photoscan.gui.icons import icon, risk_colour
from photoscan.gui.library.models import FLAGS_ROLE, RECORD_ROLE
from photoscan.gui.library.photoinfo import PhotoFlag, duration_text
from photoscan.gui.library.pixelate import hides_whole, paint_pixelated, paint_whole_pixelated
from photoscan.gui.library.thumbnails import THUMB_SIZE, ThumbnailLoader
from photoscan.model import MediaKind, PhotoRecord

CELL = QSize(THUMB_SIZE + 24, THUMB_SIZE + 48)
BADGE = 22
BADGE_GAP = 3


@dataclass(frozen=True, slots=True)
class Badge:
    flag: PhotoFlag
    icon: str
    label: str
    meaning: str  # the tooltip and the Help legend: what the badge says about the photo


# Badge order matters: the most serious first, so a narrow cell still shows it.
BADGES: tuple[Badge, ...] = (
    Badge(
        PhotoFlag.CHILDREN,
        "child",
        "Shows a child",
        "Shows a child: a face estimated to be a child's, or the file says a minor is shown",
    ),
    Badge(
        PhotoFlag.LOCATION,
        "location",
        "Location",
        "Gives away where it was taken: GPS coordinates or a place name in the file",
    ),
    Badge(
        PhotoFlag.NAMES,
        "name",
        "Names a person",
        "Names a person: an author, a tagged person or a name in a caption",
    ),
    Badge(
        PhotoFlag.DEVICE,
        "device",
        "Device id",
        "Carries a device id: a camera or phone serial number that links your photos",
    ),
    Badge(
        PhotoFlag.PUBLIC,
        "public",
        "Public on export",
        "Was public where it came from (the export says so): anyone could see it",
    ),
)
# Not a warning but what the file is: drawn apart, in the bottom corner with the duration,
# as video players and photo apps mark a video.
FILM = Badge(
    PhotoFlag.VIDEO,
    "film",
    "Video",
    "A video: the picture is a frame from it, the time its length; faces were looked for "
    "in a few frames spread over it",
)
BADGES += (FILM,)


def is_photo(record: PhotoRecord) -> bool:
    return record.media is MediaKind.PHOTO


def badges_for(flags: int) -> list[Badge]:
    """The warning badges of a photo, drawn in a row (the film badge is drawn apart)."""
    return [badge for badge in BADGES if flags & badge.flag and badge is not FILM]


def film_rect(image: QRect, text_width: int) -> QRect:
    """The film badge and its duration: a pill in the image's bottom-left corner."""
    width = BADGE + (text_width + 8 if text_width else 0)
    return QRect(image.left() + 5, image.bottom() - 4 - BADGE, width, BADGE)


def image_target(area: QRect, pixmap_size: QSize) -> QRect:
    """Where a thumbnail of ``pixmap_size`` is drawn in ``area``: scaled to fit, centred,
    standing on the risk bar like on a shelf."""
    size = pixmap_size.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    target = QRect(0, 0, size.width(), size.height())
    target.moveCenter(area.center())
    target.moveBottom(area.bottom())
    return target


def thumb_area(cell: QRect) -> QRect:
    return QRect(cell.x() + 12, cell.y() + 10, THUMB_SIZE, THUMB_SIZE)


def badge_rects(image: QRect, count: int) -> list[QRect]:
    return [
        QRect(image.left() + 5 + i * (BADGE + BADGE_GAP), image.top() + 5, BADGE, BADGE)
        for i in range(count)
    ]


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

        area = thumb_area(rect)
        image_rect = self._paint_thumbnail(painter, area, record, palette)

        level = record.risk.level if record.risk else None
        colour = risk_colour(level)
        painter.setPen(QPen(colour, 4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawLine(area.left(), area.bottom() + 5, area.right(), area.bottom() + 5)
        self._paint_badges(painter, image_rect, flags)
        if flags & PhotoFlag.VIDEO:
            self._paint_film(painter, image_rect, record)

        text_rect = QRect(rect.x() + 8, area.bottom() + 10, rect.width() - 16, 20)
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
        target = image_target(area, pixmap.size())
        clip = QPainterPath()
        clip.addRoundedRect(QRectF(target), 4, 4)
        painter.save()
        painter.setClipPath(clip)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if self.pixelate_children and hides_whole(record):
            paint_whole_pixelated(painter, pixmap, target)  # never the sharp poster first
        else:
            painter.drawPixmap(target, pixmap)
        if self.pixelate_children and is_photo(record) and any(f.child for f in record.faces):
            full = self._loader.full_size(record.path, THUMB_SIZE)
            if full is not None:
                paint_pixelated(painter, pixmap, target, record.faces, full.width())
        painter.restore()
        return target

    def _image_rect(self, cell: QRect, record: PhotoRecord) -> QRect:
        """Where the thumbnail (or its placeholder) of ``record`` is in ``cell``."""
        area = thumb_area(cell)
        pixmap = self._loader.pixmap(record.path)
        if pixmap is None or pixmap.isNull():
            return area.adjusted(20, 20, -20, -20)
        return image_target(area, pixmap.size())

    def badge_at(self, cell: QRect, record: PhotoRecord, flags: int, pos: QPoint) -> Badge | None:
        """The badge under ``pos`` (view coordinates) in the cell of ``record``, if any."""
        if flags & PhotoFlag.VIDEO:
            text = duration_text(record.duration_s)
            width = QFontMetrics(self._film_font()).horizontalAdvance(text) if text else 0
            if film_rect(self._image_rect(cell, record), width).contains(pos):
                return FILM
        badges = badges_for(flags)
        for badge, rect in zip(
            badges, badge_rects(self._image_rect(cell, record), len(badges)), strict=True
        ):
            if rect.adjusted(-2, -2, 2, 2).contains(pos):
                return badge
        return None

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        """A badge's tooltip says what it means; elsewhere the cell's tooltip (its path)."""
        record = index.data(RECORD_ROLE)
        if event.type() == QEvent.Type.ToolTip and isinstance(record, PhotoRecord):
            flags = int(index.data(FLAGS_ROLE) or 0)
            badge = self.badge_at(option.rect, record, flags, event.pos())
            if badge is not None:
                QToolTip.showText(event.globalPos(), badge.meaning, view)
                return True
        return super().helpEvent(event, view, option, index)

    @staticmethod
    def _film_font() -> QFont:
        font = QFont()  # the application's font, bold: read on any poster
        font.setBold(True)
        return font

    def _paint_film(self, painter: QPainter, image: QRect, record: PhotoRecord) -> None:
        """The film badge, and the duration beside it on the same dark pill."""
        text = duration_text(record.duration_s)
        font = self._film_font()
        width = QFontMetrics(font).horizontalAdvance(text) if text else 0
        pill = film_rect(image, width)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(20, 24, 28, 190))
        painter.drawRoundedRect(QRectF(pill), BADGE / 2, BADGE / 2)
        icon(FILM.icon).paint(painter, QRect(pill.left(), pill.top(), BADGE, BADGE))
        if text:
            painter.save()  # the font is the pill's only: the name below keeps its own
            painter.setFont(font)
            painter.setPen(QColor(255, 255, 255))
            painter.drawText(
                pill.adjusted(BADGE + 2, 0, -6, 0),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                text,
            )
            painter.restore()

    @staticmethod
    def _paint_badges(painter: QPainter, area: QRect, flags: int) -> None:
        badges = badges_for(flags)
        for badge, rect in zip(badges, badge_rects(area, len(badges)), strict=True):
            painter.setPen(QPen(QColor(255, 255, 255, 200), 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QRectF(rect).adjusted(-0.5, -0.5, 0.5, 0.5))
            icon(badge.icon).paint(painter, rect)
