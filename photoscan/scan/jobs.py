"""The scan's units of work and what becomes of each: plain frozen records, no behaviour.

``ScanOptions`` say what to do; a ``ReadJob`` (with its ``SidecarJob``s) is one file for the
metadata pass, pickled cheaply to a worker; its ``Outcome`` comes back, is stored in the
per-file cache under the file's ``FileKey`` and becomes a record or an error. They live here,
not beside their users, so the worker, the pool, the cache and the run share them without
importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from photoscan.model import FileError, PhotoRecord
from photoscan.source.fileref import FileRef
from photoscan.source.pairing import SidecarKind

if TYPE_CHECKING:
    from photoscan.faces.settings import FaceSettings


@dataclass(frozen=True, slots=True)
class ScanOptions:
    faces: bool = True
    workers: int | None = None  # None -> os.cpu_count()
    use_cache: bool = True
    include_hidden: bool = False
    face_settings: FaceSettings | None = None  # None -> FaceSettings() defaults
    # Offline place names + "places you return to" (photoscan.places.places) after the metadata
    # pass. Off by default: it costs seconds (scipy, the GeoNames table) on every scan.
    places: bool = False
    # The parent's decisions (``photoscan.library``) applied to the records. Off only for
    # tests and tools that want photoscan's own findings.
    decisions: bool = True


@dataclass(frozen=True, slots=True)
class SidecarJob:
    """A sidecar of a ``ReadJob``'s file: how to read it, where it is."""

    kind: SidecarKind
    rel: str
    path: str  # absolute (for a zip member: the zip archive's)


@dataclass(frozen=True, slots=True)
class ReadJob:
    """One file to read; plain strings so it pickles cheaply to a worker."""

    rel: str
    path: str  # absolute (for a zip member: the zip archive's)
    standalone_xmp: bool = False  # a .xmp without its photo: read as a record without pixels
    sidecar_files: tuple[SidecarJob, ...] = ()  # sidecars to read and merge
    sidecars: tuple[str, ...] = ()  # rel of every sidecar, listed on the record
    member: bool = False  # ``rel`` (and each sidecar's rel) names a member of the zip ``path``

    def ref(self) -> FileRef:
        return FileRef(self.path, self.rel if self.member else None)

    def sidecar_ref(self, sidecar: SidecarJob) -> FileRef:
        return FileRef(sidecar.path, sidecar.rel if self.member else None)


@dataclass(frozen=True, slots=True)
class FileKey:
    """What must be unchanged for a cached result to be reused."""

    path: str  # absolute
    size: int
    mtime_ns: int
    sidecars: str = ""  # discover.Sidecars.fingerprint()


@dataclass(frozen=True, slots=True)
class Outcome:
    """The metadata pass's result for one file: a record, or why it is not one.

    ``not_photo`` marks errors that mean "this file is not a readable photo" (video, PDF,
    corrupt): its sidecars then belong to nobody and are reported too.
    """

    record: PhotoRecord | None = None
    error: FileError | None = None
    not_photo: bool = False
    # False for failures that may pass without the file changing (permissions fixed, a
    # reader bug fixed): those are read again next time instead of being remembered.
    cacheable: bool = True
