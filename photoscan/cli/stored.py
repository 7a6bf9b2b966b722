"""Whole-scan reuse: an unchanged library's last ``scan`` output, served without rescanning.

The per-file cache (``photoscan.scan.cache``) already spares a rescan every image read, but a
cached rescan still decodes every record, rebuilds the result and re-encodes the JSON:
hundreds of milliseconds for a few thousand files, many times what the check is worth.
So the CLI also keeps, per scanned folder, the finished output (the JSON document and the
summary text) under a *fingerprint* of everything it was made from:

- every entry under the folder — hidden folders included, symbolic links followed as the
  walk follows them — with its name, mode, size, ``mtime_ns``, ``ctime_ns``, device and
  inode (or why it cannot be read): a changed, added, removed, renamed, re-linked or
  chmod-ed file or sidecar changes it (any write moves ``ctime``, which no tool sets back);
- ``versions.code_identity()``: photoscan's version, the identity of every source file of
  the package (but the GUI) and the result libraries' versions: a code change changes it;
- the folder's path and the options that shape the output (hidden files, faces, settings);
- the parent's decisions file (``photoscan.library``: its and its journal's size, times and
  inode), so a face marked or a photo marked reviewed since is never served stale.

A ``.zip`` export's output is kept the same way, under the identity of the zip and, for a
multi-part Google Takeout export, of every part next to it (``zip_fingerprint``).

Any doubt is a miss: an unreadable folder or entry, a missing or foreign output file. A miss
costs the fingerprint only (a ``stat`` per file); the normal scan then runs. The output is
kept only after a complete, uncancelled, warning-free scan whose every file result is in
the per-file cache (nothing a later scan would retry), under the fingerprint taken *before*
that scan, so a file changed while the scan ran can only cause a miss.

Storage: one private file per folder in ``cache_dir()/scans`` (0700/0600), written
atomically (``photoscan.io``): a header line with the fingerprint, the summary parts, then
the document, with the document's CRC-32 in the header: a document changed on disk (same
size: a bad sector, a stray write) raises ``Damaged`` and the scan warns and rebuilds it.
A hit copies the document to its destination with ``sendfile`` — no SQLite, no JSON,
no records. This module imports nothing heavy on purpose: on a hit it is all photoscan
loads.
"""

from __future__ import annotations

import array
import os
import stat
import zlib

from photoscan import versions
from photoscan.io import write_all, write_private
from photoscan.printable import show
from photoscan.versions import sha256

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    Where = str | os.PathLike[str]  # a hit runs on str paths: pathlib costs ~6 ms to import

MAGIC = b"photoscan-rescan 3"
KEEP = 16  # stored outputs (folders) kept; the least recently written go first
NO_FILES = "  No files found.\n"


class Damaged(Exception):
    """A stored output of ours for this key whose document fails its checksum."""


class Summary:
    """The human summary of a scan, split where the elapsed time (``head`` + `` in X s``)
    and the ``--json`` path (after ``body``) go. A ``Hit`` has the same two attributes."""

    __slots__ = ("body", "head")

    def __init__(self, head: str, body: str) -> None:
        self.head = head
        self.body = body


class StoredScan:
    """A finished scan's output: the ``--json`` document (UTF-8) and the human summary,
    split where the elapsed time (``head`` + `` in X s``) and the ``--json`` path (after
    ``body``) go. Plain slotted classes here, not dataclasses or NamedTuples: importing
    ``dataclasses`` or ``typing`` alone costs milliseconds, and a hit loads only this."""

    __slots__ = ("body", "document", "head")

    def __init__(self, document: bytes, head: str, body: str) -> None:
        self.document = document
        self.head = head
        self.body = body


class Hit:
    """A stored output found for this fingerprint; the document stays in ``path``."""

    __slots__ = ("body", "head", "offset", "path", "size")

    def __init__(self, path: str, offset: int, size: int, head: str, body: str) -> None:
        self.path = path
        self.offset = offset  # where the document starts in the file
        self.size = size
        self.head = head
        self.body = body


def render(head: str, body: str, elapsed: float, json_path: str | None) -> str:
    """The whole human summary from its parts (``Summary``, or a ``Hit``'s)."""
    text = f"{head}, in {elapsed:.1f} s\n{body}"
    if body == NO_FILES:
        return text
    if json_path and json_path != "-":
        text += f"\nFull result written to {show(json_path)}\n"
    else:
        text += f"\nDetails per {_per(head)}:  photoscan scan FOLDER --json result.json\n"
    return text


def _per(head: str) -> str:
    """'photo', 'video' or 'file' from the head's counts ("  0 photos, 3 videos, ..."): a
    folder of videos is not told of its photos' details."""
    counts = head.rpartition("\n")[2].split(", ")
    others = any(c.endswith(("video", "videos", "recording", "recordings")) for c in counts)
    if not others:
        return "photo"
    return "video" if counts[0].strip() == "0 photos" else "file"


# --- the fingerprint ------------------------------------------------------------------------


def _stat_numbers(numbers: array.array[int], st: os.stat_result) -> None:
    numbers.extend((st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_dev, st.st_ino))


def zip_fingerprint(root: Where) -> str | None:
    """A ``.zip`` export's digest: the name and identity of the zip and, for a Google Takeout
    part, of every sibling part (``photoscan.source.takeoutparts``), so a changed, added or removed
    part changes it. ``None`` when the folder cannot be listed or a part cannot be stat-ed."""
    from pathlib import Path  # a zip hit pays for pathlib; a folder hit does not

    from photoscan.source import takeoutparts

    names: list[str] = []
    numbers = array.array("q")
    try:
        for number, part in takeoutparts.export_parts(Path(root)):
            names.append(f"{number}:{part.name}")
            _stat_numbers(numbers, os.stat(part))
    except OSError:
        return None
    digest = sha256("\0".join(names).encode("utf-8", "surrogateescape"))
    digest.update(numbers.tobytes())
    return "zip:" + digest.hexdigest()


def tree_fingerprint(root: Where) -> str | None:
    """A digest of every entry under ``root`` (see the module docstring), or ``None`` when
    any folder or entry cannot be read: then the output is never reused. A file root is a
    ``.zip`` export: ``zip_fingerprint``."""
    names: list[str] = []
    numbers = array.array("q")
    try:
        root_st = os.stat(root)
        if stat.S_ISREG(root_st.st_mode):
            return zip_fingerprint(root)
        visited = {(root_st.st_dev, root_st.st_ino)}
        stack: list[tuple[str, str]] = [(os.fspath(root), "")]
        while stack:
            directory, prefix = stack.pop()
            names.append(f"{prefix}/")  # where each folder's entries begin
            # In directory order, unsorted: an unchanged folder lists the same order again,
            # and a different order can only cause a miss, never a stale hit.
            with os.scandir(directory) as it:
                for entry in it:
                    names.append(entry.name)
                    try:
                        st = entry.stat()  # follows symbolic links, as the scan does
                    except OSError as exc:  # e.g. a broken link: the scan lists why, so do we
                        numbers.extend((-1, exc.errno or 0, entry.is_symlink(), -1, -1, -1))
                        continue
                    _stat_numbers(numbers, st)
                    if stat.S_ISDIR(st.st_mode) and (st.st_dev, st.st_ino) not in visited:
                        visited.add((st.st_dev, st.st_ino))
                        stack.append((entry.path, f"{prefix}{entry.name}/"))
    except OSError:
        return None
    digest = sha256("\0".join(names).encode("utf-8", "surrogateescape"))
    digest.update(numbers.tobytes())
    return digest.hexdigest()


def decisions_fingerprint() -> str:
    """The identity of the decisions file and its WAL journal (every change writes one of
    them, and moves its ``ctime``), without opening SQLite; '' when there is none."""
    from photoscan import paths

    base = paths.decisions_db_str()
    numbers = array.array("q")
    for name in (base, base + "-wal"):
        try:
            _stat_numbers(numbers, os.stat(name))
        except OSError as exc:
            numbers.extend((-1, exc.errno or 0, -1, -1, -1, -1))
    return sha256(numbers.tobytes()).hexdigest()


def fingerprint(root: Where, options: str) -> str | None:
    """The key a stored output must match: folder path, tree, code, options, decisions."""
    tree = tree_fingerprint(root)
    if tree is None:
        return None
    text = (
        f"{os.fsencode(root)!r}\n{tree}\n{versions.code_identity()}\n{options}"
        f"\n{decisions_fingerprint()}"
    )
    return sha256(text.encode()).hexdigest()


# --- storage --------------------------------------------------------------------------------


def _file(directory: Where, root: Where) -> str:
    name = sha256(os.fsencode(root)).hexdigest()[:32]
    return os.path.join(directory, "scans", f"{name}.out")


def load(directory: Where, root: Where, key: str) -> Hit | None:
    """The output stored for ``root`` under fingerprint ``key``; anything else is a miss.
    Raises ``Damaged`` (after removing the file) when the document fails its CRC-32."""
    path = _file(directory, root)
    try:
        with open(path, "rb") as f:
            magic, stored_key, sizes = (f.readline(200).rstrip(b"\n") for _ in range(3))
            if magic != MAGIC or stored_key != key.encode():
                return None
            head_size, body_size, doc_size, crc = (int(n) for n in sizes.split())
            head = f.read(head_size).decode()
            body = f.read(body_size).decode()
            offset = f.tell()
            if os.fstat(f.fileno()).st_size != offset + doc_size:
                return None
            damaged = zlib.crc32(f.read(doc_size)) != crc
    except (OSError, ValueError):  # missing, unreadable, or not ours
        return None
    if damaged:
        try:  # noqa: SIM105 - contextlib is not imported on a hit (start-up time)
            os.unlink(path)
        except OSError:
            pass
        raise Damaged(f"stored scan output {os.path.basename(path)} failed its checksum")
    return Hit(path, offset, doc_size, head, body)


def copy_document(hit: Hit, out_fd: int) -> None:
    """The stored document to ``out_fd`` (a file or a pipe), in the kernel where it can."""
    with open(hit.path, "rb") as f:
        offset, left = hit.offset, hit.size
        try:
            while left > 0:
                sent = os.sendfile(out_fd, f.fileno(), offset, left)
                if sent == 0:
                    raise OSError("stored output shrank")
                offset, left = offset + sent, left - sent
        except OSError as exc:
            if offset != hit.offset or getattr(exc, "errno", None) is None:
                raise  # part written: copying again would duplicate it
            f.seek(offset)  # sendfile not supported here: plain copy
            os.write(out_fd, f.read(left))


def read_document(hit: Hit) -> bytes:
    with open(hit.path, "rb") as f:
        f.seek(hit.offset)
        return f.read(hit.size)


def save(directory: Where, root: Where, key: str, stored: StoredScan) -> None:
    """Keep ``stored`` as ``root``'s output (atomically, 0600; a cache, so not fsynced);
    raises OSError."""
    path = _file(directory, root)
    folder = os.path.dirname(path)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    head, body = stored.head.encode(), stored.body.encode()
    crc = zlib.crc32(stored.document)
    sizes = f"{len(head)} {len(body)} {len(stored.document)} {crc}"

    def fill(fd: int) -> None:
        write_all(fd, b"\n".join((MAGIC, key.encode(), sizes.encode(), b"")) + head + body)
        write_all(fd, stored.document)

    write_private(path, fill, durable=False)
    _prune(folder)


def _prune(folder: str) -> None:
    """Only the ``KEEP`` most recently written outputs stay (a few MB each)."""
    try:
        with os.scandir(folder) as it:
            outputs = [(e.stat().st_mtime_ns, e.path) for e in it if e.name.endswith(".out")]
        for _, path in sorted(outputs, reverse=True)[KEEP:]:
            os.unlink(path)
    except OSError:
        pass
