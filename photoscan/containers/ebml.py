"""Matroska/WebM (EBML) elements: the one walk for the reader and the stripper.

A Matroska file is EBML: elements of (variable-length ID, variable-length size, payload).
``walk`` follows the master elements that hold metadata (``Segment``, ``Info``, ``Tags``,
``Attachments``, ``Tracks``, ``Chapters``) from a file read header by header
(``bmff.Reader``); clusters (the frames) and cues are skipped by their sizes, never read.
A live recording's cluster of unknown size ends the walk. An element running past the end
of the file is noted in ``cut`` (the reader warns, the stripper refuses) and, for a master,
walked as far as the file goes.
"""

from __future__ import annotations

from dataclasses import dataclass

from photoscan.containers.bmff import Reader
from photoscan.errors import CorruptFile
from photoscan.printable import decode_text

EBML, SEGMENT, CLUSTER, VOID, CRC32 = 0x1A45DFA3, 0x18538067, 0x1F43B675, 0xEC, 0xBF
INFO, TAGS, ATTACHMENTS, TRACKS, CHAPTERS = (
    0x1549A966,
    0x1254C367,
    0x1941A469,
    0x1654AE6B,
    0x1043A770,
)
DATE_UTC, TITLE, MUXING_APP, WRITING_APP, DURATION, TIMESCALE = (
    0x4461, 0x7BA9, 0x4D80, 0x5741, 0x4489, 0x2AD7B1,
)  # fmt: skip
TRACK_ENTRY, TRACK_NAME, TRACK_TYPE, CODEC_ID = 0xAE, 0x536E, 0x83, 0x86
MASTERS = frozenset(
    {SEGMENT, INFO, TAGS, 0x7373, 0x67C8, 0x63C0, ATTACHMENTS, 0x61A7, TRACKS, TRACK_ENTRY,
     CHAPTERS, 0x45B9, 0xB6, 0x80}
)  # fmt: skip
FONTS = ("font/", "application/x-truetype", "application/vnd.ms-opentype", "application/x-font")
MAX_ELEMENTS = 100_000
MAX_READ = 16 * 1024 * 1024
MAX_DEPTH = 12


@dataclass(frozen=True, slots=True)
class Element:
    id: int
    start: int
    header: int  # ID + size field bytes
    size: int  # payload size (to the parent's end for an unknown size)
    depth: int
    parent: int  # ID of the parent element

    @property
    def body(self) -> int:
        return self.start + self.header

    @property
    def end(self) -> int:
        return self.body + self.size


def _vint(data: bytes, pos: int, keep_marker: bool) -> tuple[int, int]:
    """(value, length) of an EBML variable-length integer at ``pos``."""
    if pos >= len(data) or data[pos] == 0:
        raise CorruptFile("bad EBML number")
    first = data[pos]
    length = 9 - first.bit_length()
    if pos + length > len(data):
        raise CorruptFile("EBML number cut short")
    value = first if keep_marker else first & ((1 << (8 - length)) - 1)
    for b in data[pos + 1 : pos + length]:
        value = (value << 8) | b
    return value, length


def walk(reader: Reader, name: str) -> tuple[list[Element], list[str]]:
    """The elements outside clusters and what was cut short. Raises ``CorruptFile`` naming
    the file when the structure cannot be followed at all."""
    out: list[Element] = []
    cut: list[str] = []
    _walk(reader, 0, reader.size, 0, 0, out, name, cut)
    if not out or out[0].id != EBML:
        raise CorruptFile(f"{name}: not a Matroska file (no EBML header)")
    return out, cut


def _walk(
    reader: Reader,
    pos: int,
    end: int,
    depth: int,
    parent: int,
    out: list[Element],
    name: str,
    cut: list[str],
) -> None:
    if depth > MAX_DEPTH:
        raise CorruptFile(f"{name}: Matroska elements nested more than {MAX_DEPTH} deep")
    while pos < end:
        if len(out) >= MAX_ELEMENTS:
            raise CorruptFile(f"{name}: more than {MAX_ELEMENTS} Matroska elements")
        head = reader.read_at(pos, 12)
        try:
            ident, id_len = _vint(head, 0, keep_marker=True)
            size, size_len = _vint(head, id_len, keep_marker=False)
        except CorruptFile:
            if pos + 1 >= end or not head.strip(b"\0"):
                return  # zero padding at the end
            raise CorruptFile(f"{name}: damaged Matroska element at offset {pos}") from None
        unknown = size == (1 << (7 * size_len)) - 1
        if unknown:
            if ident == CLUSTER:
                return  # a live-recorded cluster of unknown size: headers end here
            size = end - pos - id_len - size_len
        element = Element(ident, pos, id_len + size_len, size, depth, parent)
        if element.end > reader.size:
            cut.append(f"the element at offset {pos} runs past the end of the file (cut short)")
            if ident not in MASTERS:
                return
            left = reader.size - element.body
            element = Element(ident, pos, element.header, left, depth, parent)
        out.append(element)
        if ident in MASTERS:
            _walk(reader, element.body, min(end, element.end), depth + 1, ident, out, name, cut)
        pos = element.end


def text(reader: Reader, el: Element) -> str:
    return decode_text(reader.read_at(el.body, min(el.size, 4096)).rstrip(b"\0"))


def uint(reader: Reader, el: Element) -> int:
    return int.from_bytes(reader.read_at(el.body, min(el.size, 8)), "big")
