"""Google Takeout's multi-part exports: which zips in a folder are parts of one export.

Google splits a large export into ``takeout-20231006T063000Z-001.zip``, ``-002.zip``, … (and,
for some exports, ``takeout-20250912T060118Z-1-001.zip``, ``-1-002.zip``, …), and a photo and
its JSON sidecar often land in different parts. So whichever part the user opens, the scan
walks all of them as one export (``zipwalk.walk_zip``), and everything keyed on the root
(the whole-output store, ``cli.stored.tree_fingerprint``) covers every part.

A part is recognised by its name only (case-insensitive), strictly: ``takeout-``, a UTC
stamp ``YYYYMMDDTHHMMSSZ``, an optional ``-N`` batch, ``-NNN`` (three or more digits) and
``.zip``. Siblings share everything before the part number. This module imports only ``os``
(``pathlib`` for the type checker alone): a cached rescan (``photoscan.cli.stored``) calls it
before anything else, and a strip plan imports it at start-up.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from pathlib import Path

_PREFIX = "takeout-"


def _digits(text: str) -> bool:
    return bool(text) and text.isascii() and text.isdigit()


def _stamp(text: str) -> bool:
    """``20231006t063000z`` (lower-cased): Takeout's export time."""
    return (
        len(text) == 16
        and _digits(text[:8])
        and text[8] == "t"
        and _digits(text[9:15])
        and text[15] == "z"
    )


def part_of(name: str) -> tuple[str, int] | None:
    """``(export key, part number)`` for a Takeout part's file name, else ``None``. The key
    is the lower-cased name up to the part number: the same for every part of one export."""
    low = name.lower()
    if not (low.startswith(_PREFIX) and low.endswith(".zip")):
        return None
    key, _, number = low[: -len(".zip")].rpartition("-")
    if len(number) < 3 or not _digits(number) or int(number) < 1:
        return None
    stamp, dash, batch = key[len(_PREFIX) :].partition("-")
    if not _stamp(stamp) or (dash and not _digits(batch)):
        return None
    return key, int(number)


def export_parts(root: Path) -> list[tuple[int, Path]]:
    """Every part of the export ``root`` belongs to, ``(number, path)`` sorted by number,
    ``root`` first among files with the same number; ``[(0, root)]`` when ``root`` is not a
    Takeout part. Raises ``OSError`` when ``root``'s folder cannot be listed."""
    own = part_of(root.name)
    if own is None:
        return [(0, root)]
    parts: list[tuple[int, Path]] = []
    with os.scandir(root.parent) as it:
        for entry in it:
            found = part_of(entry.name)
            if found is None or found[0] != own[0] or entry.name == root.name:
                continue
            try:
                if not entry.is_file():  # follows links; a folder named like a part is none
                    continue
            except OSError:
                continue
            parts.append((found[1], root.parent / entry.name))
    parts.sort(key=lambda p: p[1].name)
    parts.insert(0, (own[1], root))
    parts.sort(key=lambda p: p[0])  # stable: root stays first among equal numbers
    return parts


def part_name(root: Path, number: int) -> str:
    """The file name part ``number`` of ``root``'s export has (spelt as ``root`` is)."""
    stem, _, digits = root.name[: -len(".zip")].rpartition("-")
    return f"{stem}-{number:0{len(digits)}d}{root.name[-len('.zip') :]}"


def missing_numbers(numbers: list[int]) -> list[int]:
    """Part numbers absent below the highest present (the parts after it cannot be known)."""
    present = set(numbers)
    return [n for n in range(1, max(present, default=0) + 1) if n not in present]
