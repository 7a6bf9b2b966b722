"""One SQLite file of photoscan's own: private, versioned, safe to share between processes,
and never a reason for the app to stop.

- **Private**: the folder is made 0700 and the file 0600 before SQLite opens it (what the
  parent decided about their children's photos is nobody else's business); SQLite gives its
  ``-wal`` and ``-shm`` files the database's mode, and they are chmod-ed again anyway.
- **Versioned**: ``PRAGMA user_version`` counts the migrations applied; ``migrations[n]`` takes
  a version-``n`` file to ``n + 1`` inside one transaction, so an upgrade is all or nothing.
  A file from a *newer* photoscan is opened read-only: its owner may go back to that version,
  and an older photoscan must not write rows it does not understand into it.
- **Shared**: WAL journal (readers never wait for the writer), a busy timeout, and every
  change in one short transaction, so the app and a ``photoscan`` command can run at once.
- **Corruption**: a file SQLite calls corrupt, or that is not a database at all, is moved
  aside (renamed ``<name>.corrupt-<time>``, kept for its owner or a repair tool, never
  deleted) with a warning, and a fresh one is started. Any other SQLite or OS error becomes a
  warning (reads then see nothing) or a ``LibraryError`` (writes), never a crash.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from photoscan.errors import PhotoscanError

log = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 5.0
# SQLite's primary result codes for "this is not a (healthy) database file".
_CORRUPT_CODES = frozenset({11, 26})  # SQLITE_CORRUPT, SQLITE_NOTADB
_SIDE_FILES = ("-wal", "-shm")


class LibraryError(PhotoscanError):
    """A decision could not be stored (read-only, busy, disk full...); nothing was changed."""


def is_corruption(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return (code & 0xFF) in _CORRUPT_CODES
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


class Database:
    """One open database file (``path``) with the schema ``migrations`` build.

    ``create=False``: a missing file is not made — the database then reads as empty and
    ``connection`` is None until something is written (``writable()`` creates it).
    ``warnings`` collects what went wrong, in plain words, for the caller to show.
    """

    def __init__(
        self, path: Path, migrations: Sequence[str], *, what: str, create: bool = True
    ) -> None:
        self.path = path
        self.what = what  # "your decisions", "face encodings": for the warnings
        self.warnings: list[str] = []
        self.read_only = False
        self._migrations = tuple(migrations)
        self._conn: sqlite3.Connection | None = None
        self._failed = False  # opening failed for a reason other than corruption
        if create or path.exists():
            self._open_or_start_afresh()

    @property
    def connection(self) -> sqlite3.Connection | None:
        return self._conn

    @property
    def version(self) -> int:
        return len(self._migrations)

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None

    # --- opening ------------------------------------------------------------------------------

    def _open_or_start_afresh(self) -> None:
        try:
            self._conn = self._open()
        except sqlite3.Error as exc:
            if not is_corruption(exc):
                self._fail(exc)
                return
            self._set_aside(exc)
            try:
                self._conn = self._open()
            except (sqlite3.Error, OSError) as again:
                self._fail(again)
        except OSError as exc:
            self._fail(exc)

    def _open(self) -> sqlite3.Connection:
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with contextlib.suppress(OSError):
            os.chmod(folder, 0o700)
        fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
        os.close(fd)
        with contextlib.suppress(OSError):
            os.chmod(self.path, 0o600)
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")  # a decision survives a power cut
            check = conn.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise sqlite3.DatabaseError(f"database disk image is malformed ({check})")
            self._migrate(conn)
        except BaseException:
            conn.close()
            raise
        for suffix in _SIDE_FILES:
            with contextlib.suppress(OSError):
                os.chmod(str(self.path) + suffix, 0o600)
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        found = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if found > self.version:
            self.read_only = True
            self._warn(
                f"{self.what} were saved by a newer photoscan (schema {found}, this one knows "
                f"{self.version}): they are used but not changed"
            )
            return
        if found == self.version:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while this one waited for the lock.
            found = int(conn.execute("PRAGMA user_version").fetchone()[0])
            for number in range(found, self.version):
                for statement in _statements(self._migrations[number]):
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version={self.version}")
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise

    def _set_aside(self, exc: sqlite3.Error) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        kept = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while kept.exists():
            n += 1
            kept = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        try:
            os.rename(self.path, kept)
        except OSError as move:
            self._warn(f"{self.what}: damaged file {self.path} could not be set aside ({move})")
            raise exc from None
        for suffix in _SIDE_FILES:  # the journal belongs with the file it journals
            with contextlib.suppress(OSError):
                os.rename(str(self.path) + suffix, str(kept) + suffix)
        self._warn(
            f"{self.what} were in a damaged file ({exc}); it was kept as {kept.name} and a "
            "new one started"
        )

    def _fail(self, exc: Exception) -> None:
        self._failed = True
        self.close()
        self._warn(f"{self.what} could not be opened ({exc}) at {self.path}")

    def _warn(self, message: str) -> None:
        log.warning("%s", message)
        self.warnings.append(message)

    # --- using --------------------------------------------------------------------------------

    def read(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Rows of one query; none (with a warning) when the file cannot be read."""
        if self._conn is None:
            return []
        try:
            return list(self._conn.execute(sql, tuple(params)).fetchall())
        except sqlite3.Error as exc:
            self._warn(f"{self.what} could not be read ({exc})")
            return []

    def writable(self) -> sqlite3.Connection:
        """The connection to write through, creating the file if it was not there."""
        if self._conn is None and not self._failed:
            self._open_or_start_afresh()
        if self._conn is None:
            raise LibraryError(f"{self.what} cannot be saved: {self.path} could not be opened")
        if self.read_only:
            raise LibraryError(f"{self.what} were saved by a newer photoscan; not changed")
        return self._conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction (taken at once: no upgrade deadlock with a reader
        that becomes a writer); rolled back and raised as ``LibraryError`` on any error."""
        conn = self.writable()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise LibraryError(f"{self.what} cannot be saved right now ({exc})") from exc
        try:
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise LibraryError(f"{self.what} could not be saved ({exc})") from exc
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise


def _statements(script: str) -> Iterator[str]:
    """A migration script's statements (``executescript`` would COMMIT our transaction)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer.strip()
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement in a migration: {buffer.strip()[:60]}")
