"""Strip a video without touching a frame: kernel copy, positioned patches, read-back verify.

A video is never read whole nor held in memory (the photo path's ``strip_bytes`` and its
1 GiB cap do not apply): its layout is read once, by box and chunk headers plus ``moov``,
and serves both what it gives away (``before``) and the plan of patches that neutralise it
(``strip.mp4``, ``strip.avi``, ``strip.mkv``; ``VideoStripPlan``). Then:

* a **copy** is made as a private temporary file beside its destination, filled by the
  kernel (``io.copy_fd``: ``copy_file_range``), patched with positioned writes and checked
  before it is closed, then linked to its final name (an existing file is never
  overwritten; ``safety.write_new``): until its patches are written it holds the original's
  metadata, so it never appears under that name unchecked. A copy whose check fails is
  removed. As for photo copies the original is untouched, so copies are not fsynced;
* **in place**, the plan is first checked on the original as it would be left
  (``videoplan.Planned``: nothing is written for a strip that would fail), then
  ``strip.safety.replace_in_place`` backs the original up and fsyncs every step;
* a **dry run** reports what the patched file would still give away, writing nothing.

The check of an output (``examine`` on the file read back): every patch and zeroed range is
there, photoscan's reader finds nothing of a kind the options promised to remove, and the
planner finds nothing more to remove. Otherwise ``StripError`` says what survived.
"""

from __future__ import annotations

import os

from photoscan.containers.bmff import FileReader, MemoryReader, Reader
from photoscan.containers.movie import read_layout
from photoscan.errors import CorruptFile, StripError, UnsupportedFormat
from photoscan.io import copy_fd, pwrite_all
from photoscan.metadata.video.quicktime import TrackParts, read_movie
from photoscan.metadata.video.read import container_of
from photoscan.metadata.video.types import VideoExtraction
from photoscan.model import ImageFormat
from photoscan.source.fileref import open_regular
from photoscan.source.sniff import BMFF_FORMATS
from photoscan.strip import videoplan
from photoscan.strip.mp4 import plan_movie
from photoscan.strip.plan import Job
from photoscan.strip.safety import FileMeta, Streamed, replace_in_place, write_new
from photoscan.strip.types import FileResult, Refused, StripOptions, StripStatus
from photoscan.strip.verify import must_go
from photoscan.strip.videoplan import Planned, VideoStripPlan
from photoscan.tuples import NamedTuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from photoscan.pathtext import StrPath

HASH_CHUNK = 1 << 20
MTS_REFUSAL = (
    "the camera's make, model, recording date and any GPS position are written inside the "
    "video stream itself (in its frames), so photoscan cannot remove them without "
    "re-encoding; export an MP4 copy with your camera's or video editor's software, then "
    "strip that copy"
)


class VideoStripped(NamedTuple):
    """One video strip: what went (finding kinds), what remains, what was neutralised."""

    changed: bool
    removed: tuple[str, ...]
    remaining: tuple[str, ...]
    blocks: tuple[str, ...]


class VideoRead(NamedTuple):
    """What a video gives away and what a strip would write over a copy of it."""

    plan: VideoStripPlan
    found: VideoExtraction


def examine(reader: Reader, name: str, options: StripOptions, *, again: bool = False) -> VideoRead:
    """A video's findings and its strip plan, from one read of its layout. Raises
    ``Refused`` (with a reason and advice), ``CorruptFile`` or ``UnsupportedFormat``.
    ``again``: a read-back of what was planned (an MP4's sample layout is not checked a
    second time: ``mp4.plan_movie``)."""
    fmt = container_of(reader, name)
    if fmt in BMFF_FORMATS:
        layout = read_layout(reader, name)
        parts: dict[int, TrackParts] = {}  # each track's boxes, found once for both
        found = read_movie(layout, reader, parts)
        plan = plan_movie(layout, reader, options, media=not again, parts=parts)
        return VideoRead(plan, found)
    if fmt is ImageFormat.AVI:  # late imports: a run of MP4s never loads the RIFF/EBML code
        from photoscan.metadata.video.avi import read_avi
        from photoscan.strip.avi import plan_avi

        return VideoRead(plan_avi(reader, name, options), read_avi(reader, name))
    if fmt is ImageFormat.MKV:
        from photoscan.metadata.video.mkv import read_mkv
        from photoscan.strip.mkv import plan_mkv

        return VideoRead(plan_mkv(reader, name, options), read_mkv(reader, name))
    raise Refused(MTS_REFUSAL)


def _kinds(found: VideoExtraction) -> tuple[str, ...]:
    return tuple(sorted({f.kind.value for f in found.findings}))


def _outcome(
    before: VideoRead, reader: Reader, name: str, options: StripOptions, *, written: bool
) -> VideoStripped:
    """What ``reader`` (the output, or the original as planned) still gives away; raises
    ``StripError`` for anything the options promised to remove."""
    try:
        after = examine(reader, name, options, again=True)
    except (CorruptFile, Refused) as exc:
        what = "the stripped copy" if written else "the file as stripped"
        raise StripError(f"{what} does not read back ({exc})") from None
    promised = must_go(options)
    survivors = [f"{f.kind.value} ({f.field})" for f in after.found.findings if f.kind in promised]
    if after.plan.changed:
        survivors.append("still removable: " + ", ".join(after.plan.blocks or ("unknown",)))
    if survivors:
        raise StripError("not written, could not remove: " + "; ".join(dict.fromkeys(survivors)))
    plan = before.plan
    gone = tuple(sorted(set(_kinds(before.found)) - set(_kinds(after.found))))
    return VideoStripped(plan.changed, gone, _kinds(after.found), plan.blocks)


def strip_video(
    source: StrPath,
    name: str,
    options: StripOptions,
    *,
    dest: StrPath | None = None,
    backup: StrPath | None = None,
    dry_run: bool = False,
    keep_dates: bool = True,
    manifest_dir: StrPath | None = None,
) -> VideoStripped:
    """Strip the video at ``source`` to a copy at ``dest`` (which must not exist) or, with
    ``backup``, in place (recorded in ``manifest_dir``'s restore manifest); with ``dry_run``
    only say what would be removed. ``name`` is for messages. Raises ``Refused``,
    ``CorruptFile``, ``UnsupportedFormat`` or ``StripError`` (nothing written, the original
    untouched) and ``OSError``."""
    with open_regular(str(source)) as fh:
        fd = fh.fileno()
        st = os.fstat(fd)
        reader = FileReader(fd, st.st_size)
        before = examine(reader, name, options)
        plan = before.plan
        if dry_run or (dest is None and not plan.changed):
            return _outcome(before, Planned(reader, plan), name, options, written=False)
        done: list[VideoStripped] = []

        def fill(out: int) -> None:
            copy_fd(fd, out, plan.size)
            now = os.stat(source)
            if (now.st_size, now.st_mtime_ns, now.st_ino) != (
                st.st_size,
                st.st_mtime_ns,
                st.st_ino,
            ):
                raise StripError("the file changed while it was being stripped; left as it was")
            done.append(_patched(out, before, name, options))

        if dest is not None:
            write_new(dest, fill, FileMeta.of(st), keep_dates, durable=False)
            return done[0]
        if backup is None:
            raise StripError("an in-place strip needs a backup folder")
        planned = Planned(reader, plan)
        _outcome(before, planned, name, options, written=False)  # it will pass: then back up
        original = Streamed(fd, st.st_size, _sha256(planned) if manifest_dir else "")
        replace_in_place(source, fill, original, backup, keep_dates, manifest_dir=manifest_dir)
        return done[0]


def strip_video_data(
    data: bytes,
    name: str,
    options: StripOptions,
    *,
    dest: StrPath | None = None,
    meta: FileMeta | None = None,
    dry_run: bool = False,
) -> VideoStripped:
    """``strip_video`` of a video already in memory (a zip member): to a copy at ``dest``
    with ``meta``'s mode, or a dry run."""
    reader = MemoryReader(data, 0)
    before = examine(reader, name, options)
    if dry_run or dest is None:
        return _outcome(before, Planned(reader, before.plan), name, options, written=False)
    done: list[VideoStripped] = []

    def fill(out: int) -> None:
        pwrite_all(out, data, 0)
        done.append(_patched(out, before, name, options))

    write_new(dest, fill, meta, keep_dates=False, durable=False)
    return done[0]


def _patched(out: int, before: VideoRead, name: str, options: StripOptions) -> VideoStripped:
    """The copy in ``out`` with its plan written over it, read back and checked."""
    plan = before.plan
    videoplan.apply(out, plan)
    problem = videoplan.check(out, plan)
    if problem is not None:
        raise StripError(f"verification failed: {problem}; nothing written")
    return _outcome(before, FileReader(out, plan.size), name, options, written=True)


def _identity(st: os.stat_result) -> tuple[int, int, int]:
    return st.st_size, st.st_mtime_ns, st.st_ino


def _sha256(reader: Reader) -> str:
    """The SHA-256 of everything ``reader`` reads (the stripped file, for the manifest)."""
    import hashlib  # late: only an in-place strip records hashes

    digest = hashlib.sha256()
    for pos in range(0, reader.size, HASH_CHUNK):
        digest.update(reader.read_at(pos, HASH_CHUNK))
    return digest.hexdigest()


def strip_to_result(
    job: Job,
    label: str,
    member: tuple[FileMeta, bytes] | None,
    options: StripOptions,
    dry_run: bool,
    keep_dates: bool,
) -> FileResult:
    """``strip_video`` (``member``: a zip member's mode and bytes, ``strip_video_data``)
    for ``strip.batch``: one file's result, failures included. The copy is made and checked as
    it is written, so unlike a photo's there is no write left for a writer thread."""
    name = job.display
    try:
        if member is not None:
            meta, data = member
            done = strip_video_data(
                data, job.name, options, dest=job.dest, meta=meta, dry_run=dry_run
            )
        else:
            done = strip_video(
                job.source,
                job.name,
                options,
                dest=job.dest,
                backup=job.backup,
                dry_run=dry_run,
                keep_dates=keep_dates,
                manifest_dir=job.backup_dir,
            )
    except Refused as exc:
        return FileResult(name, StripStatus.REFUSED, reason=f"{label}: {exc}; not copied")
    except (CorruptFile, UnsupportedFormat) as exc:
        return FileResult(name, StripStatus.FAILED, reason=f"damaged {label}: {exc}")
    except StripError as exc:
        return FileResult(name, StripStatus.FAILED, reason=str(exc))
    except OSError as exc:
        return FileResult(name, StripStatus.FAILED, reason=f"cannot strip: {exc.strerror or exc}")
    status = StripStatus.STRIPPED if done.changed else StripStatus.ALREADY_CLEAN
    output = job.dest if not dry_run else None
    return FileResult(name, status, done.removed, done.remaining, "", output, done.blocks)
