"""The status line's words: how many photos, how many the view shows, how many are selected.

The count follows the view: the grid and the table show the photos the filters let
through; the map shows only those of them that give away a position, so that is what the
status line counts while the map is on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from photoscan.gui.library.photoinfo import count_words
from photoscan.scan.events import ScanResult


@dataclass(frozen=True, slots=True)
class StatusCounts:
    total: int  # photos in the folder
    shown: int  # photos the filters let through
    selected: int
    spot_filter: bool  # a map dot narrows the grid to its photos
    on_map: int | None = None  # the map is shown: photos it places (of those let through)
    dots: int = 0  # ...on this many dots
    videos: int = 0  # of ``total``, videos: "12 photos and 3 videos"
    recordings: int = 0  # of ``total``, sound recordings


def status_text(counts: StatusCounts, result: ScanResult | None, elapsed: float) -> str:
    """'1,234 photos · 3 selected · Scanned in 2.1 s', with what the filters hide."""
    total, shown = counts.total, counts.shown
    files = count_words(total, counts.videos, counts.recordings)
    if counts.on_map is not None:
        text = f"{counts.on_map:,} of {files} on the map"
        if counts.on_map:
            text += f" ({counts.dots:,} dot{'s' if counts.dots != 1 else ''})"
        if shown != total:
            text += " · filtered"
    else:
        text = files
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


class StatusLine:
    """The status line: the counts, or a message (a mark not saved, paths copied) until the
    counts say something new.

    The counts are refreshed by timers (the sidebar's, 120 ms after the records change; the
    selection's, once it settles), which may fire just after a message was shown, for a change
    made before it: marking the photos just selected, or the photos a failed mark saved before
    its failure. Such a refresh says what the counts already said when the message came, so
    it leaves the message in place; one that says something else (another selection, a
    finished scan) replaces it."""

    def __init__(self, set_text: Callable[[str], None], counts: Callable[[], str]) -> None:
        self._set_text, self._counts = set_text, counts
        self._under: str | None = None  # the counts when the message shown came

    def say(self, message: str) -> None:
        self._under = self._counts()
        self._set_text(message)

    def show_counts(self) -> None:
        text = self._counts()
        if text != self._under:
            self._under = None
            self._set_text(text)
