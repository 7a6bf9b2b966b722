"""SVG icons (crisp at any device pixel ratio) and the risk colours.

The icons are package data in ``photoscan/gui/assets/``, beside this module, so a wheel, a
pipx install and the desktop bundle carry them like the code (``resources/`` at the top of
the repository holds what the desktop around the app needs: the launcher entry, AppStream
data, the hicolor icon sizes).

Risk colours are chosen to read on both light and dark palettes; everything else in the UI
takes its colours from the system palette so dark mode follows the desktop.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QColor, QIcon

from photoscan.model import RiskLevel

ASSETS = Path(__file__).resolve().parent / "assets"

RISK_COLOURS: dict[RiskLevel | None, str] = {
    RiskLevel.HIGH: "#e53935",
    RiskLevel.MEDIUM: "#fb8c00",
    RiskLevel.LOW: "#fdd835",
    RiskLevel.NONE: "#43a047",
    None: "#9e9e9e",  # not assessed yet
}
CHILD_COLOUR = "#ff4081"  # face boxes of children: distinct from every risk colour
ADULT_COLOUR = "#29b6f6"


def risk_colour(level: RiskLevel | None) -> QColor:
    return QColor(RISK_COLOURS[level])


@cache
def icon(name: str) -> QIcon:
    """``assets/icons/<name>.svg`` (``app`` is the application icon, ``assets/photoscan.svg``)."""
    path = ASSETS / "photoscan.svg" if name == "app" else ASSETS / "icons" / f"{name}.svg"
    return QIcon(str(path))
