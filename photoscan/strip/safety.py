"""Writing results without ever losing an original.

Every write goes to a temporary file in the destination's own directory (``photoscan.io``),
is fsynced, and then appears under its final name in one atomic step (``os.link`` for new
files so an existing file is never overwritten, ``os.replace`` for in-place edits), followed
by an fsync of the directory. In place, the original is first copied to the backup folder
the same way. So a crash or power cut at any moment leaves each original either untouched or
fully replaced with its backup present — never truncated or missing. File mode is kept, and
so are file dates unless asked otherwise.

``PHOTOSCAN_TEST_CRASH=<step>:<n>`` kills the process at ``step`` (``backup``, ``temp``,
``replace``, ``done``) of the n-th in-place write; the crash-safety test uses it to stop a
batch at exact points. It is read only when set.

A video is never held in memory: its content comes as a ``Fill`` (a function that writes it
into the new file's descriptor: a kernel copy, then patches, then a read-back check that
raises ``StripError``), and its original as a ``Streamed`` descriptor to copy from.

Paths may be ``str`` or ``Path`` (``pathtext.StrPath``): a strip's plan holds them as text,
and this module is on its start-up path, which does not import ``pathlib``.
"""

from __future__ import annotations

import os

from photoscan import pathtext
from photoscan.errors import StripError
from photoscan.io import (
    copy_fd,
    fsync_dir,
    remove_quietly,
    remove_stale_temps,
    same_content,
    write_all,
    write_temp,
)
from photoscan.tuples import NamedTuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:  # the manifest (json, datetime, hashlib) is imported by in-place writes only
    from collections.abc import Callable  # (it imports the collections package: start-up)

    from photoscan.pathtext import StrPath
    from photoscan.strip import manifest

    Fill = Callable[[int], object]  # writes a file's content into an open descriptor

_CRASH_ENV = "PHOTOSCAN_TEST_CRASH"
_in_place_writes = 0


class FileMeta(NamedTuple):
    """What is kept of the original file itself: permissions and dates."""

    mode: int
    atime_ns: int
    mtime_ns: int
    owner: tuple[int, int] | None = None  # (uid, gid) to restore on in-place replacement

    @classmethod
    def of(cls, st: os.stat_result, with_owner: bool = False) -> FileMeta:
        owner = (st.st_uid, st.st_gid) if with_owner else None
        return cls(st.st_mode & 0o7777, st.st_atime_ns, st.st_mtime_ns, owner)


def _crash_point(step: str) -> None:
    spec = os.environ.get(_CRASH_ENV)
    if not spec:
        return
    want_step, _, want_n = spec.partition(":")
    if want_step == step and want_n.isdigit() and int(want_n) == _in_place_writes:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


class Streamed(NamedTuple):
    """An original read through its descriptor instead of from memory (a video), and the
    SHA-256 of the stripped file that replaces it (for the restore manifest)."""

    fd: int
    size: int
    stripped_sha256: str = ""

    def sha256(self) -> str:
        import hashlib

        digest = hashlib.sha256()
        pos = 0
        while pos < self.size:
            chunk = os.pread(self.fd, min(1 << 20, self.size - pos), pos)
            if not chunk:
                raise StripError("the file got shorter while it was being stripped")
            digest.update(chunk)
            pos += len(chunk)
        return digest.hexdigest()

    def fill(self, fd: int) -> None:
        copy_fd(self.fd, fd, self.size)

    def same_as(self, path: StrPath) -> bool:
        """Whether ``path`` holds exactly this original (compared a megabyte at a time)."""
        try:
            if os.stat(path).st_size != self.size:
                return False
            with open(path, "rb") as theirs:
                pos = 0
                while pos < self.size:
                    mine = os.pread(self.fd, min(1 << 20, self.size - pos), pos)
                    if not mine or theirs.read(len(mine)) != mine:
                        return False
                    pos += len(mine)
            return True
        except OSError:
            return False


_SWEPT: set[str] = set()


def _folder(path: StrPath) -> str:
    """``str(Path(path).parent)``."""
    return pathtext.parent(pathtext.pure(path))


def _write_temp(
    directory: str,
    data: bytes | Fill,
    meta: FileMeta | None,
    keep_dates: bool,
    durable: bool = True,
) -> str:
    """``io.write_temp`` (a fresh 0600 file, fsynced if ``durable``), then the original's
    owner, mode and dates on it."""
    if directory not in _SWEPT:  # once per folder and run: a killed run's temp files go
        _SWEPT.add(directory)
        remove_stale_temps(directory)
    temp = write_temp(directory, data, durable=durable)
    try:
        if meta is not None:
            if meta.owner is not None and hasattr(os, "chown"):
                try:  # noqa: SIM105 (contextlib is not imported at a strip's start-up)
                    os.chown(temp, *meta.owner)
                except OSError:  # only root may give files away
                    pass
            _apply(temp, meta, keep_dates)
    except BaseException:
        remove_quietly(temp)
        raise
    return temp


_FD_CALLS = os.chmod in os.supports_fd and os.utime in os.supports_fd


def _apply(target: int | StrPath, meta: FileMeta, keep_dates: bool) -> None:
    """The original's mode, and its dates unless asked otherwise, on a path or descriptor."""
    os.chmod(target, meta.mode)
    if keep_dates:
        os.utime(target, ns=(meta.atime_ns, meta.mtime_ns))


def _create_exclusive(
    dest: StrPath, data: bytes | Fill, meta: FileMeta | None, keep_dates: bool
) -> None:
    """One new file, made with as few system calls as the OS allows: creating a file costs
    more than stripping a small JPEG, so mode and dates are set on the open descriptor and the
    folder is made only when the create says it is missing."""
    mode = meta.mode if meta is not None else 0o600
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        try:
            fd = os.open(dest, flags, mode)
        except FileNotFoundError:
            os.makedirs(_folder(dest), exist_ok=True)
            fd = os.open(dest, flags, mode)
    except FileExistsError:
        raise StripError("the output file already exists; not overwritten") from None
    try:
        try:
            if isinstance(data, bytes):
                write_all(fd, data)
            else:
                data(fd)
            if meta is not None and _FD_CALLS:
                _apply(fd, meta, keep_dates)  # O_CREAT's mode is filtered by the umask
        finally:
            os.close(fd)
        if meta is not None and not _FD_CALLS:
            _apply(dest, meta, keep_dates)
    except BaseException:
        remove_quietly(dest)
        raise


def write_new(
    dest: StrPath,
    data: bytes | Fill,
    meta: FileMeta | None,
    keep_dates: bool = True,
    durable: bool = True,
) -> None:
    """Create ``dest`` with ``data``; never overwrites an existing file.

    A temp file (fsynced if ``durable``: backups), then an atomic link to ``dest`` (fsync of
    the folder if ``durable``). Bytes that need not be durable (a photo's stripped copy: its
    original stays untouched, and a write cut short leaves only some of those stripped bytes)
    are written in place with ``O_EXCL`` instead and removed again if writing fails, which
    costs a third of the system calls. A ``Fill`` always goes through the temp file: a
    video's copy holds the original's metadata until it is patched and checked, so a run
    killed in between must never leave it under the stripped copy's name (a killed run's temp
    files go on the next run in that folder).
    """
    if not durable and isinstance(data, bytes):
        _create_exclusive(dest, data, meta, keep_dates)
        return
    if os.path.lexists(dest):  # said before a video is copied, not after
        raise StripError("the output file already exists; not overwritten")
    folder = _folder(dest)
    os.makedirs(folder, exist_ok=True)
    temp = _write_temp(folder, data, meta, keep_dates, durable)
    try:
        os.link(temp, dest)
    except FileExistsError:
        raise StripError("the output file already exists; not overwritten") from None
    except OSError:  # file systems without hard links: check, then rename
        if pathtext.exists(dest):
            raise StripError("the output file already exists; not overwritten") from None
        os.replace(temp, dest)
    finally:
        remove_quietly(temp)
    if durable:
        fsync_dir(folder)


def replace_in_place(
    target: StrPath,
    data: bytes | Fill,
    original: bytes | Streamed,
    backup: StrPath,
    keep_dates: bool = True,
    manifest_dir: StrPath | None = None,
) -> None:
    """Back ``target`` up to ``backup``, then atomically replace it with ``data``.

    ``original`` is the content that was read and stripped; if the file changed since, nothing
    is written. An existing backup is never overwritten (it may be the only true original).
    With ``manifest_dir`` (the backup folder), the replacement is recorded in its restore
    manifest (``strip.manifest``) once the backup is durable and before the original is
    replaced, so ``photoscan restore`` can undo it.
    """
    global _in_place_writes
    _in_place_writes += 1
    st = os.stat(target)
    meta = FileMeta.of(st, with_owner=True)
    size = len(original) if isinstance(original, bytes) else original.size
    if st.st_size != size:
        raise StripError("the file changed while it was being stripped; left untouched")
    entry = None
    if manifest_dir is not None:
        entry = _entry(target, backup, manifest_dir, original, data, meta)
    _crash_point("backup")
    if isinstance(original, bytes):
        have_backup = same_content(backup, original)
        content: bytes | Fill = original
    else:
        have_backup, content = original.same_as(backup), original.fill
    if not have_backup:  # a rerun after a crash finds its own backup
        try:
            write_new(backup, content, meta, keep_dates=True)
        except StripError:
            raise StripError(
                "a different backup of this file already exists; left untouched"
            ) from None
    if entry is not None:
        from pathlib import Path  # the manifest's paths: in place only

        from photoscan.strip import manifest

        manifest.record(Path(manifest_dir or _folder(backup)), entry)
    _crash_point("temp")
    folder = _folder(target)
    temp = _write_temp(folder, data, meta, keep_dates)
    _crash_point("replace")
    try:
        os.replace(temp, target)
    except OSError:
        remove_quietly(temp)
        raise
    fsync_dir(folder)
    _crash_point("done")


def _entry(
    target: StrPath,
    backup: StrPath,
    folder: StrPath,
    original: bytes | Streamed,
    data: bytes | Fill,
    meta: FileMeta,
) -> manifest.BackupEntry:
    from pathlib import Path  # the manifest's paths: in place only

    from photoscan.strip import manifest

    try:
        name = manifest.backup_name(Path(folder), Path(backup))
    except ValueError:
        raise StripError("the backup is outside the backup folder; left untouched") from None
    return manifest.BackupEntry(
        original=Path(os.path.abspath(target)),
        backup=name,
        original_sha256=_original_sha256(original),
        stripped_sha256=_stripped_sha256(original, data),
        size=len(original) if isinstance(original, bytes) else original.size,
        mode=meta.mode,
        atime_ns=meta.atime_ns,
        mtime_ns=meta.mtime_ns,
        owner=meta.owner,
    )


def _original_sha256(original: bytes | Streamed) -> str:
    from photoscan.strip import manifest

    return manifest.sha256(original) if isinstance(original, bytes) else original.sha256()


def _stripped_sha256(original: bytes | Streamed, data: bytes | Fill) -> str:
    if isinstance(data, bytes):
        from photoscan.strip import manifest

        return manifest.sha256(data)
    if isinstance(original, Streamed) and original.stripped_sha256:
        return original.stripped_sha256
    raise StripError("the stripped file's hash is unknown; nothing written")


def restore_original(target: StrPath, data: bytes, meta: FileMeta) -> None:
    """Put ``data`` (a verified backup) at ``target`` atomically, with the original's owner,
    mode and dates: temp file beside it, fsync, ``os.replace``, fsync of the folder, then a
    read-back. ``target`` may be missing (then it is created)."""
    folder = _folder(target)
    os.makedirs(folder, exist_ok=True)
    temp = _write_temp(folder, data, meta, keep_dates=True)
    try:
        os.replace(temp, target)
    except OSError:
        remove_quietly(temp)
        raise
    fsync_dir(folder)
    if not same_content(target, data):
        raise StripError("the restored file does not read back as the backup")
