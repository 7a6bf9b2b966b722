"""Changing the parent's decisions about scanned photos, and seeing the result at once.

The one door for the app (the detail pane, the grid's context menus) and any other caller:
each method finds the photo's content key (hashing it once: ``HashCache``), stores the
change (``Library``: one short transaction; ``LibraryError`` when it cannot be saved) and
returns the photo's record with *every* decision about it applied and its risk worked out
again (``risk.assess``, with the library's ``context`` of repeated places), so what the
user sees is what a rescan would say.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from photoscan import risk
from photoscan.library.content import HashCache
from photoscan.library.db import LibraryError
from photoscan.library.store import Library, PhotoKey
from photoscan.model import NO_DECISIONS, Box, FaceSource, Mark, PhotoRecord, RiskContext
from photoscan.source.fileref import FileRef, export_member


class Decider:
    """Decisions about the photos of one scanned folder (or ``.zip`` export) at ``root``."""

    def __init__(
        self,
        root: Path,
        library: Library | None = None,
        hashes: HashCache | None = None,
        context: RiskContext | None = None,
    ) -> None:
        self.root = root
        self.context = context or RiskContext()
        self._library = library
        self._hashes = hashes

    @property
    def library(self) -> Library:
        if self._library is None:
            self._library = Library()
        return self._library

    def close(self) -> None:
        for owned in (self._library, self._hashes):
            if owned is not None:
                owned.close()
        self._library = self._hashes = None

    # --- where and what ----------------------------------------------------------------------

    def ref(self, record: PhotoRecord) -> FileRef:
        """Where the record's bytes are: a file under the folder, or a member of the export."""
        if self.root.is_file():
            try:
                return export_member(self.root, record.path)
            except OSError:
                return FileRef(str(self.root), record.path)
        return FileRef(str(self.root.joinpath(*record.path.split("/"))))

    def key(self, record: PhotoRecord) -> PhotoKey:
        """The photo's content key; ``LibraryError`` when it cannot be read now."""
        if self._hashes is None:
            self._hashes = HashCache()
        found = self._hashes.key(self.ref(record))
        if found is None:
            raise LibraryError(f"{record.path} cannot be read now; nothing was saved")
        return found

    def refreshed(self, record: PhotoRecord, key: PhotoKey | None = None) -> PhotoRecord:
        """``record`` with the decisions stored for it now."""
        decisions = self.library.decisions(key or self.key(record))
        return risk.assess(record, self.context, decisions)

    # --- faces --------------------------------------------------------------------------------

    def mark_face(self, record: PhotoRecord, box: Box, mark: Mark | None) -> PhotoRecord:
        """The parent's word on one face (``None``: take it back)."""
        return self.mark_faces(record, [box], mark)

    def mark_faces(
        self, record: PhotoRecord, boxes: Iterable[Box], mark: Mark | None
    ) -> PhotoRecord:
        key = self.key(record)
        self.library.mark_faces(key, boxes, mark)
        return self.refreshed(record, key)

    def mark_photo(self, record: PhotoRecord, mark: Mark | None) -> PhotoRecord:
        """Every face photoscan found in the photo marked alike (a grid's "Mark as child" /
        "Not a child"); a photo without found faces is returned as it is (``can_mark``)."""
        boxes = [f.box for f in record.faces if f.source is FaceSource.DETECTOR]
        return self.mark_faces(record, boxes, mark) if boxes else record

    @staticmethod
    def can_mark(record: PhotoRecord) -> bool:
        return any(f.source is FaceSource.DETECTOR for f in record.faces)

    def add_face(self, record: PhotoRecord, box: Box) -> PhotoRecord:
        """A box the parent drew around a face photoscan missed."""
        key = self.key(record)
        self.library.add_face(key, box)
        return self.refreshed(record, key)

    def remove_face(self, record: PhotoRecord, box: Box) -> PhotoRecord:
        key = self.key(record)
        self.library.remove_face(key, box)
        return self.refreshed(record, key)

    def dismiss(self, record: PhotoRecord, box: Box) -> PhotoRecord:
        """A suggested face that is not the child: never suggested again."""
        key = self.key(record)
        self.library.dismiss(key, box)
        return self.refreshed(record, key)

    # --- whole photos -------------------------------------------------------------------------

    def set_flag(self, records: Iterable[PhotoRecord], flag: str, value: bool) -> list[PhotoRecord]:
        """``reviewed``, ``hide_all`` or ``keep_private`` for several photos at once (one
        transaction); their records, refreshed. Unreadable photos raise before anything is
        saved."""
        wanted = list(records)
        keys = [self.key(r) for r in wanted]
        self.library.set_flags(keys, flag, value)
        found = self.library.decisions_for(keys)
        return [
            risk.assess(r, self.context, found.get(k.sha256, NO_DECISIONS))
            for r, k in zip(wanted, keys, strict=True)
        ]

    def set_reviewed(self, records: Iterable[PhotoRecord], value: bool = True) -> list[PhotoRecord]:
        return self.set_flag(records, "reviewed", value)

    def set_hide_all(self, records: Iterable[PhotoRecord], value: bool = True) -> list[PhotoRecord]:
        return self.set_flag(records, "hide_all", value)

    def set_keep_private(
        self, records: Iterable[PhotoRecord], value: bool = True
    ) -> list[PhotoRecord]:
        return self.set_flag(records, "keep_private", value)

    def forget(self, record: PhotoRecord) -> PhotoRecord:
        """Every decision about the photo taken back."""
        key = self.key(record)
        self.library.forget(key)
        return self.refreshed(record, key)
