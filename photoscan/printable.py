"""Hostile text made safe to show: file names that are not UTF-8, control characters,
metadata text bytes in an unknown encoding.

Kept apart (importing nothing) because a cached rescan shows a path before anything
else of photoscan is loaded.
"""

from __future__ import annotations

# Control characters, bidi overrides and zero-width marks (what metadata.base.clean_text
# strips; not imported from there because photoscan.metadata loads every reader). A
# translate table, not a regex: ``re`` costs milliseconds to import on a cached rescan.
_UNPRINTABLE = dict.fromkeys(
    [
        *range(0x00, 0x20),
        *range(0x7F, 0xA0),
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ],
    "?",
)


def printable_path(path: str) -> str:
    """A path as valid Unicode text: bytes that are not UTF-8 in a file name (lone
    surrogates in Python) become ``\\xNN`` escapes instead of breaking the output."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return path


def readable_path(path: str) -> str:
    """A path as valid Unicode text for people (a report): bytes that are not UTF-8 in a
    file name become U+FFFD replacement characters, as file managers show them."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return path


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: never run as a formula (a leading ``=``,
    ``+``, ``-``, ``@``, tab or CR gets an apostrophe) and always valid UTF-8. File names and
    metadata are hostile input."""
    text = "" if value is None else printable_path(str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


def show(text: object, limit: int = 120) -> str:
    """Paths and values are hostile: no control characters or escape sequences on a terminal."""
    shown = printable_path(str(text)).translate(_UNPRINTABLE)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def decode_text(raw: bytes) -> str:
    """Metadata text bytes as str: UTF-8 when they decode, else Windows-1252.

    EXIF ASCII and maker-note strings are Latin-1/Windows-1252 in practice on older cameras
    ("René" stored as ``Ren\\xe9``); decoding those as UTF-8 would show replacement marks.
    """
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")
