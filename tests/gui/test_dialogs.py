"""Unexpected errors: logged without metadata values, and shown with the log file's place."""

from __future__ import annotations

import logging
import sys

from PySide6.QtWidgets import QApplication

from photoscan.gui.dialogs import TextDialog, install_excepthook, log_file, setup_logging

SECRET = "-".join(["GPS 47.6205", "122.3493 of Jane Doe"])  # not a literal in the traceback


def test_unexpected_error_is_logged_without_its_message_and_shown(qtbot) -> None:
    path = setup_logging()
    previous = sys.excepthook
    try:
        install_excepthook()
        try:
            raise ValueError(SECRET)  # a value from a file, as in real code
        except ValueError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)

        def dialog() -> TextDialog | None:
            found = [w for w in QApplication.topLevelWidgets() if isinstance(w, TextDialog)]
            return next((w for w in found if w.isVisible()), None)

        qtbot.waitUntil(lambda: dialog() is not None, timeout=2000)
        shown = dialog()
        assert shown is not None
        assert str(log_file()) in shown.intro.text()
        assert "ValueError" in shown.text.toPlainText()
        shown.close()
    finally:
        sys.excepthook = previous
        for handler in logging.getLogger().handlers[:]:
            if getattr(handler, "baseFilename", "") == str(path):
                logging.getLogger().removeHandler(handler)
                handler.close()
    text = path.read_text(encoding="utf-8")
    assert "unexpected error: ValueError" in text
    assert "47.6205" not in text and "Jane Doe" not in text
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_about_box_shows_version_licence_models_and_that_nothing_is_sent() -> None:
    from photoscan import __version__
    from photoscan.cli.about import LICENCE
    from photoscan.faces import models
    from photoscan.gui.dialogs import about_html

    html = about_html()
    assert f"photoscan {__version__}" in html
    assert LICENCE in html
    assert "sends nothing anywhere" in html
    for model in models.MODELS:
        assert model.name in html
        assert f"<td>{model.licence}</td>" in html
    assert "not installed" not in html


def test_a_short_result_gets_a_box_of_its_size_a_long_one_scrolls(qtbot) -> None:
    """'The summary was saved to: <file>' sat in a 420 px dialog of empty text box (seen under
    Xvfb); a short body is shown whole in a box of its height, a long one scrolls."""
    short = TextDialog("Summary", "Summary saved.", "The summary was saved to:\n/tmp/s.html")
    long = TextDialog("Strip", "100 files handled.", "\n".join(f"f{i}.jpg" for i in range(100)))
    for dialog in (short, long):
        qtbot.addWidget(dialog)
        dialog.show()
    assert short.height() < 250 and long.height() >= 420
    assert short.text.height() >= 2 * short.text.fontMetrics().lineSpacing()
    QApplication.processEvents()  # the text laid out in its box
    assert short.text.verticalScrollBar().maximum() == 0  # nothing hidden


def test_files_not_read_say_which_could_not_be_read_and_which_are_not_photos(qtbot) -> None:
    """Under Xvfb on b_group_photos, its two TSV files were "2 files could not be fully read":
    the photos that could not be read come first, the files of no kind photoscan reads apart."""
    from photoscan.gui.dialogs import problems_dialog
    from photoscan.model import FileError

    errors = [
        FileError("MANIFEST.tsv", "unsupported format: plain text"),
        FileError("kid.jpg", "truncated JPEG"),
        FileError("clip.avi", "unsupported video format: MPEG program stream"),
    ]
    dialog = problems_dialog(errors, None)
    qtbot.addWidget(dialog)
    body = dialog.text.toPlainText()
    assert body == (
        "Could not be read (2):\nkid.jpg: truncated JPEG\n"
        "clip.avi: unsupported video format: MPEG program stream\n\n"
        "Not photos or videos, left as they are (1):\nMANIFEST.tsv: plain text"
    )
    assert dialog.windowTitle() == "Files photoscan did not read"
    only = problems_dialog([errors[0]], None)
    qtbot.addWidget(only)
    assert only.text.toPlainText().startswith("Not photos or videos")


def test_the_in_place_strip_says_which_folder_it_asks_for(qtbot) -> None:
    """Seen under Xvfb: 'Clean in place' offered an empty field reading 'Choose a folder…'
    under 'Save cleaned copies to a folder': which folder, the parent could not tell."""
    from photoscan.gui.actions.dialogs import StripDialog
    from tests.gui.factories import record as make_record

    dialog = StripDialog([make_record("a.jpg")])
    qtbot.addWidget(dialog)
    assert "backups of the originals" in dialog.backup_field.edit.placeholderText()
    assert "cleaned copies" in dialog.out_field.edit.placeholderText()
