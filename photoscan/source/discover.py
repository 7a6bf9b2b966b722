"""Walk a photo folder and account for every file in it.

The walk only ``stat``s: whether a file is a photo is decided by its content (``sniff.sniff``
on its first bytes), and that read happens once, in the scan worker that reads the file anyway
— or not at all when the cache already knows the unchanged file. ``discover`` adds the sniff
for callers that want the full picture without scanning.

Nothing is lost. Every regular file under the root ends up in exactly one place:

* a **photo candidate** (``Walk.files``; its content decides later: photo, video or error);
* a **sidecar** attached to the photo(s) it describes (never listed as a photo or an error),
  paired by name with ``source.pairing.pair_sidecars`` — the one pairing policy for
  folders and zip exports: ``IMG.xmp`` / ``IMG.jpg.xmp``, Google Takeout JSON (including
  its truncated and counter-moved names), album ``metadata.json`` and ``.picasa.ini`` (every
  photo of their folder), Flickr ``photo_<id>.json`` (across folders, by id);
* a **standalone XMP** file (``Walk.orphan_xmp``): a sidecar whose photo is absent still gives
  away locations and names, so it is read and reported like a photo without pixels;
* an **error** with a reason: unreadable folders/files, broken links, sidecar-like files no
  photo claims (a Takeout JSON of a missing video, Apple ``.AAE`` edits, export ``.csv``);
  unclaimed ``.txt``/``.html`` are sniffed like any other file instead;
* **skipped by policy** with a reason: hidden and system folders (``.git``, ``@eaDir``,
  ``$RECYCLE.BIN``...) and OS junk files (``.DS_Store``, ``Thumbs.db``, AppleDouble ``._*``),
  unless ``include_hidden``.

Symbolic links are followed, but each directory is entered once (by ``(st_dev, st_ino)``),
so link loops cannot hang the walk. ``entries`` (``source.entries``) is that walk, entry by
entry; ``strip`` and ``share`` plan from it too, so every file the scan reports is one they
handle. A ``.zip`` export is walked the same way, by member name (``zipwalk``).
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from photoscan.model import FileError
from photoscan.source.entries import Kind, entries, os_reason
from photoscan.source.fileref import FileRef
from photoscan.source.pairing import SidecarKind, is_sidecar_name, pair_sidecars
from photoscan.source.sniff import HEADER_BYTES, Sniffed, SniffStatus, sniff

# Named like a sidecar but, when no photo claims them, more likely a document of their own:
# sniffed like any other file ("unsupported format: ...") rather than called a lost sidecar.
_DOCUMENT_EXTS = frozenset({".txt", ".html", ".htm"})


@dataclass(frozen=True, slots=True)
class FileStat:
    """A regular file seen by the walk: where it is and the key the cache trusts."""

    path: Path  # absolute (for a zip member: the zip archive)
    rel: str  # relative to the scan root, "/" separators (for a zip member: its name)
    size: int
    mtime_ns: int
    member: bool = False  # a member of the zip archive ``path``; ``rel`` is its name
    crc: int = 0  # a zip member's CRC-32 (part of its cache key)

    def ref(self) -> FileRef:
        """Where the bytes are, for ``fileref.read_bytes``."""
        return FileRef(str(self.path), self.rel if self.member else None)


@dataclass(frozen=True, slots=True)
class SidecarFile:
    kind: SidecarKind  # how photoscan.sidecars reads it
    file: FileStat


@dataclass(frozen=True, slots=True)
class Sidecars:
    """Files that describe a photo without being one, paired by ``photoscan.sidecars``.

    The scan reads each one (``sidecars.read_sidecar``) and merges what it says into the
    photo's record, which lists them all (``PhotoRecord.sidecars``).
    """

    files: tuple[SidecarFile, ...] = ()

    def all(self) -> tuple[FileStat, ...]:
        return tuple(s.file for s in self.files)

    def fingerprint(self) -> str:
        """Changes whenever a sidecar is added, removed or modified (part of the cache key)."""
        return "|".join(
            f"{s.rel}:{s.size}:{s.mtime_ns}" + (f":{s.crc:08x}" if s.member else "")
            for s in sorted(self.all(), key=_rel)
        )


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file that may be a photo (its content decides) and the sidecars named after it."""

    file: FileStat
    sidecars: Sidecars = field(default_factory=Sidecars)


@dataclass(frozen=True, slots=True)
class Walk:
    root: Path
    files: tuple[Candidate, ...]
    orphan_xmp: tuple[FileStat, ...]
    errors: tuple[FileError, ...]
    skipped: tuple[FileError, ...]


@dataclass(frozen=True, slots=True)
class Discovery:
    """``walk`` plus the content sniff: photos by content, everything else with a reason."""

    root: Path
    photos: tuple[tuple[Candidate, Sniffed], ...]
    orphan_xmp: tuple[FileStat, ...]
    errors: tuple[FileError, ...]
    skipped: tuple[FileError, ...]


def _rel(s: FileStat) -> str:
    return s.rel


@dataclass(slots=True)
class Folder:
    """What one directory holds, before sidecars are paired with their photos."""

    candidates: list[FileStat] = field(default_factory=list)
    sidecars: list[FileStat] = field(default_factory=list)


def _walk_tree(
    root: Path, include_hidden: bool
) -> tuple[dict[str, Folder], list[FileError], list[FileError]]:
    folders: dict[str, Folder] = defaultdict(Folder)
    errors: list[FileError] = []
    skipped: list[FileError] = []
    for entry in entries(root, include_hidden):
        if entry.kind is Kind.FILE:
            assert entry.st is not None
            path = Path(entry.path)
            fs = FileStat(path, entry.rel, entry.st.st_size, entry.st.st_mtime_ns)
            folder = folders[entry.rel[: entry.rel.rfind("/") + 1]]
            if is_sidecar_name(path.name):
                folder.sidecars.append(fs)
            else:
                folder.candidates.append(fs)
        elif entry.kind is Kind.FOLDER:
            continue
        elif entry.kind is Kind.SKIPPED:
            skipped.append(FileError(entry.rel, entry.reason))
        else:
            errors.append(FileError(entry.rel, entry.reason))
    return folders, errors, skipped


def _name(fs: FileStat) -> str:
    return fs.rel.rsplit("/", 1)[-1]


def pair_folders(
    folders: dict[str, Folder],
) -> tuple[list[Candidate], list[FileStat], list[FileError]]:
    """Attach sidecars to their photos with ``source.pairing.pair_sidecars`` (one naming
    policy for folders and zip exports); what no photo claims is reported, not dropped."""
    by_rel: dict[str, FileStat] = {}
    candidates_stat: list[FileStat] = []
    for folder in folders.values():
        candidates_stat.extend(folder.candidates)
        by_rel.update((f.rel, f) for f in folder.candidates + folder.sidecars)
    index = pair_sidecars(by_rel)
    candidates = [
        Candidate(
            c,
            Sidecars(tuple(SidecarFile(r.kind, by_rel[r.path]) for r in index.for_photo(c.rel))),
        )
        for c in candidates_stat
    ]
    orphan_xmp: list[FileStat] = []
    errors: list[FileError] = []
    for rel in index.unmatched:
        stat_ = by_rel[rel]
        ext = os.path.splitext(rel.lower())[1]
        if ext == ".xmp":
            orphan_xmp.append(stat_)
        elif ext in _DOCUMENT_EXTS:
            candidates.append(Candidate(stat_))
        else:
            errors.append(FileError(rel, orphan_reason(_name(stat_))))
    candidates.sort(key=lambda c: c.file.rel)
    orphan_xmp.sort(key=_rel)
    return candidates, orphan_xmp, errors


def orphan_reason(name: str) -> str:
    ext = os.path.splitext(name.lower())[1]
    what = {
        ".json": "export metadata (JSON)",
        ".csv": "export metadata (CSV)",
        ".aae": "Apple Photos edit file (AAE)",
        ".ini": "Picasa folder metadata",
    }.get(ext, "sidecar")
    return f"{what} not matched to any photo (not read)"


def not_photo_sidecar_reason(partner_rel: str) -> str:
    return f"sidecar of a file that is not a readable photo ({partner_rel})"


def walk(root: Path, include_hidden: bool = False) -> Walk:
    """Every file under ``root``, stat'ed and sorted into candidates, sidecars, errors, skips.

    Raises ``OSError`` only for the root itself (the caller turns it into a usage error).
    """
    root = Path(os.path.abspath(root))
    folders, errors, skipped = _walk_tree(root, include_hidden)
    candidates, orphan_xmp, pair_errors = pair_folders(folders)
    errors.extend(pair_errors)
    errors.sort(key=lambda e: e.path)
    skipped.sort(key=lambda e: e.path)
    return Walk(root, tuple(candidates), tuple(orphan_xmp), tuple(errors), tuple(skipped))


def read_head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(HEADER_BYTES)


def discover(root: Path, include_hidden: bool = False) -> Discovery:
    """``walk`` and sniff each candidate: photos and videos by content, the rest as errors."""
    w = walk(root, include_hidden)
    photos: list[tuple[Candidate, Sniffed]] = []
    errors = list(w.errors)
    for cand in w.files:
        try:
            sniffed = sniff(read_head(cand.file.path), _name(cand.file))
        except OSError as exc:
            errors.append(FileError(cand.file.rel, f"cannot read file: {os_reason(exc)}"))
            continue
        if sniffed.status is SniffStatus.SUPPORTED or sniffed.is_video:
            photos.append((cand, sniffed))
        else:
            errors.append(FileError(cand.file.rel, sniffed.reason))
    errors.extend(unclaimed_sidecars(w.files, {c.file.rel for c, _ in photos}))
    errors.sort(key=lambda e: e.path)
    return Discovery(w.root, tuple(photos), w.orphan_xmp, tuple(errors), w.skipped)


def unclaimed_sidecars(candidates: Iterable[Candidate], photo_rels: set[str]) -> list[FileError]:
    """Sidecars none of whose partners turned out to be a readable photo, as errors."""
    partners: dict[str, list[str]] = defaultdict(list)
    for cand in candidates:
        for sc in cand.sidecars.all():
            partners[sc.rel].append(cand.file.rel)
    return [
        FileError(rel, not_photo_sidecar_reason(", ".join(owners)))
        for rel, owners in sorted(partners.items())
        if not any(o in photo_rels for o in owners)
    ]
