"""How the window tells about the scan: the progress bar, Cancel, "N files not read", the
words when a scan cannot run or stops on an unexpected error.

``ScanFeedback`` connects the ``ScanSession``'s signals to the scan bar, the problems
button and the status line; the window itself only hears when the scan is complete.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QLabel, QToolButton, QWidget

from photoscan.gui.dialogs import problems_dialog
from photoscan.gui.window.scanbar import ScanBar
from photoscan.gui.window.session import ScanSession


class ScanFeedback(QObject):
    def __init__(
        self,
        session: ScanSession,
        scan_bar: ScanBar,
        problems: QToolButton,
        status: QLabel,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.session, self.scan_bar = session, scan_bar
        self.problems, self.status = problems, status
        self.parent_widget = parent
        session.controller.progress_changed.connect(scan_bar.update_progress)
        session.errors_changed.connect(self._on_session_errors_changed)
        session.scan_completed.connect(self._on_session_scan_ended)
        session.scan_failed.connect(self._on_session_scan_failed)
        session.scan_crashed.connect(self._on_session_scan_crashed)
        scan_bar.cancel_button.clicked.connect(self.cancel)
        problems.clicked.connect(self.show_problems)

    def begin(self) -> None:
        """A new scan: no problems yet, the bar busy until the first count."""
        self.problems.hide()
        self.scan_bar.begin()

    @Slot()
    def cancel(self) -> None:
        self.scan_bar.cancel_button.setEnabled(False)
        self.scan_bar.label.setText("Cancelling…")
        self.session.cancel()

    @Slot()
    def show_problems(self) -> None:
        problems_dialog(self.session.errors, self.parent_widget).exec()

    @Slot(int)
    def _on_session_errors_changed(self, count: int) -> None:
        self.problems.setText(f"{count} file{'s' if count != 1 else ''} not read")
        self.problems.show()

    @Slot()
    def _on_session_scan_ended(self) -> None:
        self.scan_bar.hide()

    @Slot(str)
    def _on_session_scan_failed(self, message: str) -> None:
        self.scan_bar.hide()
        self.status.setText(f"Cannot scan: {message}")

    @Slot(str)
    def _on_session_scan_crashed(self, name: str) -> None:
        self.scan_bar.hide()
        self.status.setText(
            f"The scan stopped because of an unexpected error ({name}); see the log."
        )
