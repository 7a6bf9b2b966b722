"""About box, the problems list, logging set-up, and the dialog for unexpected errors.

Unexpected exceptions reach ``sys.excepthook`` (Vorta's pattern): the traceback goes to a
rotating log file in the platformdirs log directory, and the user sees what happened and
where that file is. Logs never contain metadata values (GPS, names, serials): the code logs
kinds and counts, and file names only at DEBUG.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from collections.abc import Sequence
from html import escape
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from photoscan import __version__
from photoscan.cli.about import LICENCE, OFFLINE, carrier, model_lines
from photoscan.gui.library import files
from photoscan.model import FileError
from photoscan.paths import create_private_file, log_dir

log = logging.getLogger(__name__)

LOG_NAME = "photoscan.log"


def log_file() -> Path:
    return log_dir() / LOG_NAME


def setup_logging(level: int = logging.INFO) -> Path:
    """Log to a rotating, owner-only file; returns its path (shown in the error dialog)."""
    path = log_file()
    create_private_file(path)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    if not any(
        isinstance(h, logging.handlers.RotatingFileHandler)
        and getattr(h, "baseFilename", "") == str(path)
        for h in root.handlers
    ):
        root.addHandler(handler)
    else:
        handler.close()
    root.setLevel(level)
    return path


def about_html() -> str:
    """The About box: version, what photoscan does, that it sends nothing, its licence, and
    every model it runs with that model's licence and the package it came in (the text of
    ``photoscan --version``, as rich text; every value is escaped)."""
    rows = "".join(
        f"<tr><td>{escape(line.model.name)}<br><small>{escape(line.model.use)}</small></td>"
        f"<td>{escape(line.model.licence)}</td>"
        f"<td>{escape(carrier(line) if line.path is not None else 'not installed')}</td></tr>"
        for line in model_lines()
    )
    return (
        f"<h3>photoscan {escape(__version__)}</h3>"
        "<p>Shows what your photos give away — faces (children above all), locations, names, "
        "device ids, hidden thumbnails — and helps you strip it before you share.</p>"
        f"<p><b>{escape(OFFLINE)}</b></p>"
        f"<p>Licence: {escape(LICENCE)}.</p>"
        "<p>The models it runs, all on this computer:</p>"
        "<table cellspacing='4'><tr><th align='left'>Model</th><th align='left'>Licence</th>"
        f"<th align='left'>Installed with</th></tr>{rows}</table>"
    )


def show_about(parent: QWidget | None) -> None:
    QMessageBox.about(parent, "About photoscan", about_html())


FIT_LINES = 8  # a result this short gets a text box of its own height, not 420 px


class TextDialog(QDialog):
    """A read-only, plain-text report (file names may be hostile: never rich text).

    With ``folder`` (where an action wrote its copies, backups or summary) it offers an
    "Open Folder" button that shows that folder in the file manager."""

    def __init__(
        self,
        title: str,
        intro: str,
        body: str,
        parent: QWidget | None = None,
        folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.folder = folder
        self.setWindowTitle(title)
        self.intro = label = QLabel(self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setText(intro)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setPlainText(body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.open_button: QPushButton | None = None
        if folder is not None:
            self.open_button = buttons.addButton(
                "Open Folder", QDialogButtonBox.ButtonRole.ActionRole
            )
            self.open_button.setToolTip(str(folder))
            self.open_button.clicked.connect(self._on_open_button_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        lines = body.count("\n") + 1
        if lines <= FIT_LINES:  # "The summary was saved to: …": no big empty box below it
            frame = 2 * (self.text.frameWidth() + round(self.text.document().documentMargin()))
            # one line spare: a long path may wrap
            self.text.setFixedHeight(self.text.fontMetrics().lineSpacing() * (lines + 1) + frame)
            self.resize(640, self.sizeHint().height())
        else:
            self.resize(640, 420)

    def _on_open_button_clicked(self) -> None:
        if self.folder is not None:
            files.open_url(self.folder)


NOT_MEDIA = "unsupported format: "  # how discovery's reason starts for a file of no kind read


def problems_dialog(errors: Sequence[FileError], parent: QWidget | None) -> TextDialog:
    """Every file the scan did not read, the photos and videos that could not be read first
    (those may still give something away), then the files that are no photo or video at all
    (a MANIFEST.tsv beside the photos read like a damaged photo when all were one list)."""
    unread = [f"{e.path}: {e.reason}" for e in errors if not e.reason.startswith(NOT_MEDIA)]
    other = [
        f"{e.path}: {e.reason.removeprefix(NOT_MEDIA)}"
        for e in errors
        if e.reason.startswith(NOT_MEDIA)
    ]
    parts = []
    if unread:
        parts.append(f"Could not be read ({len(unread)}):\n" + "\n".join(unread))
    if other:
        parts.append(f"Not photos or videos, left as they are ({len(other)}):\n" + "\n".join(other))
    n = len(errors)
    intro = (
        f"{n} file{'s were' if n != 1 else ' was'} not read. "
        "They are listed here so that nothing is skipped silently."
    )
    return TextDialog("Files photoscan did not read", intro, "\n\n".join(parts), parent)


def crash_dialog(summary: str, parent: QWidget | None = None) -> TextDialog:
    path = log_file()
    intro = (
        "Something went wrong inside photoscan. Your photos were not changed.\n\n"
        f"The details were written to the log file:\n{path}\n\n"
        "If you report this, please attach that file (it contains no locations or names)."
    )
    return TextDialog("Unexpected error", intro, summary, parent)


def install_excepthook() -> None:
    """Log unexpected exceptions and tell the user, instead of dying silently.

    The dialog is shown from the event loop, never from inside the hook: the exception may
    come from a paint event, and a nested modal loop there would freeze the window. One
    dialog at a time; later errors only go to the log.
    """
    previous = sys.excepthook
    shown: list[TextDialog] = []

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        # Type and frames only: an exception's message may quote a metadata value.
        frames = "".join(traceback.format_tb(tb))
        log.error("unexpected error: %s\n%s", exc_type.__name__, frames)
        if QApplication.instance() is None:
            previous(exc_type, exc, tb)
            return
        if shown and shown[0].isVisible():
            return
        summary = "".join(traceback.format_exception_only(exc_type, exc)).strip()
        QTimer.singleShot(0, lambda: _show(summary))

    def _show(summary: str) -> None:
        dialog = crash_dialog(summary, QApplication.activeWindow())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        shown[:] = [dialog]
        dialog.show()

    sys.excepthook = hook
