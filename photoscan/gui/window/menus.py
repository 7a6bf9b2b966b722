"""The window's actions, menus and keyboard shortcuts, in one place.

``build_menus`` makes the actions and the menus — File, Edit, View, Actions, Help, in the
order every desktop app has them, Help last — and returns the actions as a
``WindowActions`` record; the window connects them to its slots where it wires everything
else, so this module knows nothing of the window. The Actions menu is handed back empty:
``PhotoActions`` fills it with its own actions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QMainWindow, QMenu


@dataclass(frozen=True, slots=True)
class WindowActions:
    open: QAction
    open_zip: QAction
    rescan: QAction
    faces: QAction  # checkable: look for faces in the next scan
    quit: QAction
    select_all: QAction
    select_none: QAction
    preferences: QAction
    grid: QAction
    table: QAction
    map: QAction
    find: QAction
    clear_filters: QAction
    pixelate: QAction  # checkable: children's faces as blocks everywhere
    guide: QAction
    shortcuts: QAction
    legend: QAction
    about: QAction
    actions_menu: QMenu  # filled by PhotoActions.install
    file_menu: QMenu
    restore_at: QAction  # PhotoActions puts Restore Originals… in the File menu before it


def build_menus(window: QMainWindow, faces: bool, pixelate: bool) -> WindowActions:
    """The menus of ``window``; ``faces``/``pixelate``: the checkable actions' first state."""

    def action(text: str, keys: QKeySequence | QKeySequence.StandardKey | str = "") -> QAction:
        act = QAction(text, window)
        if keys:
            act.setShortcut(keys if isinstance(keys, QKeySequence) else QKeySequence(keys))
        return act

    menu = window.menuBar()
    file_menu = menu.addMenu("&File")
    edit_menu = menu.addMenu("&Edit")
    view_menu = menu.addMenu("&View")
    actions_menu = menu.addMenu("&Actions")
    help_menu = menu.addMenu("&Help")
    actions = WindowActions(
        open=action("&Open Folder…", QKeySequence.StandardKey.Open),
        open_zip=action("Open .&zip Export…"),
        rescan=action("&Rescan", QKeySequence.StandardKey.Refresh),
        faces=action("Look for &Faces"),
        quit=action("&Quit", QKeySequence.StandardKey.Quit),
        select_all=action("Select &All", QKeySequence.StandardKey.SelectAll),
        select_none=action("Select &None", "Ctrl+Shift+A"),
        preferences=action("&Preferences…", QKeySequence.StandardKey.Preferences),
        grid=action("&Grid", "Ctrl+1"),
        table=action("&Table", "Ctrl+2"),
        map=action("&Map", "Ctrl+3"),
        find=action("&Search", QKeySequence.StandardKey.Find),
        clear_filters=action("&Clear Filters"),
        pixelate=action("&Pixelate Children's Faces"),
        guide=action("&How photoscan Works", QKeySequence.StandardKey.HelpContents),
        shortcuts=action("&Keyboard Shortcuts"),
        legend=action("&Badges and Colours"),
        about=action("&About photoscan"),
        actions_menu=actions_menu,
        file_menu=file_menu,
        restore_at=QAction(window),
    )
    if actions.preferences.shortcut().isEmpty():  # no platform default (most of Linux)
        actions.preferences.setShortcut(QKeySequence("Ctrl+,"))
    for checkable, on in ((actions.faces, faces), (actions.pixelate, pixelate)):
        checkable.setCheckable(True)
        checkable.setChecked(on)

    for act in (actions.open, actions.open_zip, actions.rescan):
        file_menu.addAction(act)
    actions.rescan.setEnabled(False)  # nothing to read again until a folder is open
    file_menu.addSeparator()
    actions.restore_at.setSeparator(True)
    file_menu.addAction(actions.restore_at)
    file_menu.addAction(actions.faces)
    file_menu.addSeparator()
    file_menu.addAction(actions.quit)
    for act in (actions.select_all, actions.select_none):
        edit_menu.addAction(act)
    edit_menu.addSeparator()
    edit_menu.addAction(actions.preferences)
    for act in (actions.grid, actions.table, actions.map, actions.find, actions.clear_filters):
        view_menu.addAction(act)
    view_menu.addSeparator()
    view_menu.addAction(actions.pixelate)
    for act in (actions.guide, actions.shortcuts, actions.legend):
        help_menu.addAction(act)
    help_menu.addSeparator()
    help_menu.addAction(actions.about)
    return actions


def menu_shortcuts(window: QMainWindow) -> Iterator[tuple[str, str, str]]:
    """(menu, action, keys) for every menu action with a shortcut, in menu order: the
    shortcuts list in Help is made from the menus themselves, so it cannot drift."""
    for top in window.menuBar().actions():
        sub = top.menu()
        if not isinstance(sub, QMenu):
            continue
        for act in sub.actions():
            keys = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if keys and not act.isSeparator():
                yield plain_text(top.text()), plain_text(act.text()), keys


def plain_text(menu_text: str) -> str:
    """'&Open Folder…' → 'Open Folder…' ('&&' stays one '&')."""
    return menu_text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def space_shortcut(view: QAbstractItemView) -> QShortcut:
    """Space on a photo view: a big preview of the current photo (Quick Look style)."""
    shortcut = QShortcut(QKeySequence(Qt.Key.Key_Space), view)
    shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
    return shortcut
