"""Read one file in a scan worker: sniff, read, extract, merge its XMP sidecars.

A video (``sniffed.is_video``) is never read whole: ``metadata.video`` reads its box and
chunk headers and ``moov`` from the open file (a zip member from memory, inflated only up
to ``limits.MAX_VIDEO_MEMBER_BYTES``) and it becomes a record like a photo's, with ``media``
and ``duration_s``.

This is the code that runs in the metadata pool's processes (and inline for small scans). It
imports the readers lazily, on the first file, so the CLI and a fully cached rescan never load
Pillow or exifread. Everything a file can do wrong becomes an ``Outcome`` with a ``FileError``:
a broken or hostile file must never take the batch down with it.
"""

from __future__ import annotations

import io
import logging
import os
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, BinaryIO

from photoscan.errors import CorruptFile, FileTooLarge, UnsupportedFormat
from photoscan.limits import MAX_FILE_BYTES, MAX_VIDEO_MEMBER_BYTES, VIDEO_MEMBER_ADVICE
from photoscan.model import Extraction, FileError, ImageFormat, MediaKind, PhotoRecord
from photoscan.scan.jobs import Outcome, ReadJob
from photoscan.source.entries import os_reason
from photoscan.source.fileref import (
    FileRef,
    open_fd,
    open_regular,
    read_bytes,
    read_member,
    read_rest,
)
from photoscan.source.pairing import SidecarKind
from photoscan.source.sniff import HEADER_BYTES, Sniffed, SniffStatus, sniff

if TYPE_CHECKING:
    from photoscan.metadata.base import Source
    from photoscan.metadata.video.types import VideoExtraction
    from photoscan.sidecars.readers import SidecarInfo

log = logging.getLogger(__name__)

MAX_SIDECAR_BYTES = 16 << 20  # photoscan.sidecars applies its own, lower cap per kind


@dataclass(frozen=True, slots=True)
class Readers:
    """The metadata readers a scan uses; injectable so tests can run without the real ones.

    The functions must be importable module-level functions (they are pickled to workers).
    """

    extract: Callable[[Source], Extraction]
    read_sidecar: Callable[[SidecarKind, bytes, str, str | None], SidecarInfo]
    read_video: Callable[[BinaryIO, str], VideoExtraction] | None = None  # None: the real one


def default_readers() -> Readers:
    """The real readers. Imported here, not at module level: the readers pull in Pillow,
    exifread and numpy, which a cached rescan and the CLI's start-up never need."""
    from photoscan import metadata
    from photoscan.sidecars import readers

    return Readers(metadata.extract, readers.read_sidecar)


def init_worker() -> None:
    """Pool initializer: Ctrl-C is the parent's business (it cancels the scan cleanly)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def read_batch(jobs: Sequence[ReadJob], readers: Readers | None = None) -> list[Outcome]:
    """The pool's unit of work: a few files per task keeps the IPC overhead small."""
    resolved = readers or default_readers()
    return [read_one(job, resolved) for job in jobs]


def read_one(job: ReadJob, readers: Readers) -> Outcome:
    try:
        if job.standalone_xmp:
            return _read_standalone_xmp(job, readers)
        return _read_photo(job, readers)
    except OSError as exc:
        return _fail(job, f"cannot read file: {os_reason(exc)}", not_photo=True, cacheable=False)
    except (CorruptFile, UnsupportedFormat, FileTooLarge) as exc:
        return _fail(job, str(exc) or type(exc).__name__, not_photo=True)
    except Exception as exc:  # a reader bug on one file must never abort the whole scan
        log.error("internal error reading %s: %s", job.rel, type(exc).__name__)
        log.debug("reader traceback for %s", job.rel, exc_info=True)
        reason = f"internal error reading file: {type(exc).__name__}"
        return _fail(job, reason, not_photo=True, cacheable=False)


def _fail(job: ReadJob, reason: str, not_photo: bool, cacheable: bool = True) -> Outcome:
    return Outcome(error=FileError(job.rel, reason), not_photo=not_photo, cacheable=cacheable)


def _sniffed_bytes(job: ReadJob) -> tuple[Sniffed, bytes]:
    """The sniff of the file's head and, when it is a photo, all its bytes. A file that is
    not a photo by its head (a video, a disk image) is never read or inflated whole."""
    name = job.rel.rsplit("/", 1)[-1]
    if job.member:
        head = read_member(job.ref(), HEADER_BYTES, truncate=True)
        sniffed = sniff(head, name)
        if sniffed.status is not SniffStatus.SUPPORTED or len(head) < HEADER_BYTES:
            return sniffed, head
        return sniffed, read_member(job.ref(), MAX_FILE_BYTES)
    fd, st = open_fd(job.path)
    try:
        head = os.read(fd, HEADER_BYTES)
        sniffed = sniff(head, name)
        if sniffed.status is not SniffStatus.SUPPORTED or len(head) < HEADER_BYTES:
            return sniffed, head
        return sniffed, read_rest(fd, head, st.st_size, MAX_FILE_BYTES)
    finally:
        os.close(fd)


def _read_photo(job: ReadJob, readers: Readers) -> Outcome:
    sniffed, data = _sniffed_bytes(job)
    if sniffed.is_video:
        return _with_sidecars(job, _read_video(job, readers), readers)
    if sniffed.status is not SniffStatus.SUPPORTED or sniffed.format is None:
        return _fail(job, sniffed.reason, not_photo=True)
    from photoscan.metadata.base import Source  # lazy, see default_readers

    extraction = readers.extract(Source(job.rel, data, sniffed.format, sniffed.label))
    del data
    return _with_sidecars(job, _record(job, extraction), readers)


def _record(
    job: ReadJob,
    extraction: Extraction,
    media: MediaKind = MediaKind.PHOTO,
    duration_s: float | None = None,
    faces_scanned: bool = False,
) -> PhotoRecord:
    for warning in extraction.warnings:
        log.debug("%s: %s", job.rel, warning)
    return PhotoRecord(
        path=job.rel,
        format=extraction.format,
        width=extraction.width,
        height=extraction.height,
        gps=extraction.gps,
        findings=extraction.findings,
        sidecars=job.sidecars,
        media=media,
        duration_s=duration_s,
        faces_scanned=faces_scanned,
    )


def _read_video(job: ReadJob, readers: Readers) -> PhotoRecord:
    """A video's record from its headers and ``moov`` (``metadata.video``)."""
    if readers.read_video is not None:
        read = readers.read_video
    else:
        from photoscan.metadata.video.read import read_video as read  # lazy, as default_readers
    name = job.rel.rsplit("/", 1)[-1]
    if job.member:  # inflated whole: bounded lower than a photo, as strip and frames are
        try:
            data = read_member(job.ref(), MAX_VIDEO_MEMBER_BYTES)
        except FileTooLarge:
            advice = VIDEO_MEMBER_ADVICE.format(mb=MAX_VIDEO_MEMBER_BYTES >> 20)
            raise FileTooLarge(f"{name}: {advice}") from None
        video = read(io.BytesIO(data), name)
    else:
        with open_regular(job.path) as fh:
            video = read(fh, name)
    return _record(
        job,
        video.extraction,
        media=MediaKind.VIDEO if video.has_picture else MediaKind.AUDIO,
        duration_s=video.duration_s,
        faces_scanned=not video.has_picture,  # sound only: no face to look for
    )


def _with_sidecars(job: ReadJob, record: PhotoRecord, readers: Readers) -> Outcome:
    for sidecar in job.sidecar_files:
        ref = job.sidecar_ref(sidecar)
        record = _merge_sidecar(record, sidecar.kind, sidecar.rel, ref, readers)
    return Outcome(record=record)


def _read_sidecar(
    kind: SidecarKind, rel: str, ref: FileRef, photo: str | None, readers: Readers
) -> SidecarInfo:
    info = readers.read_sidecar(kind, read_bytes(ref, MAX_SIDECAR_BYTES), rel, photo)
    if kind is not SidecarKind.XMP:
        return info  # Takeout:/Flickr:/Picasa: fields already name their source
    marked = tuple(f._replace(field=f"Sidecar {f.field}") for f in info.findings)
    return replace(info, findings=marked)


def _merge_sidecar(
    record: PhotoRecord, kind: SidecarKind, rel: str, ref: FileRef, readers: Readers
) -> PhotoRecord:
    """Add what a sidecar says (``sidecars.readers.apply_sidecar``: its GPS only fills a
    photo without one). A sidecar that cannot be read leaves the photo's own findings
    intact; it is still listed on the record, and the failure is logged."""
    from photoscan.sidecars.readers import apply_sidecar

    try:
        info = _read_sidecar(kind, rel, ref, record.path.rsplit("/", 1)[-1], readers)
    except Exception as exc:  # a bad sidecar must not cost the photo its own findings
        log.warning("sidecar %s not read: %s", rel, type(exc).__name__)
        return record
    for warning in info.warnings:
        log.debug("%s: %s", rel, warning)
    return apply_sidecar(record, info)


def _read_standalone_xmp(job: ReadJob, readers: Readers) -> Outcome:
    info = readers.read_sidecar(
        SidecarKind.XMP, read_bytes(job.ref(), MAX_SIDECAR_BYTES), job.rel, None
    )
    record = PhotoRecord(
        path=job.rel,
        format=ImageFormat.XMP,
        width=None,
        height=None,
        gps=info.gps,
        findings=info.findings,
    )
    return Outcome(record=record)
