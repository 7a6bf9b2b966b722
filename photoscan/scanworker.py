"""Read one file in a scan worker: sniff, read, extract, merge its XMP sidecars.

This is the code that runs in the metadata pool's processes (and inline for small scans). It
imports the readers lazily, on the first file, so the CLI and a fully cached rescan never load
Pillow or exifread. Everything a file can do wrong becomes an ``Outcome`` with a ``FileError``:
a broken or hostile file must never take the batch down with it.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from photoscan.cache import Outcome
from photoscan.discover import os_reason
from photoscan.errors import CorruptFile, FileTooLarge, UnsupportedFormat
from photoscan.formats import HEADER_BYTES, SniffStatus, sniff
from photoscan.model import Extraction, FileError, Finding, PhotoRecord

if TYPE_CHECKING:
    from photoscan.metadata.base import Source

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 1 << 30  # readers work on bytes: refuse to hold more than 1 GiB per file
MAX_SIDECAR_BYTES = 16 << 20
XMP_FORMAT = "XMP"  # PhotoRecord.format of a standalone XMP file (no pixels, no faces)
SIDECAR_GPS_SOURCE = "xmp sidecar"


@dataclass(frozen=True, slots=True)
class ReadJob:
    """One file to read; plain strings so it pickles cheaply to a worker."""

    rel: str
    path: str  # absolute
    standalone_xmp: bool = False  # a .xmp without its photo: read as a record without pixels
    xmp: tuple[tuple[str, str], ...] = ()  # (rel, absolute path) of XMP sidecars to merge
    sidecars: tuple[str, ...] = ()  # rel of every sidecar, listed on the record


@dataclass(frozen=True, slots=True)
class Readers:
    """The metadata readers a scan uses; injectable so tests can run without the real ones.

    The functions must be importable module-level functions (they are pickled to workers).
    """

    extract: Callable[[Source], Extraction]
    read_sidecar_xmp: Callable[[bytes, str], Extraction]


def default_readers() -> Readers:
    """The real readers. Imported here, not at module level: the readers pull in Pillow,
    exifread and numpy, which a cached rescan and the CLI's start-up never need."""
    from photoscan import metadata

    return Readers(metadata.extract, metadata.read_sidecar_xmp)


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
        return _fail(job, f"cannot read file: {os_reason(exc)}", not_photo=True)
    except (CorruptFile, UnsupportedFormat, FileTooLarge) as exc:
        return _fail(job, str(exc) or type(exc).__name__, not_photo=True)
    except Exception as exc:  # a reader bug on one file must never abort the whole scan
        log.error("internal error reading %s: %s", job.rel, type(exc).__name__)
        log.debug("reader traceback for %s", job.rel, exc_info=True)
        return _fail(job, f"internal error reading file: {type(exc).__name__}", not_photo=True)


def _fail(job: ReadJob, reason: str, not_photo: bool) -> Outcome:
    return Outcome(error=FileError(job.rel, reason), not_photo=not_photo)


def _read_capped(path: str, limit: int, head: bytes = b"") -> bytes:
    with open(path, "rb") as fh:
        if head:
            fh.seek(len(head))
        size = os.fstat(fh.fileno()).st_size
        if size > limit:
            raise FileTooLarge(f"file too large to read ({size // (1 << 20)} MB)")
        return head + fh.read()


def _read_photo(job: ReadJob, readers: Readers) -> Outcome:
    name = job.rel.rsplit("/", 1)[-1]
    with open(job.path, "rb") as fh:
        head = fh.read(HEADER_BYTES)
        sniffed = sniff(head, name)
        if sniffed.status is not SniffStatus.SUPPORTED or sniffed.format is None:
            return _fail(job, sniffed.reason, not_photo=True)
        size = os.fstat(fh.fileno()).st_size
        if size > MAX_FILE_BYTES:
            raise FileTooLarge(f"file too large to read ({size // (1 << 20)} MB)")
        data = head + fh.read() if len(head) == HEADER_BYTES else head
    from photoscan.metadata.base import Source  # lazy, see default_readers

    extraction = readers.extract(Source(job.rel, data, sniffed.format, sniffed.label))
    del data
    for warning in extraction.warnings:
        log.debug("%s: %s", job.rel, warning)
    record = PhotoRecord(
        path=job.rel,
        format=extraction.format.value,
        width=extraction.width,
        height=extraction.height,
        gps=extraction.gps,
        findings=extraction.findings,
        sidecars=job.sidecars,
    )
    for rel, path in job.xmp:
        record = _merge_sidecar(record, rel, path, readers)
    return Outcome(record=record)


def _merge_sidecar(record: PhotoRecord, rel: str, path: str, readers: Readers) -> PhotoRecord:
    """Add what an XMP sidecar says, marked as coming from the sidecar.

    A sidecar that cannot be read leaves the photo's own findings intact: the sidecar is
    still listed on the record, and the failure is logged.
    """
    try:
        side = readers.read_sidecar_xmp(_read_capped(path, MAX_SIDECAR_BYTES), rel)
    except Exception as exc:  # a bad sidecar must not cost the photo its own findings
        log.warning("sidecar %s not read: %s", rel, type(exc).__name__)
        return record
    seen = {(f.kind, f.field, f.value) for f in record.findings}
    added = []
    for f in side.findings:
        marked = (
            f if f.field.lower().startswith("sidecar") else replace(f, field=f"Sidecar {f.field}")
        )
        if (marked.kind, marked.field, marked.value) not in seen:
            seen.add((marked.kind, marked.field, marked.value))
            added.append(marked)
    gps = record.gps
    if gps is None and side.gps is not None:
        gps = replace(side.gps, source=SIDECAR_GPS_SOURCE)
    return replace(record, findings=record.findings + tuple(added), gps=gps)


def _read_standalone_xmp(job: ReadJob, readers: Readers) -> Outcome:
    side = readers.read_sidecar_xmp(_read_capped(job.path, MAX_SIDECAR_BYTES), job.rel)
    findings: tuple[Finding, ...] = side.findings
    gps = None if side.gps is None else replace(side.gps, source=SIDECAR_GPS_SOURCE)
    record = PhotoRecord(
        path=job.rel, format=XMP_FORMAT, width=None, height=None, gps=gps, findings=findings
    )
    return Outcome(record=record)
