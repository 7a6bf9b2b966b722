"""The window's actions, menus and keyboard shortcuts, in one place.

``build_menus`` makes the actions and the menus and returns the actions as a
``WindowActions`` record; the window connects them to its slots where it wires everything
else, so this module knows nothing of the window (the window and its menus used to import
each other, and the menus set a dozen undeclared attributes on the window).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QMainWindow


@dataclass(frozen=True, slots=True)
class WindowActions:
    open: QAction
    open_zip: QAction
    rescan: QAction
    faces: QAction  # checkable: look for faces in the next scan
    quit: QAction
    grid: QAction
    table: QAction
    map: QAction
    find: QAction
    clear_filters: QAction
    pixelate: QAction  # checkable: children's faces as blocks everywhere
    about: QAction


def build_menus(window: QMainWindow, faces: bool, pixelate: bool) -> WindowActions:
    """The File, View and Help menus of ``window``; ``faces``/``pixelate``: the checkable
    actions' first state."""

    def action(text: str, keys: QKeySequence | QKeySequence.StandardKey | str = "") -> QAction:
        act = QAction(text, window)
        if keys:
            act.setShortcut(keys if isinstance(keys, QKeySequence) else QKeySequence(keys))
        return act

    actions = WindowActions(
        open=action("&Open Folder…", QKeySequence.StandardKey.Open),
        open_zip=action("Open .&zip Export…"),
        rescan=action("&Rescan", QKeySequence.StandardKey.Refresh),
        faces=action("Look for &Faces"),
        quit=action("&Quit", QKeySequence.StandardKey.Quit),
        grid=action("&Grid", "Ctrl+1"),
        table=action("&Table", "Ctrl+2"),
        map=action("&Map", "Ctrl+3"),
        find=action("&Search", QKeySequence.StandardKey.Find),
        clear_filters=action("&Clear Filters"),
        pixelate=action("&Pixelate Children's Faces"),
        about=action("&About photoscan"),
    )
    for checkable, on in ((actions.faces, faces), (actions.pixelate, pixelate)):
        checkable.setCheckable(True)
        checkable.setChecked(on)

    menu = window.menuBar()
    file_menu = menu.addMenu("&File")
    for act in (actions.open, actions.open_zip, actions.rescan):
        file_menu.addAction(act)
    file_menu.addSeparator()
    file_menu.addAction(actions.faces)
    file_menu.addSeparator()
    file_menu.addAction(actions.quit)
    view_menu = menu.addMenu("&View")
    for act in (actions.grid, actions.table, actions.map, actions.find, actions.clear_filters):
        view_menu.addAction(act)
    view_menu.addSeparator()
    view_menu.addAction(actions.pixelate)
    menu.addMenu("&Help").addAction(actions.about)
    return actions


def space_shortcut(view: QAbstractItemView) -> QShortcut:
    """Space on a photo view: a big preview of the current photo (Quick Look style)."""
    shortcut = QShortcut(QKeySequence(Qt.Key.Key_Space), view)
    shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
    return shortcut
