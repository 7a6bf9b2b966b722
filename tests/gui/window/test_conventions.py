"""What every desktop app does: the usual menus, preferences, help with a legend, empty
states that say what to do, and no dead end when the folder is not there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSettings
from PySide6.QtWidgets import QApplication, QDialog

from photoscan.gui.library import files
from photoscan.gui.library.delegates import BADGES, badge_rects, image_target, thumb_area
from photoscan.gui.library.models import FLAGS_ROLE
from photoscan.gui.library.photoinfo import PhotoFlag
from photoscan.gui.theme import Theme, ThemeSwitcher, is_dark
from photoscan.gui.window import preferences
from photoscan.gui.window.empty import NextStep
from photoscan.gui.window.menus import plain_text
from photoscan.gui.window.middle import MAP
from tests.gui.factories import record
from tests.gui.library.test_thumbnails import write_photo

SCAN_TIMEOUT_MS = 60_000


def open_and_wait(qtbot: Any, window: Any, folder: Path) -> Any:
    with qtbot.waitSignal(window.scan_completed, timeout=SCAN_TIMEOUT_MS) as finished:
        window.open_folder(folder)
    return finished.args[0]


def test_menus_are_file_edit_view_actions_help_in_that_order(window: Any) -> None:
    titles = [plain_text(a.text()) for a in window.menuBar().actions()]
    assert titles == ["File", "Edit", "View", "Actions", "Help"]
    edit = window.menuBar().actions()[1].menu()
    assert [plain_text(a.text()) for a in edit.actions() if a.text()] == [
        "Select All",
        "Select None",
        "Preferences…",
    ]
    file_menu = window.menuBar().actions()[0].menu()
    file_items = [plain_text(a.text()) for a in file_menu.actions() if a.text()]
    assert "Restore Originals…" in file_items  # undo an in-place strip
    assert file_items.index("Restore Originals…") > file_items.index("Rescan")
    assert window.photo_actions.restore_action.isEnabled()  # no folder needs to be open
    actions_menu = window.menu_actions.actions_menu
    assert window.photo_actions.strip_selected_action in actions_menu.actions()


def test_select_all_and_none_and_the_status_line_counts_the_selection(window: Any) -> None:
    window.root = Path("/photos")
    window.pages.setCurrentIndex(1)
    window.model.set_records([record(f"p{i}.jpg") for i in range(5)])
    window.menu_actions.select_all.trigger()
    window.selection.refresh()
    assert "5 photos · 5 selected" in window.status.text()
    window.menu_actions.select_none.trigger()
    window.selection.refresh()
    assert "selected" not in window.status.text()


def test_preferences_are_kept_and_applied(qtbot: Any, window: Any, tmp_path: Path) -> None:
    out = tmp_path / "copies"
    dialog = preferences.PreferencesDialog(window.prefs, window)
    dialog.theme.setCurrentIndex(list(preferences.THEME_WORDS).index(Theme.DARK))
    dialog.faces.setChecked(False)
    assert not dialog.child_band.isEnabled()  # the band only matters when faces are looked for
    dialog.places.setChecked(False)
    dialog.output.edit.setText(str(out))
    window.photo_actions.ask = lambda d: d is not None
    try:
        window.apply_preferences(dialog.preferences())
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        assert is_dark(app.palette())
        assert not window.menu_actions.faces.isChecked()  # File → Look for Faces follows
        again = preferences.load(window.settings)
        assert again == preferences.Preferences(Theme.DARK, False, False, again.child_band, out)
        window.root = tmp_path / "holiday"
        assert window.copies_folder("cleaned") == out / "holiday (cleaned)"
        options = again.scan_options(window.options, faces=False)
        assert not options.faces and not options.places
    finally:
        ThemeSwitcher.of(QApplication.instance()).apply(Theme.SYSTEM)  # type: ignore[arg-type]


def test_careful_child_band_asks_to_check_more_faces() -> None:
    from photoscan.faces.levels import level_of
    from photoscan.faces.settings import FaceSettings
    from photoscan.model import ChildLevel

    standard = preferences.Preferences()
    careful = preferences.Preferences(child_band=preferences.ChildBand.CAREFUL)
    assert standard.face_settings() is None  # the measured defaults
    settings = careful.face_settings()
    assert settings is not None
    default = FaceSettings()
    # A face estimated 28 with a low chance of being a minor: an adult by default, a
    # possible child (hidden, please check) when careful; confident children stay children.
    assert level_of(28.0, 0.1, default.levels) is ChildLevel.ADULT
    assert level_of(28.0, 0.1, settings.levels) is ChildLevel.POSSIBLE_CHILD
    assert level_of(15.0, 0.9, settings.levels) is ChildLevel.CHILD
    assert settings.levels.child_below == default.levels.child_below
    assert settings.child_age_threshold > default.child_age_threshold  # the HOG detector's


def test_a_broken_preferences_file_falls_back_to_defaults(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat)
    settings.setValue("preferences/theme", "purple")
    settings.setValue("preferences/child_band", 7)
    assert preferences.load(settings) == preferences.Preferences()


def test_help_lists_the_menus_shortcuts_and_a_legend_of_every_badge(window: Any) -> None:
    window.menu_actions.legend.trigger()
    dialog = window.help_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.tabs.currentIndex() == dialog.LEGEND
    table = dialog.shortcuts
    rows = {(table.item(r, 1).text(), table.item(r, 2).text()) for r in range(table.rowCount())}
    open_keys = window.menu_actions.open.shortcut().toString()
    assert ("Open Folder…", open_keys) in rows
    assert any(what.startswith("Preview the current photo") for what, _ in rows)
    texts = {w.text() for w in dialog.legend.widget().findChildren(type(dialog.guide))}
    for badge in BADGES:
        assert badge.meaning in texts
    assert any(t == "Map dot" for t in texts) and any(t == "Face box" for t in texts)
    window.menu_actions.shortcuts.trigger()
    assert dialog.tabs.currentIndex() == dialog.SHORTCUTS
    dialog.close()


def test_a_badge_tooltip_says_what_the_badge_means(qtbot: Any, window: Any) -> None:
    window.root = Path("/photos")
    window.pages.setCurrentIndex(1)
    window.model.set_records([record("kid.jpg", children=1, gps=True)])
    index = window.proxy.index(0, 0)
    rec, flags = window.model.record(0), int(index.data(FLAGS_ROLE))
    cell = window.grid.visualRect(index)
    placeholder = thumb_area(cell).adjusted(20, 20, -20, -20)  # no thumbnail decoded
    child, location = badge_rects(placeholder, 2)
    delegate = window.delegate
    assert delegate.badge_at(cell, rec, flags, child.center()).flag is PhotoFlag.CHILDREN
    assert delegate.badge_at(cell, rec, flags, location.center()).flag is PhotoFlag.LOCATION
    assert delegate.badge_at(cell, rec, flags, cell.bottomRight() - QPoint(2, 2)) is None
    assert image_target(thumb_area(cell), cell.size()).height() <= thumb_area(cell).height()


def test_an_empty_folder_says_so_and_offers_another(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "empty"  # tmp_path holds the window's settings file
    folder.mkdir()
    open_and_wait(qtbot, window, folder)
    empty = window.views.empty
    assert window.views.currentWidget() is empty
    assert empty.title.text() == "No photos in this folder"
    assert "JPEG" in empty.text.text() and empty.reason.step is NextStep.OPEN_FOLDER
    asked: list[bool] = []
    window.choose_folder = lambda: asked.append(True)  # type: ignore[method-assign]
    empty.button.click()
    assert asked == [True]


def test_a_search_without_a_match_says_so_and_clears(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    (tmp_path / "photos").mkdir()
    write_photo(tmp_path / "photos" / "beach.jpg")
    open_and_wait(qtbot, window, tmp_path / "photos")
    assert window.views.currentWidget() is window.grid
    box = window.sidebar.search_box
    window.activateWindow()
    box.setFocus()
    qtbot.keyClicks(box, "mountains")
    qtbot.waitUntil(lambda: window.views.currentWidget() is window.views.empty, timeout=2_000)
    assert "mountains" in window.views.empty.title.text()
    assert box.hasFocus()  # the empty state did not take the focus from the typing
    window.views.empty.button.click()
    assert window.sidebar.search_box.text() == ""
    qtbot.waitUntil(lambda: window.views.currentWidget() is window.grid, timeout=2_000)


def test_a_folder_of_broken_files_says_none_could_be_read(
    qtbot: Any, window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    for name in ("a.jpg", "b.png"):
        (folder / name).write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    open_and_wait(qtbot, window, folder)
    empty = window.views.empty
    assert window.views.currentWidget() is empty
    assert empty.title.text() == "No photo here could be read"
    assert "2 files" in empty.text.text()
    shown: list[int] = []
    monkeypatch.setattr(QDialog, "exec", lambda self: shown.append(1) or 0)
    empty.button.click()
    assert shown == [1]  # the list of files and why each could not be read


def test_the_map_keeps_its_own_message_and_the_status_counts_what_it_shows(
    qtbot: Any, window: Any
) -> None:
    window.root = Path("/photos")
    window.pages.setCurrentIndex(1)
    window.model.set_records([record("a.jpg", gps=True), record("b.jpg"), record("c.jpg")])
    window.show_view(MAP)
    window.map.refresh()
    assert window.views.currentWidget() is window.map
    assert window.status.text().startswith("1 of 3 photos on the map (1 dot)")


def test_a_missing_folder_opens_the_window_with_a_message(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    missing = tmp_path / "moved away"
    window.open_folder(missing)
    assert window.pages.currentIndex() == 0  # the welcome page, not a dead window
    message = window.welcome.message
    assert message.isVisible()
    assert str(missing) in message.text() and "no such folder" in message.text()
    (tmp_path / "photos").mkdir()
    write_photo(tmp_path / "photos" / "a.jpg")
    open_and_wait(qtbot, window, tmp_path / "photos")  # and opening another works
    assert not message.isVisible()


def test_the_app_starts_on_a_missing_path(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from photoscan.gui import app as app_module
    from photoscan.gui.window.main import MainWindow

    windows: list[MainWindow] = []
    monkeypatch.setattr(
        app_module,
        "settings",
        lambda: QSettings(str(tmp_path / "g.ini"), QSettings.Format.IniFormat),
    )
    monkeypatch.setattr(app_module, "setup_logging", lambda: tmp_path / "log")
    monkeypatch.setattr(app_module, "install_excepthook", lambda: None)
    monkeypatch.setattr(app_module, "_close_on_signals", lambda window: windows.append(window))
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    assert app_module.run(tmp_path / "gone") == 0
    window = windows[0]
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.welcome.message.isVisible(), timeout=2_000)
    assert "gone" in window.welcome.message.text()
    window.close()


def test_result_dialogs_offer_to_open_the_folder(
    qtbot: Any, window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from photoscan.gui.dialogs import TextDialog

    opened: list[Path] = []
    monkeypatch.setattr(files, "open_url", lambda path: opened.append(path) or True)
    dialog = TextDialog("Strip metadata", "done", "", window, tmp_path)
    assert dialog.open_button is not None and dialog.open_button.text() == "Open Folder"
    dialog.open_button.click()
    assert opened == [tmp_path]
    assert TextDialog("x", "y", "", window).open_button is None
