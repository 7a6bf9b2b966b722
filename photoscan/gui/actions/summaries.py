"""The words of a result dialog: what a strip, a share or a restore did, file by file.

Counts per outcome first, then every file that was not done and why, then every file done
and where it went. Files are named relative to the scanned folder, as the grid names them.
A cancelled run says how many files were left and still lists every copy it wrote; an
in-place strip says how to undo it; a renamed share says where the names file is and that
it must not be shared (it identifies the originals).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from photoscan.share.names import NamesFile
from photoscan.strip.restore import RestoreResult, RestoreStatus
from photoscan.strip.types import FileResult, StripStatus

STATUS_WORDS = {
    StripStatus.STRIPPED: "stripped",
    StripStatus.ALREADY_CLEAN: "already clean",
    StripStatus.REENCODED: "re-encoded (pixels rewritten)",
    StripStatus.REFUSED: "refused",
    StripStatus.FAILED: "failed",
}
RESTORE_WORDS = {
    RestoreStatus.RESTORED: "put back",
    RestoreStatus.ALREADY_ORIGINAL: "already the original",
    RestoreStatus.REFUSED: "not put back",
    RestoreStatus.FAILED: "failed",
}
CHANGED = (StripStatus.STRIPPED, StripStatus.REENCODED)


def relative_to(root: Path | None) -> Callable[[str], str]:
    """Names a file as the grid does: relative to the scanned folder when inside it."""
    prefix = f"{root}{os.sep}" if root is not None else None

    def shown(path: str) -> str:
        return path[len(prefix) :] if prefix and path.startswith(prefix) else path

    return shown


def _files(n: int) -> str:
    return f"{n:,} file{'s' if n != 1 else ''}"


def _intro(verb: str, handled: int, parts: list[str], planned: int | None, cancelled: bool) -> str:
    intro = f"{verb}: {_files(handled)} handled"
    intro += (": " + ", ".join(parts)) if parts else ""
    if cancelled:
        left = "" if planned is None else f" {_files(planned - handled)} not handled."
        return intro + f". Cancelled.{left}"
    return intro + "."


def _faces(result: FileResult) -> str:
    if result.faces_found is None:
        return ""
    hidden = result.faces_hidden or 0
    return f" (faces: {result.faces_found} found, {hidden} hidden)"


def result_summary(
    verb: str,
    results: Sequence[FileResult],
    planned: int | None,
    cancelled: bool,
    root: Path | None = None,
) -> tuple[str, str]:
    """(intro, body) for a strip or share: counts per outcome, then every file."""
    shown = relative_to(root)
    counts = Counter(r.status for r in results)
    parts = [f"{counts[s]:,} {w}" for s, w in STATUS_WORDS.items() if counts[s]]
    intro = _intro(verb, len(results), parts, planned, cancelled)
    problems = [r for r in results if r.status in (StripStatus.REFUSED, StripStatus.FAILED)]
    lines = [f"{STATUS_WORDS[r.status]}: {shown(r.path)}: {r.reason}" for r in problems]
    lines += [
        f"{STATUS_WORDS[r.status]}: {shown(r.path)} → {r.output or 'in place'}{_faces(r)}"
        for r in results
        if r not in problems
    ]
    return intro, "\n".join(lines) or "No files."


def strip_summary(
    results: Sequence[FileResult],
    planned: int | None,
    cancelled: bool,
    root: Path | None,
    backup_dir: Path | None,
) -> tuple[str, str]:
    """A strip's words; in place, with how to undo it."""
    intro, body = result_summary("Strip metadata", results, planned, cancelled, root)
    if backup_dir is not None and any(r.status in CHANGED for r in results):
        intro += (
            f" To undo: File → Restore Originals… with the backup folder {backup_dir} "
            "(keep that folder until you have checked the photos)."
        )
    return intro, body


def share_summary(
    results: Sequence[FileResult],
    planned: int | None,
    cancelled: bool,
    root: Path | None,
    names: NamesFile | None,
) -> tuple[str, str]:
    """A share's words: faces found and hidden per photo, and the names file."""
    intro, body = result_summary("Share-safe copies", results, planned, cancelled, root)
    hidden = sum(r.faces_hidden or 0 for r in results)
    if any(r.faces_found is not None for r in results):
        intro += f" {hidden:,} face{'s' if hidden != 1 else ''} hidden."
    if names is not None and names.written and names.path is not None:
        intro += (
            f" Which copy is which original is in {names.path.name} beside the copies: "
            "that file identifies the originals, do not share it."
        )
    elif names is not None and names.error:
        intro += f" The names file could not be written: {names.error}."
    return intro, body


def restore_summary(
    results: Sequence[RestoreResult], planned: int | None, cancelled: bool, root: Path | None
) -> tuple[str, str]:
    """A restore's words: put back, already original, not put back (and why)."""
    shown = relative_to(root)
    counts = Counter(r.status for r in results)
    parts = [f"{counts[s]:,} {w}" for s, w in RESTORE_WORDS.items() if counts[s]]
    intro = _intro("Restore originals", len(results), parts, planned, cancelled)
    problems = [r for r in results if r.status in (RestoreStatus.REFUSED, RestoreStatus.FAILED)]
    lines = [f"{RESTORE_WORDS[r.status]}: {shown(r.path)}: {r.reason}" for r in problems]
    lines += [
        f"{RESTORE_WORDS[r.status]}: {shown(r.path)}"
        + (f" (the changed file was kept as {r.kept})" if r.kept else "")
        for r in results
        if r not in problems
    ]
    return intro, "\n".join(lines) or "No files."
