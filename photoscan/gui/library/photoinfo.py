"""What one photo gives away, as filter bits, search text and sort keys (pure functions).

The model computes these once per record so that filtering and sorting 50,000 rows never
calls back into per-record Python more than once per row.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt

from photoscan.model import FindingKind, MediaKind, PhotoRecord, RiskLevel
from photoscan.risk import is_child_photo, is_public, shown


class PhotoFlag(enum.IntFlag):
    """What a photo gives away, as filter bits (the sidebar's categories)."""

    CHILDREN = enum.auto()
    FACES = enum.auto()
    LOCATION = enum.auto()
    REPEATED_PLACE = enum.auto()
    NAMES = enum.auto()
    DEVICE = enum.auto()
    THUMBNAIL = enum.auto()
    PUBLIC = enum.auto()
    RISK_HIGH = enum.auto()
    RISK_MEDIUM = enum.auto()
    RISK_LOW = enum.auto()
    RISK_NONE = enum.auto()
    VIDEO = enum.auto()  # a video (its tile shows the film badge and the duration)
    RECORDING = enum.auto()  # a sound recording (a video file without pictures)


RISK_FLAGS: dict[RiskLevel, PhotoFlag] = {
    RiskLevel.HIGH: PhotoFlag.RISK_HIGH,
    RiskLevel.MEDIUM: PhotoFlag.RISK_MEDIUM,
    RiskLevel.LOW: PhotoFlag.RISK_LOW,
    RiskLevel.NONE: PhotoFlag.RISK_NONE,
}
ALL_RISK_FLAGS = (
    PhotoFlag.RISK_HIGH | PhotoFlag.RISK_MEDIUM | PhotoFlag.RISK_LOW | (PhotoFlag.RISK_NONE)
)
_RISK_RANK = {RiskLevel.NONE: 0, RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3}


def photo_flags(record: PhotoRecord) -> PhotoFlag:
    """The filter bits of one record (pure; the same rules the core's risk model uses)."""
    flags = PhotoFlag(0)
    kinds = {f.kind for f in record.findings}
    if is_child_photo(record):
        flags |= PhotoFlag.CHILDREN
    if record.faces:
        flags |= PhotoFlag.FACES
    if record.gps is not None or FindingKind.LOCATION in kinds:
        flags |= PhotoFlag.LOCATION
    if record.place is not None and record.place.repeated:
        flags |= PhotoFlag.REPEATED_PLACE
    if FindingKind.PERSON in kinds:
        flags |= PhotoFlag.NAMES
    if FindingKind.DEVICE in kinds:
        flags |= PhotoFlag.DEVICE
    if FindingKind.THUMBNAIL in kinds:
        flags |= PhotoFlag.THUMBNAIL
    if is_public(record.findings):
        flags |= PhotoFlag.PUBLIC
    if record.media is MediaKind.VIDEO:
        flags |= PhotoFlag.VIDEO
    elif record.media is MediaKind.AUDIO:
        flags |= PhotoFlag.RECORDING
    level = record.risk.level if record.risk else RiskLevel.NONE
    return flags | RISK_FLAGS[level]


def count_words(total: int, videos: int = 0, recordings: int = 0) -> str:
    """'29 photos', '29 videos', '12 photos and 3 videos', '23 videos and 6 recordings':
    what ``total`` files are, of which ``videos`` are videos and ``recordings`` sound."""
    photos = total - videos - recordings

    def one(n: int, noun: str) -> str:
        return f"{n:,} {noun}{'s' if n != 1 else ''}"

    parts = [
        one(n, noun)
        for n, noun in ((photos, "photo"), (videos, "video"), (recordings, "recording"))
        if n
    ]
    if not parts:
        return one(0, "photo")
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def duration_text(seconds: float | None) -> str:
    """A video's length as a player shows it: '0:42', '12:05', '1:02:09' ('' when unknown)."""
    if seconds is None or seconds < 0:
        return ""
    whole = max(1, int(seconds + 0.5)) if seconds > 0 else 0  # a blink is not "0:00"
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def file_name(record: PhotoRecord) -> str:
    path = record.path
    return path[path.rfind("/") + 1 :]


def search_text(record: PhotoRecord) -> str:
    """What the search box matches: the path (file name, folders) and the place name."""
    place = f"\n{record.place.name}\n{record.place.country}" if record.place else ""
    return (record.path + place).casefold()


def photo_date(record: PhotoRecord) -> str:
    """The capture date from the findings (``YYYY:MM:DD`` → ``YYYY-MM-DD``), or ''."""
    for f in record.findings:
        if f.kind is FindingKind.DATETIME and "original" in f.field.lower():
            return f.value[:10].replace(":", "-")
    for f in record.findings:
        if f.kind is FindingKind.DATETIME:
            return f.value[:10].replace(":", "-")
    return ""


class Column(enum.IntEnum):
    NAME = 0
    RISK = 1
    FACES = 2
    CHILDREN = 3
    PLACE = 4
    DATE = 5
    FORMAT = 6


HEADERS = {
    Column.NAME: "Name",
    Column.RISK: "Risk",
    Column.FACES: "Faces",
    Column.CHILDREN: "Children",
    Column.PLACE: "Place",
    Column.DATE: "Date",
    Column.FORMAT: "Format",
}


def _reversed_text(text: str) -> tuple[int, ...]:
    # Descending string order as an ascending key; the trailing 1 sorts longer strings first.
    return (*(-ord(c) for c in text), 1)


def _risk_value(record: PhotoRecord) -> tuple[int, int]:
    if record.risk is None:
        return (-1, -1)
    return (_RISK_RANK[record.risk.level], record.risk.score)


def children_count(record: PhotoRecord) -> int:
    """Children shown: for a video, in its busiest frame, as the risk counts (``risk.shown``)."""
    if record.media is MediaKind.PHOTO:
        return sum(1 for face in record.faces if face.child)
    return len(shown(record)[0])


def face_count(record: PhotoRecord) -> int:
    """Faces shown: for a video, the most children and adults seen in one frame."""
    if record.media is MediaKind.PHOTO:
        return len(record.faces)
    children, adults = shown(record)
    return len(children) + len(adults)


def _place(record: PhotoRecord) -> str:
    return record.place.name.casefold() if record.place else ""


def sort_key(column: Column, order: Qt.SortOrder) -> Callable[[PhotoRecord], tuple[Any, ...]]:
    """An ascending key that yields ``order`` on ``column``; ties break by path, A to Z."""
    descending = order == Qt.SortOrder.DescendingOrder
    values: dict[Column, Callable[[PhotoRecord], Any]] = {
        Column.RISK: _risk_value,
        Column.FACES: face_count,
        Column.CHILDREN: children_count,
    }
    texts: dict[Column, Callable[[PhotoRecord], str]] = {
        Column.NAME: lambda r: file_name(r).casefold(),
        Column.PLACE: _place,
        Column.DATE: photo_date,
        Column.FORMAT: lambda r: r.format.value,
    }
    if column in values:
        value = values[column]
        if descending:
            return lambda r: (tuple(-v for v in _as_tuple(value(r))), r.path.casefold(), r.path)
        return lambda r: (_as_tuple(value(r)), r.path.casefold(), r.path)
    text = texts[column]
    if descending:
        return lambda r: (_reversed_text(text(r)), r.path.casefold(), r.path)
    return lambda r: (text(r), r.path.casefold(), r.path)


def _as_tuple(value: Any) -> tuple[int, ...]:
    return value if isinstance(value, tuple) else (value,)
