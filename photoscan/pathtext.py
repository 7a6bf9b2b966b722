"""``pathlib``'s answers for paths held as text, for the strip's start-up path.

``pathlib`` costs ~17M instructions to import (with ``ntpath``, ``urllib.parse`` and its
``ipaddress``, for ``PureWindowsPath`` and ``as_uri``), ~7% of a strip of 18 small videos,
which ExifTool's files/s is measured against. So the strip plan, the CLI's quick arguments
and the writers hold paths as ``str`` and ask these functions what ``Path`` would answer:
``pure`` is ``str(Path(p))``, ``join`` is ``str(Path(a) / b)``, ``resolve`` is
``str(Path(p).resolve())``, and ``exists``, ``is_dir``, ``is_file``, ``is_symlink`` are
``Path``'s methods (which, unlike ``os.path``'s, raise on errors other than "not there").
Functions that take a path still take any ``str | os.PathLike[str]`` (``StrPath``): a
``Path`` is welcome everywhere; only what the plan makes is text.
"""

from __future__ import annotations

import os
from errno import EBADF, ELOOP, ENOENT, ENOTDIR
from stat import S_IFDIR, S_IFLNK, S_IFMT, S_IFREG

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable

    StrPath = str | os.PathLike[str]

_NOT_THERE = (ENOENT, ENOTDIR, EBADF, ELOOP)  # pathlib's _IGNORED_ERRNOS


def pure(path: StrPath) -> str:
    """``str(Path(path))`` on POSIX: no empty or ``.`` parts, no trailing ``/``, two leading
    slashes kept (and only two), ``.`` for nothing; ``..`` is kept, links are not read."""
    text = os.fspath(path)
    if not isinstance(text, str):
        raise TypeError(f"expected a str path, not {type(text).__name__}")
    root = ""
    if text.startswith("/"):
        root = "//" if text.startswith("//") and not text.startswith("///") else "/"
    parts = [part for part in text.split("/") if part and part != "."]
    return root + "/".join(parts) if root or parts else "."


def join(base: StrPath, *names: str) -> str:
    """``str(Path(base).joinpath(*names))`` (an absolute name starts over)."""
    return pure(os.path.join(os.fspath(base), *names))


def name(path: str) -> str:
    """``Path(path).name`` of a ``pure`` path."""
    return "" if path in ("/", "//", ".") else path.rsplit("/", 1)[-1]


def parent(path: str) -> str:
    """``str(Path(path).parent)`` of a ``pure`` path."""
    head, sep, _ = path.rpartition("/")
    if not sep:
        return "."
    return head if head.strip("/") else path[: len(path) - len(path.lstrip("/"))] or "/"


def resolve(path: StrPath) -> str:
    """``str(Path(path).resolve())``: absolute, links followed; a link loop is a
    ``RuntimeError``, as there."""
    try:
        real = os.path.realpath(path)
    except OSError as exc:
        _loop(exc)
        raise
    try:
        os.stat(real)
    except OSError as exc:
        _loop(exc)
    return real


def _loop(exc: OSError) -> None:
    if exc.errno == ELOOP:
        raise RuntimeError(f"Symlink loop from {exc.filename!r}")


def _test(path: StrPath, stat: Callable[[StrPath], os.stat_result], mode: int | None) -> bool:
    try:
        st = stat(path)
    except OSError as exc:
        if exc.errno not in _NOT_THERE:
            raise
        return False
    except ValueError:  # a NUL in the name
        return False
    return mode is None or S_IFMT(st.st_mode) == mode


def exists(path: StrPath) -> bool:
    """``Path(path).exists()``."""
    return _test(path, os.stat, None)


def is_dir(path: StrPath) -> bool:
    """``Path(path).is_dir()``."""
    return _test(path, os.stat, S_IFDIR)


def is_file(path: StrPath) -> bool:
    """``Path(path).is_file()``."""
    return _test(path, os.stat, S_IFREG)


def is_symlink(path: StrPath) -> bool:
    """``Path(path).is_symlink()``."""
    return _test(path, os.lstat, S_IFLNK)
