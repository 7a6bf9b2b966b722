"""Walk a photo folder and account for every file in it.

The walk only ``stat``s: whether a file is a photo is decided by its content (``formats.sniff``
on its first bytes), and that read happens once, in the scan worker that reads the file anyway
— or not at all when the cache already knows the unchanged file. ``discover`` adds the sniff
for callers that want the full picture without scanning.

Nothing is lost. Every regular file under the root ends up in exactly one place:

* a **photo candidate** (``Walk.files``; its content decides later: photo or error);
* a **sidecar** attached to the photo it describes (never listed as a photo or an error):
  ``IMG.xmp`` / ``IMG.jpg.xmp``; Takeout/Flickr-style JSON named after the photo
  (``IMG.jpg.json``, ``IMG.jpg.supplemental-metadata.json``, truncated variants); Apple
  ``IMG_1234.AAE`` (also for the edited ``IMG_E1234``); and folder-level companions —
  ``.picasa.ini``, export ``.csv`` files and JSON not named after a file (album
  ``metadata.json``) — attached to every photo in their folder;
* a **standalone XMP** file (``Walk.orphan_xmp``): a sidecar whose photo is absent still gives
  away locations and names, so it is read and reported like a photo without pixels;
* an **error** with a reason: unreadable folders/files, broken links, sidecars with no photo;
* **skipped by policy** with a reason: hidden and system folders (``.git``, ``@eaDir``,
  ``$RECYCLE.BIN``...) and OS junk files (``.DS_Store``, ``Thumbs.db``, AppleDouble ``._*``),
  unless ``include_hidden``.

Symbolic links are followed, but each directory is entered once (by ``(st_dev, st_ino)``),
so link loops cannot hang the walk.
"""

from __future__ import annotations

import os
import stat
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from photoscan.formats import HEADER_BYTES, Sniffed, SniffStatus, sniff
from photoscan.model import FileError

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
PICASA_NAMES = frozenset({".picasa.ini", "picasa.ini"})
_SIDECAR_EXTS = frozenset({".xmp", ".json", ".aae", ".csv"})


@dataclass(frozen=True, slots=True)
class FileStat:
    """A regular file seen by the walk: where it is and the key the cache trusts."""

    path: Path  # absolute
    rel: str  # relative to the scan root, "/" separators
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class Sidecars:
    """Files that describe a photo without being one (the hook for ``photoscan.sidecars``).

    ``xmp`` is read by the scan and merged into the photo's findings; ``json`` (Google
    Takeout, Flickr) and ``other`` (.AAE edits, .picasa.ini, export CSV) are listed with the
    photo so nothing is lost, and are read by the export-sidecar readers once they exist.
    """

    xmp: tuple[FileStat, ...] = ()
    json: tuple[FileStat, ...] = ()
    other: tuple[FileStat, ...] = ()

    def all(self) -> tuple[FileStat, ...]:
        return self.xmp + self.json + self.other

    def fingerprint(self) -> str:
        """Changes whenever a sidecar is added, removed or modified (part of the cache key)."""
        return "|".join(f"{s.rel}:{s.size}:{s.mtime_ns}" for s in sorted(self.all(), key=_rel))


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


def is_hidden_dir(name: str) -> bool:
    return name.startswith(".") or name.lower() in SYSTEM_DIRS


def is_junk_file(name: str) -> bool:
    low = name.lower()
    return low in JUNK_FILES or low.startswith("._")


def sidecar_kind(name: str) -> str | None:
    """'xmp', 'json' or 'other' when the name marks a sidecar, else None (a candidate)."""
    low = name.lower()
    if low in PICASA_NAMES:
        return "other"
    ext = os.path.splitext(low)[1]
    if ext not in _SIDECAR_EXTS:
        return None
    return {".xmp": "xmp", ".json": "json"}.get(ext, "other")


@dataclass(slots=True)
class _Folder:
    """What one directory holds, before sidecars are paired with their photos."""

    candidates: list[FileStat] = field(default_factory=list)
    sidecars: list[FileStat] = field(default_factory=list)


def _walk_tree(
    root: Path, include_hidden: bool
) -> tuple[dict[str, _Folder], list[FileError], list[FileError]]:
    folders: dict[str, _Folder] = defaultdict(_Folder)
    errors: list[FileError] = []
    skipped: list[FileError] = []
    root_st = os.stat(root)
    visited = {(root_st.st_dev, root_st.st_ino)}
    stack: list[tuple[Path, str]] = [(root, "")]
    while stack:
        directory, prefix = stack.pop()
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            errors.append(FileError(prefix or ".", f"cannot read folder: {_os_reason(exc)}"))
            continue
        folder = folders[prefix]
        for entry in entries:
            rel = f"{prefix}{entry.name}"
            try:
                st = entry.stat(follow_symlinks=True)
            except OSError as exc:
                reason = "broken symbolic link" if entry.is_symlink() else _os_reason(exc)
                errors.append(FileError(rel, reason))
                continue
            if stat.S_ISDIR(st.st_mode):
                if not include_hidden and is_hidden_dir(entry.name):
                    skipped.append(FileError(rel + "/", "hidden or system folder (not scanned)"))
                    continue
                key = (st.st_dev, st.st_ino)
                if key in visited:
                    skipped.append(FileError(rel + "/", "folder already scanned (link loop)"))
                    continue
                visited.add(key)
                stack.append((Path(entry.path), rel + "/"))
            elif stat.S_ISREG(st.st_mode):
                if not include_hidden and is_junk_file(entry.name):
                    skipped.append(FileError(rel, "system file (not a photo)"))
                    continue
                fs = FileStat(Path(entry.path), rel, st.st_size, st.st_mtime_ns)
                if sidecar_kind(entry.name):
                    folder.sidecars.append(fs)
                else:
                    folder.candidates.append(fs)
            else:
                errors.append(FileError(rel, "not a regular file (device, socket or pipe)"))
    return folders, errors, skipped


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or type(exc).__name__


def _name(fs: FileStat) -> str:
    return fs.rel.rsplit("/", 1)[-1]


def _partners(
    sidecar: FileStat, by_lower: dict[str, FileStat], by_stem: dict[str, list[FileStat]]
) -> list[FileStat] | None:
    """The candidates a per-file sidecar names, or None for a folder-level companion."""
    name = _name(sidecar).lower()
    stem, ext = os.path.splitext(name)
    if ext == ".xmp":
        if stem in by_lower:  # IMG.jpg.xmp
            return [by_lower[stem]]
        return list(by_stem.get(stem, ()))  # IMG.xmp: every IMG.* (IMG.jpg and IMG.cr2)
    if ext == ".aae":
        alt = stem.replace("img_", "img_e", 1) if stem.startswith("img_") else stem
        return by_stem.get(stem, []) + (by_stem.get(alt, []) if alt != stem else [])
    if ext == ".json":
        if "." not in stem:  # album metadata.json, a lone per-photo export file
            return None
        # IMG.jpg.json, IMG.jpg.supplemental-metadata.json, Takeout's truncated names
        matches = [c for n, c in by_lower.items() if stem == n or stem.startswith(n + ".")]
        return matches or list(by_stem.get(stem, ()))
    return None  # .picasa.ini, export .csv: describe the whole folder


def _pair(
    folders: dict[str, _Folder],
) -> tuple[list[Candidate], list[FileStat], list[FileError]]:
    candidates: list[Candidate] = []
    orphan_xmp: list[FileStat] = []
    errors: list[FileError] = []
    for folder in folders.values():
        by_lower = {_name(c).lower(): c for c in folder.candidates}
        by_stem: dict[str, list[FileStat]] = defaultdict(list)
        for n, c in by_lower.items():
            by_stem[os.path.splitext(n)[0]].append(c)
        attached: dict[str, dict[str, list[FileStat]]] = defaultdict(lambda: defaultdict(list))
        for sc in folder.sidecars:
            kind = sidecar_kind(_name(sc)) or "other"
            partners = _partners(sc, by_lower, by_stem)
            if partners is None:
                partners = list(folder.candidates)
            if not partners:
                if kind == "xmp":
                    orphan_xmp.append(sc)
                else:
                    errors.append(FileError(sc.rel, orphan_reason(_name(sc))))
                continue
            for partner in partners:
                attached[partner.rel][kind].append(sc)
        for c in folder.candidates:
            found = attached.get(c.rel, {})
            sidecars = Sidecars(
                tuple(found.get("xmp", ())),
                tuple(found.get("json", ())),
                tuple(found.get("other", ())),
            )
            candidates.append(Candidate(c, sidecars))
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
    return f"{what} without a matching photo (not read)"


def not_photo_sidecar_reason(partner_rel: str) -> str:
    return f"sidecar of a file that is not a readable photo ({partner_rel})"


def walk(root: Path, include_hidden: bool = False) -> Walk:
    """Every file under ``root``, stat'ed and sorted into candidates, sidecars, errors, skips.

    Raises ``OSError`` only for the root itself (the caller turns it into a usage error).
    """
    root = Path(os.path.abspath(root))
    folders, errors, skipped = _walk_tree(root, include_hidden)
    candidates, orphan_xmp, pair_errors = _pair(folders)
    errors.extend(pair_errors)
    errors.sort(key=lambda e: e.path)
    skipped.sort(key=lambda e: e.path)
    return Walk(root, tuple(candidates), tuple(orphan_xmp), tuple(errors), tuple(skipped))


def read_head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(HEADER_BYTES)


def discover(root: Path, include_hidden: bool = False) -> Discovery:
    """``walk`` and sniff each candidate: photos by content, non-photos as errors."""
    w = walk(root, include_hidden)
    photos: list[tuple[Candidate, Sniffed]] = []
    errors = list(w.errors)
    for cand in w.files:
        try:
            sniffed = sniff(read_head(cand.file.path), _name(cand.file))
        except OSError as exc:
            errors.append(FileError(cand.file.rel, f"cannot read file: {_os_reason(exc)}"))
            continue
        if sniffed.status is SniffStatus.SUPPORTED:
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


def os_reason(exc: OSError) -> str:
    """A short plain-words reason for an OS error (no paths, which are listed separately)."""
    return _os_reason(exc)
