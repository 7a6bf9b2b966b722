"""One action at a time, off the GUI thread: a progress dialog with Cancel, then a result.

Every action the user starts (strip, share-safe copies, restore, the summary export) is a
core generator run by ``workers.JobRunner``; ``ActionRun`` shows its progress (an ``int``
item is the number of files planned, each result item is one file done), lets Cancel reach
the core's ``CancelToken`` — the core stops between files and every file already written is
still reported — and always ends with a result dialog, never silently: what was done, what
was not and why, and the folder it wrote to, with an "Open Folder" button.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from photoscan.cancel import CancelToken
from photoscan.gui.dialogs import TextDialog
from photoscan.gui.workers import JobRunner
from photoscan.strip.restore import RestoreResult
from photoscan.strip.types import FileResult

Job = Callable[[CancelToken], Iterator[object]]


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a run ended: its per-file results (or its one other item, an export's path)."""

    results: tuple[FileResult | RestoreResult, ...]
    planned: int | None
    cancelled: bool
    failure: str  # the whole job could not run: why ('' when it ran)
    other: object = None


Summary = Callable[[Outcome], tuple[str, str]]  # (intro, body) of the result dialog


class ActionRun(QObject):
    ended = Signal(object)  # Outcome, after the result dialog is shown

    def __init__(self, parent: QWidget, show_status: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.show_status = show_status
        self.runner = JobRunner(self)
        self.progress: QProgressDialog | None = None
        self.result_dialog: TextDialog | None = None
        self.outcome: Outcome | None = None
        self._title = ""
        self._results: list[FileResult | RestoreResult] = []
        self._planned: int | None = None
        self._failure = ""
        self._other: object = None
        self._summary: Summary | None = None
        self._folder: Path | None = None
        self.runner.item_ready.connect(self._on_runner_item_ready)
        self.runner.job_failed.connect(self._on_runner_job_failed)
        self.runner.job_finished.connect(self._on_runner_job_finished)

    @property
    def is_running(self) -> bool:
        return self.runner.is_running

    def start(
        self, title: str, job: Job, planned: int | None, summary: Summary, folder: Path | None
    ) -> None:
        """Run ``job``; ``summary`` words its outcome; the result offers to open ``folder``
        (where it wrote) when it exists and the job ran."""
        self._title, self._summary, self._folder = title, summary, folder
        self._results, self._planned, self._failure, self._other = [], planned, "", None
        progress = QProgressDialog(f"{title}…", "Cancel", 0, planned or 0, self.parent_widget)
        progress.setWindowTitle(title)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(self.runner.cancel)
        self.progress = progress
        self.runner.start(job)

    def cancel(self) -> None:
        self.runner.cancel()

    def wait(self) -> bool:
        return self.runner.wait()

    @Slot(object)
    def _on_runner_item_ready(self, item: object) -> None:
        progress = self.progress
        if isinstance(item, int) and progress is not None:
            self._planned = item
            progress.setMaximum(item)
        elif isinstance(item, FileResult | RestoreResult):
            self._results.append(item)
            if progress is not None:
                progress.setValue(len(self._results))
                progress.setLabelText(f"{self._title}: {item.path}")
        else:
            self._other = item

    @Slot(str)
    def _on_runner_job_failed(self, message: str) -> None:
        self._failure = message

    @Slot(bool)
    def _on_runner_job_finished(self, cancelled: bool) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        outcome = Outcome(
            tuple(self._results), self._planned, cancelled, self._failure, self._other
        )
        self.outcome = outcome
        if outcome.failure:
            intro, body = f"{self._title}: nothing was done.", outcome.failure
        elif self._summary is not None:
            intro, body = self._summary(outcome)
        else:
            intro, body = f"{self._title}: done.", ""
        self.show_status(intro)
        folder = self._folder
        if outcome.failure or folder is None or not folder.is_dir():
            folder = None  # nothing was written there
        self.result_dialog = TextDialog(self._title, intro, body, self.parent_widget, folder)
        self.result_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.result_dialog.show()
        self.ended.emit(outcome)
