"""GUI tests run offscreen: the platform must be chosen before any QApplication exists."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings: QSettings) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """The main window, with faces off (fast) and no cache (every test scans for real)."""
    from photoscan.gui.window.main import MainWindow  # the scan engine only when needed
    from photoscan.scan.jobs import ScanOptions

    win = MainWindow(settings, ScanOptions(faces=False, use_cache=False))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.session.shutdown()
    win.loader.set_root(None)
    win.loader.wait_idle(5_000)
