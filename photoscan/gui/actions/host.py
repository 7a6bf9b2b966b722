"""What the photo actions need of the window they act for, and nothing else.

``PhotoActions`` used to take the whole ``MainWindow`` (and the window imported it back); it
takes an ``ActionHost`` now: the scanned folder, its last result, which photos are chosen,
and the few things an action does to the window afterwards. A test can pass anything that
has these.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from photoscan.gui.library.thumbnails import ThumbnailLoader
from photoscan.model import PhotoRecord
from photoscan.scan.events import ScanResult


class ActionHost(Protocol):
    loader: ThumbnailLoader  # the share preview pixelates with the photo's full size

    @property
    def root(self) -> Path | None:
        """The folder (or .zip export) being shown; None before one is opened."""
        ...

    @property
    def last_result(self) -> ScanResult | None:
        """The last finished (or cancelled) scan of ``root``."""
        ...

    def current_record(self) -> PhotoRecord | None: ...

    def selected_records(self) -> list[PhotoRecord]:
        """The selected photos (the current one when nothing is selected), in view order."""
        ...

    def shown_records(self) -> list[PhotoRecord]:
        """Every photo the current filters show, in view order."""
        ...

    def select_path(self, path: str) -> bool: ...

    def copies_folder(self, suffix: str) -> Path | None:
        """Where copies of ``root``'s photos go by default ('<folder> (suffix)' in the
        preferred output folder or beside ``root``); None before a folder is open."""
        ...

    def rescan(self) -> None: ...

    def pixelating(self) -> bool:
        """View → Pixelate Children's Faces is on: previews pixelate them too."""
        ...

    def show_status(self, text: str) -> None: ...
