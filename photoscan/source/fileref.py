"""Where a scanned file's bytes live: a file on disk, or a member of a ``.zip`` export.

Both pools (metadata and faces) get a ``FileRef`` instead of a path and read it with the one
``read_bytes`` here, so a Flickr or Takeout zip is scanned in place: nothing is extracted to
disk. A ``FileRef`` is a small frozen value that pickles cheaply to a worker; each process
opens the zip itself (``ZipArchive``, with its name checks and zip-bomb caps) and keeps it
open for the next member. An archive opened before a fork is never reused by the child: the
file offset would be shared between processes.

The per-thread archives and the index lock come from ``_thread``, which ``threading.local``
and ``threading.Lock`` are: a strip imports this module at start-up, and ``threading``
itself costs ~4M instructions there.
"""

from __future__ import annotations

import os
import stat
from _thread import _local as thread_local
from _thread import allocate_lock

from photoscan import pathtext
from photoscan.errors import CorruptFile, FileTooLarge, PhotoscanError, UnsupportedFormat
from photoscan.source import takeoutparts
from photoscan.tuples import NamedTuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import BinaryIO

    from photoscan.pathtext import StrPath
    from photoscan.source.ziparchive import ZipArchive

ZIP_MAGIC = b"PK\x03\x04"


class FileRef(NamedTuple):
    """A file (``member`` None) or the member ``member`` of the zip archive at ``path``."""

    path: str  # absolute
    member: str | None = None

    @classmethod
    def of(cls, value: FileRef | Path | str) -> FileRef:
        return value if isinstance(value, FileRef) else cls(str(value))


def is_zip_file(path: StrPath) -> bool:
    """A zip by content (the local-file-header magic), whatever the name says."""
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == ZIP_MAGIC
    except OSError:
        return False


def is_export(path: StrPath) -> bool:
    """A ``.zip`` export by content (or a Takeout part by name: a damaged part still brings
    its sibling parts, as the scan does)."""
    if not pathtext.is_file(path):
        return False
    return is_zip_file(path) or takeoutparts.part_of(os.path.basename(path)) is not None


_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in opens at once instead of blocking
    | getattr(os, "O_NOCTTY", 0)  # a terminal never becomes the controlling one
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def open_fd(path: str | os.PathLike[str]) -> tuple[int, os.stat_result]:
    """A read-only descriptor on ``path`` and its ``fstat``, only if it is a regular file.

    The walk saw a regular file, but it may be a FIFO, a device or a link to ``/dev/zero``
    (or have been swapped for one since): the type is checked on the opened descriptor, so
    nothing that is not a regular file is ever read, and opening never blocks. Raises
    ``UnsupportedFormat`` for anything else, ``OSError`` when it cannot be opened."""
    fd = os.open(path, _OPEN_FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnsupportedFormat("not a regular file (device, socket or pipe)")
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """``open_fd`` as a binary file object."""
    fd, _ = open_fd(path)
    try:
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _too_large(size: int) -> FileTooLarge:
    return FileTooLarge(f"file too large to read ({size // (1 << 20)} MB)")


def read_rest(fd: int, head: bytes, size: int, limit: int) -> bytes:
    """``head`` (what was read from ``fd`` already) and the rest of the file, never more
    than ``limit`` bytes in all: ``size`` (from ``fstat``) is trusted for the first read
    only — a file that grows meanwhile is read on, to ``limit``, then ``FileTooLarge``."""
    if size > limit:
        raise _too_large(size)
    chunks = [head, os.read(fd, max(0, size - len(head)) + 1)]
    total = len(head) + len(chunks[-1])
    while chunks[-1] and total <= limit:  # grew since fstat: read on, bounded
        chunks.append(os.read(fd, min(1 << 20, limit + 1 - total)))
        total += len(chunks[-1])
    if total > limit:
        raise FileTooLarge(f"file too large to read (over {limit // (1 << 20)} MB)")
    if not head and len(chunks) == 3 and not chunks[2]:
        return chunks[1]  # the usual case: one read, no copy
    return b"".join(chunks)


def read_regular(path: str | os.PathLike[str], limit: int) -> tuple[os.stat_result, bytes]:
    """A regular file's status and all its bytes from one descriptor (``open_fd``, then
    ``read_rest``): the one bounded reader for every command that reads a file whole.
    Raises ``UnsupportedFormat`` (not a regular file), ``FileTooLarge``, ``OSError``."""
    fd, st = open_fd(path)
    try:
        return st, read_rest(fd, b"", st.st_size, limit)
    finally:
        os.close(fd)


_local = thread_local()  # threading.local()
_KEEP_OPEN = 4  # archives kept open per thread: the parts of a multi-part Takeout export


def _archive(path: str) -> ZipArchive:
    """This process's (and thread's) open archive at ``path``. A few stay open: a photo and
    its sidecar may be in different parts of one export, read one after the other."""
    pid = os.getpid()
    cached: tuple[int, dict[str, ZipArchive]] | None = getattr(_local, "archives", None)
    if cached is None or cached[0] != pid:  # another process's archives: never reused
        cached = (pid, {})
        _local.archives = cached
    archives = cached[1]
    archive = archives.pop(path, None)
    if archive is None:
        from pathlib import Path  # lazy, as zipfile: only for zip exports

        from photoscan.source.ziparchive import ZipArchive

        archive = ZipArchive(Path(path))
        while len(archives) >= _KEEP_OPEN:
            archives.pop(next(iter(archives))).close()  # the least recently used
    archives[path] = archive  # (re)inserted last: most recently used
    return archive


def close_archives() -> None:
    """Close this thread's open archives (end of a scan)."""
    cached: tuple[int, dict[str, ZipArchive]] | None = getattr(_local, "archives", None)
    _local.archives = None
    if cached is not None and cached[0] == os.getpid():
        for archive in cached[1].values():
            archive.close()


def read_bytes(ref: FileRef, limit: int) -> bytes:
    """All of the file's bytes; ``FileTooLarge`` beyond ``limit``, ``CorruptFile`` for a
    damaged or vanished member, ``OSError`` when the file itself cannot be read."""
    if ref.member is None:
        return read_regular(ref.path, limit)[1]
    return read_member(ref, limit)


def read_member(ref: FileRef, limit: int, *, truncate: bool = False) -> bytes:
    """A zip member's bytes: ``FileTooLarge`` beyond ``limit``, or with ``truncate`` just
    its first ``limit`` bytes (a head to sniff: nothing more is inflated)."""
    assert ref.member is not None
    try:
        data = _archive(ref.path).read(ref.member, limit if truncate else limit + 1)
    except KeyError as exc:
        raise CorruptFile("zip member no longer in the archive") from exc
    except UnsupportedFormat as exc:  # the archive changed since the scan listed it
        raise CorruptFile(str(exc)) from exc
    if len(data) > limit:
        raise FileTooLarge(f"file too large to read (over {limit // (1 << 20)} MB)")
    return data


_index_lock = allocate_lock()  # threading.Lock()
_index: dict[tuple[tuple[str, int, int], ...], dict[str, str]] = {}  # the last export's


def export_member(root: Path, member: str) -> FileRef:
    """Where member ``member`` of the ``.zip`` export ``root`` lives, as the scan reads it:
    ``root`` itself or, for a multi-part Google Takeout export, the lowest-numbered part
    holding it (``zipwalk.walk_zip``). For callers that know only the root and a photo's
    path (the app's thumbnails). Which part holds what is listed once per export and
    listed again when a part changes; raises ``OSError`` if the folder cannot be listed."""
    parts = takeoutparts.export_parts(root)
    if len(parts) == 1:
        return FileRef(str(root), member)
    signature = []
    for _, part in parts:
        st = os.stat(part)
        signature.append((str(part), st.st_size, st.st_mtime_ns))
    key = tuple(signature)
    with _index_lock:
        index = _index.get(key)
        if index is None:
            index = _list_parts(parts)
            _index.clear()
            _index[key] = index
    return FileRef(index.get(member, str(root)), member)


def _list_parts(parts: list[tuple[int, Path]]) -> dict[str, str]:
    from photoscan.source.ziparchive import ZipArchive  # lazy: zipfile only for zip exports

    index: dict[str, str] = {}
    opened: set[int] = set()
    for number, part in parts:
        if number in opened:  # a second file with the same number: the walk skips it too
            continue
        try:
            with ZipArchive(part) as archive:
                names = [m.name for m in archive.members()]
        except (OSError, PhotoscanError):  # the scan lists it as an error
            continue
        opened.add(number)
        for name in names:
            index.setdefault(name, str(part))
    return index
