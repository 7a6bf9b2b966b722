"""What a scan tells the CLI and the GUI, in order: the events of ``run.scan`` and the result.

Plain frozen records (the desktop app's scan child pickles them over a pipe). The order is
the promise: ``ScanStarted``, ``FilesDiscovered``, every ``PhotoScanned``/``FileFailed`` of
the metadata pass, ``PlacesFound`` (with ``--places``), every ``FacesScanned``, then
``ScanFinished`` with the whole ``ScanResult``; ``Progress`` in between.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from photoscan.model import FileError, PhotoRecord, PlaceGroup


@dataclass(frozen=True, slots=True)
class ScanResult:
    root: Path
    photos: tuple[PhotoRecord, ...]
    errors: tuple[FileError, ...]
    cancelled: bool
    places: tuple[PlaceGroup, ...] = ()
    skipped: tuple[FileError, ...] = ()  # hidden/system folders and files, by policy
    warnings: tuple[str, ...] = ()  # scan-level problems (e.g. the cache was rebuilt)
    photo: Path | None = None  # one photo was scanned (``root`` is then its folder)


@dataclass(frozen=True, slots=True)
class ScanStarted:
    root: Path


@dataclass(frozen=True, slots=True)
class FilesDiscovered:
    total: int  # files the metadata pass will look at (photo candidates + standalone XMP)


@dataclass(frozen=True, slots=True)
class PhotoScanned:
    record: PhotoRecord


@dataclass(frozen=True, slots=True)
class FacesScanned:
    record: PhotoRecord


@dataclass(frozen=True, slots=True)
class FileFailed:
    error: FileError


@dataclass(frozen=True, slots=True)
class Progress:
    phase: str  # "metadata" | "faces"
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class PlacesFound:
    """After the metadata pass (``ScanOptions.places``): the library's places, and the
    records whose ``place`` or risk changed because of them (same paths again)."""

    places: tuple[PlaceGroup, ...]
    records: tuple[PhotoRecord, ...]


@dataclass(frozen=True, slots=True)
class ScanFinished:
    result: ScanResult


ScanEvent = (
    ScanStarted
    | FilesDiscovered
    | PhotoScanned
    | FacesScanned
    | FileFailed
    | Progress
    | PlacesFound
    | ScanFinished
)
