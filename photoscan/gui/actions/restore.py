"""File → Restore Originals…: undo an in-place strip from its backup folder.

The dialog asks for the backup folder (the last one this session used is filled in) and
reads its restore manifest off the GUI thread (``strip.restore.plan_restore``: a manifest
can list a million files) to say how many originals it can put back before anything is
done. The restore itself is the core's ``restore`` generator, run by the window's actions
with progress and Cancel; files changed since the strip are left alone unless the parent
asks, and then each is kept in the backup folder first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from photoscan.cancel import CancelToken
from photoscan.gui.actions.dialogs import FolderField, plain
from photoscan.gui.workers import JobRunner
from photoscan.strip.restore import RestorePlan, plan_restore

READ_DELAY_MS = 250  # after the last keystroke in the folder field


@dataclass(frozen=True, slots=True)
class RestoreChoice:
    folder: Path
    force: bool  # also replace files changed since the strip (each kept under replaced/)


def describe(the_plan: RestorePlan) -> str:
    n = len(the_plan.entries)
    if not n:
        return "This backup folder lists no file to put back."
    dates = sorted(e.stripped_at[:10] for e in the_plan.entries if e.stripped_at)
    when = ""
    if dates:
        when = (
            f", stripped on {dates[0]}"
            if dates[0] == dates[-1]
            else (f", stripped between {dates[0]} and {dates[-1]}")
        )
    text = f"{n:,} original{'s' if n != 1 else ''} to put back{when}."
    if the_plan.unreadable_lines:
        text += f" {the_plan.unreadable_lines} line(s) of its list could not be read."
    return text + " Each is checked against what the strip wrote before it is replaced."


class RestoreDialog(QDialog):
    def __init__(self, default: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore originals")
        self.folder = FolderField("The backup folder of an in-place strip", self)
        self.info = plain("", self)
        self.force = QCheckBox(
            "Also replace photos changed since the strip (kept in replaced/ first)",
            self,
        )
        self.force.setToolTip(
            "Without this, a photo edited after the strip is left as it is. With it, each "
            "is first kept in the backup folder under replaced/"
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(
            plain(
                "Put the original photos back from the backup folder of an in-place strip. "
                "Only photos that are still as the strip left them are replaced.",
                self,
            )
        )
        layout.addWidget(self.folder)
        layout.addWidget(self.info)
        layout.addWidget(self.force)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self.plan: RestorePlan | None = None
        self.runner = JobRunner(self)
        self.runner.item_ready.connect(self._on_runner_item_ready)
        self.runner.job_failed.connect(self._on_runner_job_failed)
        self.runner.job_finished.connect(self._on_runner_job_finished)
        self._again = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(READ_DELAY_MS)
        self._timer.timeout.connect(self.read)
        self.folder.edit.textChanged.connect(self._on_folder_changed)
        self.finished.connect(lambda _result: self.runner.wait())
        if default is not None:
            self.folder.edit.setText(str(default))
        self._on_folder_changed()

    def _say(self, text: str) -> None:
        """The line under the folder; the dialog grows to show it whole (under Xvfb the
        two-line plan overlapped the checkbox and the intro lost its top)."""
        self.info.setText(text)
        self._layout.activate()
        needed = self._layout.totalHeightForWidth(self.width())
        self.resize(self.width(), max(self.height(), needed))

    def choice(self) -> RestoreChoice | None:
        """The choice, or None until the folder's manifest was read and lists files."""
        folder = self.folder.path()
        if folder is None or self.plan is None or not self.plan.entries:
            return None
        return RestoreChoice(folder, self.force.isChecked())

    @Slot()
    def _on_folder_changed(self) -> None:
        self.plan = None
        self.ok_button.setEnabled(False)
        self.ok_button.setText("Restore")
        folder = self.folder.path()
        self._say("Reading the backup folder…" if folder else "Choose the backup folder.")
        if folder is not None:
            self._timer.start()

    @Slot()
    def read(self) -> None:
        """Read the folder's restore manifest in a worker thread."""
        self._timer.stop()
        folder = self.folder.path()
        if folder is None:
            return
        if self.runner.is_running:
            self._again = True
            return

        def job(token: CancelToken) -> Iterator[object]:
            yield folder, plan_restore(folder.expanduser().resolve())

        self.runner.start(job)

    @Slot(object)
    def _on_runner_item_ready(self, item: object) -> None:
        if not isinstance(item, tuple):
            return
        folder, the_plan = item
        if folder != self.folder.path() or not isinstance(the_plan, RestorePlan):
            return  # the field changed meanwhile: another read follows
        self.plan = the_plan
        self._say(describe(the_plan))
        n = len(the_plan.entries)
        self.ok_button.setText(f"Restore {n:,} Original{'s' if n != 1 else ''}")
        self.ok_button.setEnabled(n > 0)

    @Slot(str)
    def _on_runner_job_failed(self, message: str) -> None:
        self._say(f"Cannot restore from this folder: {message}")

    @Slot(bool)
    def _on_runner_job_finished(self, cancelled: bool) -> None:
        if self._again:
            self._again = False
            self.read()
