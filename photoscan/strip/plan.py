"""Plan a strip (or a share) over files, folders and ``.zip`` exports: which file goes where.

This is where the safety rules of the command line live: outputs go to a mirrored tree that
must not overlap the sources, or in place only with a backup folder outside them. A ``.zip``
export (Flickr, Google Takeout, every part of a multi-part Takeout) is planned member by
member (``export_jobs``): its photos are read in place and their copies mirror the
member paths; a zip can never be changed in place.

A plan is pure data: ``batch.apply`` and ``share.share_plan`` carry it out. A ``Job`` may be
refused at plan time already (an unsafe zip member, a sidecar inside an export): it is then
reported with its reason without being read.

Paths are text here (``photoscan.pathtext``: what ``Path`` would say, without importing
``pathlib``, a strip's start-up): a ``Job``'s paths are ``str``, as ``str(Path)`` would
give them; ``plan`` takes any ``str`` or ``os.PathLike`` and normalises it as ``Path`` does.
A ``.zip`` export is planned with ``Path`` (``zipfile`` is imported for it anyway).
"""

from __future__ import annotations

import os

from photoscan import pathtext
from photoscan.errors import PhotoscanError, UsageError
from photoscan.source import takeoutparts
from photoscan.source.entries import Kind, entries, os_reason
from photoscan.source.fileref import is_export
from photoscan.tuples import NamedTuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:  # collections.abc imports the collections package: start-up time too
    from collections.abc import Collection, Iterator, Sequence
    from pathlib import Path

    from photoscan.pathtext import StrPath

ZIP_IN_PLACE = (
    "is a .zip export: photos inside a zip cannot be changed in place; "
    "use --out DIR to write clean copies (the zip is left as it is)"
)


class Job(NamedTuple):
    """One file to strip: where it is, how it is shown, and where its result goes."""

    source: str  # the file, or the zip archive holding ``member``
    display: str
    dest: str | None = None  # the copy (None when in place)
    backup: str | None = None  # where the original goes first (in place)
    member: str | None = None  # a member of the zip archive ``source`` (a safe, '/' name)
    refusal: str = ""  # decided when planning: reported refused with this reason, never read
    backup_dir: str | None = None  # in place: the backup folder (its restore manifest)

    @property
    def name(self) -> str:
        """The file's own name (a zip member's last path part)."""
        return self.member.rsplit("/", 1)[-1] if self.member is not None else _name(self.source)


class Plan(NamedTuple):
    jobs: tuple[Job, ...]
    in_place: bool


def _name(path: str) -> str:
    return pathtext.name(pathtext.pure(path))


def inside(child: str, parent: str) -> bool:
    """``child == parent or parent in child.parents`` for ``pure`` absolute paths."""
    return child == parent or child.startswith(parent if parent.endswith("/") else parent + "/")


def walk_files(root: str, target: str, what: str) -> Iterator[tuple[str, str, str]]:
    """Every file under ``root`` and, for one that cannot be read, why: the scan's own walk
    (``source.entries``: folder links followed, each folder once, hidden folders and OS
    junk skipped), so every photo a scan of ``root`` reports is in the plan. A linked
    folder that leads into ``target`` is refused, as ``target`` inside ``root`` is. Each
    file comes as its path, its path relative to ``root`` and the reason."""
    for path, rel, kind, _, reason in entries(root):
        if kind is Kind.FOLDER:
            real = os.path.realpath(path)
            if inside(real, target) or inside(target, real):
                raise UsageError(
                    f"{what} must be outside the photos being stripped ({path} leads to {real})"
                )
        elif kind in (Kind.BROKEN, Kind.UNREADABLE):
            yield path, rel, f"{reason}; not copied"
        elif kind in (Kind.FILE, Kind.OTHER):  # OTHER: refused when read
            yield path, rel, ""


def plan(
    paths: Sequence[StrPath], out: StrPath | None = None, backup_dir: StrPath | None = None
) -> Plan:
    """The jobs for ``paths``; raises ``UsageError`` for unsafe or impossible requests."""
    if (out is None) == (backup_dir is None):
        raise UsageError("give either --out DIR or --in-place --backup-dir DIR")
    if not paths:
        raise UsageError("no files or folders given")
    given_paths = [pathtext.pure(path) for path in paths]
    roots = []
    for path in given_paths:
        if not pathtext.exists(path):
            raise UsageError(f"not found: {path}")
        roots.append(pathtext.resolve(path))
    zips = {root for root in roots if is_export(root)}
    if out is None and zips:
        raise UsageError(f"{min(zips, key=_parts)} {ZIP_IN_PLACE}")  # as Paths are ordered
    target = pathtext.resolve(out if out is not None else backup_dir or ".")
    what = "--out" if out is not None else "--backup-dir"
    dirs = {root for root in roots if root not in zips and pathtext.is_dir(root)}
    for root in roots:
        if root in zips:
            continue  # nothing can be inside a zip, and its members never land beside it
        if inside(target, root) or inside(root, target) if root in dirs else target == _up(root):
            raise UsageError(f"{what} must be outside the photos being stripped ({root})")
    single_tree = len(roots) == 1 and (roots[0] in dirs or roots[0] in zips)
    in_place = out is None
    jobs: list[Job] = []
    seen_exports: set[str] = set()
    for given, root in zip(given_paths, roots, strict=True):
        if root in zips:
            base = target if single_tree else pathtext.join(target, _stem(root))
            jobs += export_jobs(given, root, base, seen_exports)
        elif root in dirs:
            base = target if single_tree else pathtext.join(target, pathtext.name(root))
            for file, rel, refusal in walk_files(root, target, what):
                job = _job(
                    file, pathtext.join(given, rel), pathtext.join(base, rel), in_place, target
                )
                jobs.append(job._replace(refusal=refusal) if refusal else job)
        else:
            dest = pathtext.join(target, pathtext.name(root))
            jobs.append(_job(root, given, dest, in_place, target))
    return Plan(tuple(jobs), in_place=in_place)


def _up(path: str) -> str:
    return pathtext.parent(path)


def _parts(path: str) -> list[str]:
    return path.split("/")


def _stem(path: str) -> str:
    """``Path(path).stem``."""
    name = pathtext.name(path)
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def export_plan(root: Path, out: Path, members: Collection[str] | None = None) -> Plan:
    """Copies of the ``.zip`` export ``root`` (a Takeout part brings its sibling parts) under
    ``out``, mirroring member paths; with ``members`` (member names, as a scan of ``root``
    reports them in ``PhotoRecord.path``) only those. For the desktop app, whose library is
    the scanned zip: results are shown by member name. Raises ``UsageError`` when the zip
    cannot be read or is not one."""
    root = root.resolve()
    if not is_export(root):
        raise UsageError(f"not a .zip export: {root}")
    wanted = None if members is None else set(members)
    base = str(out.expanduser().resolve())
    jobs = [
        job._replace(display=job.display.split("/", 1)[1])
        for job in export_jobs(root.name, str(root), base, set())
        if wanted is None or job.display.split("/", 1)[1] in wanted
    ]
    return Plan(tuple(jobs), in_place=False)


def _job(source: str, shown: str, mapped: str, in_place: bool, target: str) -> Job:
    if in_place:
        return Job(source, shown, dest=None, backup=mapped, backup_dir=target)
    return Job(source, shown, dest=mapped)


# What a copy never gets from an export: its sidecars describe the photo in full (places,
# names, dates), which is what the copy is made to leave behind.
SIDECAR_NOT_COPIED = (
    "a sidecar file: metadata itself, it would give away what the copies hide; not copied"
)
_SIDECAR_SUFFIXES = frozenset({".xmp", ".json", ".aae", ".ini", ".csv"})


def is_sidecar_path(name: str) -> bool:
    return os.path.splitext(name.lower())[1] in _SIDECAR_SUFFIXES


def export_jobs(given: str, root: str, base: str, seen: set[str]) -> list[Job]:
    """The jobs for the ``.zip`` export ``root`` (every part of a multi-part Takeout): a job
    per photo candidate, read in place from the part it lives in and copied to its member
    path under ``base``; a refused job per sidecar and per member the listing refused (an
    unsafe name, a symbolic link, an encrypted or zip-bomb shaped member, a nested zip, a
    duplicate), with the reason. Hidden folders and OS junk are left out, as in a folder.
    ``seen`` holds the parts already planned: a second part of the same export adds nothing.
    """
    from pathlib import Path  # late, as zipfile and the walker: only for exports

    from photoscan.source import zipwalk
    from photoscan.source.ziparchive import safe_member_name

    try:
        parts = [str(part.resolve()) for _, part in takeoutparts.export_parts(Path(root))]
    except OSError:
        parts = [root]
    if seen.intersection(parts):
        return []
    seen.update(parts)
    try:
        walked = zipwalk.walk_zip(Path(root))
    except OSError as exc:
        raise UsageError(f"cannot read the zip export {root}: {os_reason(exc)}") from exc
    except PhotoscanError as exc:
        raise UsageError(f"cannot read the zip export {root}: {exc}") from exc
    jobs: dict[str, Job] = {}

    def refuse(name: str, reason: str) -> None:
        jobs.setdefault(name, Job(root, f"{given}/{name}", refusal=reason))

    for cand in walked.files:
        name = cand.file.rel
        if safe_member_name(name) != name:  # the listing normalised it: never happens
            refuse(name, "unsafe name (absolute or leaving the archive); not copied")
            continue
        dest = pathtext.join(base, *name.split("/"))
        jobs[name] = Job(str(cand.file.path), f"{given}/{name}", dest=dest, member=name)
        for sidecar in cand.sidecars.all():
            refuse(sidecar.rel, SIDECAR_NOT_COPIED)
    for xmp in walked.orphan_xmp:
        refuse(xmp.rel, SIDECAR_NOT_COPIED)
    for error in walked.errors:
        metadata = is_sidecar_path(error.path) and not error.reason.startswith("zip member")
        refuse(error.path, SIDECAR_NOT_COPIED if metadata else f"{error.reason}; not copied")
    return [jobs[name] for name in sorted(jobs)]
