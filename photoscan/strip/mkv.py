"""Strip a Matroska/WebM file losslessly: metadata elements become ``Void`` of the same length.

Matroska has an element made for removing things in place: ``Void`` (ID 0xEC), which every
reader skips. A strip rewrites each metadata element (``Tags``, ``Attachments`` other than
subtitle fonts, ``Chapters``, ``DateUTC``, titles and track names) as a ``Void`` of exactly
the same length (ID, size field, zeroed payload) and blanks the application names (strings
may be zero-padded), so no cluster moves and every cue still points at its frame. A master
with a CRC-32 child gets its CRC recomputed; a file whose Segment has a CRC-32, or that is
cut short, is refused.
"""

from __future__ import annotations

import zlib

from photoscan.containers.bmff import Reader
from photoscan.containers.ebml import (
    ATTACHMENTS,
    CHAPTERS,
    CRC32,
    DATE_UTC,
    FONTS,
    INFO,
    MAX_READ,
    MUXING_APP,
    SEGMENT,
    TAGS,
    TITLE,
    TRACK_ENTRY,
    TRACK_NAME,
    VOID,
    WRITING_APP,
    Element,
    text,
    walk,
)  # fmt: skip
from photoscan.containers.samples import Extent
from photoscan.model import ImageFormat
from photoscan.strip.types import Refused, StripOptions
from photoscan.strip.videoplan import Patch, VideoStripPlan, make_plan

# What to do instead (``share`` makes no copies of videos): a copy photoscan can strip.
MKV_ADVICE = (
    "make a copy with MKVToolNix (mkvmerge) or export an MP4 copy with a video editor, then "
    "strip that copy"
)


def _void(el: Element) -> Patch:
    """``el`` rewritten as a Void element of the same total length (payload zeroed)."""
    total = el.header + el.size
    size_len = min(8, el.header - 1)
    payload = total - 1 - size_len
    if size_len < 1 or payload >= (1 << (7 * size_len)) - 1:
        raise Refused(f"a Matroska element cannot be replaced in place; {MKV_ADVICE}")
    field = ((1 << (7 * size_len)) | payload).to_bytes(size_len, "big")
    return Patch(el.start, bytes([VOID]) + field + bytes(payload))


def plan_mkv(reader: Reader, name: str, options: StripOptions) -> VideoStripPlan:
    elements, cut = walk(reader, name)
    size = reader.size
    if cut:
        raise Refused(f"the file is damaged ({cut[0]}); photoscan does not change it; {MKV_ADVICE}")
    if any(e.id == CRC32 and e.parent == SEGMENT for e in elements):
        raise Refused(
            "this Matroska file protects its segment with a checksum; photoscan cannot change "
            f"it in place; {MKV_ADVICE}"
        )
    patches: list[Patch] = []
    blocks: list[str] = []
    removed: list[Extent] = []

    def void(el: Element, label: str) -> None:
        patches.append(_void(el))
        removed.append(Extent(el.start, el.header + el.size))
        blocks.append(label)

    for el in elements:
        if any(r.offset <= el.start < r.end for r in removed):
            continue
        if options.only_location:
            if el.id == 0x67C8 and _simple_tag_is_location(reader, el, elements):
                void(el, "location tag")
            continue
        if el.id == TAGS:
            void(el, "Tags")
        elif el.id == ATTACHMENTS and _has_files(reader, el, elements):
            void(el, "Attachments")
        elif el.id == CHAPTERS:
            void(el, "Chapters")  # chapter names can say who and where ("Emma's party")
        elif el.id == DATE_UTC and not options.keep_datetime:
            void(el, "DateUTC")
        elif el.id in (TITLE, TRACK_NAME) and el.parent in (INFO, TRACK_ENTRY):
            void(el, "Title" if el.id == TITLE else "TrackName")
        elif el.id in (MUXING_APP, WRITING_APP) and reader.read_at(el.body, el.size).strip(b"\0"):
            patches.append(Patch(el.body, bytes(el.size)))  # mandatory: blanked, not removed
            blocks.append("application names")
    patches.extend(_crc_fixes(reader, elements, patches))
    return make_plan(ImageFormat.MKV, size, patches, [], blocks, name)


def _children(el: Element, elements: list[Element]) -> list[Element]:
    return [e for e in elements if el.body <= e.start < el.end and e.depth == el.depth + 1]


def _simple_tag_is_location(reader: Reader, el: Element, elements: list[Element]) -> bool:
    names = [text(reader, c).upper() for c in _children(el, elements) if c.id == 0x45A3]
    return any("LOCATION" in n or "GPS" in n for n in names)


def _has_files(reader: Reader, el: Element, elements: list[Element]) -> bool:
    """Attachments other than subtitle fonts (those are kept: the subtitles need them)."""
    inside = [e for e in elements if el.body <= e.start < el.end and e.id == 0x4660]
    return any(not text(reader, e).startswith(FONTS) for e in inside)


def _crc_fixes(reader: Reader, elements: list[Element], patches: list[Patch]) -> list[Patch]:
    """New CRC-32 values for masters (Info, Tracks) whose contents the patches change."""
    fixes = []
    for crc in (e for e in elements if e.id == CRC32 and e.size == 4):
        parent = next(
            (p for p in elements if p.body <= crc.start < p.end and p.depth == crc.depth - 1), None
        )
        if parent is None or parent.size > MAX_READ:
            continue
        start, end = crc.end, parent.end
        touched = [p for p in patches if start <= p.offset < end]
        if not touched:
            continue
        data = bytearray(reader.read_at(start, end - start))
        for p in touched:
            data[p.offset - start : p.offset - start + len(p.data)] = p.data
        fixes.append(Patch(crc.body, (zlib.crc32(bytes(data)) & 0xFFFFFFFF).to_bytes(4, "little")))
    return fixes
