"""Start the desktop app: QApplication, logging, error dialog, settings, the main window.

Nothing here runs at import; ``run()`` wires it all (and is what ``photoscan gui`` calls).
"""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from photoscan import __version__
from photoscan.gui.dialogs import install_excepthook, setup_logging
from photoscan.gui.icons import icon
from photoscan.gui.window.main import MainWindow
from photoscan.gui.window.welcome import opening
from photoscan.paths import APP_ID, config_dir
from photoscan.scan.jobs import ScanOptions

log = logging.getLogger(__name__)


def settings() -> QSettings:
    """Window geometry and recent folders, in photoscan's own (private, 0700) config dir."""
    path = config_dir() / "gui.ini"
    return QSettings(str(path), QSettings.Format.IniFormat)


def make_app(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("photoscan")
    app.setApplicationDisplayName("photoscan")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("photoscan")
    app.setDesktopFileName(APP_ID)  # resources/<APP_ID>.desktop: its icon, Wayland's app id
    app.setWindowIcon(icon("app"))
    return app


def _close_on_signals(window: MainWindow) -> None:
    """Ctrl-C / SIGTERM close the window properly (the scan's worker processes are stopped
    and settings saved) instead of killing the process under them. Python only runs signal
    handlers between bytecodes, so a timer lets it look while Qt's loop is idle."""

    def close(signum: int, frame: object) -> None:
        window.close()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, close)
    timer = QTimer(window)
    timer.setInterval(250)
    timer.timeout.connect(lambda: None)
    timer.start()


def run(folder: Path | None = None, options: ScanOptions | None = None) -> int:
    app = make_app()
    log_path = setup_logging()
    install_excepthook()
    log.info("photoscan %s starting; log at %s", __version__, log_path)
    window = MainWindow(settings(), options or ScanOptions(places=True))
    window.show()
    _close_on_signals(window)
    if folder is not None:
        # After the event loop starts, so the window is painted before the scan begins.
        QTimer.singleShot(0, lambda: window.open_folder(*opening(folder)))
    return int(app.exec())
