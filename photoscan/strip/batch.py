"""Apply a strip plan (``photoscan.strip.plan``: files, folders, ``.zip`` exports) file by file.

``apply`` reads each file once (a zip member straight from its archive), strips it in memory,
verifies the result and only then writes (``photoscan.strip.safety``). A video is streamed
instead (``strip.video``: never read whole, so neither memory nor the 1 GiB cap on photos
limits it; a zip member is inflated into memory, so a video member over
``limits.MAX_VIDEO_MEMBER_BYTES`` is refused with advice instead). Per-file problems
become results, never exceptions, so one bad file cannot stop a batch; the cancel token is
checked between files.
"""

from __future__ import annotations

import os

from photoscan import pathtext
from photoscan.cancel import CancelToken
from photoscan.errors import CorruptFile, FileTooLarge, StripError, UnsupportedFormat
from photoscan.limits import MAX_FILE_BYTES, MAX_VIDEO_MEMBER_BYTES, VIDEO_MEMBER_ADVICE
from photoscan.source.fileref import FileRef, open_fd, read_member, read_rest
from photoscan.source.sniff import HEADER_BYTES, SniffStatus, sniff
from photoscan.strip import restrip, strip_bytes
from photoscan.strip.plan import SIDECAR_NOT_COPIED, Job, Plan, is_sidecar_path, plan
from photoscan.strip.safety import FileMeta, replace_in_place, write_new
from photoscan.strip.types import FileResult, Refused, StripOptions, StripStatus
from photoscan.strip.verify import default_extractor, verify

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:  # collections.abc imports the collections package (start-up), as functools
    from collections.abc import Callable, Iterator, Sequence
    from concurrent.futures import Future, ThreadPoolExecutor

    from photoscan.strip.verify import Extractor

    Write = Callable[[], None]

MIN_FILES_PER_WORKER = 24  # below this, starting processes costs more than they save
MAX_DEFAULT_WORKERS = 8
WRITE_AHEAD = 2  # stripped outputs waiting for the writer thread
# A zip member's copy: readable like a file unzip makes; the member's dates are the export's
# (or any tool's), so the copy gets its own.
MEMBER_META = FileMeta(0o644, 0, 0)
VIDEO_HEAD = 1024  # enough to tell a video by its first bytes (ftyp brands, TS packets)

__all__ = [
    "IsVideo",
    "Job",
    "Plan",
    "Unreadable",
    "apply",
    "default_workers",
    "plan",
    "prepare",
    "read_job",
]


def _in_place_refusal(path: str, st: os.stat_result) -> str:
    """Why replacing ``path`` would not clean what the user thinks (empty when it would)."""
    if pathtext.is_symlink(path):
        return "a symbolic link: replacing it would leave its target untouched; strip the target"
    if st.st_nlink > 1:
        return f"has {st.st_nlink} hard links: the other names would keep the metadata"
    return ""


class IsVideo(Exception):
    """The file is a video: stripped by ``strip.video``, not read into memory."""

    def __init__(self, label: str) -> None:
        super().__init__(label)
        self.label = label


class Unreadable(Exception):
    """A job's bytes cannot be had: ``status`` (failed, or refused in place) and why."""

    def __init__(self, status: StripStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def read_job(job: Job) -> tuple[FileMeta, bytes]:
    """What a copy keeps of the file (mode, dates) and its bytes; raises ``Unreadable``.

    A zip member is read in place from its archive under the archive's caps
    (``source.fileref``); a file only if it is a regular one, from one open descriptor
    (``Path.read_bytes`` plus a ``stat`` cost twice the system calls, as much as stripping
    a small JPEG), never more than ``MAX_FILE_BYTES`` of it."""
    if job.member is not None:
        ref = FileRef(job.source, job.member)
        limit = MAX_FILE_BYTES
        try:
            if sniff(read_member(ref, VIDEO_HEAD, truncate=True), job.name).is_video:
                limit = MAX_VIDEO_MEMBER_BYTES  # a video member is held whole: bounded lower
            return MEMBER_META, read_member(ref, limit)
        except FileTooLarge as exc:
            if limit == MAX_VIDEO_MEMBER_BYTES:
                advice = VIDEO_MEMBER_ADVICE.format(mb=limit >> 20)
                raise Unreadable(StripStatus.REFUSED, f"{advice}; not copied") from None
            raise Unreadable(StripStatus.FAILED, str(exc)) from None
        except CorruptFile as exc:
            raise Unreadable(StripStatus.FAILED, f"cannot read: {exc}") from None
        except OSError as exc:
            raise Unreadable(StripStatus.FAILED, f"cannot read: {exc.strerror or exc}") from None
    try:
        st, data = _read(job.source, in_place=job.dest is None)
    except UnsupportedFormat as exc:  # not a regular file: opened without blocking, unread
        raise Unreadable(StripStatus.REFUSED, f"{exc}; not copied") from None
    except FileTooLarge as exc:
        raise Unreadable(StripStatus.FAILED, str(exc)) from None
    except OSError as exc:
        raise Unreadable(StripStatus.FAILED, f"cannot read: {exc.strerror or exc}") from None
    return FileMeta.of(st), data


def _read(path: str, in_place: bool) -> tuple[os.stat_result, bytes]:
    """``fileref.read_regular``: a regular file only, from one descriptor, bounded; in
    place, first whether replacing it would clean what it names."""
    if in_place and (reason := _in_place_refusal(path, os.stat(path))):
        raise Unreadable(StripStatus.REFUSED, reason)
    fd, st = open_fd(path)
    try:
        found = sniff(os.pread(fd, VIDEO_HEAD, 0))
        if found.is_video:  # streamed by strip.video, never read whole
            raise IsVideo(found.label)
        return st, read_rest(fd, b"", st.st_size, MAX_FILE_BYTES)
    finally:
        os.close(fd)


def strip_file(job: Job, ready: Callable[[Job], tuple[FileResult, Write | None]]) -> FileResult:
    """Strip one file now: ``ready`` is ``prepare`` with the run's options bound."""
    return finish(*ready(job))


class _Prepare:
    """``prepare`` with a run's options bound, as ``functools.partial`` would bind them
    (``functools`` is not imported at a strip's start-up); it pickles, for the pool."""

    __slots__ = ("dry_run", "durable", "extractor", "keep_dates", "options")

    def __init__(
        self,
        options: StripOptions,
        dry_run: bool,
        keep_dates: bool,
        extractor: Extractor | None,
        durable: bool,
    ) -> None:
        self.options, self.dry_run, self.keep_dates = options, dry_run, keep_dates
        self.extractor, self.durable = extractor, durable

    def __call__(self, job: Job) -> tuple[FileResult, Write | None]:
        return prepare(
            job,
            options=self.options,
            dry_run=self.dry_run,
            keep_dates=self.keep_dates,
            extractor=self.extractor,
            durable=self.durable,
        )


class _StripFile:
    """``strip_file`` with ``ready`` bound (picklable, as ``_Prepare``)."""

    __slots__ = ("ready",)

    def __init__(self, ready: Callable[[Job], tuple[FileResult, Write | None]]) -> None:
        self.ready = ready

    def __call__(self, job: Job) -> FileResult:
        return strip_file(job, self.ready)


def finish(result: FileResult, write: Write | None) -> FileResult:
    """``result`` once its output is written; a failed write makes it a failure."""
    if write is None:
        return result
    try:
        write()
    except StripError as exc:
        return result._replace(status=StripStatus.FAILED, reason=str(exc), output=None)
    except OSError as exc:
        reason = f"cannot write: {exc.strerror or exc}"
        return result._replace(status=StripStatus.FAILED, reason=reason, output=None)
    return result


def prepare(
    job: Job,
    options: StripOptions,
    dry_run: bool = False,
    keep_dates: bool = True,
    extractor: Extractor | None = None,
    durable: bool = True,
) -> tuple[FileResult, Write | None]:
    """Read, strip and verify one file: its result if the output is then written, and the
    write still to do (None when there is nothing to write)."""
    name = job.display
    blocks: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    remaining: tuple[str, ...] = ()

    def result(status: StripStatus, reason: str = "", output: str | None = None) -> FileResult:
        return FileResult(name, status, removed, remaining, reason, output, blocks)

    if job.refusal:
        return result(StripStatus.REFUSED, job.refusal), None
    try:
        meta, data = read_job(job)
    except Unreadable as exc:
        return result(exc.status, exc.reason), None
    except IsVideo as video:
        from photoscan.strip.video import strip_to_result  # lazy: photo strips never load it

        return strip_to_result(job, video.label, None, options, dry_run, keep_dates), None
    sniffed = sniff(data[:HEADER_BYTES], job.name)
    if sniffed.is_video:  # a zip member, in memory already
        from photoscan.strip.video import strip_to_result

        member = (meta, data)
        return strip_to_result(job, sniffed.label, member, options, dry_run, keep_dates), None
    if sniffed.status is not SniffStatus.SUPPORTED or sniffed.format is None:
        if is_sidecar_path(job.name):
            return result(StripStatus.REFUSED, SIDECAR_NOT_COPIED), None
        return result(StripStatus.REFUSED, f"{sniffed.reason}; not copied"), None
    fmt = sniffed.format
    try:
        stripped = strip_bytes(data, fmt, options)
        verdict = verify(
            data,
            stripped,
            fmt,
            name,
            options,
            restrip=lambda b: restrip(b, fmt, options),
            extractor=extractor,
        )
    except Refused as exc:
        return result(StripStatus.REFUSED, f"{sniffed.label}: {exc}; not copied"), None
    except CorruptFile as exc:
        return result(StripStatus.FAILED, f"damaged {sniffed.label}: {exc}"), None
    output = job.dest
    removed, remaining, blocks = verdict.removed, verdict.remaining, stripped.blocks
    if verdict.survivors:
        reason = "not written, could not remove: " + "; ".join(verdict.survivors)
        return result(StripStatus.FAILED, reason), None
    changed = stripped.data != data
    if not changed:
        status, reason = StripStatus.ALREADY_CLEAN, ""
    elif stripped.reencoded:
        status, reason = StripStatus.REENCODED, f"re-encoded ({stripped.reencoded})"
    else:
        status, reason = StripStatus.STRIPPED, ""
    done = result(status, reason, output)
    if dry_run:
        return done, None
    if job.dest is not None:
        dest, dates = job.dest, keep_dates and job.member is None
        return done, lambda: write_new(dest, stripped.data, meta, dates, durable=durable)
    if changed and job.backup is not None:
        source, backup, folder = job.source, job.backup, job.backup_dir
        return done, lambda: replace_in_place(
            source, stripped.data, data, backup, keep_dates, manifest_dir=folder
        )
    return done, None


def apply(
    the_plan: Plan,
    options: StripOptions,
    *,
    dry_run: bool = False,
    keep_dates: bool = True,
    cancel: CancelToken | None = None,
    extractor: Extractor | None = None,
    workers: int = 1,
) -> Iterator[FileResult]:
    """Results file by file, in plan order; stops early (between files) when cancelled.
    The parent's decisions follow each written photo to its new content (``carry``).

    Copies may be made by ``workers`` processes; in-place edits always run one at a time in
    this process. Copies are not fsynced (the originals are untouched, so a crash costs at
    worst an incomplete copy and a rerun); in-place edits are, at every step.
    """
    reader = extractor if extractor is not None else default_extractor()
    ready = _Prepare(options, dry_run, keep_dates, reader, the_plan.in_place)
    results = _results(the_plan, ready, cancel, workers, dry_run)
    if dry_run:
        yield from results
        return
    from photoscan.strip.carry import Carrier  # lazy: SQLite only for a real strip

    carrier = Carrier()
    for job, result in zip(the_plan.jobs, results, strict=False):
        yield carrier.after(job, result)


def _results(
    the_plan: Plan,
    ready: Callable[[Job], tuple[FileResult, Write | None]],
    cancel: CancelToken | None,
    workers: int,
    dry_run: bool,
) -> Iterator[FileResult]:
    call = _StripFile(ready)
    # fork is only safe (and only worth it) in a single-threaded process such as the CLI;
    # a GUI calls this from a worker thread and gets the sequential path.
    jobs = the_plan.jobs
    parallel = workers > 1 and not the_plan.in_place and not dry_run
    if parallel and len(jobs) >= MIN_FILES_PER_WORKER * workers and _forkable():
        from photoscan.strip import pool  # late: multiprocessing only for big batches

        yield from pool.in_workers(jobs, call, workers, cancel)
    elif the_plan.in_place or dry_run or len(jobs) < 2:
        for job in jobs:
            if cancel is not None and cancel.is_cancelled:
                return
            yield call(job)
    else:
        yield from _write_behind(jobs, ready, cancel)


def default_workers() -> int:
    """Processes for copies when none are asked for: one per CPU (up to 8).

    Stripping is CPU work in Python (parsing, checking, re-reading) plus file creation, and
    forked workers divide both; ``apply`` still runs small batches in this process.
    """
    return max(1, min(MAX_DEFAULT_WORKERS, os.cpu_count() or 1))


def _forkable() -> bool:
    import multiprocessing  # late: ~10 ms of start-up that a one-process strip never needs
    import threading

    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _write_behind(
    jobs: Sequence[Job],
    ready: Callable[[Job], tuple[FileResult, Write | None]],
    cancel: CancelToken | None,
) -> Iterator[FileResult]:
    """Copies: the next file is stripped while a thread writes the last one.

    Creating a file costs ~0.3 ms of kernel time on this kind of machine, as much as a
    third of a whole strip; the system calls release the GIL, so they overlap the next
    file's parsing. At most ``WRITE_AHEAD`` outputs wait in memory; results keep plan order
    and each is yielded only once its output is written (or its write failed). A file with
    nothing left to write (a video, made and checked as it was read; a refusal) is done
    at once: the writer thread is started only for the first photo that has a write.
    """
    pending: list[Future[FileResult] | FileResult] = []  # at most WRITE_AHEAD + 1
    writer: ThreadPoolExecutor | None = None
    try:
        for job in jobs:
            if cancel is not None and cancel.is_cancelled:
                break
            result, write = ready(job)
            if write is None:
                pending.append(result)
            else:
                if writer is None:
                    writer = _writer()
                pending.append(writer.submit(finish, result, write))
            while pending and (len(pending) > WRITE_AHEAD or isinstance(pending[0], FileResult)):
                yield _written(pending.pop(0))
        while pending:  # files already stripped are written and reported, even when cancelled
            yield _written(pending.pop(0))
    finally:
        if writer is not None:
            writer.shutdown(wait=True)


def _writer() -> ThreadPoolExecutor:
    from concurrent.futures import ThreadPoolExecutor  # late: ~10 ms (logging) videos never need

    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="strip-write")


def _written(item: Future[FileResult] | FileResult) -> FileResult:
    return item if isinstance(item, FileResult) else item.result()
