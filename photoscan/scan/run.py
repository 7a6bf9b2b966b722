"""Scan a folder, a ``.zip`` export or one photo: a generator of events the CLI and the GUI consume.

Order of work (architecture §3): discovery (stat only) → the metadata pass over every file
(cached results first, then the rest in a process pool) → the face pass. Every
``PhotoScanned`` is out before the first ``FacesScanned``, so locations and serial numbers
are never held back by slow face work.

Per-file problems are events (``FileFailed``), never exceptions; only an unreadable root
raises (``UsageError``). Cancelling (``CancelToken``) is checked between files and while
waiting on the pool; queued work is dropped (``cancel_futures``) and ``ScanFinished`` reports
``cancelled=True`` with everything finished so far.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from photoscan import limits, risk
from photoscan.cancel import CancelToken
from photoscan.errors import PhotoscanError, UsageError
from photoscan.library import lookup
from photoscan.model import (
    Decisions,
    Face,
    FileError,
    ImageFormat,
    MediaKind,
    PhotoRecord,
    PlaceGroup,
    RiskContext,
)
from photoscan.scan.cache import ScanCache
from photoscan.scan.events import (
    FacesScanned,
    FileFailed,
    FilesDiscovered,
    PhotoScanned,
    PlacesFound,
    Progress,
    ScanEvent,
    ScanFinished,
    ScanResult,
    ScanStarted,
)
from photoscan.scan.jobs import FileKey, Outcome, ReadJob, ScanOptions, SidecarJob
from photoscan.scan.pool import read_all
from photoscan.scan.worker import Readers
from photoscan.source import discover, entries, onephoto, zipwalk
from photoscan.source.fileref import FileRef, close_archives, is_export

if TYPE_CHECKING:
    from photoscan.faces.settings import FaceSettings

log = logging.getLogger(__name__)


class FacePoolLike(Protocol):
    """What the scan needs of ``photoscan.faces.pool.FacePool`` (tests pass a fake)."""

    def run(
        self, jobs: Iterable[tuple[str, FileRef]], cancel: CancelToken | None = None
    ) -> Iterator[tuple[str, tuple[Face, ...] | FileError]]: ...

    def close(self) -> None: ...


FacePoolFactory = Callable[[int, "FaceSettings"], FacePoolLike]


@dataclass(slots=True)
class _State:
    """What the scan has produced so far (the ScanResult in the making)."""

    records: dict[str, PhotoRecord] = field(default_factory=dict)
    errors: list[FileError] = field(default_factory=list)
    places: tuple[PlaceGroup, ...] = ()
    context: RiskContext | None = None  # what the places pass knows (repeated places)
    decisions: dict[str, Decisions] = field(default_factory=dict)  # the parent's, by path


def scan(
    root: Path,
    options: ScanOptions = ScanOptions(),
    cancel: CancelToken | None = None,
    *,
    readers: Readers | None = None,
    face_pool: FacePoolFactory | None = None,
) -> Iterator[ScanEvent]:
    """Scan ``root``; see the module docstring. ``readers``/``face_pool`` are for tests."""
    root = Path(os.path.abspath(Path(root).expanduser()))
    is_zip = is_export(root)  # by content; a damaged Takeout part still brings the others
    photo = root if root.is_file() and not is_zip else None  # one photo, as strip/share take
    if not root.is_dir() and not is_zip and photo is None:
        raise UsageError(f"not a folder, a photo or a .zip export: {root}")
    yield ScanStarted(root)  # before the walk, which can take a while on a large library
    if photo is not None:
        walked = onephoto.walk_photo(photo)
    else:
        walked = _walk_zip(root, options) if is_zip else _walk_folder(root, options)
    cancel = cancel or CancelToken()
    workers = max(1, options.workers or os.cpu_count() or 1)
    state = _State()
    jobs = _jobs(walked)
    yield FilesDiscovered(len(jobs))
    for error in walked.errors:
        state.errors.append(error)
        yield FileFailed(error)
    warnings: list[str] = []
    if options.decisions:
        found = lookup.find(
            lookup.Candidate(c.file.rel, c.file.ref(), c.file.size) for c in walked.files
        )
        state.decisions = found.decisions
        warnings.extend(found.warnings)
    cache = ScanCache() if options.use_cache else None
    try:
        yield from _metadata_pass(jobs, workers, readers, cache, cancel, state)
        if not cancel.is_cancelled:
            photo_rels = set(state.records)
            for error in discover.unclaimed_sidecars(walked.files, photo_rels):
                state.errors.append(error)
                yield FileFailed(error)
        if options.places and not cancel.is_cancelled:
            yield from _places_pass(state)
        if options.faces and not cancel.is_cancelled:
            yield from _face_pass(jobs, workers, options, face_pool, cache, cancel, state)
    finally:
        close_archives()
        if cache is not None:
            cache.close()
            warnings.extend(cache.warnings)
    result = ScanResult(
        root=walked.root,
        photos=tuple(state.records[k] for k in sorted(state.records)),
        errors=tuple(sorted(state.errors, key=lambda e: e.path)),
        cancelled=cancel.is_cancelled,
        places=state.places,
        skipped=walked.skipped,
        warnings=tuple(warnings),
        photo=photo,
    )
    yield ScanFinished(result)


def scan_all(
    root: Path,
    options: ScanOptions = ScanOptions(),
    cancel: CancelToken | None = None,
    *,
    readers: Readers | None = None,
    face_pool: FacePoolFactory | None = None,
) -> ScanResult:
    for event in scan(root, options, cancel, readers=readers, face_pool=face_pool):
        if isinstance(event, ScanFinished):
            return event.result
    raise AssertionError("scan() always ends with ScanFinished")


def _walk_folder(root: Path, options: ScanOptions) -> discover.Walk:
    try:
        return discover.walk(root, options.include_hidden)
    except OSError as exc:
        raise UsageError(f"cannot read folder {root}: {entries.os_reason(exc)}") from exc


def _walk_zip(root: Path, options: ScanOptions) -> discover.Walk:
    try:
        return zipwalk.walk_zip(root, options.include_hidden)
    except OSError as exc:
        raise UsageError(f"cannot read zip export {root}: {entries.os_reason(exc)}") from exc
    except PhotoscanError as exc:  # not a zip after all, damaged directory, too many members
        raise UsageError(f"cannot read zip export {root}: {exc}") from exc


def file_key(f: discover.FileStat, archive_size: int, sidecars: str = "") -> FileKey:
    """The cache key. A zip member is keyed by the archive's path, size and mtime plus its
    own name, size and CRC-32 (``<zip>/<member>`` can never be a real file: the zip is one)."""
    if not f.member:
        return FileKey(str(f.path), f.size, f.mtime_ns, sidecars)
    member = f"{f.rel}:{f.size}:{f.crc:08x}"
    return FileKey(f"{f.path}/{f.rel}", archive_size, f.mtime_ns, f"{member}|{sidecars}")


def archive_sizes(walked: discover.Walk) -> dict[Path, int]:
    """The size of every zip a member was listed from (each part of a multi-part Takeout
    export: a member's cache key has the size of the part it lives in)."""
    stats = [c.file for c in walked.files] + list(walked.orphan_xmp)
    sizes: dict[Path, int] = {}
    for part in {f.path for f in stats if f.member}:
        try:
            sizes[part] = part.stat().st_size
        except OSError:  # gone since the walk: its members fail when read, never cached
            sizes[part] = -1
    return sizes


def cache_keys(walked: discover.Walk) -> dict[str, FileKey]:
    """Every file's cache key by its path in the scan, as the scan keys it."""
    return {job.rel: key for job, key in _jobs(walked)}


def _jobs(walked: discover.Walk) -> list[tuple[ReadJob, FileKey]]:
    out = []
    sizes = archive_sizes(walked)
    for cand in walked.files:
        f = cand.file
        job = ReadJob(
            rel=f.rel,
            path=str(f.path),
            sidecar_files=tuple(
                SidecarJob(s.kind, s.file.rel, str(s.file.path)) for s in cand.sidecars.files
            ),
            sidecars=tuple(s.rel for s in cand.sidecars.all()),
            member=f.member,
        )
        out.append((job, file_key(f, sizes.get(f.path, 0), cand.sidecars.fingerprint())))
    for x in walked.orphan_xmp:
        job = ReadJob(rel=x.rel, path=str(x.path), standalone_xmp=True, member=x.member)
        out.append((job, file_key(x, sizes.get(x.path, 0))))
    return out


def _assessed(outcome: Outcome) -> Outcome:
    """With the record's risk worked out: stored so in the cache (its key covers risk.py)."""
    if outcome.record is None:
        return outcome
    return replace(outcome, record=risk.assess(outcome.record))


def _emit(outcome: Outcome, state: _State) -> ScanEvent:
    record = outcome.record
    if record is not None:
        decided = state.decisions.get(record.path)
        if decided is not None:  # not in the cached record: decisions change on their own
            record = risk.assess(record, state.context, decided)
        state.records[record.path] = record
        return PhotoScanned(record)
    error = outcome.error or FileError("?", "no result")
    state.errors.append(error)
    return FileFailed(error)


def _rebase(outcome: Outcome, job: ReadJob) -> Outcome:
    """A cached outcome, with paths relative to *this* scan's root (the cache is keyed by
    absolute path; the same file may have been scanned from a parent folder)."""
    if outcome.record is not None:
        if (outcome.record.path, outcome.record.sidecars) == (job.rel, job.sidecars):
            return outcome
        record = replace(outcome.record, path=job.rel, sidecars=job.sidecars)
        return replace(outcome, record=record)
    if outcome.error is not None and outcome.error.path != job.rel:
        return replace(outcome, error=FileError(job.rel, outcome.error.reason))
    return outcome


def _metadata_pass(
    jobs: Sequence[tuple[ReadJob, FileKey]],
    workers: int,
    readers: Readers | None,
    cache: ScanCache | None,
    cancel: CancelToken,
    state: _State,
) -> Iterator[ScanEvent]:
    total = len(jobs)
    done = 0
    cached = cache.lookup(k for _, k in jobs) if cache is not None else {}
    misses: list[tuple[ReadJob, FileKey]] = []
    for job, key in jobs:
        hit = cached.get(key.path)
        if hit is None:
            misses.append((job, key))
            continue
        yield _emit(_rebase(hit, job), state)
        done += 1
        yield Progress("metadata", done, total)
    for (_, key), read in read_all(misses, workers, readers, cancel):
        outcome = _assessed(read)
        if cache is not None and outcome.cacheable:
            cache.store(key, outcome)
        yield _emit(outcome, state)
        done += 1
        yield Progress("metadata", done, total)
    if cache is not None:
        cache.flush()


def _places_pass(state: _State) -> Iterator[ScanEvent]:
    if not any(r.gps is not None for r in state.records.values()):
        return
    from photoscan.scan.places import place_records  # lazy: numpy, scipy, the GeoNames table

    placed, summary = place_records(tuple(state.records.values()))
    state.context = summary.risk_context()
    state.places = summary.places
    changed = [r for r in placed if r is not state.records[r.path]]  # re-assessed: new records
    state.records.update((r.path, r) for r in changed)
    yield PlacesFound(summary.places, tuple(changed))


# --- face pass ------------------------------------------------------------------------------


def faces_fingerprint(settings: FaceSettings | None) -> str:
    """What face results depend on besides the code: the settings (``None``: the code's
    defaults). The code itself, face models' libraries included, is in every cache row's
    ``scanner_version`` (``versions.code_identity``), so this never imports the face code
    (~0.5 s of numpy and Pillow, which a fully cached rescan must not pay)."""
    return hashlib.sha256(repr(settings).encode()).hexdigest()[:16]


def _default_face_pool(workers: int, settings: FaceSettings) -> FacePoolLike:
    from photoscan.faces.pool import FacePool  # lazy: numpy/dlib only when faces are wanted

    pool: FacePoolLike = FacePool(workers, settings)
    return pool


def _face_pass(
    jobs: Sequence[tuple[ReadJob, FileKey]],
    workers: int,
    options: ScanOptions,
    face_pool: FacePoolFactory | None,
    cache: ScanCache | None,
    cancel: CancelToken,
    state: _State,
) -> Iterator[ScanEvent]:
    keys = {
        job.rel: key
        for job, key in jobs
        if job.rel in state.records and _has_pixels(state.records[job.rel])
    }
    if not keys:
        return
    total, done = len(keys), 0
    refused = {rel: why for rel in keys if (why := _over_the_cap(state.records[rel]))}
    for rel, why in refused.items():  # from the header: no worker starts, no model loads
        del keys[rel]
        yield _faces_done(rel, why, state)
        done += 1
        yield Progress("faces", done, total)
    if not keys:
        return
    fingerprint = faces_fingerprint(options.face_settings)
    cached = cache.lookup_faces(keys.values(), fingerprint) if cache is not None else {}
    refs = {job.rel: job.ref() for job, _ in jobs}
    todo: list[tuple[str, FileRef]] = []
    for rel, key in keys.items():
        hit = cached.get(key.path)
        if hit is None:
            todo.append((rel, refs[rel]))
            continue
        yield _faces_done(rel, hit, state)
        done += 1
        yield Progress("faces", done, total)
    if not todo or cancel.is_cancelled:
        return
    settings = options.face_settings
    if settings is None:
        from photoscan.faces.settings import FaceSettings

        settings = FaceSettings()
    factory = face_pool or _default_face_pool
    pool = factory(workers, settings)
    finished: set[str] = set()
    try:
        for rel, outcome in pool.run(todo, cancel):
            if rel not in keys:
                continue
            value = outcome.reason if isinstance(outcome, FileError) else outcome
            if cache is not None:
                cache.store_faces(keys[rel], fingerprint, value)
            finished.add(rel)
            yield _faces_done(rel, value, state)
            done += 1
            yield Progress("faces", done, total)
            if cancel.is_cancelled:
                break
    except Exception as exc:  # a face-pool bug must cost the faces, never the scan's results
        log.error("face detection stopped: %s", type(exc).__name__)
        log.debug("face pool traceback", exc_info=True)
        reason = f"face detection stopped: internal error ({type(exc).__name__})"
        for rel, _ in todo:
            if rel not in finished:
                yield _faces_done(rel, reason, state)  # not cached: try again next scan
    finally:
        pool.close()


# Formats whose header's size is the picture the face pass decodes (a RAW's or a PSD's is
# not: faces are looked for on an embedded preview or a composite of another size).
_HEADER_IS_PICTURE = frozenset(
    {
        ImageFormat.JPEG, ImageFormat.PNG, ImageFormat.GIF, ImageFormat.WEBP, ImageFormat.BMP,
        ImageFormat.TIFF, ImageFormat.HEIF, ImageFormat.AVIF,
    }
)  # fmt: skip


def _over_the_cap(record: PhotoRecord) -> str | None:
    """Why faces are not looked for, when the photo's header claims more pixels than the
    decoders' cap (a decompression bomb): the face pass would refuse it from the same header."""
    width, height = record.width, record.height
    if record.media is not MediaKind.PHOTO or record.format not in _HEADER_IS_PICTURE:
        return None
    if width is None or height is None or width * height <= limits.MAX_PIXELS:
        return None
    return limits.too_many_pixels(width * height, (width, height))


def _has_pixels(record: PhotoRecord) -> bool:
    """A standalone XMP sidecar and a sound recording have nothing to look at."""
    return record.format is not ImageFormat.XMP and record.media is not MediaKind.AUDIO


def _faces_done(rel: str, value: tuple[Face, ...] | str, state: _State) -> FacesScanned:
    record = state.records[rel]
    if isinstance(value, str):
        record = replace(record, faces=(), faces_scanned=False, face_error=value)
    else:
        record = replace(record, faces=value, faces_scanned=True, face_error=None)
    record = risk.assess(record, state.context)
    state.records[rel] = record
    return FacesScanned(record)
