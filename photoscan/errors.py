"""One exception tree. Per-file problems become ``FileError`` records, never escape a scan."""

from __future__ import annotations


class PhotoscanError(Exception):
    """Base of every error photoscan raises on purpose."""


class UsageError(PhotoscanError):
    """Bad arguments or an unreadable root (exit code 2)."""


class UnsupportedFormat(PhotoscanError):
    """The file is not a format photoscan reads (the message says which and why)."""


class CorruptFile(PhotoscanError):
    """The file claims a format but its structure is broken or truncated."""


class FileTooLarge(PhotoscanError):
    """The file or a decoded image exceeds a safety cap."""


class StripError(PhotoscanError):
    """A strip could not be done safely; the original is untouched."""
