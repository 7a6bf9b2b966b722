"""The parent's marks from the photo menu: Mark Reviewed, Mark as Child, Mark as Not a Child.

Each goes through ``library.decide.Decider`` (the one door for decisions): the photos'
content is hashed, the decision stored, and each photo comes back assessed again, so the
grid, the filters and the detail pane show at once what a rescan would say. Hashing reads
every photo, so the work runs off the GUI thread (``JobRunner``); the Decider (its SQLite
connection) is made and closed in that thread. A photo that cannot be read or a library
that cannot be written stops the job with its reason on the status line; what was saved
before stays saved. Success needs no message: the badges, the counts and the panes change.

A mark can be made while a scan runs, and the scan's later results for that photo (its faces,
the final result) carry the decisions the scan read when it began. ``SessionMarks`` keeps the
marks made since the scan started, and every record going into the model gets them applied,
so the parent's latest word always wins, whichever arrives last.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from photoscan import risk
from photoscan.cancel import CancelToken
from photoscan.gui.library.models import PhotoTableModel
from photoscan.gui.workers import JobRunner
from photoscan.library.decide import Decider
from photoscan.model import Decisions, Mark, PhotoRecord, RiskContext

BATCH = 200  # photos per transaction when marking reviewed


class Decision(Enum):
    REVIEWED = "reviewed"
    NOT_REVIEWED = "not reviewed"
    CHILD = "a child"
    NOT_CHILD = "not a child"


_MARKS = {Decision.CHILD: Mark.CHILD, Decision.NOT_CHILD: Mark.NOT_CHILD}


def can_mark_faces(records: Sequence[PhotoRecord]) -> bool:
    """Whether "Mark as Child" has a face to mark (photoscan found one) in any of them."""
    return any(Decider.can_mark(r) for r in records)


def all_reviewed(records: Sequence[PhotoRecord]) -> bool:
    return bool(records) and all(r.decisions.reviewed for r in records)


def decide(
    root: Path,
    records: Sequence[PhotoRecord],
    decision: Decision,
    context: RiskContext,
    token: CancelToken,
) -> Iterator[PhotoRecord]:
    """The decision stored for ``records``; yields each one's record, assessed again."""
    decider = Decider(root, context=context)
    try:
        if decision in (Decision.REVIEWED, Decision.NOT_REVIEWED):
            for start in range(0, len(records), BATCH):
                if token.is_cancelled:
                    return
                chunk = records[start : start + BATCH]
                yield from decider.set_reviewed(chunk, decision is Decision.REVIEWED)
            return
        for record in records:
            if token.is_cancelled:
                return
            if Decider.can_mark(record):
                yield decider.mark_photo(record, _MARKS[decision])
    finally:
        decider.close()


def decide_one(
    root: Path,
    record: PhotoRecord,
    change: Callable[[Decider, PhotoRecord], PhotoRecord],
    context: RiskContext,
) -> Iterator[PhotoRecord]:
    """One face's decision (``change``: the Decider's ``mark_face``, ``add_face``...)."""
    decider = Decider(root, context=context)
    try:
        yield change(decider, record)
    finally:
        decider.close()


class SessionMarks:
    """The decisions stored from the app since the current scan started, by photo path."""

    def __init__(self) -> None:
        self._decided: dict[str, Decisions] = {}
        self.version = 0  # counts the marks remembered: a reader's copy is stale when it moved

    def clear(self) -> None:
        """A new scan: it reads every decision stored so far from the library itself."""
        self._decided.clear()

    def remember(self, record: PhotoRecord) -> None:
        """``record`` came back from the Decider: its decisions are what is stored now."""
        self._decided[record.path] = record.decisions
        self.version += 1

    def apply(
        self, records: list[PhotoRecord], context: Callable[[], RiskContext]
    ) -> list[PhotoRecord]:
        """``records`` with the decisions made since they were read, assessed again (with
        ``context``'s repeated places); as they are when none was made."""
        decided = self._decided
        if not decided:
            return records
        out = []
        for r in records:
            d = decided.get(r.path)
            out.append(r if d is None or d == r.decisions else risk.assess(r, context(), d))
        return out


class DecisionRunner(QObject):
    """Runs ``decide`` for the menus and puts each photo's new decisions into the model
    (applied to the model's record of it now, which a scan may have changed meanwhile)."""

    decided = Signal(int)  # photos changed (the job ended, saved or not)

    def __init__(
        self,
        model: PhotoTableModel,
        context: Callable[[], RiskContext],
        show_status: Callable[[str], None],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.model, self.context, self.show_status = model, context, show_status
        self.marks = SessionMarks()  # the window shares its scan session's
        self.runner = JobRunner(self)
        self.runner.item_ready.connect(self._on_runner_item_ready)
        self.runner.job_failed.connect(self._on_runner_job_failed)
        self.runner.job_finished.connect(self._on_runner_job_finished)
        self._changed = 0
        self._context = RiskContext()

    @property
    def is_running(self) -> bool:
        return self.runner.is_running

    def start(self, root: Path, records: Sequence[PhotoRecord], decision: Decision) -> None:
        if self.runner.is_running or not records:
            return
        wanted, context = tuple(records), self.context()
        self._changed, self._context = 0, context
        self.runner.start(lambda token: decide(root, wanted, decision, context, token))

    def start_one(
        self, root: Path, record: PhotoRecord, change: Callable[[Decider, PhotoRecord], PhotoRecord]
    ) -> None:
        """The preview's word on one face of ``record`` (``facemarks``)."""
        if self.runner.is_running:
            self.show_status("Still saving the last mark: try again in a moment")
            return
        context = self.context()
        self._changed, self._context = 0, context
        self.runner.start(lambda token: decide_one(root, record, change, context))

    @Slot(object)
    def _on_runner_item_ready(self, record: object) -> None:
        if isinstance(record, PhotoRecord):
            self.marks.remember(record)
            shown = self.model.record_for(record.path) or record
            self.model.update_record(self.marks.apply([shown], lambda: self._context)[0])
            self._changed += 1

    @Slot(str)
    def _on_runner_job_failed(self, message: str) -> None:
        saved = f" ({_photos(self._changed)} saved before)" if self._changed else ""
        self.show_status(f"Not saved: {message}{saved}")

    @Slot(bool)
    def _on_runner_job_finished(self, cancelled: bool) -> None:
        self.decided.emit(self._changed)


def _photos(n: int) -> str:
    return "1 photo" if n == 1 else f"{n:,} photos"
