"""The status line's words: how many photos, how many the view shows, how many are selected.

The count follows the view: the grid and the table show the photos the filters let
through; the map shows only those of them that give away a position, so that is what the
status line counts while the map is on screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from photoscan.scan.events import ScanResult


def photos(n: int) -> str:
    return f"{n:,} photo{'s' if n != 1 else ''}"


@dataclass(frozen=True, slots=True)
class StatusCounts:
    total: int  # photos in the folder
    shown: int  # photos the filters let through
    selected: int
    spot_filter: bool  # a map dot narrows the grid to its photos
    on_map: int | None = None  # the map is shown: photos it places (of those let through)
    dots: int = 0  # ...on this many dots


def status_text(counts: StatusCounts, result: ScanResult | None, elapsed: float) -> str:
    """'1,234 photos · 3 selected · Scanned in 2.1 s', with what the filters hide."""
    total, shown = counts.total, counts.shown
    if counts.on_map is not None:
        text = f"{counts.on_map:,} of {photos(total)} on the map"
        if counts.on_map:
            text += f" ({counts.dots:,} dot{'s' if counts.dots != 1 else ''})"
        if shown != total:
            text += " · filtered"
    else:
        text = photos(total)
        if shown != total:
            text = f"{shown:,} of {text} shown"
        if counts.spot_filter:
            text += " · taken at one dot of the map (View → Clear Filters shows all)"
    if counts.selected:
        text += f" · {counts.selected:,} selected"
    if result is not None:
        verb = "Scan cancelled" if result.cancelled else "Scanned"
        text += f" · {verb} in {elapsed:.1f} s"
    return text
