"""A photo's identity for its decisions: the SHA-256 of its bytes.

Why the whole file's SHA-256: it is the same wherever the file is (renamed, moved, copied,
on another disk, inside a zip export or out of it), it never confuses two different photos
(a shortcut such as "first and last 64 KB and the size" can: two exposures of a burst may
share both — and then one child's "not a child" would land on another photo), it is in the
standard library, and at ~0.5 GB/s (measured here, SHA-NI, busy machine) it costs ~10 ms for
a 5 MB JPEG. A pixel hash would survive metadata edits too, but needs a full decode of
every format (seconds for a RAW) and changes with the decoder; instead, the one edit
photoscan makes itself — stripping — carries the decisions over to the new hash
(``Library.carry_over``). An edit by another program gives a new hash: those decisions are
not applied to it (they are still kept for the old content).

Cost is kept off the scan: only files whose size some decision has are hashed at all
(``Library.sizes``), and every hash is remembered in the cache (``HashCache``) under the
file's path, size, ``mtime_ns``, ``ctime_ns`` and inode, so an unchanged file is hashed once.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from photoscan import paths
from photoscan.errors import PhotoscanError
from photoscan.library.db import Database, LibraryError
from photoscan.library.store import PhotoKey
from photoscan.limits import MAX_FILE_BYTES
from photoscan.source.fileref import FileRef, open_regular, read_member

CACHE_NAME = "library-cache.sqlite3"
_CHUNK = 1 << 20

# Derived data only (any row may be dropped; a lost file is rebuilt): file hashes and, for
# identity suggestions, face encodings (``photoscan.library.suggest``).
CACHE_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE hashes (
        path TEXT NOT NULL, member TEXT NOT NULL, size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, inode INTEGER NOT NULL,
        sha256 TEXT NOT NULL, content_size INTEGER NOT NULL,
        PRIMARY KEY (path, member)
    ) WITHOUT ROWID;
    CREATE TABLE encodings (
        path TEXT NOT NULL, member TEXT NOT NULL, size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL, model TEXT NOT NULL,
        x0 INTEGER NOT NULL, y0 INTEGER NOT NULL, x1 INTEGER NOT NULL, y1 INTEGER NOT NULL,
        vector BLOB,
        PRIMARY KEY (path, member, model, x0, y0, x1, y1)
    ) WITHOUT ROWID;
    """,
)


def hash_bytes(data: bytes) -> PhotoKey:
    return PhotoKey(hashlib.sha256(data).hexdigest(), len(data))


def hash_file(ref: FileRef) -> PhotoKey:
    """The key of a file on disk (read in chunks) or of a zip member; raises ``OSError`` or
    a ``PhotoscanError`` (too large, damaged member)."""
    if ref.member is not None:
        return hash_bytes(read_member(ref, MAX_FILE_BYTES))
    digest = hashlib.sha256()
    size = 0
    with open_regular(ref.path) as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return PhotoKey(digest.hexdigest(), size)


def _db_text(text: str) -> str:
    """A path SQLite can store (non-UTF-8 names as backslash escapes plus a NUL, which no
    real path holds: as ``scan.cache.db_key``)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace") + "\x00"
    return text


def _identity(ref: FileRef) -> tuple[int, int, int, int]:
    """What must be unchanged for a remembered hash to hold: the file's (or for a member,
    its zip's) size, mtime, ctime and inode."""
    st = os.stat(ref.path)
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


class HashCache:
    """Remembered hashes in the cache folder; use as a context manager."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.cache_dir() / CACHE_NAME
        self.db = Database(self.path, CACHE_MIGRATIONS, what="the decisions' file index")

    def __enter__(self) -> HashCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def key(self, ref: FileRef) -> PhotoKey | None:
        """The file's key, remembered or hashed now; None when it cannot be read."""
        found = self.keys([ref])
        return found[0][1] if found else None

    def keys(self, refs: Iterable[FileRef]) -> list[tuple[FileRef, PhotoKey]]:
        """Each readable file's key (unreadable ones are left out: nothing to apply)."""
        out: list[tuple[FileRef, PhotoKey]] = []
        new: list[tuple[object, ...]] = []
        for ref in refs:
            try:
                identity = _identity(ref)
            except OSError:
                continue
            row_key = (_db_text(ref.path), _db_text(ref.member or ""))
            rows = self.db.read(
                "SELECT size, mtime_ns, ctime_ns, inode, sha256, content_size FROM hashes"
                " WHERE path=? AND member=?",
                row_key,
            )
            if rows and tuple(rows[0][:4]) == identity:
                out.append((ref, PhotoKey(str(rows[0][4]), int(rows[0][5]))))
                continue
            try:
                key = hash_file(ref)
            except (OSError, PhotoscanError):  # unreadable now: the scan says why
                continue
            new.append((*row_key, *identity, key.sha256, key.size))
            out.append((ref, key))
        self._remember(new)
        return out

    def _remember(self, rows: list[tuple[object, ...]]) -> None:
        if not rows or self.db.read_only:
            return
        try:
            with self.db.transaction() as conn:
                conn.executemany("INSERT OR REPLACE INTO hashes VALUES (?,?,?,?,?,?,?,?)", rows)
        except LibraryError:  # a cache: next time these files are hashed again
            pass
