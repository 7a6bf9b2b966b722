"""Pixelating children's faces on screen (View → Pixelate Children's Faces).

For reviewing photos with someone looking over your shoulder, sharing your screen, or taking
screenshots for a bug report: every face the detector estimated to be a child is drawn as
coarse blocks, in the grid and in the previews. Boxes are in full-image pixels (display
orientation); ``scale`` maps them onto the pixmap being drawn.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QPainter, QPixmap

from photoscan.model import Face

BLOCKS = 7  # blocks across a face: unrecognisable, still clearly "a face was here"
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
