"""The restore manifest an in-place strip leaves in its backup folder.

``photoscan restore BACKUP_DIR`` must put each original back only where that is safe: the
backup must still be the original (hash), and the file in the library must still be what the
strip wrote (hash), or the user has changed it since and it is not overwritten. So for every
file it replaces, the strip appends one line to ``photoscan-restore.jsonl`` in the backup
folder *after* the backup is durable and *before* the original is replaced: the original's
path, the backup's place in the folder, both hashes, the size, mode, owner and dates.

One JSON object per line, appended with ``O_APPEND`` and fsynced: a crash can at worst leave a
torn last line, which ``read`` skips and counts; a rerun after a crash appends the same file
again (the last line for a path wins). Paths that are not valid UTF-8 survive the round trip
(``ensure_ascii`` escapes their surrogates). The file is private (0600): it lists where your
photos are.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from photoscan.io import fsync_dir, write_all

MANIFEST_NAME = "photoscan-restore.jsonl"
FORMAT = 1
MAX_MANIFEST_BYTES = 256 * 1024 * 1024  # ~1 million files; read in full, so capped
MAX_LINE = 64 * 1024


@dataclass(frozen=True, slots=True)
class BackupEntry:
    """One file an in-place strip replaced, as its backup folder remembers it."""

    original: Path  # absolute: where the stripped file is
    backup: str  # the backup, relative to the backup folder, '/'-separated
    original_sha256: str
    stripped_sha256: str
    size: int  # of the original
    mode: int
    atime_ns: int
    mtime_ns: int
    owner: tuple[int, int] | None = None
    stripped_at: str = ""  # ISO 8601, UTC


@dataclass(frozen=True, slots=True)
class Manifest:
    folder: Path
    entries: tuple[BackupEntry, ...]  # one per original path (the last line for it)
    unreadable_lines: int = 0


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def backup_name(folder: Path, backup: Path) -> str:
    """``backup``'s place in ``folder`` as the manifest stores it; ``ValueError`` when it is
    not inside ``folder``."""
    return Path(os.path.abspath(backup)).relative_to(os.path.abspath(folder)).as_posix()


def record(folder: Path, entry: BackupEntry) -> None:
    """Append ``entry`` to ``folder``'s manifest, durably (fsync, and the folder's own fsync
    when the manifest is new)."""
    line = {
        "format": FORMAT,
        "original": os.fspath(entry.original),
        "backup": entry.backup,
        "original_sha256": entry.original_sha256,
        "stripped_sha256": entry.stripped_sha256,
        "size": entry.size,
        "mode": entry.mode,
        "atime_ns": entry.atime_ns,
        "mtime_ns": entry.mtime_ns,
        "owner": list(entry.owner) if entry.owner is not None else None,
        "stripped_at": entry.stripped_at or datetime.now(UTC).isoformat(timespec="seconds"),
    }
    text = json.dumps(line, ensure_ascii=True, separators=(",", ":")) + "\n"
    path = folder / MANIFEST_NAME
    existed = path.exists()
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        write_all(fd, text.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    if not existed:
        fsync_dir(folder)


def read(folder: Path) -> Manifest:
    """The manifest in ``folder``; raises ``FileNotFoundError`` when there is none and
    ``ValueError`` when it is too large to be one."""
    path = folder / MANIFEST_NAME
    with open(path, "rb") as fh:
        data = fh.read(MAX_MANIFEST_BYTES + 1)
    if len(data) > MAX_MANIFEST_BYTES:
        raise ValueError(f"{MANIFEST_NAME} is larger than {MAX_MANIFEST_BYTES} bytes")
    by_path: dict[Path, BackupEntry] = {}
    bad = 0
    for raw in data.split(b"\n"):
        if not raw.strip():
            continue
        entry = _entry(raw) if len(raw) <= MAX_LINE else None
        if entry is None:
            bad += 1
            continue
        by_path.pop(entry.original, None)  # re-inserted last: the order of the latest lines
        by_path[entry.original] = entry
    return Manifest(folder, tuple(by_path.values()), bad)


def _entry(raw: bytes) -> BackupEntry | None:
    """One line, checked field by field (the manifest sits in a folder anyone may edit)."""
    try:
        item = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(item, dict) or item.get("format") != FORMAT:
        return None
    original, backup = item.get("original"), item.get("backup")
    hashes = item.get("original_sha256"), item.get("stripped_sha256")
    numbers = [item.get(k) for k in ("size", "mode", "atime_ns", "mtime_ns")]
    owner = item.get("owner")
    if not (isinstance(original, str) and os.path.isabs(original) and isinstance(backup, str)):
        return None
    if not all(isinstance(h, str) and len(h) == 64 for h in hashes):
        return None
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in numbers):
        return None
    if not _safe_relative(backup):
        return None
    if owner is not None and not (
        isinstance(owner, list) and len(owner) == 2 and all(isinstance(o, int) for o in owner)
    ):
        return None
    stamp = item.get("stripped_at")
    return BackupEntry(
        original=Path(original),
        backup=backup,
        original_sha256=str(hashes[0]),
        stripped_sha256=str(hashes[1]),
        size=int(numbers[0] or 0),
        mode=int(numbers[1] or 0) & 0o7777,
        atime_ns=int(numbers[2] or 0),
        mtime_ns=int(numbers[3] or 0),
        owner=(int(owner[0]), int(owner[1])) if owner is not None else None,
        stripped_at=stamp if isinstance(stamp, str) else "",
    )


def _safe_relative(name: str) -> bool:
    """A backup name that stays inside the backup folder."""
    if not name or "\x00" in name:
        return False
    parts = PurePosixPath(name).parts
    return not PurePosixPath(name).is_absolute() and ".." not in parts and bool(parts)
