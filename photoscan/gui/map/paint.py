"""How the map looks: the tinted world, the graticule, one dot, the captions.

Plain functions of a painter and the palette (no state), so the widget in ``mapview`` keeps
only geometry and events. Colours come from the palette, so light and dark desktops both read;
the dots use the app's risk and child colours (``icons``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPalette, QPen

from photoscan.gui.icons import CHILD_COLOUR, risk_colour
from photoscan.gui.map.clusters import Cluster
from photoscan.model import RiskLevel

HINT = "Scroll or +/− to zoom · drag or arrows to move · click a dot to see its photos"
SHORT_HINTS = ("Scroll to zoom · drag to move · click a dot", "Click a dot to see its photos")


def hint_text(metrics: QFontMetrics, width: int) -> str:
    """The longest hint that fits ``width`` whole (at 1024 pixels the long one lost its
    first letters under the legend: "croll or +/− to zoom")."""
    for text in (HINT, *SHORT_HINTS):
        if metrics.horizontalAdvance(text) + 12 <= width:
            return text
    return metrics.elidedText(SHORT_HINTS[-1], Qt.TextElideMode.ElideRight, max(0, width - 12))


RISK_LEGEND: tuple[tuple[RiskLevel, str], ...] = (
    (RiskLevel.HIGH, "High risk"),
    (RiskLevel.MEDIUM, "Medium risk"),
    (RiskLevel.LOW, "Low risk"),
    (RiskLevel.NONE, "No risk found"),
)


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
    caption: str | None = None,
) -> None:
    """The message instead of dots; or the legend (top left), the usage hint (bottom right)
    and the dot chosen with the keyboard (bottom left)."""
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
    text_colour = palette.color(QPalette.ColorRole.PlaceholderText)
    _paint_legend(painter, palette, area.topLeft())
    text = hint_text(painter.fontMetrics(), area.width())
    hint = painter.fontMetrics().boundingRect(text).adjusted(-6, -3, 6, 3)
    hint.moveBottomRight(area.bottomRight() + QPoint(6, 3))
    painter.fillRect(hint, _backdrop(palette))
    painter.setPen(text_colour)
    painter.drawText(area, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, text)
    if caption:
        above = area.adjusted(0, 0, 0, -hint.height() - 4)
        box = painter.fontMetrics().boundingRect(caption).adjusted(-6, -3, 6, 3)
        box.moveBottomLeft(above.bottomLeft() + QPoint(-6, 3))
        painter.fillRect(box, _backdrop(palette))
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(above, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, caption)


def _backdrop(palette: QPalette) -> QColor:
    backdrop = QColor(palette.color(QPalette.ColorRole.Base))
    backdrop.setAlpha(225)
    return backdrop


def legend_entries() -> list[tuple[QColor, str]]:
    """What the dots' colours mean, the child colour first (it wins over every risk)."""
    return [(QColor(CHILD_COLOUR), "Shows a child")] + [
        (risk_colour(level), words) for level, words in RISK_LEGEND
    ]


def _paint_legend(painter: QPainter, palette: QPalette, top_left: QPoint) -> None:
    metrics = painter.fontMetrics()
    entries = legend_entries()
    line = metrics.height() + 4
    width = max(metrics.horizontalAdvance(text) for _, text in entries) + 30
    box = QRect(top_left.x() - 4, top_left.y() - 4, width, line * len(entries) + 8)
    painter.fillRect(box, _backdrop(palette))
    for row, (colour, text) in enumerate(entries):
        y = top_left.y() + row * line
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Base), 1.5))
        painter.setBrush(colour)
        painter.drawEllipse(QPointF(top_left.x() + 7, y + line / 2 - 1), 6, 6)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(
            QRect(top_left.x() + 20, y, width - 20, line - 2),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            text,
        )
