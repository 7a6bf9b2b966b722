"""How the window is laid out, and how it remembers its layout between runs.

Three panes side by side (the filter sidebar, the photo views under the scan bar, the
detail pane) on a second page after the welcome page; the window's size, the panes' widths
and the view last shown come back from ``QSettings``.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QToolButton, QVBoxLayout, QWidget

DEFAULT_SIZE = (1400, 880)
PANE_WIDTHS = (230, 760, 520)


def three_panes(
    parent: QWidget, sidebar: QWidget, scan_bar: QWidget, views: QWidget, detail: QWidget
) -> QSplitter:
    """sidebar | scan bar over the views | detail, the middle growing most."""
    middle = QWidget(parent)
    middle_layout = QVBoxLayout(middle)
    middle_layout.setContentsMargins(0, 0, 0, 0)
    middle_layout.setSpacing(0)
    middle_layout.addWidget(scan_bar)
    middle_layout.addWidget(views, 1)
    splitter = QSplitter(Qt.Orientation.Horizontal, parent)
    for index, (pane, stretch) in enumerate(((sidebar, 0), (middle, 3), (detail, 2))):
        splitter.addWidget(pane)
        splitter.setStretchFactor(index, stretch)
    splitter.setSizes(list(PANE_WIDTHS))
    return splitter


def status_bar(window: QMainWindow) -> tuple[QLabel, QToolButton]:
    """The status line (plain text: it shows file names) and the "N files not read" button."""
    status = QLabel(window)
    status.setTextFormat(Qt.TextFormat.PlainText)
    problems = QToolButton(window)
    problems.setAutoRaise(True)
    problems.hide()
    window.statusBar().addWidget(status, 1)
    window.statusBar().addPermanentWidget(problems)
    return status, problems


def single_shot(parent: QWidget, interval_ms: int) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(interval_ms)
    return timer


def restore(window: QMainWindow, splitter: QSplitter, settings: QSettings) -> int:
    """The window's size and the panes' widths as they were; the view to show (0-2)."""
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    else:
        window.resize(*DEFAULT_SIZE)
    fit_to_screen(window)
    state = settings.value("window/splitter")
    if isinstance(state, QByteArray):
        splitter.restoreState(state)
    view = str(settings.value("window/view", 0))
    return int(view) if view in ("1", "2") else 0


def fit_to_screen(window: QMainWindow) -> None:
    """No bigger than the screen it opens on, and on it: on a 1280x800 laptop the default
    1400x880 (or a size saved on a bigger monitor) put the detail pane's right edge and
    the status line off the screen."""
    screen = window.screen()
    if screen is None:
        return
    room = screen.availableGeometry()
    frame = window.frameGeometry()
    extra = frame.size() - window.geometry().size()  # the title bar and borders
    width = min(window.width(), room.width() - extra.width())
    height = min(window.height(), room.height() - extra.height())
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    left = max(room.left(), min(frame.left(), room.right() + 1 - width - extra.width()))
    top = max(room.top(), min(frame.top(), room.bottom() + 1 - height - extra.height()))
    if (left, top) != (frame.left(), frame.top()):
        window.move(left, top)


def save(window: QMainWindow, splitter: QSplitter, view: int, settings: QSettings) -> None:
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/splitter", splitter.saveState())
    settings.setValue("window/view", view)
    settings.sync()
