"""The right-click menu on photos (the grid, the table, a map dot): act on just those.

One menu for every place photos are shown, built for the photos at hand: strip them, strip
only their location, make share-safe copies, open them, show them in their folder, copy
their paths, and mark them (reviewed or not, their faces a child's or not: ``decisions``).
Opening is capped (a right-click on 5,000 photos must not start 5,000 viewers) and refused
for photos inside a .zip export, which are never extracted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from photoscan.gui.actions.actions import PhotoActions
from photoscan.gui.actions.decisions import Decision, all_reviewed, can_mark_faces
from photoscan.gui.actions.videos import all_videos
from photoscan.gui.detail.words import VIDEO_SHARE_REFUSAL, is_video
from photoscan.gui.library import files
from photoscan.model import PhotoRecord

MAX_OPEN = 10  # photos (or folders) opened at once from the menu


class PhotoMenu(QMenu):
    def __init__(
        self,
        actions: PhotoActions,
        root: Path,
        records: Sequence[PhotoRecord],
        parent: QWidget,
        show_status: Callable[[str], None],
        decide: Callable[[Decision], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.records = tuple(records)
        self.root = root
        self.show_status = show_status
        rels = [r.path for r in self.records]
        n = len(rels)
        videos = all_videos(self.records)
        kind = "Video" if videos else "Photo" if not any(map(is_video, self.records)) else "File"
        some = kind if n == 1 else f"{n:,} {kind}s"
        idle = actions.strip_selected_action.isEnabled()

        def add(text: str, slot: Callable[[], object], enabled: bool = True) -> QAction:
            act = self.addAction(text)
            act.triggered.connect(lambda _checked=False: slot())
            act.setEnabled(enabled)
            return act

        self.strip_action = add(f"Strip {some}…", lambda: actions.strip(self.records), idle)
        self.location_action = add(
            "Strip Only the Location…",
            lambda: actions.strip(self.records, only_location=True),
            idle,
        )
        self.share_action = add(
            "Share-Safe Copies…", lambda: actions.share(self.records), idle and not videos
        )
        if videos:  # what the CLI says when it refuses, not a copy that would fail
            self.share_action.setToolTip(VIDEO_SHARE_REFUSAL)
        self.addSeparator()
        can_open = not files.in_zip(root) and n <= MAX_OPEN
        self.open_action = add("Open" if n == 1 else f"Open {some}", self._open, can_open)
        if files.in_zip(root):
            self.open_action.setToolTip("Photos inside a .zip export are not extracted to open")
        elif n > MAX_OPEN:
            self.open_action.setToolTip(f"Opens at most {MAX_OPEN} photos at once")
        folders = {files.containing_folder(root, rel) for rel in rels}
        self.show_action = add("Show in Folder", self._show, len(folders) <= MAX_OPEN)
        self.copy_action = add("Copy Path" if n == 1 else f"Copy {n:,} Paths", self._copy)
        if decide is not None:
            self._add_marks(add, decide, idle)
        self.setToolTipsVisible(True)

    def _add_marks(
        self,
        add: Callable[[str, Callable[[], object], bool], QAction],
        decide: Callable[[Decision], None],
        idle: bool,
    ) -> None:
        """Reviewed (or back), and every face photoscan found marked a child's or not."""
        self.addSeparator()
        undo = all_reviewed(self.records)
        reviewed = Decision.NOT_REVIEWED if undo else Decision.REVIEWED
        text = "Mark Not Reviewed" if undo else "Mark Reviewed"
        self.reviewed_action = add(text, lambda: decide(reviewed), idle)
        faces = can_mark_faces(self.records)
        self.child_action = add("Mark as Child", lambda: decide(Decision.CHILD), idle and faces)
        self.not_child_action = add(
            "Mark as Not a Child", lambda: decide(Decision.NOT_CHILD), idle and faces
        )
        for action in (self.child_action, self.not_child_action):
            action.setToolTip(
                "Every face photoscan found in them: hidden in share-safe copies or not"
                if faces
                else "No face was found to mark"
            )

    def _open(self) -> None:
        for record in self.records[:MAX_OPEN]:
            files.open_photo(self.root, record.path)

    def _show(self) -> None:
        shown: set[Path] = set()
        for record in self.records:
            folder = files.containing_folder(self.root, record.path)
            if folder not in shown and len(shown) < MAX_OPEN:
                shown.add(folder)
                files.open_url(folder)

    def _copy(self) -> None:
        files.copy_paths(self.root, [r.path for r in self.records])
        n = len(self.records)
        self.show_status(f"Copied {'the path' if n == 1 else f'{n:,} paths'} to the clipboard")
