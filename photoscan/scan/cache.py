"""The scan results cache: an SQLite file that makes rescanning an unchanged library free.

A file's result is reused only when its absolute path, size, ``mtime_ns``, the scanner version
and the fingerprint of its sidecars all match, so a rescan of an unchanged library opens no
image file at all. What a file gave away is private, so the database lives in
``paths.cache_dir()`` (0700) and is created 0600. Records are stored as JSON (``jsonio``),
never pickles: a cache file must stay data.

Two tables: ``files`` holds the metadata-pass outcome (a record, or an error reason for files
that are not readable photos — those are not reopened either); ``faces`` holds the face pass
separately, keyed also by the face settings' fingerprint, so changing ``--thorough`` redoes
faces without redoing metadata.

The cache is an optimisation, never a failure: a corrupt database is moved aside and rebuilt
with a warning, and any SQLite error mid-scan turns caching off for the rest of that scan.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from photoscan import __version__, paths, versions
from photoscan.model import Face, FileError
from photoscan.scan import jsonio
from photoscan.scan.jobs import FileKey, Outcome

log = logging.getLogger(__name__)

# Bump whenever the readers would report something different for the same file and their
# source is not shipped (a frozen build): every cached result becomes stale. From a normal
# install ``versions.code_identity()`` does this on its own (``scanner_version``).
READERS_VERSION = 4  # 2: CR3, CRW, RAF and X3F are read; 3: PSD layer names, hidden layers;
# 4: maker notes of every make, XMP spellings and thumbnails
SCHEMA_VERSION = "1"
DB_NAME = "scan-cache.sqlite3"
_FLUSH_EVERY = 256

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    scanner TEXT NOT NULL, sidecars TEXT NOT NULL, outcome TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS faces (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    scanner TEXT NOT NULL, settings TEXT NOT NULL, outcome TEXT NOT NULL);
"""


@functools.cache
def scanner_version() -> str:
    """photoscan's version, READERS_VERSION and ``versions.code_identity()`` (the package's
    code and the installed versions of the libraries that read files and faces), so a
    changed reader, risk rule, face setting default or upgraded library never serves a
    stale result: the metadata rows and the face rows are both stored under it."""
    return f"{__version__}+r{READERS_VERSION}+{versions.code_identity()[:12]}"


def db_key(path: str) -> str:
    """The path as SQLite can store it. A file name that is not valid UTF-8 (held by Python
    as lone surrogates) is spelled with backslash escapes and a trailing NUL, which no real
    path contains, so it can never collide with a name that really has a backslash."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace") + "\x00"
    return path


def db_path() -> Path:
    return paths.cache_dir() / DB_NAME


def _encode_outcome(outcome: Outcome) -> str:
    value: dict[str, Any] = {"not_photo": outcome.not_photo}
    if outcome.record is not None:
        value["record"] = jsonio.record_to_dict(outcome.record)
    if outcome.error is not None:
        value["error"] = jsonio.error_to_dict(outcome.error)
    return jsonio.dumps_compact(value)


def _check_record(record: object) -> None:
    """The types ``jsonio.record_from_dict`` relies on, so a row of the wrong shape is a
    ValueError (a damaged entry) and never an AttributeError deep in the decoder."""
    if not isinstance(record, dict):
        raise ValueError("record is not an object")
    if not isinstance(record.get("path"), str) or not isinstance(record.get("format"), str):
        raise ValueError("record without path or format")
    for name in ("width", "height"):
        if not isinstance(record.get(name), int | None):
            raise ValueError(f"record {name} is not a number")
    for name in ("faces", "findings", "recommendations", "sidecars"):
        items = record.get(name, [])
        if not isinstance(items, list):
            raise ValueError(f"record {name} is not a list")
        if name in ("faces", "findings") and not all(isinstance(i, dict) for i in items):
            raise ValueError(f"record {name} holds a non-object")
    for name in ("gps", "place", "risk", "decisions"):
        if not isinstance(record.get(name), dict | None):
            raise ValueError(f"record {name} is not an object")


def _decode_outcome(text: str) -> Outcome:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("outcome is not an object")
    record = value.get("record")
    error = value.get("error")
    if record is None and error is None and value.get("not_photo") is not True:
        raise ValueError("outcome of nothing")  # would make the photo vanish silently
    if record is not None:
        _check_record(record)
    if error is not None and not isinstance(error, dict):
        raise ValueError("error is not an object")
    return Outcome(
        record=None if record is None else jsonio.record_from_dict(record),
        error=None if error is None else FileError(str(error["path"]), str(error["reason"])),
        not_photo=bool(value.get("not_photo", False)),
    )


def _decode_faces(text: str) -> tuple[Face, ...] | str:
    value = json.loads(text)
    if "error" in value:
        return str(value["error"])
    return jsonio.faces_from_list(value["faces"])


_TAG = {"files": "sidecars", "faces": "settings"}  # the table's extra key column
_T = TypeVar("_T")


class ScanCache:
    """One open cache database; use as a context manager. Not shared between threads."""

    def __init__(self, path: Path | None = None) -> None:
        self.enabled = True
        self.warnings: list[str] = []
        self._warned_damaged = False
        self._pending_files: list[tuple[Any, ...]] = []
        self._pending_faces: list[tuple[Any, ...]] = []
        self._conn: sqlite3.Connection | None = None
        try:
            self.path = path or db_path()
            self._conn = self._open()
        except sqlite3.DatabaseError as exc:
            self._rebuild(exc)
        except (OSError, sqlite3.Error) as exc:  # no writable cache directory: scan anyway
            self.path = path or Path(DB_NAME)
            self._disable(exc)

    def __enter__(self) -> ScanCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- opening ---------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        paths.create_private_file(self.path)
        conn = sqlite3.connect(self.path, timeout=5.0, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(_SCHEMA)
            row = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None:
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            elif row[0] != SCHEMA_VERSION:
                conn.executescript("DELETE FROM files; DELETE FROM faces;")
                conn.execute("UPDATE meta SET value=? WHERE key='schema'", (SCHEMA_VERSION,))
            conn.execute("SELECT count(*) FROM files").fetchone()
        except sqlite3.DatabaseError:
            conn.close()
            raise
        for suffix in ("-wal", "-shm"):  # SQLite creates these with the umask's mode
            with contextlib.suppress(OSError):
                os.chmod(str(self.path) + suffix, 0o600)
        return conn

    def _rebuild(self, exc: sqlite3.DatabaseError) -> None:
        self._warn(f"scan cache was unreadable ({exc}); rebuilding it")
        for suffix in ("", "-wal", "-shm"):  # it only held derived data: start afresh
            with contextlib.suppress(OSError):
                os.unlink(str(self.path) + suffix)
        try:
            self._conn = self._open()
        except (sqlite3.DatabaseError, OSError) as again:
            self._disable(again)

    def _warn(self, message: str) -> None:
        log.warning("%s", message)
        self.warnings.append(message)

    def _disable(self, exc: Exception) -> None:
        self._warn(f"scan cache disabled for this scan: {exc}")
        self.enabled = False
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
        self._conn = None

    # --- metadata pass ---------------------------------------------------------------------

    def lookup(self, keys: Iterable[FileKey]) -> dict[str, Outcome]:
        """Cached outcomes for every key that is unchanged, in one query, by absolute path."""
        return self._lookup("files", keys, None, _decode_outcome)

    def _lookup(
        self,
        table: str,
        keys: Iterable[FileKey],
        settings: str | None,
        decode: Callable[[str], _T],
    ) -> dict[str, _T]:
        """Decoded rows whose whole key matches: one range scan under the keys' common
        directory, not one query per file. A row that fails to decode is a miss."""
        wanted = {db_key(k.path): k for k in keys}
        if not wanted or self._conn is None:
            return {}
        prefix = os.path.commonpath(list(wanted)) if len(wanted) > 1 else next(iter(wanted))
        prefix = prefix.rstrip("\x00")
        found: dict[str, _T] = {}
        damaged = 0
        try:
            rows = self._conn.execute(
                f"SELECT path, size, mtime_ns, scanner, {_TAG[table]}, outcome FROM {table}"
                " WHERE path >= ? AND path < ?",
                (prefix, prefix + "\U0010ffff"),
            ).fetchall()
        except sqlite3.Error as exc:
            self._disable(exc)
            return {}
        for path, size, mtime_ns, scanner, tag, outcome in rows:
            k = wanted.get(path)
            if k is None:
                continue
            if (size, mtime_ns, scanner) != (k.size, k.mtime_ns, scanner_version()):
                continue
            current = tag == (k.sidecars if settings is None else settings)
            if not current and settings is not None:
                continue  # other face settings: a miss
            try:  # a file row is decoded even when its sidecars changed: damage is told apart
                value = decode(outcome)
            except (ValueError, KeyError, TypeError, AttributeError):
                damaged += 1  # a miss: the file is read again and its row replaced
                continue
            if current:
                found[k.path] = value
        if damaged and not self._warned_damaged:
            self._warned_damaged = True
            self._warn(f"scan cache held {damaged} damaged entries; rebuilding them")
        return found

    def store(self, key: FileKey, outcome: Outcome) -> None:
        if self._conn is None:
            return
        self._pending_files.append(
            (
                db_key(key.path),
                key.size,
                key.mtime_ns,
                scanner_version(),
                key.sidecars,
                _encode_outcome(outcome),
            )
        )
        if len(self._pending_files) >= _FLUSH_EVERY:
            self.flush()

    # --- face pass -------------------------------------------------------------------------

    def lookup_faces(
        self, keys: Iterable[FileKey], settings: str
    ) -> dict[str, tuple[Face, ...] | str]:
        """Cached faces (or the face error's reason) per absolute path."""
        return self._lookup("faces", keys, settings, _decode_faces)

    def store_faces(self, key: FileKey, settings: str, faces: tuple[Face, ...] | str) -> None:
        if self._conn is None:
            return
        value = (
            {"error": faces} if isinstance(faces, str) else {"faces": jsonio.faces_to_list(faces)}
        )
        self._pending_faces.append(
            (
                db_key(key.path),
                key.size,
                key.mtime_ns,
                scanner_version(),
                settings,
                jsonio.dumps_compact(value),
            )
        )
        if len(self._pending_faces) >= _FLUSH_EVERY:
            self.flush()

    # --- whole scans (photoscan.cli.stored) ---------------------------------------------------

    def covers(self, keys: Iterable[FileKey], face_keys: Iterable[FileKey], settings: str) -> bool:
        """Whether every key has an up-to-date row — files for ``keys``, faces (with these
        face settings) for ``face_keys`` — so nothing of this scan would be redone next time
        (an uncacheable failure, or a file changed since the keys were taken, has none)."""
        self.flush()
        for table, wanted, tag in (
            ("files", list(keys), None),
            ("faces", list(face_keys), settings),
        ):
            if len(self._lookup(table, wanted, tag, str)) != len({k.path for k in wanted}):
                return False
        return self._conn is not None

    # --- writing ---------------------------------------------------------------------------

    def flush(self) -> None:
        """Write pending results in one transaction."""
        if self._conn is None or not (self._pending_files or self._pending_faces):
            return
        try:
            with contextlib.closing(self._conn.cursor()) as cur:
                cur.execute("BEGIN")
                cur.executemany(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)", self._pending_files
                )
                cur.executemany(
                    "INSERT OR REPLACE INTO faces VALUES (?, ?, ?, ?, ?, ?)", self._pending_faces
                )
                cur.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")
            self._disable(exc)
        self._pending_files.clear()
        self._pending_faces.clear()

    def close(self) -> None:
        self.flush()
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None
