"""A stripped photo keeps the parent's decisions.

Decisions are keyed by the SHA-256 of a photo's bytes (``photoscan.library.content``), and a
strip changes the bytes but not the picture — so after every strip that wrote something
(a copy, or the photo itself in place, whose original is then in the backup) the decisions
of the original are copied to the output's new hash. Only files whose size some decision
has are looked at (a strip of a library without decisions hashes nothing).

Face boxes are kept in the orientation the photo is shown in. A strip keeps the Orientation
tag by default; ``--keep`` without ``orientation`` drops it, and the copy is then shown as
its pixels are stored — so the boxes are turned with it (``to_stored``).
"""

from __future__ import annotations

import os

from photoscan import paths
from photoscan.errors import PhotoscanError
from photoscan.limits import MAX_FILE_BYTES
from photoscan.model import Box
from photoscan.source.fileref import FileRef, read_member
from photoscan.strip.plan import Job
from photoscan.strip.types import FileResult, StripStatus

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from pathlib import Path  # at run time only where decisions are carried: start-up time

    from photoscan.records import Decisions

_WRITTEN = frozenset({StripStatus.STRIPPED, StripStatus.REENCODED})


def to_stored(box: Box, orientation: int, shown: tuple[int, int]) -> Box:
    """A box in the shown (upright) picture, in the stored pixels of EXIF ``orientation``
    (``shown``: the upright picture's size)."""
    width, height = shown
    stored_w, stored_h = (height, width) if orientation in (5, 6, 7, 8) else (width, height)

    def point(u: int, v: int) -> tuple[int, int]:
        return {
            2: (stored_w - u, v),
            3: (stored_w - u, stored_h - v),
            4: (u, stored_h - v),
            5: (v, u),
            6: (v, stored_h - u),
            7: (stored_w - v, stored_h - u),
            8: (stored_w - v, u),
        }.get(orientation, (u, v))

    (x0, y0), (x1, y1) = point(box[0], box[1]), point(box[2], box[3])
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _shown(ref: FileRef | Path) -> tuple[int, tuple[int, int]] | None:
    """The file's EXIF orientation and upright size, from its header (None if unknown)."""
    import io
    from pathlib import Path

    from PIL import Image  # lazy: only for a photo that has decisions

    try:
        source: Path | io.BytesIO = ref if isinstance(ref, Path) else Path(ref.path)
        if isinstance(ref, FileRef) and ref.member is not None:
            source = io.BytesIO(read_member(ref, MAX_FILE_BYTES))
        with Image.open(source) as img:
            own = img.getexif().get(0x0112)
            orientation = own if isinstance(own, int) and 1 <= own <= 8 else 1
            turned = orientation in (5, 6, 7, 8)
            return orientation, ((img.height, img.width) if turned else img.size)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, PhotoscanError):
        return None


def _turned(decisions: Decisions, old: FileRef, new: Path) -> Decisions:
    before, after = _shown(old), _shown(new)
    if before is None or after is None or before[0] == after[0] or after[0] != 1:
        return decisions  # unchanged, unknown, or not simply dropped: boxes as they are

    def box(b: Box) -> Box:
        return to_stored(b, before[0], before[1])

    import dataclasses  # late, as the records: a strip without decisions never needs them

    from photoscan.records import FaceMark

    return dataclasses.replace(
        decisions,
        marks=tuple(FaceMark(box(m.box), m.mark) for m in decisions.marks),
        added=tuple(box(b) for b in decisions.added),
        dismissed=tuple(box(b) for b in decisions.dismissed),
    )


class Carrier:
    """Carries decisions over after each strip of a run. The database is open only while
    it is used: copies may be made by forked workers, which must not inherit an open
    SQLite connection."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._sizes: frozenset[int] = frozenset()
        if not os.path.exists(path or paths.decisions_db_str()):
            return  # no decisions at all: SQLite and the library are never imported
        from photoscan.library.store import Library

        with Library(path, create=False) as library:
            self._sizes = library.sizes()

    def after(self, job: Job, result: FileResult) -> FileResult:
        """After ``result`` for ``job`` (stripped in place, its original now in the backup,
        or copied to ``result.output``): the original's decisions for the new content too.
        A failure to carry them is said in the result's reason (the copy would lack them)."""
        if not self._sizes or result.status not in _WRITTEN:
            return result
        from pathlib import Path

        if result.output is None:  # in place: the original is the backup now
            if job.backup is None or job.member is not None:
                return result
            old, new = FileRef(str(job.backup)), Path(job.source)
        else:
            old, new = FileRef(str(job.source), job.member), Path(result.output)
        from photoscan.library.content import hash_file
        from photoscan.library.store import Library

        try:
            if job.member is None and os.stat(old.path).st_size not in self._sizes:
                return result
            old_key = hash_file(old)
            if old_key.size not in self._sizes:
                return result
            with Library(self._path, create=False) as library:
                decisions = library.decisions(old_key)
                if decisions.empty:
                    return result
                new_key = hash_file(FileRef(str(new)))
                library.replace(new_key, _turned(decisions, old, new))
        except (OSError, PhotoscanError) as exc:  # LibraryError included
            import logging

            logging.getLogger(__name__).warning(
                "decisions not carried over to a stripped photo: %s", exc
            )
            note = f"your decisions about it were not carried over to the copy ({exc})"
            reason = f"{result.reason}; {note}" if result.reason else note
            return result._replace(reason=reason)
        return result
