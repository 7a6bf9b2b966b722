"""Walk a ``.zip`` export (one zip, or every part of a Google Takeout export) like a folder.

Members are sorted exactly as ``discover.walk`` sorts a folder's files: the same hidden and
junk policy, the same sidecar pairing by name (``discover.pair_folders``), so a photo in one
Takeout part and its JSON in another are still paired. Nothing is extracted to disk: the
walk only lists members (``ZipArchive``); their bytes are read later, by the scan worker.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from photoscan.errors import PhotoscanError
from photoscan.model import FileError
from photoscan.source import takeoutparts
from photoscan.source.discover import FileStat, Folder, Walk, pair_folders
from photoscan.source.entries import is_hidden_dir, is_junk_file, os_reason
from photoscan.source.pairing import is_sidecar_name

if TYPE_CHECKING:
    from photoscan.source.ziparchive import ZipMember

NESTED_ZIP = "zip archive inside the export (not opened: scan it on its own)"


def walk_zip(root: Path, include_hidden: bool = False) -> Walk:
    """Every member of the ``.zip`` export ``root``, sorted like ``walk`` sorts a folder's
    files (same hidden/junk policy, same sidecar pairing by member name). Members whose
    names are unsafe (absolute, ``..``), encrypted, symbolic links or zip-bomb shaped are
    errors with ``ZipArchive``'s reason; zips inside the zip are listed, not opened.

    A Google Takeout part (``takeout-…-001.zip``) brings its sibling parts along
    (``photoscan.source.takeoutparts``): their members are merged into one tree, so a photo in one
    part and its JSON in another are paired; each ``FileStat.path`` stays the part the member
    lives in. A name in two parts is read from the lower-numbered one (the other copy is an
    error); a part that cannot be opened and a gap in the numbering are errors naming the
    part, and the other parts are still walked.

    Raises ``UnsupportedFormat``/``CorruptFile``/``FileTooLarge`` (from ``ZipArchive``) or
    ``OSError`` when ``root`` itself is unreadable and no other part could be opened (the
    caller turns them into a usage error).
    """
    root = Path(os.path.abspath(root))
    os.stat(root)  # the root itself must exist: a usage error otherwise
    try:
        parts = takeoutparts.export_parts(root)
    except OSError as exc:  # the folder cannot be listed: this part alone
        parts = [(0, root)]
        reason = f"cannot look for the other parts of this export: {os_reason(exc)}"
        errors = [FileError(root.name, reason)]
    else:
        errors = [
            FileError(
                takeoutparts.part_name(root, n),
                f"part {n} of this export is missing from its folder "
                "(its photos and sidecars are not scanned)",
            )
            for n in takeoutparts.missing_numbers([n for n, _ in parts])
        ]
    folders: dict[str, Folder] = defaultdict(Folder)
    skipped: list[FileError] = []
    owner: dict[str, Path] = {}  # member name -> the part it is read from
    opened: set[int] = set()
    first_failure: Exception | None = None
    for number, part in parts:
        if number and number in opened:
            errors.append(FileError(part.name, "another file is the same part of this export"))
            continue
        try:
            members, refused, mtime_ns = _zip_members(part)
        except (OSError, PhotoscanError) as exc:
            if len(parts) == 1:
                raise
            first_failure = first_failure or exc
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            errors.append(FileError(part.name, f"cannot open this part of the export: {reason}"))
            continue
        opened.add(number)
        errors.extend(refused)
        for m in members:
            if m.name in owner:
                errors.append(
                    FileError(
                        m.name,
                        f"duplicate: also in {owner[m.name].name}, which is read "
                        f"(the copy in {part.name} is not)",
                    )
                )
                continue
            owner[m.name] = part
            _add_member(folders, skipped, errors, part, m, mtime_ns, include_hidden)
    if not opened and first_failure is not None:
        raise first_failure
    candidates, orphan_xmp, pair_errors = pair_folders(folders)
    errors.extend(pair_errors)
    errors.sort(key=lambda e: e.path)
    skipped.sort(key=lambda e: e.path)
    return Walk(root, tuple(candidates), tuple(orphan_xmp), tuple(errors), tuple(skipped))


def _zip_members(part: Path) -> tuple[tuple[ZipMember, ...], list[FileError], int]:
    """One archive's safe members, its refused ones as errors, and its ``mtime_ns``."""
    from photoscan.source.ziparchive import ZipArchive  # lazy: zipfile only for zip exports

    mtime_ns = os.stat(part).st_mtime_ns
    with ZipArchive(part) as archive:
        members = archive.members()
        refused = [
            FileError(r.raw_name, f"zip member refused: {r.reason}") for r in archive.refused
        ]
    return members, refused, mtime_ns


def _add_member(
    folders: dict[str, Folder],
    skipped: list[FileError],
    errors: list[FileError],
    part: Path,
    m: ZipMember,
    mtime_ns: int,
    include_hidden: bool,
) -> None:
    *dirs, name = m.name.split("/")
    if not include_hidden and any(is_hidden_dir(d) for d in dirs):
        skipped.append(FileError(m.name, "in a hidden or system folder (not scanned)"))
    elif not include_hidden and is_junk_file(name):
        skipped.append(FileError(m.name, "system file (not a photo)"))
    elif name.lower().endswith(".zip"):
        errors.append(FileError(m.name, NESTED_ZIP))
    else:
        fs = FileStat(part, m.name, m.size, mtime_ns, member=True, crc=m.crc)
        folder = folders["/".join(dirs)]
        (folder.sidecars if is_sidecar_name(name) else folder.candidates).append(fs)
