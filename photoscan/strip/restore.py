"""Undo an in-place strip: put the originals back from its backup folder, safely.

An in-place strip records every file it replaces in the backup folder's manifest
(``strip.manifest``). ``plan_restore(folder)`` reads it; ``restore(plan)`` yields one
``RestoreResult`` per file, in manifest order, and checks the cancel token between files —
the CLI prints them, the desktop app shows progress from them (``len(plan.entries)`` is the
total), exactly as for ``strip.batch.apply``.

For each file, fail-closed:

- the backup must still hash to the original the strip read, or nothing is written;
- the file in the library must hash to what the strip wrote. If it hashes to the original,
  it is already back (``already_original``). If it is anything else, the user changed it
  since (edited, or stripped again): it is **not** overwritten (``refused``) unless ``force``,
  and then it is first kept in the backup folder under ``replaced/`` — forcing never loses
  a file either. A file gone since the strip is put back only with ``force``.
- the original goes back atomically (temp file, fsync, ``os.replace``), with its mode, owner
  (when permitted) and dates, and is read back. The backup itself is kept.

Running it twice is harmless: the second run finds every file ``already_original``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from photoscan.cancel import CancelToken
from photoscan.errors import StripError, UsageError
from photoscan.limits import MAX_FILE_BYTES
from photoscan.strip import manifest
from photoscan.strip.manifest import MANIFEST_NAME, BackupEntry
from photoscan.strip.safety import FileMeta, restore_original, write_new

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
REPLACED_DIR = "replaced"  # in the backup folder: files --force overwrote, kept


class RestoreStatus(StrEnum):
    """Per-file outcome; values are part of the ``restore --json`` contract."""

    RESTORED = "restored"
    ALREADY_ORIGINAL = "already_original"
    REFUSED = "refused"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class RestoreResult:
    """One file of a restore (the ``files`` entries of ``restore --json``)."""

    path: str  # the original's path
    status: RestoreStatus
    reason: str = ""
    backup: str = ""  # the backup it came from
    kept: str | None = None  # with force: where the overwritten file was kept


@dataclass(frozen=True, slots=True)
class RestorePlan:
    folder: Path
    entries: tuple[BackupEntry, ...]
    unreadable_lines: int = 0  # manifest lines that could not be read (a torn last line)


def plan_restore(folder: Path) -> RestorePlan:
    """What the backup folder ``folder`` can restore; ``UsageError`` when it holds no
    restore manifest (it is not a backup folder of an in-place strip)."""
    if not folder.is_dir():
        raise UsageError(f"not a folder: {folder}")
    try:
        found = manifest.read(folder)
    except FileNotFoundError:
        raise UsageError(
            f"{folder} has no {MANIFEST_NAME}: it is not the backup folder of an in-place "
            "strip (photoscan strip --in-place --backup-dir DIR)"
        ) from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read {folder / MANIFEST_NAME}: {exc}") from None
    return RestorePlan(found.folder, found.entries, found.unreadable_lines)


def restore(
    plan: RestorePlan,
    *,
    force: bool = False,
    dry_run: bool = False,
    cancel: CancelToken | None = None,
) -> Iterator[RestoreResult]:
    """Results file by file (see the module docstring); stops between files when cancelled.
    With ``dry_run`` every check is made and nothing is written."""
    for entry in plan.entries:
        if cancel is not None and cancel.is_cancelled:
            return
        yield restore_entry(plan.folder, entry, force=force, dry_run=dry_run)


class _Stop(Exception):
    def __init__(self, status: RestoreStatus, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


def _read(path: Path, what: str) -> tuple[os.stat_result, bytes]:
    """A regular file's status and bytes (bounded); ``_Stop`` names ``what`` failed."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise _Stop(RestoreStatus.FAILED, f"{what} is missing") from None
    except OSError as exc:
        raise _Stop(RestoreStatus.FAILED, f"cannot read {what}: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _Stop(RestoreStatus.REFUSED, f"{what} is not a regular file")
        if st.st_size > MAX_FILE_BYTES:
            raise _Stop(RestoreStatus.FAILED, f"{what} is too large (over 1 GiB)")
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise _Stop(RestoreStatus.FAILED, f"cannot read {what}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    return st, data


def restore_entry(
    folder: Path, entry: BackupEntry, *, force: bool = False, dry_run: bool = False
) -> RestoreResult:
    """Restore one file; see the module docstring."""
    shown = os.fspath(entry.original)
    backup = folder.joinpath(*entry.backup.split("/"))

    def result(status: RestoreStatus, reason: str = "", kept: str | None = None) -> RestoreResult:
        return RestoreResult(shown, status, reason, os.fspath(backup), kept)

    try:
        _, original = _read(backup, "the backup")
        if manifest.sha256(original) != entry.original_sha256:
            raise _Stop(
                RestoreStatus.FAILED,
                "the backup no longer matches the original the strip saved (changed or "
                "damaged since); not restored",
            )
        current = _current(entry.original)
        if current is None:
            if not force:
                raise _Stop(
                    RestoreStatus.REFUSED,
                    "the file is gone since the strip; not put back (--force puts it back)",
                )
        else:
            st, data = current
            digest = manifest.sha256(data)
            if digest == entry.original_sha256:
                return result(RestoreStatus.ALREADY_ORIGINAL)
            if digest != entry.stripped_sha256 and not force:
                raise _Stop(
                    RestoreStatus.REFUSED,
                    "changed since the strip; not overwritten (--force replaces it and keeps "
                    f"the changed file in the backup folder under {REPLACED_DIR}/)",
                )
            if st.st_nlink > 1:
                raise _Stop(
                    RestoreStatus.REFUSED,
                    f"has {st.st_nlink} hard links now: the other names would keep the "
                    "stripped file; not restored",
                )
        if dry_run:
            return result(RestoreStatus.RESTORED)
        kept = None
        if current is not None and manifest.sha256(current[1]) != entry.stripped_sha256:
            kept = _keep_changed(folder, entry, current[1])
        _check_unchanged(entry.original, current[0] if current is not None else None)
        meta = FileMeta(entry.mode, entry.atime_ns, entry.mtime_ns, entry.owner)
        restore_original(entry.original, original, meta)
    except _Stop as stop:
        return result(stop.status, stop.reason)
    except StripError as exc:
        return result(RestoreStatus.FAILED, str(exc))
    except OSError as exc:
        return result(RestoreStatus.FAILED, f"cannot write: {exc.strerror or exc}")
    return result(RestoreStatus.RESTORED, kept=os.fspath(kept) if kept else None)


def _current(path: Path) -> tuple[os.stat_result, bytes] | None:
    """The file in the library now; None when it is gone. A symbolic link in its place is
    refused: replacing it would not put the original where the link points."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _Stop(RestoreStatus.FAILED, f"cannot read the file: {exc.strerror or exc}") from None
    if stat.S_ISLNK(st.st_mode):
        raise _Stop(RestoreStatus.REFUSED, "the file is a symbolic link now; not restored")
    return _read(path, "the file")


def _check_unchanged(path: Path, before: os.stat_result | None) -> None:
    """The file must be as it was checked a moment ago (not edited meanwhile)."""
    try:
        now = os.lstat(path)
    except FileNotFoundError:
        if before is None:
            return
        raise _Stop(RestoreStatus.FAILED, "the file changed while it was being restored") from None
    if before is None or (now.st_size, now.st_mtime_ns, now.st_ino) != (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    ):
        raise _Stop(RestoreStatus.FAILED, "the file changed while it was being restored")


def _keep_changed(folder: Path, entry: BackupEntry, data: bytes) -> Path:
    """Keep a file ``force`` is about to overwrite under ``replaced/`` in the backup folder
    (durably, never over another file: a second one gets a numbered name)."""
    base = folder / REPLACED_DIR / Path(*entry.backup.split("/"))
    for n in range(1000):
        target = base if n == 0 else base.with_name(f"{base.stem}.{n}{base.suffix}")
        try:
            write_new(target, data, FileMeta(0o600, 0, 0), keep_dates=False)
        except StripError:  # that name is taken
            continue
        return target
    raise _Stop(RestoreStatus.FAILED, "cannot keep the changed file: too many kept copies")
