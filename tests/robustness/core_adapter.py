"""The only place in ``tests/robustness`` that imports photoscan's internal modules.

Everything else drives the command line. The fuzzer calls the core in-process (a subprocess
per mutant would cost ~1 s each), and the GUI's scan subprocess is started the way the GUI
starts it; both need a handful of internal names, and they are all here, so a reorganised
package is followed by editing this file alone. Each function mirrors what the real code
path does (the scan worker's read of one file, ``strip``'s read–strip–verify–write of one
file) and says which exceptions are designed outcomes: anything else escaping is a crash.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from photoscan.errors import PhotoscanError
from photoscan.model import FindingKind, ImageFormat
from photoscan.source.sniff import HEADER_BYTES, SniffStatus, sniff
from photoscan.strip.batch import Job, Plan, apply
from photoscan.strip.types import StripOptions, StripStatus

DESIGNED_ERRORS: tuple[type[BaseException], ...] = (PhotoscanError,)
STRIP_STATUSES = frozenset(s.value for s in StripStatus)
WRITTEN = frozenset({StripStatus.STRIPPED.value, StripStatus.REENCODED.value})
UNCHANGED = StripStatus.ALREADY_CLEAN.value


@dataclass(frozen=True, slots=True)
class Metadata:
    """What the scan's metadata pass made of one file."""

    photo: bool  # read as a photo (else refused: not a supported format)
    fmt: str | None
    has_gps: bool
    warnings: tuple[str, ...]


def read_metadata(name: str, data: bytes) -> Metadata:
    """The scan worker's path for one file's bytes: sniff the head; a standalone ``.xmp``
    goes to the sidecar reader, a photo to ``metadata.extract``. Raises a designed error
    (``PhotoscanError``) for a refused or damaged file; anything else is a reader crash."""
    from photoscan import metadata
    from photoscan.sidecars.readers import read_sidecar
    from photoscan.source.pairing import SidecarKind

    if name.lower().endswith(".xmp"):
        info = read_sidecar(SidecarKind.XMP, data, name, None)
        has_gps = info.gps is not None or _has_location(info.findings)
        return Metadata(True, "XMP", has_gps, tuple(info.warnings))
    sniffed = sniff(data[:HEADER_BYTES], name)
    if sniffed.status is not SniffStatus.SUPPORTED or sniffed.format is None:
        return Metadata(False, None, False, ())
    from photoscan.metadata.base import Source

    extraction = metadata.extract(Source(name, data, sniffed.format, sniffed.label))
    has_gps = extraction.gps is not None or _has_location(extraction.findings)
    return Metadata(True, sniffed.format.value, has_gps, extraction.warnings)


def _has_location(findings: object) -> bool:
    return any(f.kind is FindingKind.LOCATION for f in findings)  # type: ignore[attr-defined]


def gps_per_reader(name: str, data: bytes) -> bool:
    """photoscan's own readers find a position or a place name in ``data``."""
    try:
        return read_metadata(name, data).has_gps
    except DESIGNED_ERRORS:
        return False


def is_tiff_like(name: str, data: bytes) -> bool:
    fmt = sniff(data[:HEADER_BYTES], name).format
    return fmt in (ImageFormat.TIFF, ImageFormat.DNG, ImageFormat.RAW)


@dataclass(frozen=True, slots=True)
class StripOutcome:
    status: str
    reason: str
    output: str | None


def strip_one(
    source: Path,
    *,
    dest: Path | None = None,
    backup: Path | None = None,
    only_location: bool = False,
) -> StripOutcome:
    """``photoscan strip`` for one file, in this process, through the same ``apply`` as the
    command (which also verifies the output with photoscan's readers before writing it): to
    the copy ``dest``, or in place with the original backed up to ``backup``. It never
    raises by design (every problem is a result), so any exception is a crash."""
    assert (dest is None) != (backup is None)
    job = Job(  # a Job's paths are text
        str(source),
        source.name,
        dest=None if dest is None else str(dest),
        backup=None if backup is None else str(backup),
    )
    plan = Plan((job,), in_place=dest is None)
    (result,) = apply(plan, StripOptions(only_location=only_location))
    return StripOutcome(result.status.value, result.reason, result.output)


# --- the GUI's scan subprocess ----------------------------------------------------------------


def gui_scan(root: Path, faces: bool = True) -> dict[str, object]:
    """Scan ``root`` through the GUI's own ``ScanProcess`` (a child interpreter running the
    core, exactly as the window starts it) and sum up the events it streamed."""
    from photoscan.scan.events import FacesScanned, PhotoScanned, ScanFinished
    from photoscan.scan.jobs import ScanOptions
    from photoscan.scan.process import ScanCrashed, ScanFailed, ScanProcess

    process = ScanProcess(root, ScanOptions(faces=faces, use_cache=True))
    process.start()
    photos = faces_scanned = faces_found = 0
    finished, failed = False, ""
    while not process.ended:
        for event in process.next_events():
            if isinstance(event, PhotoScanned):
                photos += 1
            elif isinstance(event, FacesScanned):
                faces_scanned += 1
                faces_found += len(event.record.faces)
            elif isinstance(event, ScanFinished):
                finished = not event.result.cancelled
            elif isinstance(event, ScanFailed | ScanCrashed):
                failed = repr(event)
    return {
        "photos": photos,
        "faces_scanned": faces_scanned,
        "faces": faces_found,
        "finished": finished,
        "failed": failed,
    }


if __name__ == "__main__":  # python -m tests.robustness.core_adapter gui-scan ROOT
    if sys.argv[1:2] == ["gui-scan"]:
        print(json.dumps(gui_scan(Path(sys.argv[2]))))
