"""How the window follows a scan: records in, errors counted, the end of the scan.

A mixin of ``MainWindow`` (its slots connect to ``ScanController`` and ``RecordFeeder``), kept
apart so that the window module stays about layout and wiring.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

from photoscan.gui.window.dialogs import problems_dialog
from photoscan.model import FileError
from photoscan.scan.events import ScanResult

if TYPE_CHECKING:
    from photoscan.gui.window.main import MainWindow

log = logging.getLogger("photoscan.gui.window.main")


class ScanEventsMixin:
    @Slot(list)
    def _on_controller_files_failed(self: MainWindow, errors: list[FileError]) -> None:
        self.errors.extend(errors)
        n = len(self.errors)
        self.problems_button.setText(f"{n} file{'s' if n != 1 else ''} not read")
        self.problems_button.show()

    @Slot(object)
    def _on_controller_scan_finished(self: MainWindow, result: ScanResult) -> None:
        self._finished_in = time.monotonic() - self._scan_started_at
        self._pending_result = result
        if not self.feeder.pending:
            self._on_feeder_drained()

    @Slot()
    def _on_feeder_drained(self: MainWindow) -> None:
        result, self._pending_result = self._pending_result, None
        if result is not None:
            self._finish_scan(result)

    @Slot()
    def _on_feeder_settled(self: MainWindow) -> None:
        if self.model.has_unsorted_tail:  # a flood of cached results is over: sort it once
            self.model.resort()

    def _finish_scan(self: MainWindow, result: ScanResult) -> None:
        self.last_result = result
        changed = [r for r in result.photos if self.model.record_for(r.path) != r]
        if changed:
            self.model.add_records(changed)
        self.model.resort()
        auto = self._auto_selected
        current = self.current_record()
        if auto is not None and current is not None and current.path == auto.path:
            self._select_first()  # the user has not chosen yet: show the riskiest photo
        if result.errors and len(result.errors) != len(self.errors):
            self.errors = list(result.errors)
            self._on_controller_files_failed([])
        self.scan_bar.hide()
        self._on_counts_timer_timeout()
        log.info(
            "scan finished: %d photos, %d errors, cancelled=%s",
            len(result.photos),
            len(result.errors),
            result.cancelled,
        )
        self.scan_completed.emit(result)

    @Slot(str)
    def _on_controller_scan_failed(self: MainWindow, message: str) -> None:
        self.scan_bar.hide()
        self.status.setText(f"Cannot scan: {message}")

    @Slot(str)
    def _on_controller_scan_crashed(self: MainWindow, name: str) -> None:
        self.scan_bar.hide()
        self.status.setText(
            f"The scan stopped because of an unexpected error ({name}); see the log."
        )

    @Slot()
    def _on_problems_button_clicked(self: MainWindow) -> None:
        problems_dialog(self.errors, self).exec()
