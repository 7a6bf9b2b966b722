"""The window's actions, menus and keyboard shortcuts, in one place.

The actions become attributes of the window (``window.open_action`` …) so that the window's
slots and the tests can reach them; the handlers are the window's own slots.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut

from photoscan.gui.window.dialogs import show_about

if TYPE_CHECKING:
    from photoscan.gui.window.main import MainWindow


def install_menus(window: MainWindow) -> None:
    window.open_action = QAction("&Open Folder…", window)
    window.open_action.setShortcut(QKeySequence.StandardKey.Open)
    window.open_action.triggered.connect(window.choose_folder)
    window.open_zip_action = QAction("Open .&zip Export…", window)
    window.open_zip_action.triggered.connect(window.choose_zip)
    window.rescan_action = QAction("&Rescan", window)
    window.rescan_action.setShortcut(QKeySequence.StandardKey.Refresh)
    window.rescan_action.triggered.connect(window.rescan)
    window.faces_action = QAction("Look for &Faces", window)
    window.faces_action.setCheckable(True)
    window.faces_action.setChecked(window.options.faces)
    quit_action = QAction("&Quit", window)
    quit_action.setShortcut(QKeySequence.StandardKey.Quit)
    quit_action.triggered.connect(window.close)
    window.grid_action = QAction("&Grid", window)
    window.grid_action.setShortcut(QKeySequence("Ctrl+1"))
    window.grid_action.triggered.connect(lambda: window.show_view(0))
    window.table_action = QAction("&Table", window)
    window.table_action.setShortcut(QKeySequence("Ctrl+2"))
    window.table_action.triggered.connect(lambda: window.show_view(1))
    window.map_action = QAction("&Map", window)
    window.map_action.setShortcut(QKeySequence("Ctrl+3"))
    window.map_action.triggered.connect(lambda: window.show_view(2))
    window.pixelate_action = QAction("&Pixelate Children's Faces", window)
    window.pixelate_action.setCheckable(True)
    window.pixelate_action.setChecked(window.settings.value("view/pixelate", False, type=bool))
    window.pixelate_action.toggled.connect(window.set_pixelate_children)
    window.clear_filters_action = QAction("&Clear Filters", window)
    window.clear_filters_action.triggered.connect(window.clear_filters)
    window.find_action = QAction("&Search", window)
    window.find_action.setShortcut(QKeySequence.StandardKey.Find)
    window.find_action.triggered.connect(window._on_find_action_triggered)
    about_action = QAction("&About photoscan", window)
    about_action.triggered.connect(lambda: show_about(window))

    menu = window.menuBar()
    file_menu = menu.addMenu("&File")
    for action in (window.open_action, window.open_zip_action, window.rescan_action):
        file_menu.addAction(action)
    file_menu.addSeparator()
    file_menu.addAction(window.faces_action)
    file_menu.addSeparator()
    file_menu.addAction(quit_action)
    view_menu = menu.addMenu("&View")
    for action in (window.grid_action, window.table_action, window.map_action, window.find_action):
        view_menu.addAction(action)
    view_menu.addAction(window.clear_filters_action)
    view_menu.addSeparator()
    view_menu.addAction(window.pixelate_action)
    menu.addMenu("&Help").addAction(about_action)

    # Space: a big preview of the current photo (Quick Look style).
    for view in (window.grid, window.table):
        shortcut = QShortcut(QKeySequence(Qt.Key.Key_Space), view)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(window.toggle_preview)
