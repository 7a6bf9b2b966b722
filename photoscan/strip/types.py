"""Options and results of a strip, shared by the per-format strippers, the planner and the CLI."""

from __future__ import annotations

from photoscan.enums import StrEnum
from photoscan.errors import StripError
from photoscan.tuples import NamedTuple


class StripStatus(StrEnum):
    """Per-file outcome; values are part of the ``strip --json`` contract."""

    STRIPPED = "stripped"
    ALREADY_CLEAN = "already_clean"
    REENCODED = "reencoded"
    REFUSED = "refused"
    FAILED = "failed"


class StripOptions(NamedTuple):
    """What to remove. Default: everything except orientation and the colour profile."""

    only_location: bool = False  # remove GPS and place names only
    keep_orientation: bool = True
    keep_icc: bool = True
    keep_datetime: bool = False


class Stripped(NamedTuple):
    """What a format stripper made of one file's bytes.

    ``blocks`` names the containers removed or rewritten ("APP1 Exif", "PNG tEXt", "trailer"),
    for the human report; the finding kinds come from re-reading the output.
    """

    data: bytes
    blocks: tuple[str, ...] = ()
    reencoded: str = ""  # non-empty when pixels were re-encoded: says how ("quality 95")
    # What was removed, as a small file of the same format that photoscan's readers can read
    # (JPEG: SOI + the dropped segments + EOI), so ``verify`` lists the removed kinds without
    # parsing the whole original again. None: verify reads the original.
    evidence: bytes | None = None


class FileResult(NamedTuple):
    """One file of a strip run (the ``files`` entries of ``strip --json``)."""

    path: str
    status: StripStatus
    removed: tuple[str, ...] = ()  # finding kinds present before, gone after
    remaining: tuple[str, ...] = ()  # finding kinds still present in the output
    reason: str = ""
    output: str | None = None
    blocks: tuple[str, ...] = ()
    faces_found: int | None = None  # share only: faces detected
    faces_hidden: int | None = None  # share only: faces made unrecognisable
    faces_yours: int | None = None  # share only: of those, hidden by the parent's decisions


class Refused(StripError):
    """A stripper cannot handle this file losslessly or safely; the message says why."""
