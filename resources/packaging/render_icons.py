"""Renders the app icon (photoscan/gui/assets/photoscan.svg, the one the window shows) into
resources/icons/hicolor: the SVG as the scalable icon and PNGs at the hicolor sizes, named
after the app id, for the launcher entry and software centres.

Run after changing the SVG: ``QT_QPA_PLATFORM=offscreen uv run python
resources/packaging/render_icons.py`` (tests/core/test_desktop.py checks the files match).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "io.github.photoscan.photoscan"
SOURCE = ROOT / "photoscan" / "gui" / "assets" / "photoscan.svg"
HICOLOR = ROOT / "resources" / "icons" / "hicolor"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(size: int, target: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SOURCE))
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(target), "PNG"):
        raise OSError(f"cannot write {target}")


def main() -> int:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(sys.argv[:1])  # fonts and image plugins need one
    scalable = HICOLOR / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, scalable)
    for size in SIZES:
        render(size, HICOLOR / f"{size}x{size}" / "apps" / f"{APP_ID}.png")
    del app
    print(f"wrote {scalable.relative_to(ROOT)} and {len(SIZES)} PNGs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
