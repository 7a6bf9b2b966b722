"""What the user can do from the window: strip, make share-safe copies, export the summary.

Each action asks with a dialog (``action_dialogs``), then runs the core's generator off the GUI
thread through ``workers.JobRunner`` with a progress dialog and Cancel, and always ends with a
result summary — never silently. The safety rules (no output inside the photos, a backup for
in-place edits) are the core's ``strip.batch.plan``; this module only adds the scanned folder
to them, because the user picks photos from it, and mirrors the folder tree in the output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QToolBar,
    QWidget,
)

from photoscan.cancel import CancelToken
from photoscan.gui.actions.dialogs import (
    ExportChoice,
    ExportDialog,
    ShareChoice,
    ShareDialog,
    StripChoice,
    StripDialog,
    result_summary,
)
from photoscan.gui.actions.host import ActionHost
from photoscan.gui.actions.planning import library_plan
from photoscan.gui.actions.report_pdf import export_report
from photoscan.gui.actions.strip_check import StripCheck
from photoscan.gui.dialogs import TextDialog
from photoscan.gui.workers import JobRunner
from photoscan.model import PhotoRecord, Recommendation, RiskLevel
from photoscan.share import Blur, share_plan
from photoscan.strip.batch import Plan, apply
from photoscan.strip.types import FileResult, StripStatus

Ask = Callable[[QDialog], bool]


def ask_modal(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


class PhotoActions(QObject):
    """The window's strip / share / export actions, their menu, toolbar and runs."""

    def __init__(self, host: ActionHost, parent: QWidget, ask: Ask = ask_modal) -> None:
        super().__init__(parent)
        self.host = host
        self.parent_widget = parent  # dialogs, message boxes and the actions belong to it
        self.ask = ask  # tests inject a function that fills the dialog and accepts it
        self.runner = JobRunner(self)
        self.progress: QProgressDialog | None = None
        self.result_dialog: TextDialog | None = None
        self._results: list[FileResult] = []
        self._planned: int | None = None
        self._failure = ""
        self._title = ""
        self._then: Callable[[], None] | None = None

        def action(text: str, slot: Callable[[], None], keys: str = "") -> QAction:
            act = QAction(text, parent)
            if keys:
                act.setShortcut(QKeySequence(keys))
            act.triggered.connect(lambda _checked=False: slot())
            return act

        self.strip_selected_action = action("&Strip Selected…", self.strip_selected, "Ctrl+Shift+S")
        self.strip_flagged_action = action("Strip All &Flagged…", self.strip_flagged)
        self.share_action = action("Share-Safe &Copies…", self.share_selected, "Ctrl+Shift+C")
        self.export_action = action("&Export Summary…", self.export_summary, "Ctrl+E")
        self.strip_selected_action.setToolTip("Remove metadata from the selected photos")
        self.strip_flagged_action.setToolTip(
            "Remove metadata from every photo shown whose risk is low or higher"
        )
        self.update_enabled()

    def install(self, window: QMainWindow, menu: QMenu) -> QToolBar:
        """The actions in ``menu`` (the window's Actions menu) and a toolbar of ``window``."""
        toolbar = QToolBar("Actions", window)
        toolbar.setObjectName("actions-toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for act in self.all_actions:
            menu.addAction(act)
            toolbar.addAction(act)
        window.addToolBar(toolbar)
        return toolbar

    @Slot()
    def update_enabled(self) -> None:
        """Nothing to act on before a folder is open, and one action at a time; the summary
        needs a finished (or cancelled) scan."""
        idle = not self.runner.is_running and self.host.root is not None
        for act in (self.strip_selected_action, self.strip_flagged_action, self.share_action):
            act.setEnabled(idle)
        self.export_action.setEnabled(idle and self.host.last_result is not None)

    @property
    def all_actions(self) -> tuple[QAction, ...]:
        return (
            self.strip_selected_action,
            self.strip_flagged_action,
            self.share_action,
            self.export_action,
        )

    # --- which photos ----------------------------------------------------------------
    def selected_records(self) -> list[PhotoRecord]:
        """The selected photos (the current one when nothing is selected), in view order."""
        return self.host.selected_records()

    def flagged_records(self) -> list[PhotoRecord]:
        """Every photo the current filter shows whose risk is low or higher."""
        return [
            r
            for r in self.host.shown_records()
            if r.risk is not None and r.risk.level != RiskLevel.NONE
        ]

    def _writable_root(self) -> Path | None:
        root = self.host.root
        if root is None:
            return None
        if not root.is_dir():
            QMessageBox.information(
                self.parent_widget,
                "photoscan",
                "Photos inside a .zip export cannot be changed. Extract the export to a folder "
                "and open that folder.",
            )
            return None
        return root

    def _nothing(self, what: str) -> None:
        QMessageBox.information(self.parent_widget, "photoscan", f"No photos to {what}.")

    # --- strip -------------------------------------------------------------------------
    def strip_selected(self) -> None:
        self.strip(self.selected_records())

    def strip_flagged(self) -> None:
        self.strip(self.flagged_records())

    def _can_act(self, records: Sequence[PhotoRecord], what: str) -> bool:
        if self._writable_root() is None or self.runner.is_running:
            return False
        if not records:
            self._nothing(what)
        return bool(records)

    def strip(self, records: Sequence[PhotoRecord], only_location: bool = False) -> None:
        if not self._can_act(records, "strip"):
            return
        root = self.host.root
        dialog = StripDialog(records, self.parent_widget, self.host.copies_folder("cleaned"))
        dialog.only_location.setChecked(only_location)
        if root is not None:
            StripCheck(dialog, root, [r.path for r in records])
        choice = dialog.choice() if self.ask(dialog) else None
        dialog.done(0)  # ends a running check (the dialog's StripCheck waits for it)
        if choice is not None:
            self.run_strip(records, choice)

    def run_strip(self, records: Sequence[PhotoRecord], choice: StripChoice) -> None:
        def run(the_plan: Plan, token: CancelToken) -> Iterator[FileResult]:
            return apply(the_plan, choice.options, cancel=token)

        then = self.host.rescan if choice.out is None else None  # the grid shows the result
        self._run_plan("Strip metadata", records, choice.out, choice.backup_dir, run, then)

    # --- share -------------------------------------------------------------------------
    def share_selected(self, blur: Blur = Blur.CHILDREN) -> None:
        self.share(self.selected_records(), blur)

    def share(self, records: Sequence[PhotoRecord], blur: Blur = Blur.CHILDREN) -> None:
        if not self._can_act(records, "share"):
            return
        dialog = ShareDialog(len(records), blur, self.parent_widget)
        default = self.host.copies_folder("to share")
        if default is not None:
            dialog.out_field.edit.setText(str(default))
        choice = dialog.choice() if self.ask(dialog) else None
        if choice is not None:
            self.run_share(records, choice)

    def run_share(self, records: Sequence[PhotoRecord], choice: ShareChoice) -> None:
        out = choice.out.expanduser().resolve()

        def run(the_plan: Plan, token: CancelToken) -> Iterator[FileResult]:
            return share_plan(the_plan, out, choice.options, cancel=token)

        self._run_plan("Share-safe copies", records, choice.out, None, run, None)

    def _run_plan(
        self,
        title: str,
        records: Sequence[PhotoRecord],
        out: Path | None,
        backup_dir: Path | None,
        run: Callable[[Plan, CancelToken], Iterator[FileResult]],
        then: Callable[[], None] | None,
    ) -> None:
        """Plan (walks and checks the folders) and run, both in the worker thread."""
        root = self.host.root
        assert root is not None
        rels = [r.path for r in records]

        def job(token: CancelToken) -> Iterator[object]:
            the_plan = library_plan(root, rels, out, backup_dir)
            yield len(the_plan.jobs)
            yield from run(the_plan, token)

        self._start(title, job, len(rels), then, out or backup_dir)

    @Slot(object)
    def run_recommendation(self, recommendation: Recommendation) -> None:
        """A button next to a recommendation in the detail pane: act on the current photo."""
        record = self.host.current_record()
        if record is None:
            return
        if recommendation is Recommendation.STRIP_LOCATION:
            self.strip([record], only_location=True)
        elif recommendation is Recommendation.STRIP_METADATA:
            self.strip([record])
        elif recommendation in (Recommendation.BLUR_CHILDREN, Recommendation.BLUR_FACES):
            self.host.select_path(record.path)
            blur = Blur.CHILDREN if recommendation is Recommendation.BLUR_CHILDREN else Blur.FACES
            self.share_selected(blur)

    # --- export ------------------------------------------------------------------------
    def export_summary(self) -> None:
        result = self.host.last_result
        if self.runner.is_running:
            return
        if result is None:
            QMessageBox.information(self.parent_widget, "photoscan", "Wait for the scan to finish.")
            return
        default = Path.home() / f"photoscan-{result.root.stem or 'summary'}.html"
        dialog = ExportDialog(default, self.parent_widget)
        choice = dialog.choice() if self.ask(dialog) else None
        if choice is not None:
            self.run_export(choice)

    def run_export(self, choice: ExportChoice) -> None:
        """The whole export runs off the GUI thread, PDF typesetting included: Qt paints text
        onto a QPdfWriter in a QThread, and 5,000 photos take about 6 s to typeset."""
        result = self.host.last_result
        assert result is not None

        def job(token: CancelToken) -> Iterator[object]:
            export_report(
                choice.path,
                choice.fmt,
                result.root,
                result.photos,
                result.errors,
                result.places,
                include_locations=choice.include_locations,
                cancelled=result.cancelled,
            )
            yield choice.path

        self._start("Export summary", job, None, None, choice.path.expanduser().parent)

    # --- running -----------------------------------------------------------------------
    def _start(
        self,
        title: str,
        job: Callable[[CancelToken], Iterator[object]],
        planned: int | None,
        then: Callable[[], None] | None,
        folder: Path | None,
    ) -> None:
        """Run ``job`` with a progress dialog; the result dialog offers to open ``folder``
        (where it wrote) unless nothing was written."""
        self._results, self._planned, self._failure = [], planned, ""
        self._title, self._then, self._export = title, then, None
        self._folder = folder
        progress = QProgressDialog(f"{title}…", "Cancel", 0, planned or 0, self.parent_widget)
        progress.setWindowTitle(title)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(self.runner.cancel)
        self.progress = progress
        self.runner.item_ready.connect(self._on_runner_item_ready)
        self.runner.job_failed.connect(self._on_runner_job_failed)
        self.runner.job_finished.connect(self._on_runner_job_finished)
        self.runner.start(job)
        self.update_enabled()

    def cancel(self) -> None:
        self.runner.cancel()

    @Slot(object)
    def _on_runner_item_ready(self, item: object) -> None:
        progress = self.progress
        if isinstance(item, int) and progress is not None:
            self._planned = item
            progress.setMaximum(item)
        elif isinstance(item, FileResult):
            self._results.append(item)
            if progress is not None:
                progress.setValue(len(self._results))
                progress.setLabelText(f"{self._title}: {item.path}")
        else:
            self._export = item

    @Slot(str)
    def _on_runner_job_failed(self, message: str) -> None:
        self._failure = message

    @Slot(bool)
    def _on_runner_job_finished(self, cancelled: bool) -> None:
        for signal, slot in (
            (self.runner.item_ready, self._on_runner_item_ready),
            (self.runner.job_failed, self._on_runner_job_failed),
            (self.runner.job_finished, self._on_runner_job_finished),
        ):
            signal.disconnect(slot)
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        if self._failure:
            intro, body = f"{self._title}: nothing was done.", self._failure
        elif self._planned is None:  # an export
            intro, body = self._finish_export()
        else:
            intro, body = result_summary(
                self._title, self._results, self._planned, cancelled, self.host.root
            )
        self.host.show_status(intro)
        self.update_enabled()
        folder = self._folder
        if self._failure or folder is None or not folder.is_dir():
            folder = None  # nothing was written there
        self.result_dialog = TextDialog(self._title, intro, body, self.parent_widget, folder)
        self.result_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.result_dialog.show()
        then, self._then = self._then, None
        changed = (StripStatus.STRIPPED, StripStatus.REENCODED)
        if then is not None and any(r.status in changed for r in self._results):
            then()  # in place: rescan (the cache re-reads only files whose mtime/size changed)

    def _finish_export(self) -> tuple[str, str]:
        path, self._export = self._export, None
        return "Summary saved.", f"The summary was saved to:\n{path}"

    _export: Any = None
    _folder: Path | None = None
