"""Matroska/WebM: info, tags, attachments, chapters and track names → findings.

What identifies someone sits in ``Segment/Info`` (``DateUTC``, ``Title``, the muxing and
writing applications), ``Segment/Tags`` (``ARTIST``, ``RECORDING_LOCATION``, ``COMMENT``...),
``Segment/Attachments`` (cover pictures) and track and chapter names. The element walk is
``containers.ebml``; the strip is ``strip.mkv``.
"""

from __future__ import annotations

import struct

from photoscan.containers.bmff import Reader
from photoscan.containers.ebml import (
    CODEC_ID,
    DATE_UTC,
    DURATION,
    FONTS,
    INFO,
    MUXING_APP,
    TIMESCALE,
    TITLE,
    TRACK_ENTRY,
    TRACK_NAME,
    TRACK_TYPE,
    WRITING_APP,
    text,
    uint,
    walk,
)  # fmt: skip
from photoscan.metadata.base import Collector
from photoscan.metadata.video.types import TrackInfo, VideoExtraction
from photoscan.metadata.video.values import iso6709
from photoscan.model import FindingKind, ImageFormat, Severity

K = FindingKind
S = Severity
_TRACK_TYPES = {1: "vide", 2: "soun", 0x11: "sbtl", 0x12: "butn", 0x20: "ctrl", 0x21: "meta"}
TAG_KINDS: dict[str, tuple[FindingKind, Severity]] = {
    "ARTIST": (K.PERSON, S.HIGH),
    "LEAD_PERFORMER": (K.PERSON, S.MEDIUM),
    "DIRECTOR": (K.PERSON, S.LOW),
    "PRODUCER": (K.PERSON, S.LOW),
    "COMPOSER": (K.PERSON, S.LOW),
    "COPYRIGHT": (K.PERSON, S.LOW),
    "RECORDING_LOCATION": (K.LOCATION, S.HIGH),
    "COMPOSITION_LOCATION": (K.LOCATION, S.MEDIUM),
    "DATE_RECORDED": (K.DATETIME, S.INFO),
    "DATE_RELEASED": (K.DATETIME, S.INFO),
    "DATE_ENCODED": (K.DATETIME, S.INFO),
    "CREATION_TIME": (K.DATETIME, S.INFO),
    "ENCODER": (K.SOFTWARE, S.INFO),
    "ENCODED_BY": (K.PERSON, S.LOW),
}


def read_mkv(reader: Reader, name: str) -> VideoExtraction:
    elements, cut = walk(reader, name)
    col = Collector(ImageFormat.MKV)
    for words in cut[:1]:
        col.warn(words)
    tracks: list[TrackInfo] = []
    scale, duration = 1_000_000, None
    tag_name = ""
    for el in elements:
        if el.id == DATE_UTC and el.size == 8:
            ns = int.from_bytes(reader.read_at(el.body, 8), "big", signed=True)
            col.add(K.DATETIME, "Matroska:DateTimeOriginal", _date(ns), S.INFO)
        elif el.id == TITLE and el.parent == INFO:
            col.add(K.TEXT, "Matroska:Title", text(reader, el), S.LOW)
        elif el.id in (MUXING_APP, WRITING_APP):
            field = "MuxingApp" if el.id == MUXING_APP else "WritingApp"
            col.add(K.SOFTWARE, f"Matroska:{field}", text(reader, el), S.INFO)
        elif el.id == TIMESCALE:
            scale = uint(reader, el) or scale
        elif el.id == DURATION and el.size in (4, 8):
            raw = reader.read_at(el.body, el.size)
            duration = struct.unpack(">f" if el.size == 4 else ">d", raw)[0]
        elif el.id == TRACK_NAME:
            col.add(K.TEXT, "Matroska:TrackName", text(reader, el), S.LOW)
        elif el.id == TRACK_ENTRY:
            tracks.append(TrackInfo(len(tracks) + 1, "", ""))
        elif el.id == CODEC_ID and tracks:
            last = tracks[-1]
            tracks[-1] = TrackInfo(last.track_id, last.handler, text(reader, el))
        elif el.id == TRACK_TYPE and tracks:
            last = tracks[-1]
            handler = _TRACK_TYPES.get(uint(reader, el), "")
            tracks[-1] = TrackInfo(last.track_id, handler, last.codec)
        elif el.id == 0x45A3:  # TagName
            tag_name = text(reader, el).upper()
        elif el.id == 0x4487:  # TagString
            _tag(col, tag_name, text(reader, el))
        elif el.id == 0x4660:  # FileMimeType of an attachment
            mime = text(reader, el)
            if mime.startswith("image/"):
                col.add(K.THUMBNAIL, "Matroska:AttachedFile", f"attached {mime} picture", S.MEDIUM)
            elif not mime.startswith(FONTS):
                col.add(K.TEXT, "Matroska:AttachedFile", f"attached {mime} file", S.LOW)
        elif el.id == 0x85:  # ChapString
            col.add(K.TEXT, "Matroska:ChapterString", text(reader, el), S.INFO)
    seconds = round(duration * scale / 1e9, 3) if duration is not None else None
    return VideoExtraction(col.build(), ImageFormat.MKV, seconds, tuple(tracks))


def _date(ns: int) -> str:
    from datetime import UTC, datetime, timedelta

    when = datetime(2001, 1, 1, tzinfo=UTC) + timedelta(microseconds=ns // 1000)
    return when.strftime("%Y:%m:%d %H:%M:%SZ")


def _tag(col: Collector, name: str, value: str) -> None:
    kind, severity = TAG_KINDS.get(name, (K.TEXT, S.LOW))
    field = f"Matroska:{name.title().replace('_', '')}"
    if kind is K.LOCATION:
        parsed = iso6709(value.encode())
        if parsed is not None and col.add_gps(parsed[0], parsed[1], "matroska", parsed[2], field):
            col.add(K.LOCATION, field, f"{parsed[0]:.6f}, {parsed[1]:.6f}", S.HIGH)
            return
    col.add(kind, field, value, severity)
