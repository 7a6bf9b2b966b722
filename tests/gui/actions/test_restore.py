"""File → Restore Originals… after an in-place strip in the app: the originals come back
byte for byte, a photo changed since is left alone, and the grid shows the originals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from photoscan.gui.actions.dialogs import StripChoice
from photoscan.gui.actions.restore import RestoreChoice, RestoreDialog
from photoscan.model import FindingKind
from photoscan.strip.types import StripOptions
from tests.gui.actions.test_actions import finish, gps_jpeg, kinds, scanned


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "photos"
    gps_jpeg(root / "a" / "one.jpg", 100)
    gps_jpeg(root / "b" / "two.jpg", 200)
    return root


def test_restore_after_an_in_place_strip_puts_the_originals_back(
    qtbot: Any,
    window: Any,
    library: Path,
    tmp_path: Path,
) -> None:
    actions = scanned(qtbot, window, library)
    originals = {p: p.read_bytes() for p in library.rglob("*.jpg")}
    backups = tmp_path / "backups"
    choice = StripChoice(None, backups, StripOptions())
    with qtbot.waitSignal(window.scan_completed, timeout=30_000):  # the rescan after it
        intro = finish(
            qtbot, actions, lambda: actions.run_strip(actions.selected_records(), choice)
        )
    assert "2 stripped" in intro
    assert f"To undo: File → Restore Originals… with the backup folder {backups}" in intro
    assert actions.result_dialog is not None and actions.result_dialog.open_button is not None
    assert all(FindingKind.LOCATION not in kinds(p) for p in originals)
    changed = library / "b" / "two.jpg"
    changed.write_bytes(changed.read_bytes() + b"edited later")  # changed since the strip

    def fill(dialog: RestoreDialog) -> None:
        assert dialog.folder.edit.text() == str(backups)  # this session's backup folder
        qtbot.waitUntil(lambda: dialog.choice() is not None, timeout=10_000)
        assert "2 originals to put back" in dialog.info.text()
        assert dialog.ok_button.text() == "Restore 2 Originals"

    actions.ask = lambda dialog: fill(dialog) or True  # type: ignore[func-returns-value]
    with qtbot.waitSignal(window.scan_completed, timeout=30_000):  # the grid shows them
        intro = finish(qtbot, actions, actions.restore_originals)
    assert "1 put back" in intro and "1 not put back" in intro
    body = actions.result_dialog.text.toPlainText()
    assert "not put back: b/two.jpg: changed since the strip" in body
    one = library / "a" / "one.jpg"
    assert one.read_bytes() == originals[one]
    assert changed.read_bytes() != originals[changed]  # the later edit is kept
    record = window.model.record_for("a/one.jpg")
    assert record is not None and record.gps is not None  # rescanned: the location is back

    # Asked to, it replaces the changed file too, keeping it in the backup folder first.
    edited = changed.read_bytes()
    intro = finish(qtbot, actions, lambda: actions.run_restore(RestoreChoice(backups, True)))
    assert "1 put back" in intro
    assert changed.read_bytes() == originals[changed]
    assert edited in [p.read_bytes() for p in (backups / "replaced").rglob("*") if p.is_file()]


def test_a_folder_that_is_no_backup_says_so_and_cannot_be_restored(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    dialog = RestoreDialog(tmp_path, window)
    qtbot.waitUntil(lambda: "Cannot restore" in dialog.info.text(), timeout=10_000)
    assert "photoscan-restore.jsonl" in dialog.info.text()
    assert dialog.choice() is None and not dialog.ok_button.isEnabled()
    dialog.done(0)


def test_the_restore_dialog_grows_to_show_what_it_read_whole(qtbot: Any) -> None:
    """Seen under Xvfb at 1280x800: once the backup folder was read, the dialog kept its
    first height; the two-line plan overlapped the checkbox and the intro lost its top."""
    dialog = RestoreDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog._say(" ".join(["1 original to put back, stripped on 2026-12-06."] * 6))
    qtbot.wait(10)
    layout = dialog.layout()
    assert dialog.height() >= layout.totalHeightForWidth(dialog.width())
    needed = dialog.info.heightForWidth(dialog.info.width())
    assert dialog.info.height() >= needed > dialog.info.fontMetrics().height() * 2


def test_the_restore_checkbox_is_not_cut_at_the_dialogs_width(qtbot: Any) -> None:
    """Seen under Xvfb: '... (each is kept in the backup folder under re' — a checkbox does
    not wrap, and its words ran past the dialog's right edge."""
    dialog = RestoreDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.force.geometry().right() <= dialog.width()
    assert dialog.force.width() >= dialog.force.sizeHint().width()
    assert "replaced/" in dialog.force.text() and "replaced/" in dialog.force.toolTip()
