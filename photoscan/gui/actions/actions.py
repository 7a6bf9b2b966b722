"""What the user can do from the window: strip, make share-safe copies, restore originals,
export the summary.

Each action asks with a dialog (``dialogs``, ``restore``), then runs the core's generator
off the GUI thread (``running.ActionRun``: progress, Cancel, a result dialog — never
silently). The safety rules (no output inside the photos, a backup for in-place edits, a
.zip export only ever to copies) are the core's ``strip.plan``; ``planning`` only adds the
scanned folder to them, because the user picks photos from it, and mirrors its tree in the
output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

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
)
from photoscan.gui.actions.host import ActionHost
from photoscan.gui.actions.planning import library_plan
from photoscan.gui.actions.report_pdf import export_report
from photoscan.gui.actions.restore import RestoreChoice, RestoreDialog
from photoscan.gui.actions.running import ActionRun, Outcome
from photoscan.gui.actions.share_preview import SharePreviewer
from photoscan.gui.actions.strip_check import StripCheck
from photoscan.gui.actions.summaries import (
    CHANGED,
    restore_summary,
    share_summary,
    strip_summary,
)
from photoscan.gui.actions.videos import photos_to_share
from photoscan.gui.dialogs import TextDialog
from photoscan.gui.library import files
from photoscan.gui.workers import JobRunner
from photoscan.model import PhotoRecord, Recommendation, RiskLevel
from photoscan.share import Blur, share_plan
from photoscan.share.names import NamesFile
from photoscan.strip.batch import apply
from photoscan.strip.plan import Plan
from photoscan.strip.restore import RestoreResult, RestoreStatus, plan_restore, restore
from photoscan.strip.types import FileResult

Ask = Callable[[QDialog], bool]


def ask_modal(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


class PhotoActions(QObject):
    """The window's strip / share / restore / export actions, their menu, toolbar and runs."""

    def __init__(self, host: ActionHost, parent: QWidget, ask: Ask = ask_modal) -> None:
        super().__init__(parent)
        self.host = host
        self.parent_widget = parent  # dialogs, message boxes and the actions belong to it
        self.ask = ask  # tests inject a function that fills the dialog and accepts it
        self.run = ActionRun(parent, host.show_status)
        self.run.ended.connect(self._on_run_ended)
        self.last_backup: Path | None = None  # of this session's last in-place strip
        self._then: Callable[[Outcome], None] | None = None
        self.previewer: SharePreviewer | None = None  # the open share dialog's preview

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
        self.restore_action = action("Restore &Originals…", self.restore_originals)
        self.strip_selected_action.setToolTip("Remove metadata from the selected photos")
        self.strip_flagged_action.setToolTip(
            "Remove metadata from every photo shown whose risk is low or higher"
        )
        self.restore_action.setToolTip(
            "Put the originals back from the backup folder of an in-place strip"
        )
        self.update_enabled()

    # What tests and the window reach: the runner, its progress and its result dialog.
    @property
    def runner(self) -> JobRunner:
        return self.run.runner

    @property
    def progress(self) -> QProgressDialog | None:
        return self.run.progress

    @property
    def result_dialog(self) -> TextDialog | None:
        return self.run.result_dialog

    def install(
        self, window: QMainWindow, menu: QMenu, file_menu: QMenu, before: QAction
    ) -> QToolBar:
        """The actions in ``menu`` (the window's Actions menu) and a toolbar of ``window``;
        Restore Originals in ``file_menu`` before ``before``."""
        file_menu.insertAction(before, self.restore_action)
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
        needs a finished (or cancelled) scan; a restore needs no folder open."""
        running = self.run.is_running
        idle = not running and self.host.root is not None
        for act in (self.strip_selected_action, self.strip_flagged_action, self.share_action):
            act.setEnabled(idle)
        self.export_action.setEnabled(idle and self.host.last_result is not None)
        self.restore_action.setEnabled(not running)

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

    def _can_act(self, records: Sequence[PhotoRecord], what: str) -> bool:
        if self.host.root is None or self.run.is_running:
            return False
        if not records:
            QMessageBox.information(self.parent_widget, "photoscan", f"No photos to {what}.")
        return bool(records)

    # --- strip -------------------------------------------------------------------------
    def strip_selected(self) -> None:
        self.strip(self.selected_records())

    def strip_flagged(self) -> None:
        self.strip(self.flagged_records())

    def strip(self, records: Sequence[PhotoRecord], only_location: bool = False) -> None:
        if not self._can_act(records, "strip"):
            return
        root = self.host.root
        dialog = StripDialog(records, self.parent_widget, self.host.copies_folder("cleaned"))
        dialog.only_location.setChecked(only_location)
        if root is not None and files.in_zip(root):
            dialog.copies_only()  # a zip is never changed: copies of its photos only
        if root is not None:
            StripCheck(dialog, root, [r.path for r in records])
        choice = dialog.choice() if self.ask(dialog) else None
        dialog.done(0)  # ends a running check (the dialog's StripCheck waits for it)
        dialog.deleteLater()
        if choice is not None:
            self.run_strip(records, choice)

    def run_strip(self, records: Sequence[PhotoRecord], choice: StripChoice) -> None:
        backup = choice.backup_dir.expanduser().resolve() if choice.backup_dir else None
        root = self.host.root

        def run(the_plan: Plan, token: CancelToken) -> Iterator[object]:
            return apply(the_plan, choice.options, cancel=token)

        def summary(outcome: Outcome) -> tuple[str, str]:
            done = [r for r in outcome.results if isinstance(r, FileResult)]
            return strip_summary(done, outcome.planned, outcome.cancelled, root, backup)

        if backup is not None:
            self.last_backup = backup
        then = self._rescan_if_changed if choice.out is None else None  # the grid shows it
        self._run_plan("Strip metadata", records, choice.out, backup, run, summary, then)

    # --- share -------------------------------------------------------------------------
    def share_selected(self, blur: Blur = Blur.CHILDREN) -> None:
        self.share(self.selected_records(), blur)

    def share(self, records: Sequence[PhotoRecord], blur: Blur = Blur.CHILDREN) -> None:
        shared = photos_to_share(records, self.parent_widget, self.host.show_status)
        if shared is None or not self._can_act(records := shared, "share"):
            return
        dialog = ShareDialog(len(records), blur, self.parent_widget)
        default = self.host.copies_folder("to share")
        if default is not None:
            dialog.out_field.edit.setText(str(default))
        root, current = self.host.root, self.host.current_record()
        shown = current if current in records else records[0]
        if root is not None and shown is not None:
            self.previewer = SharePreviewer(
                dialog,
                root,
                shown,
                [r.path for r in records],
                self.host.loader,
                self.host.pixelating(),
            )
        choice = dialog.choice() if self.ask(dialog) else None
        dialog.done(0)  # a preview still being made is waited for
        dialog.deleteLater()
        self.previewer = None
        if choice is not None:
            self.run_share(records, choice)

    def run_share(self, records: Sequence[PhotoRecord], choice: ShareChoice) -> None:
        out = choice.out.expanduser().resolve()
        root = self.host.root
        names = NamesFile(out)

        def run(the_plan: Plan, token: CancelToken) -> Iterator[object]:
            yield from share_plan(the_plan, out, choice.options, cancel=token, names=names)

        def summary(outcome: Outcome) -> tuple[str, str]:
            done = [r for r in outcome.results if isinstance(r, FileResult)]
            return share_summary(done, outcome.planned, outcome.cancelled, root, names)

        self._run_plan("Share-safe copies", records, choice.out, None, run, summary, None)

    def _run_plan(
        self,
        title: str,
        records: Sequence[PhotoRecord],
        out: Path | None,
        backup_dir: Path | None,
        run: Callable[[Plan, CancelToken], Iterator[object]],
        summary: Callable[[Outcome], tuple[str, str]],
        then: Callable[[Outcome], None] | None,
    ) -> None:
        """Plan (walks and checks the folders) and run, both in the worker thread."""
        root = self.host.root
        assert root is not None
        rels = [r.path for r in records]

        def job(token: CancelToken) -> Iterator[object]:
            the_plan = library_plan(root, rels, out, backup_dir)
            yield len(the_plan.jobs)
            yield from run(the_plan, token)

        self._start(title, job, len(rels), summary, then, out or backup_dir)

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

    # --- restore -----------------------------------------------------------------------
    def restore_originals(self) -> None:
        """File → Restore Originals…: undo an in-place strip from its backup folder."""
        if self.run.is_running:
            return
        dialog = RestoreDialog(self.last_backup, self.parent_widget)
        choice = dialog.choice() if self.ask(dialog) else None
        dialog.done(0)
        dialog.deleteLater()
        if choice is not None:
            self.run_restore(choice)

    def run_restore(self, choice: RestoreChoice) -> None:
        folder = choice.folder.expanduser().resolve()
        root = self.host.root

        def job(token: CancelToken) -> Iterator[object]:
            the_plan = plan_restore(folder)
            yield len(the_plan.entries)
            yield from restore(the_plan, cancel=token, force=choice.force)

        def summary(outcome: Outcome) -> tuple[str, str]:
            done = [r for r in outcome.results if isinstance(r, RestoreResult)]
            return restore_summary(done, outcome.planned, outcome.cancelled, root)

        self._start("Restore originals", job, None, summary, self._rescan_if_restored, None)

    # --- export ------------------------------------------------------------------------
    def export_summary(self) -> None:
        result = self.host.last_result
        if self.run.is_running:
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
                details=choice.details,
                cancelled=result.cancelled,
            )
            yield choice.path

        def summary(outcome: Outcome) -> tuple[str, str]:
            return "Summary saved.", f"The summary was saved to:\n{outcome.other}"

        self._start("Export summary", job, None, summary, None, choice.path.expanduser().parent)

    # --- running -----------------------------------------------------------------------
    def _start(
        self,
        title: str,
        job: Callable[[CancelToken], Iterator[object]],
        planned: int | None,
        summary: Callable[[Outcome], tuple[str, str]],
        then: Callable[[Outcome], None] | None,
        folder: Path | None,
    ) -> None:
        self._then = then
        self.run.start(title, job, planned, summary, folder)
        self.update_enabled()

    def cancel(self) -> None:
        self.run.cancel()

    @Slot(object)
    def _on_run_ended(self, outcome: Outcome) -> None:
        self.update_enabled()
        then, self._then = self._then, None
        if then is not None:
            then(outcome)

    def _rescan_if_changed(self, outcome: Outcome) -> None:
        """In place: rescan (the cache re-reads only files whose size or date changed)."""
        if any(isinstance(r, FileResult) and r.status in CHANGED for r in outcome.results):
            self.host.rescan()

    def _rescan_if_restored(self, outcome: Outcome) -> None:
        root = self.host.root
        if root is None or files.in_zip(root):
            return
        if any(
            isinstance(r, RestoreResult)
            and r.status is RestoreStatus.RESTORED
            and Path(r.path).is_relative_to(root)
            for r in outcome.results
        ):
            self.host.rescan()  # the grid shows the originals again
