"""The parent's decisions, kept in ``library.sqlite3`` in the user's data folder.

A decision belongs to a photo's *content*, not to its name: every row is keyed by the
SHA-256 of the file's bytes (``PhotoKey``), so it survives a rescan, a rename, a moved or
copied folder and a fresh cache. Faces are kept by their box (original pixels, shown
upright); a rescan matches them to the faces it finds by overlap (``faces.marks``), so a
better detector or a slightly different box does not lose them. The file size is stored too:
a scan hashes only the files whose size some decision has (``sizes``), so a library without
decisions costs nothing and one with a few hundred costs a hash of a few hundred files.

Every method is one short transaction (``db.Database``): the app and a command line can use
the same file at once. Reads never raise (a damaged or unreadable file reads as empty, with
``warnings`` saying so); writes raise ``LibraryError`` and change nothing when they fail.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from photoscan import paths
from photoscan.faces.marks import same_face
from photoscan.library.db import Database
from photoscan.model import NO_DECISIONS, Box, Decisions, FaceMark, Mark

DB_NAME = paths.DECISIONS_DB

# migrations[n] takes schema n to n + 1 (db.Database); never edit one that has shipped.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE photos (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        hide_all INTEGER NOT NULL DEFAULT 0,
        reviewed INTEGER NOT NULL DEFAULT 0,
        keep_private INTEGER NOT NULL DEFAULT 0,
        changed TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX photos_by_size ON photos (size);
    CREATE TABLE faces (
        sha256 TEXT NOT NULL REFERENCES photos (sha256) ON DELETE CASCADE,
        x0 INTEGER NOT NULL, y0 INTEGER NOT NULL, x1 INTEGER NOT NULL, y1 INTEGER NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('child', 'not_child', 'added', 'dismissed')),
        changed TEXT NOT NULL,
        PRIMARY KEY (sha256, x0, y0, x1, y1, decision)
    ) WITHOUT ROWID;
    """,
)
_FACE_MARKS = {Mark.CHILD.value: Mark.CHILD, Mark.NOT_CHILD.value: Mark.NOT_CHILD}
_ADDED, _DISMISSED = "added", "dismissed"
_FLAGS = ("hide_all", "reviewed", "keep_private")
_BATCH = 500  # keys per query (SQLite's variable limit is 999 on old builds)


@dataclass(frozen=True, slots=True)
class PhotoKey:
    """A photo's content: the SHA-256 of its bytes (hex) and their number."""

    sha256: str
    size: int


def db_path() -> Path:
    return Path(paths.decisions_db_str())


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def _box(values: Sequence[Any]) -> Box:
    x0, y0, x1, y1 = (int(v) for v in values)
    return (x0, y0, x1, y1)


class Library:
    """The decisions database; use as a context manager. ``create=False`` opens an
    existing file only (a scan that finds none has nothing to apply and makes none)."""

    def __init__(self, path: Path | None = None, *, create: bool = True) -> None:
        self.path = path or db_path()
        self._db = Database(self.path, MIGRATIONS, what="your decisions", create=create)

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    @property
    def warnings(self) -> list[str]:
        return self._db.warnings

    @property
    def read_only(self) -> bool:
        return self._db.read_only

    # --- reading ------------------------------------------------------------------------------

    def sizes(self) -> frozenset[int]:
        """The sizes of every photo with a decision: only files of these sizes need hashing."""
        rows = self._db.read("SELECT DISTINCT size FROM photos")
        return frozenset(int(row[0]) for row in rows)

    def decisions(self, key: PhotoKey) -> Decisions:
        return self.decisions_for([key]).get(key.sha256, NO_DECISIONS)

    def decisions_for(self, keys: Iterable[PhotoKey]) -> dict[str, Decisions]:
        """The decisions of every photo in ``keys`` that has any, by its SHA-256."""
        wanted = sorted({k.sha256 for k in keys})
        flags: dict[str, tuple[bool, bool, bool]] = {}
        faces: dict[str, list[tuple[Any, ...]]] = {}
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start : start + _BATCH]
            marks = ",".join("?" * len(batch))
            for sha, hide_all, reviewed, keep_private in self._db.read(
                f"SELECT sha256, hide_all, reviewed, keep_private FROM photos"
                f" WHERE sha256 IN ({marks})",
                batch,
            ):
                flags[str(sha)] = (bool(hide_all), bool(reviewed), bool(keep_private))
            for row in self._db.read(
                f"SELECT sha256, x0, y0, x1, y1, decision FROM faces WHERE sha256 IN ({marks})"
                " ORDER BY sha256, x0, y0, x1, y1",
                batch,
            ):
                faces.setdefault(str(row[0]), []).append(row[1:])
        out: dict[str, Decisions] = {}
        for sha, (hide_all, reviewed, keep_private) in flags.items():
            rows = faces.get(sha, [])
            out[sha] = Decisions(
                marks=tuple(
                    FaceMark(_box(r[:4]), _FACE_MARKS[str(r[4])])
                    for r in rows
                    if str(r[4]) in _FACE_MARKS
                ),
                added=tuple(_box(r[:4]) for r in rows if r[4] == _ADDED),
                hide_all=hide_all,
                reviewed=reviewed,
                keep_private=keep_private,
                dismissed=tuple(_box(r[:4]) for r in rows if r[4] == _DISMISSED),
            )
        return out

    def marked_children(self) -> list[tuple[str, Box]]:
        """Every face the parent confirmed as a child: (SHA-256, box)."""
        rows = self._db.read("SELECT sha256, x0, y0, x1, y1 FROM faces WHERE decision='child'")
        return [(str(r[0]), _box(r[1:])) for r in rows]

    def count(self) -> int:
        """How many photos have decisions."""
        rows = self._db.read("SELECT count(*) FROM photos")
        return int(rows[0][0]) if rows else 0

    # --- writing ------------------------------------------------------------------------------

    def mark_face(self, key: PhotoKey, box: Box, mark: Mark | None) -> None:
        """The parent's word on the face at ``box`` (``None``: take it back). Replaces any
        mark on a box that is the same face (``faces.marks.same_face``)."""
        self.mark_faces(key, [box], mark)

    def mark_faces(self, key: PhotoKey, boxes: Iterable[Box], mark: Mark | None) -> None:
        """``mark_face`` for several faces of one photo in one transaction (a grid's "mark
        as child" on a photo marks each of its faces)."""
        wanted = list(boxes)
        with self._db.transaction() as conn:
            self._ensure_photo(conn, key)
            for box in wanted:
                self._drop_overlapping(conn, key, box, tuple(_FACE_MARKS))
                self._drop_overlapping(conn, key, box, (_DISMISSED,))
                if mark is not None:
                    self._insert_face(conn, key, box, mark.value)
            self._drop_if_empty(conn, key)

    def add_face(self, key: PhotoKey, box: Box) -> None:
        """A box the parent drew around a face photoscan missed."""
        left, top, right, bottom = box
        if right <= left or bottom <= top:
            raise ValueError(f"not a box: {box}")
        with self._db.transaction() as conn:
            self._ensure_photo(conn, key)
            self._insert_face(conn, key, box, _ADDED)

    def remove_face(self, key: PhotoKey, box: Box) -> None:
        """Take back a box the parent drew (the one that overlaps ``box`` most)."""
        with self._db.transaction() as conn:
            self._drop_overlapping(conn, key, box, (_ADDED,), exact_first=True)
            self._drop_if_empty(conn, key)

    def dismiss(self, key: PhotoKey, box: Box) -> None:
        """A suggested face the parent said is not that child: not suggested again."""
        with self._db.transaction() as conn:
            self._ensure_photo(conn, key)
            self._insert_face(conn, key, box, _DISMISSED)

    def set_flag(self, key: PhotoKey, flag: str, value: bool) -> None:
        """``hide_all``, ``reviewed`` or ``keep_private`` for one photo."""
        self.set_flags([key], flag, value)

    def set_flags(self, keys: Iterable[PhotoKey], flag: str, value: bool) -> None:
        if flag not in _FLAGS:
            raise ValueError(f"not a photo decision: {flag}")
        wanted = list(keys)
        with self._db.transaction() as conn:
            for key in wanted:
                self._ensure_photo(conn, key)
                conn.execute(
                    f"UPDATE photos SET {flag}=?, changed=? WHERE sha256=?",
                    (int(value), _now(), key.sha256),
                )
                self._drop_if_empty(conn, key)

    def set_reviewed(self, key: PhotoKey, value: bool = True) -> None:
        self.set_flag(key, "reviewed", value)

    def set_hide_all(self, key: PhotoKey, value: bool = True) -> None:
        self.set_flag(key, "hide_all", value)

    def set_keep_private(self, key: PhotoKey, value: bool = True) -> None:
        self.set_flag(key, "keep_private", value)

    def carry_over(self, old: PhotoKey, new: PhotoKey) -> bool:
        """The same decisions for ``new`` as for ``old`` (a stripped copy or a photo
        stripped in place: same pixels, new bytes). The old ones stay: the original may
        still be around (a copy, a backup). False when ``old`` had none."""
        if old.sha256 == new.sha256:
            return False
        decisions = self.decisions(old)
        if decisions.empty:
            return False
        self.replace(new, decisions)
        return True

    def replace(self, key: PhotoKey, decisions: Decisions) -> None:
        """``key``'s decisions become exactly ``decisions`` (one transaction)."""
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM photos WHERE sha256=?", (key.sha256,))
            if decisions.empty:
                return
            self._ensure_photo(conn, key)
            conn.execute(
                "UPDATE photos SET hide_all=?, reviewed=?, keep_private=? WHERE sha256=?",
                (
                    int(decisions.hide_all),
                    int(decisions.reviewed),
                    int(decisions.keep_private),
                    key.sha256,
                ),
            )
            for face_mark in decisions.marks:
                self._insert_face(conn, key, face_mark.box, face_mark.mark.value)
            for box in decisions.added:
                self._insert_face(conn, key, box, _ADDED)
            for box in decisions.dismissed:
                self._insert_face(conn, key, box, _DISMISSED)

    def forget(self, key: PhotoKey) -> None:
        """Every decision about one photo, gone."""
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM photos WHERE sha256=?", (key.sha256,))

    def forget_all(self) -> None:
        """Every decision, gone (the README's "start over")."""
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM photos")

    # --- helpers (inside a transaction) -------------------------------------------------------

    @staticmethod
    def _ensure_photo(conn: sqlite3.Connection, key: PhotoKey) -> None:
        conn.execute(
            "INSERT INTO photos (sha256, size, changed) VALUES (?, ?, ?)"
            " ON CONFLICT (sha256) DO UPDATE SET changed=excluded.changed",
            (key.sha256, key.size, _now()),
        )

    @staticmethod
    def _insert_face(conn: sqlite3.Connection, key: PhotoKey, box: Box, decision: str) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO faces VALUES (?, ?, ?, ?, ?, ?, ?)",
            (key.sha256, *box, decision, _now()),
        )

    @staticmethod
    def _drop_overlapping(
        conn: sqlite3.Connection,
        key: PhotoKey,
        box: Box,
        decisions: tuple[str, ...],
        exact_first: bool = False,
    ) -> None:
        marks = ",".join("?" * len(decisions))
        rows = conn.execute(
            f"SELECT x0, y0, x1, y1, decision FROM faces WHERE sha256=? AND decision IN ({marks})",
            (key.sha256, *decisions),
        ).fetchall()
        hits = [r for r in rows if same_face(_box(r[:4]), box)]
        if exact_first and hits:
            exact = [r for r in hits if _box(r[:4]) == box]
            hits = exact or hits[:1]
        for row in hits:
            conn.execute(
                "DELETE FROM faces WHERE sha256=? AND x0=? AND y0=? AND x1=? AND y1=?"
                " AND decision=?",
                (key.sha256, *row),
            )

    @staticmethod
    def _drop_if_empty(conn: sqlite3.Connection, key: PhotoKey) -> None:
        conn.execute(
            "DELETE FROM photos WHERE sha256=? AND hide_all=0 AND reviewed=0 AND keep_private=0"
            " AND NOT EXISTS (SELECT 1 FROM faces WHERE faces.sha256=photos.sha256)",
            (key.sha256,),
        )
