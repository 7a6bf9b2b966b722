"""The one walk of a folder: every entry under a root, each folder entered once.

The scan (``discover``), ``strip`` and ``share`` all plan from ``entries``, so every file the
scan reports is one they handle. It only ``stat``s and lists; what a file is, is decided
later by its content. Kept apart from ``discover`` (sidecar pairing, the scan's accounting)
so that a strip, which needs the walk alone, does not import the rest. Paths are text
(``str(Path)``'s spelling, ``photoscan.pathtext``): a strip never imports ``pathlib``.
"""

from __future__ import annotations

import os
import stat

from photoscan.enums import Enum
from photoscan.pathtext import pure
from photoscan.tuples import NamedTuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:  # collections.abc imports the collections package: start-up time too
    from collections.abc import Iterator

    from photoscan.pathtext import StrPath

SYSTEM_DIRS = frozenset(
    {
        "@eadir",  # Synology thumbnails
        "#recycle",
        "@recycle",
        "$recycle.bin",
        "system volume information",
        "__macosx",
        "lost+found",
        "#snapshot",
    }
)
JUNK_FILES = frozenset({".ds_store", "thumbs.db", "desktop.ini", "ehthumbs.db", "icon\r"})


def is_hidden_dir(name: str) -> bool:
    return name.startswith(".") or name.lower() in SYSTEM_DIRS


def is_junk_file(name: str) -> bool:
    low = name.lower()
    return low in JUNK_FILES or low.startswith("._")


class Kind(Enum):
    """What the walk made of one entry (``Entry``)."""

    FILE = "file"  # a regular file (through any links)
    FOLDER = "folder"  # a folder entered (its entries follow)
    OTHER = "other"  # not a regular file: a device, socket or pipe (never opened)
    BROKEN = "broken"  # cannot be stat'ed: a broken link, permission denied, ...
    UNREADABLE = "unreadable"  # a folder that cannot be listed
    SKIPPED = "skipped"  # by policy: hidden or system folder, OS junk file, a link loop


class Entry(NamedTuple):
    path: str  # through the links the walk followed, as the user sees it (as str(Path))
    rel: str  # relative to the root, "/" separators; a folder's ends with "/"
    kind: Kind
    st: os.stat_result | None = None  # a FILE's or FOLDER's status (links followed)
    reason: str = ""  # why, for every kind but FILE


def entries(root: StrPath, include_hidden: bool = False) -> Iterator[Entry]:
    """Every entry under ``root``, folders in name order, depth first: the one walk the scan
    and ``strip``/``share`` share, so a file the scan reports is one they handle. Links are
    followed; each folder is entered once (by ``(st_dev, st_ino)``). Raises ``OSError``
    only for the root itself (the caller turns it into a usage error)."""
    root_st = os.stat(root)
    visited = {(root_st.st_dev, root_st.st_ino)}
    stack: list[tuple[str, str]] = [(pure(root), "")]
    while stack:
        directory, prefix = stack.pop()
        try:
            with os.scandir(directory) as it:
                listed = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            if not prefix:
                raise  # the root itself
            reason = f"cannot read folder: {os_reason(exc)}"
            yield Entry(directory, prefix, Kind.UNREADABLE, reason=reason)
            continue
        folders = []
        for entry in listed:
            rel = f"{prefix}{entry.name}"
            try:
                st = entry.stat(follow_symlinks=True)
            except OSError as exc:
                reason = "broken symbolic link" if entry.is_symlink() else os_reason(exc)
                yield Entry(entry.path, rel, Kind.BROKEN, reason=reason)
                continue
            if stat.S_ISDIR(st.st_mode):
                if not include_hidden and is_hidden_dir(entry.name):
                    reason = "hidden or system folder (not scanned)"
                    yield Entry(entry.path, rel + "/", Kind.SKIPPED, reason=reason)
                    continue
                key = (st.st_dev, st.st_ino)
                if key in visited:
                    reason = "folder already scanned (link loop)"
                    yield Entry(entry.path, rel + "/", Kind.SKIPPED, reason=reason)
                    continue
                visited.add(key)
                folders.append((entry.path, rel + "/"))
                yield Entry(entry.path, rel + "/", Kind.FOLDER, st)
            elif stat.S_ISREG(st.st_mode):
                if not include_hidden and is_junk_file(entry.name):
                    reason = "system file (not a photo)"
                    yield Entry(entry.path, rel, Kind.SKIPPED, reason=reason)
                    continue
                yield Entry(entry.path, rel, Kind.FILE, st)
            else:
                reason = "not a regular file (device, socket or pipe)"
                yield Entry(entry.path, rel, Kind.OTHER, reason=reason)
        stack.extend(reversed(folders))  # the first folder by name is walked next


def os_reason(exc: OSError) -> str:
    """A short plain-words reason for an OS error (no paths, which are listed separately)."""
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or type(exc).__name__
