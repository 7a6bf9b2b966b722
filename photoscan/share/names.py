"""``share --rename``: neutral names for the copies, and the one file that undoes them.

Copies are named ``photo-0001.jpg``, ``photo-0002.png``, … in plan order, so a name gives
away no date, place or person. Which copy came from which photo is written to a mapping,
``photoscan-names.csv`` next to the copies (``photoscan-names-2.csv`` and so on when one is
there already: an earlier mapping is never replaced), when the run ends — cancelled or not.
**That file identifies the originals**: it is private (0600), written atomically, and must
not be shared with the copies. Its cells are escaped for spreadsheets (a name starting with
``=`` cannot run as a formula; bytes that are not UTF-8 become ``\\xNN``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from photoscan import io as private_io
from photoscan.printable import spreadsheet_cell

MAPPING_STEM = "photoscan-names"
COLUMNS = ("copy", "original")


def renamed(out: Path, index: int, source_name: str) -> Path:
    """The copy's neutral name (its suffix may still change with the copy's format)."""
    suffix = Path(source_name).suffix.lower()
    return out / f"photo-{index:04d}{suffix}"


def mapping_path(out: Path) -> Path:
    """A mapping file name in ``out`` that is not taken yet."""
    for n in range(1, 10_000):
        path = out / (f"{MAPPING_STEM}.csv" if n == 1 else f"{MAPPING_STEM}-{n}.csv")
        if not path.exists():
            return path
    raise OSError(f"too many {MAPPING_STEM} files in {out}")


class NamesFile:
    """The mapping of one ``share --rename`` run: rows are added as copies are written and
    the file is written once at the end (``write``); ``path``, ``written`` and ``error``
    tell the caller where it went or why it could not be written."""

    def __init__(self, out: Path, path: Path | None = None) -> None:
        self.out = out
        self.path = path
        self.rows: list[tuple[str, str]] = []
        self.written = False
        self.error = ""

    def add(self, copy: Path, original: str) -> None:
        try:
            shown = copy.relative_to(self.out).as_posix()
        except ValueError:
            shown = copy.name
        self.rows.append((shown, original))

    def write(self) -> None:
        """Write the mapping (nothing when no copy was renamed); never raises: a failure is
        kept in ``error``."""
        if not self.rows or self.written:
            return
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows([spreadsheet_cell(c) for c in row] for row in self.rows)
        try:
            self.path = self.path or mapping_path(self.out)
            private_io.write_private(self.path, buffer.getvalue().encode("utf-8"), verify=True)
        except OSError as exc:
            self.error = exc.strerror or str(exc)
            return
        self.written = True
