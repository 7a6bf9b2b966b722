"""Pixelating children's faces on screen (View → Pixelate Children's Faces).

For reviewing photos with someone looking over your shoulder, sharing your screen, or taking
screenshots for a bug report: every face the detector estimated to be a child is drawn as
coarse blocks, in the grid and in the previews. Boxes are in full-image pixels (display
orientation); ``scale`` maps them onto the pixmap being drawn.

A video's poster is a frame of its own: its faces were found on other frames, so no box
says where a child is on it. When the video shows a child or a possible child anywhere, or
its faces were not checked, the whole poster is drawn as blocks (``hides_whole``).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QPainter, QPixmap

from photoscan.model import Face, MediaKind, PhotoRecord
from photoscan.risk import faces_checked, is_child_photo

BLOCKS = 7  # blocks across a face: unrecognisable, still clearly "a face was here"
POSTER_BLOCKS = 16  # blocks across a whole poster: a scene's shape, no face in it
MARGIN = 0.4  # grow the box: detectors cut at the hairline and the chin; hair identifies too


def child_regions(faces: Iterable[Face], scale: float, bounds: QRect) -> list[QRect]:
    """Face boxes of children in pixmap pixels, grown by ``MARGIN`` and clipped."""
    regions = []
    for face in faces:
        if not face.child:
            continue
        left, top, right, bottom = face.box
        dx, dy = (right - left) * MARGIN, (bottom - top) * MARGIN
        rect = QRectF(
            (left - dx) * scale,
            (top - dy) * scale,
            (right - left + 2 * dx) * scale,
            (bottom - top + 2 * dy) * scale,
        ).toAlignedRect()
        rect = rect.intersected(bounds)
        if rect.width() > 0 and rect.height() > 0:
            regions.append(rect)
    return regions


def paint_pixelated(
    painter: QPainter, pixmap: QPixmap, target: QRect, faces: Iterable[Face], full_width: int
) -> None:
    """Draw the children's faces of ``pixmap`` (drawn at ``target``) as blocks over it."""
    if full_width <= 0:
        return
    scale = pixmap.width() / full_width
    into = target.width() / max(1, pixmap.width())
    for region in child_regions(faces, scale, pixmap.rect()):
        small = pixmap.copy(region).scaled(
            BLOCKS,
            max(1, round(BLOCKS * region.height() / max(1, region.width()))),
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        dest = QRectF(
            target.x() + region.x() * into,
            target.y() + region.y() * into,
            region.width() * into,
            region.height() * into,
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawPixmap(dest, small, QRectF(small.rect()))
        painter.restore()


def hides_whole(record: PhotoRecord) -> bool:
    """A video poster to pixelate whole: a child or a possible child in any frame checked,
    a metadata field saying a minor is shown, or faces not checked at all."""
    if record.media is MediaKind.PHOTO:
        return False
    return is_child_photo(record) or not faces_checked(record)


def paint_whole_pixelated(painter: QPainter, pixmap: QPixmap, target: QRect) -> None:
    """Draw all of ``pixmap`` (at ``target``) as ``POSTER_BLOCKS`` blocks across."""
    across = POSTER_BLOCKS
    down = max(1, round(across * pixmap.height() / max(1, pixmap.width())))
    small = pixmap.scaled(
        across,
        down,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
    painter.drawPixmap(QRectF(target), small, QRectF(small.rect()))
    painter.restore()
