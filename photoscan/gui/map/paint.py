"""How the map looks: the tinted world, the graticule, one dot, the captions.

Plain functions of a painter and the palette (no state), so the widget in ``mapview`` keeps
only geometry and events. Colours come from the palette, so light and dark desktops both read;
the dots use the app's risk and child colours (``icons``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPalette, QPen

from photoscan.gui.icons import CHILD_COLOUR
from photoscan.gui.map.clusters import Cluster

HINT = "Scroll or +/− to zoom · drag or arrows to move · click a dot to see its photos"
CHILD_LEGEND = "Shows a child · other dots: colour of the risk"


def land_colour(palette: QPalette) -> QColor:
    colour = QColor(palette.color(QPalette.ColorRole.Text))
    colour.setAlpha(130)
    return colour


def tinted(alpha_mask: np.ndarray, colour: QColor) -> QImage:
    """An image of ``colour`` with the mask (uint8, rows x columns) as its opacity."""
    alpha = alpha_mask * (colour.alpha() / 255.0)
    height, width = alpha.shape
    bgra = np.empty((height, width, 4), dtype=np.uint8)
    # Premultiplied BGRA: the byte order of ARGB32_Premultiplied on little-endian.
    for channel, value in enumerate((colour.blue(), colour.green(), colour.red())):
        bgra[..., channel] = (alpha * (value / 255.0)).astype(np.uint8)
    bgra[..., 3] = alpha.astype(np.uint8)
    image = QImage(bgra.data, width, height, width * 4, QImage.Format.Format_ARGB32_Premultiplied)
    return image.copy()  # own the pixels: the array goes away


def paint_graticule(
    painter: QPainter, palette: QPalette, to_screen: Callable[[float, float], QPointF]
) -> None:
    """Faint lines every 30 degrees: the map's frame, even without the place table."""
    colour = QColor(palette.color(QPalette.ColorRole.Text))
    colour.setAlpha(22)
    painter.setPen(QPen(colour, 1.0))
    top, bottom = to_screen(90.0, 0.0).y(), to_screen(-90.0, 0.0).y()
    left, right = to_screen(0.0, -180.0).x(), to_screen(0.0, 180.0).x()
    for lon in range(-180, 181, 30):
        x = to_screen(0.0, lon).x()
        painter.drawLine(QPointF(x, top), QPointF(x, bottom))
    for lat in range(-90, 91, 30):
        y = to_screen(lat, 0.0).y()
        painter.drawLine(QPointF(left, y), QPointF(right, y))


def paint_dot(
    painter: QPainter, palette: QPalette, base_font: QFont, cluster: Cluster, hovered: bool
) -> None:
    """One dot with its count; the hovered one (a click would open it) ringed in the accent."""
    fill = cluster.colour()
    r = cluster.radius
    if hovered:
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 3.0))
    else:
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Base), 2.0))
    painter.setBrush(fill)
    painter.drawEllipse(QPointF(cluster.x, cluster.y), r, r)
    if cluster.count > 1:
        font = QFont(base_font)
        font.setPixelSize(max(9, int(r * 0.95)))
        font.setBold(True)
        painter.setFont(font)
        light = 0.299 * fill.red() + 0.587 * fill.green() + 0.114 * fill.blue() > 170
        painter.setPen(QColor("#202020") if light else QColor("white"))
        box = QRectF(cluster.x - r, cluster.y - r, 2 * r, 2 * r)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, str(cluster.count))


def paint_captions(
    painter: QPainter,
    palette: QPalette,
    base_font: QFont,
    rect: QRect,
    message: str | None,
    clusters: Sequence[Cluster],
) -> None:
    """The message instead of dots, or the usage hint and (with children) the legend."""
    text_colour = palette.color(QPalette.ColorRole.PlaceholderText)
    if message is not None:
        font = QFont(base_font)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, message)
        return
    painter.setFont(base_font)
    margin = 10
    area = rect.adjusted(margin, margin, -margin, -margin)
    hint = painter.fontMetrics().boundingRect(HINT).adjusted(-6, -3, 6, 3)
    hint.moveBottomRight(area.bottomRight() + QPoint(6, 3))
    backdrop = QColor(palette.color(QPalette.ColorRole.Base))
    backdrop.setAlpha(210)
    painter.fillRect(hint, backdrop)
    painter.setPen(text_colour)
    painter.drawText(area, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, HINT)
    if any(c.children for c in clusters):
        legend = painter.fontMetrics().boundingRect(CHILD_LEGEND).adjusted(-6, -3, 24, 3)
        legend.moveBottomLeft(area.bottomLeft() + QPoint(-6, 3))
        painter.fillRect(legend, backdrop)
        y = area.bottom() - painter.fontMetrics().height() / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(CHILD_COLOUR))
        painter.drawEllipse(QPointF(area.left() + 6, y), 6, 6)
        painter.setPen(text_colour)
        painter.drawText(
            QRectF(area.left() + 18, area.top(), area.width(), area.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
            CHILD_LEGEND,
        )
