"""The one way photoscan writes a file of its own: privately, atomically, verifiably.

What photoscan writes for itself says what the user's photos give away (a scan document, a
report, the stored output of a scan) or is a cache another process reads (the face
detector), so every such file is written the same way:

1. a temporary file is created next to the destination, exclusively and 0600 (what
   ``tempfile.mkstemp`` does, with ``os.open``: importing ``tempfile`` costs ~6 ms, and a
   cached rescan, which writes its ``--json`` copy through here, is over in ~50 ms);
2. it is filled, and fsynced when the file must survive a power cut (``durable``);
3. it replaces the destination in one ``os.replace``, so a reader sees the old file or the
   new one, never half of either; a failure at any step removes the temporary file;
4. with ``verify``, the destination is read back and compared with what was meant.

A destination that is not a regular file is written through, never replaced: ``--json
/dev/null``, ``/dev/stdout`` or a shell's ``>(…)`` pipe are streams (replacing ``/dev/null``
with a regular file, as root, breaks every program on the machine), and a symbolic link
is followed, so the file it names is replaced and the link stays a link.

Writes that must never overwrite, or must keep an original's mode and dates (the strippers'
outputs and backups, ``strip.safety``) build on ``write_temp``, ``fsync_dir`` and
``same_content`` here instead of a copy of them; ``copy_fd`` copies a file too large to hold
in memory (a video) by the kernel.
"""

from __future__ import annotations

import errno
import os
import stat

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable

    Where = str | os.PathLike[str]
    Fill = Callable[[int], object]  # writes the content into an open file descriptor

PRIVATE_MODE = 0o600
_TEMP_TRIES = 100
_COPY_CHUNK = 0x7FFFF000  # the most one copy_file_range/sendfile moves (Linux MAX_RW_COUNT)
_BUFFER = 1 << 20
# copy_file_range/sendfile cannot serve these descriptors (another file system, an old
# kernel, a special file): the next way is tried.
_NO_KERNEL_COPY = frozenset(
    {errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EBADF, errno.EPERM}
)


def write_private(
    path: Where, data: bytes | Fill, *, durable: bool = True, verify: bool = False
) -> None:
    """``data`` (bytes, or a function writing into a descriptor) as ``path``, 0600,
    atomically. ``durable`` fsyncs the file and its folder (a report the user keeps); a
    cache or a copy that can be made again passes ``False``: an fsync of megabytes costs more
    than a whole cached rescan. ``verify`` (bytes only) reads the file back and raises
    ``OSError`` if it is not what was written. Raises ``OSError``."""
    target = _destination(os.fspath(path))
    if target is None:
        _write_through(os.fspath(path), data)
        return
    directory = os.path.dirname(target) or "."
    temp = write_temp(directory, data, durable=durable)
    _install(temp, target, durable)
    if verify and isinstance(data, bytes) and not same_content(target, data):
        raise OSError(errno.EIO, "the file read back differs from what was written", target)


def write_private_by_name(
    path: Where, fill: Callable[[str], object], *, durable: bool = True
) -> None:
    """``write_private`` for writers that insist on a file name (Qt's PDF writer, dlib):
    ``fill`` writes the temporary file by its name; it is made 0600 again afterwards, in
    case the writer replaced it."""
    target = _destination(os.fspath(path))
    if target is None:  # a stream: the writer fills a temporary file, which is then sent
        _send_by_name(os.fspath(path), fill)
        return
    directory = os.path.dirname(target) or "."
    temp = write_temp(directory, b"", durable=False)
    try:
        fill(temp)
        os.chmod(temp, PRIVATE_MODE)
        if durable:
            _fsync_path(temp)
    except BaseException:
        remove_quietly(temp)
        raise
    _install(temp, target, durable)


def write_temp(directory: Where, data: bytes | Fill, *, durable: bool = True) -> str:
    """A new file in ``directory`` (0600, a name no one else holds) with ``data`` in it,
    fsynced if ``durable``; its path. Removed again if anything fails."""
    folder = os.fspath(directory)
    temp, fd = _create(folder)
    try:
        try:
            if isinstance(data, bytes):
                write_all(fd, data)
            else:
                data(fd)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        remove_quietly(temp)
        raise
    return temp


def write_all(fd: int, data: bytes) -> None:
    """All of ``data`` to ``fd`` (``os.write`` may write less than asked)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def pwrite_all(fd: int, data: bytes, offset: int) -> None:
    """All of ``data`` at ``offset`` of ``fd`` (a positioned write: no seek)."""
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        if written <= 0:
            raise OSError(errno.EIO, "nothing written")
        view = view[written:]
        offset += written


def copy_fd(src: int, dst: int, size: int) -> None:
    """The first ``size`` bytes of ``src`` into ``dst`` at the same offsets, by the kernel
    when it can: ``os.copy_file_range`` (no data through this process; a reflink where the
    file system shares extents), then ``sendfile``, then a buffered copy. Raises ``OSError``
    (``EIO`` when ``src`` ends early). ``src`` is read from start to end: the kernel is told
    so (as ``cp`` does), which doubles its read-ahead for a file not in the page cache."""
    copied = 0
    _sequential(src, size)
    if hasattr(os, "copy_file_range"):
        copied = _kernel_copy(src, dst, copied, size, _copy_range)
    if copied < size and hasattr(os, "sendfile"):
        os.lseek(dst, copied, os.SEEK_SET)
        copied = _kernel_copy(src, dst, copied, size, _sendfile)
    while copied < size:
        chunk = os.pread(src, min(_BUFFER, size - copied), copied)
        if not chunk:
            raise OSError(errno.EIO, "the file got shorter while it was being copied")
        pwrite_all(dst, chunk, copied)
        copied += len(chunk)


def _sequential(fd: int, size: int) -> None:
    """``POSIX_FADV_SEQUENTIAL`` on ``fd`` where there is one; advice only, so a descriptor
    that cannot take it (a pipe, another OS) is copied all the same."""
    if size >= _BUFFER and hasattr(os, "posix_fadvise"):
        try:  # noqa: SIM105 (contextlib is not imported at a strip's start-up)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_SEQUENTIAL)
        except OSError:
            pass


def _copy_range(src: int, dst: int, pos: int, count: int) -> int:
    return os.copy_file_range(src, dst, count, pos, pos)


def _sendfile(src: int, dst: int, pos: int, count: int) -> int:
    return os.sendfile(dst, src, pos, count)  # writes at dst's position, kept in step


def _kernel_copy(
    src: int, dst: int, copied: int, size: int, call: Callable[[int, int, int, int], int]
) -> int:
    """Bytes copied by ``call`` from ``copied`` on, until done or the kernel declines."""
    while copied < size:
        try:
            n = call(src, dst, copied, min(_COPY_CHUNK, size - copied))
        except OSError as exc:
            if exc.errno in _NO_KERNEL_COPY:
                return copied
            raise
        if n == 0:
            return copied
        copied += n
    return copied


def fsync_dir(directory: Where) -> None:
    """Make a rename in ``directory`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def same_content(path: Where, data: bytes) -> bool:
    """Whether ``path`` holds exactly ``data`` (read back; an unreadable file does not)."""
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as f:
            return f.read(len(data) + 1) == data
    except OSError:
        return False


def _destination(target: str) -> str | None:
    """The regular file to replace for ``target`` (a symbolic link's final target), or None
    when ``target`` exists and is not a regular file (a device, a pipe): it is written
    through instead."""
    try:
        info = os.stat(target)
    except OSError:
        return os.path.realpath(target) if os.path.islink(target) else target
    if not stat.S_ISREG(info.st_mode):
        return None
    return os.path.realpath(target) if os.path.islink(target) else target


def _write_through(target: str, data: bytes | Fill) -> None:
    fd = os.open(target, os.O_WRONLY | getattr(os, "O_BINARY", 0))
    try:
        if isinstance(data, bytes):
            write_all(fd, data)
        else:
            data(fd)
    finally:
        os.close(fd)


def _send_by_name(target: str, fill: Callable[[str], object]) -> None:
    from photoscan.paths import cache_dir_str  # photoscan's own folder, never the user's

    temp = write_temp(cache_dir_str(), b"", durable=False)
    try:
        fill(temp)
        with open(temp, "rb") as f:
            content = f.read()
    finally:
        remove_quietly(temp)
    _write_through(target, content)


STALE_PATTERN = r"\.photoscan-(\d+)-[0-9a-f]{12}\.tmp"  # what temp_pid reads (never compiled)
_HEX = frozenset("0123456789abcdef")


def temp_pid(name: str) -> int | None:
    """The writer's pid in a temporary file's name as ``_create`` makes it, None for any
    other name: ``re.fullmatch(STALE_PATTERN, name).group(1)``, without ``re`` (with
    ``enum``, ~15M instructions: every video copy sweeps its folder, at a strip's start)."""
    if not (name.startswith(".photoscan-") and name.endswith(".tmp")):
        return None
    pid, dash, tag = name[len(".photoscan-") : -len(".tmp")].partition("-")
    if not (dash and pid.isdecimal() and len(tag) == 12 and _HEX.issuperset(tag)):
        return None
    return int(pid)


def remove_stale_temps(directory: str | os.PathLike[str]) -> int:
    """Remove, from ``directory``, the temporary files (``_create``'s names carry the writer's
    pid) of photoscan runs that are no longer alive — left by a killed run. Another live
    run's, or a name of any other shape, is never touched. Returns how many went."""
    removed = 0
    try:
        with os.scandir(directory) as it:
            stale = [
                (e.path, pid)
                for e in it
                if (pid := temp_pid(e.name)) is not None and e.is_file(follow_symlinks=False)
            ]
    except OSError:
        return 0
    for path, pid in stale:
        if pid == os.getpid() or _alive(pid):
            continue
        try:
            os.unlink(path)
            removed += 1
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process: alive
        return True
    return True


def _create(directory: str) -> tuple[str, int]:
    # Read-write: a writer filling the descriptor (a stripped video) reads its work back.
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(_TEMP_TRIES):
        name = os.path.join(directory, f".photoscan-{os.getpid()}-{os.urandom(6).hex()}.tmp")
        try:
            return name, os.open(name, flags, PRIVATE_MODE)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", directory)


def _install(temp: str, target: str, durable: bool) -> None:
    try:
        os.replace(temp, target)
    except BaseException:
        remove_quietly(temp)
        raise
    if durable:
        fsync_dir(os.path.dirname(target) or ".")


def _fsync_path(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_quietly(path: Where) -> None:
    """Remove ``path`` if it can be, as ``contextlib.suppress(OSError)`` around ``os.unlink``
    would (``contextlib`` is not imported at a strip's start-up): for cleaning up."""
    try:
        os.unlink(path)
    except OSError:
        return
