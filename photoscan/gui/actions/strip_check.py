"""The strip dialog's "Check the files" button: the core's dry run, shown before anything is
written.

The preview the dialog opens with comes from the scan's findings; this reads every file and
runs the real strip in memory (``apply(..., dry_run=True)``), so it also says which files
would be refused or re-encoded, and why. It runs in its own ``JobRunner`` while the dialog is
open and is cancelled when the dialog closes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Slot

from photoscan.cancel import CancelToken
from photoscan.gui.actions.dialogs import StripDialog
from photoscan.gui.actions.planning import library_plan
from photoscan.gui.actions.summaries import STATUS_WORDS
from photoscan.gui.detail.pane import KIND_WORDS
from photoscan.gui.workers import JobRunner
from photoscan.model import FindingKind
from photoscan.strip.batch import apply
from photoscan.strip.types import FileResult

_KINDS = {kind.value: kind for kind in FindingKind}


def check_line(result: FileResult, root: Path) -> str:
    prefix = f"{root}/"
    name = result.path[len(prefix) :] if result.path.startswith(prefix) else result.path
    words = ", ".join(KIND_WORDS.get(_KINDS[k], k) if k in _KINDS else k for k in result.removed)
    text = f"{STATUS_WORDS[result.status]}: {name}"
    text += f" — removes {words}" if words else ""
    return text + (f" ({result.reason})" if result.reason else "")


class StripCheck(QObject):
    def __init__(self, dialog: StripDialog, root: Path, rels: Sequence[str]) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.root = root
        self.rels = tuple(rels)
        self.runner = JobRunner(self)
        self.lines: list[str] = []
        self.runner.item_ready.connect(self._on_runner_item_ready)
        self.runner.job_failed.connect(self._on_runner_job_failed)
        self.runner.job_finished.connect(self._on_runner_job_finished)
        dialog.check_button.clicked.connect(self.start)
        dialog.finished.connect(self._on_dialog_finished)

    @Slot()
    def start(self) -> None:
        if self.runner.is_running:
            return
        choice = self.dialog.choice()
        out = choice.out if choice is not None else self.root.parent / f"{self.root.name}-check"
        backup = choice.backup_dir if choice is not None else None
        options = self.dialog.options()
        root, rels = self.root, self.rels

        def job(token: CancelToken) -> Iterator[object]:
            the_plan = library_plan(root, rels, None if backup else out, backup)
            yield from apply(the_plan, options, dry_run=True, cancel=token)

        self.lines = []
        self.dialog.check_button.setEnabled(False)
        self.dialog.preview_label.setText("What will be removed (checked in the files):")
        self.dialog.preview.setPlainText("Checking the files…")
        self.runner.start(job)

    @Slot(object)
    def _on_runner_item_ready(self, item: object) -> None:
        if isinstance(item, FileResult):
            self.lines.append(check_line(item, self.root))
            self.dialog.preview.setPlainText(
                f"Checked {len(self.lines)} of {len(self.rels)} (nothing is written):\n"
                + "\n".join(self.lines)
            )

    @Slot(str)
    def _on_runner_job_failed(self, message: str) -> None:
        self.dialog.preview.setPlainText(f"Cannot check: {message}")

    @Slot(bool)
    def _on_runner_job_finished(self, cancelled: bool) -> None:
        self.dialog.check_button.setEnabled(True)

    @Slot()
    def _on_dialog_finished(self) -> None:
        self.runner.wait()
