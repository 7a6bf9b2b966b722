"""Hostile text made safe to show: file names that are not UTF-8, control characters.

Kept apart (importing only ``re``) because a cached rescan shows a path before anything
else of photoscan is loaded.
"""

from __future__ import annotations

import re

# Control characters, bidi overrides and zero-width marks (what metadata.base.clean_text
# strips; not imported from there because photoscan.metadata loads every reader).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def printable_path(path: str) -> str:
    """A path as valid Unicode text: bytes that are not UTF-8 in a file name (lone
    surrogates in Python) become ``\\xNN`` escapes instead of breaking the output."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return path


def show(text: object, limit: int = 120) -> str:
    """Paths and values are hostile: no control characters or escape sequences on a terminal."""
    shown = _UNPRINTABLE.sub("?", printable_path(str(text)))
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
