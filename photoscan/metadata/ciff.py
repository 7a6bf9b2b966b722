"""Canon CIFF heaps: old PowerShot JPEGs keep one in APP0, CRW RAW files are one.

A CIFF heap ends with the offset of its directory; entries hold their value inline or
point into the heap, and some are heaps themselves. ``heap_values`` walks a heap and its
sub-heaps (bounded: heaps may point at each other) and yields every value as a view, not a
copy (hostile entries may all point at a multi-megabyte range); ``identify``
turns the two tags that name someone into findings: OwnerName (0x0810) and SerialNumber
(0x180b). ``crw`` reads the camera model and the previews of a whole CRW file on top.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from photoscan.metadata.base import Collector
from photoscan.model import FindingKind, Severity

SIGNATURE = b"HEAPJPGM"
MAX_DEPTH = 4
MAX_ENTRIES = 256
MAX_VISITS = 2048
MAX_TEXT = 4096  # owner names and serials are short; never copy more than this
_OWNER, _SERIAL = 0x0810, 0x180B


def read_ciff(payload: bytes, col: Collector) -> None:
    """Read an APP0 CIFF payload ("II" + header length + "HEAPJPGM" ...)."""
    if payload[6:14] != SIGNATURE or payload[:2] not in (b"II", b"MM"):
        return
    order = "<" if payload[:2] == b"II" else ">"
    (start,) = struct.unpack(order + "I", payload[2:6])
    for tag_id, value in heap_values(payload, start, len(payload), order):
        identify(tag_id, bytes(value[:MAX_TEXT]), order, col)


def heap_values(data: bytes, start: int, end: int, order: str) -> Iterator[tuple[int, memoryview]]:
    """(tag id, value) of every entry of the heap at ``data[start:end]`` and its
    sub-heaps, depth first; at most ``MAX_VISITS`` entries in all."""
    yield from _heap(memoryview(data), start, end, order, 0, [MAX_VISITS])


def identify(tag_id: int, value: bytes, order: str, col: Collector) -> None:
    """Owner name and camera serial number, the CIFF values that identify someone."""
    if tag_id == _OWNER:
        owner = value.split(b"\x00", 1)[0]
        col.add(FindingKind.PERSON, "CIFF:OwnerName", owner, Severity.MEDIUM)
    elif tag_id == _SERIAL and len(value) >= 4:
        (serial,) = struct.unpack(order + "I", value[:4])
        if serial:
            col.add(FindingKind.DEVICE, "CIFF:SerialNumber", serial, Severity.MEDIUM)


def _heap(
    data: memoryview, start: int, end: int, order: str, depth: int, budget: list[int]
) -> Iterator[tuple[int, memoryview]]:
    """One heap; ``budget`` counts entries left to visit across all heaps (nested heaps may
    point at each other, so depth alone does not bound the work)."""
    if depth > MAX_DEPTH or not 0 <= start < end <= len(data) or end - start < 6:
        return
    (table,) = struct.unpack(order + "I", data[end - 4 : end])
    pos = start + table
    if pos + 2 > end:
        return
    (count,) = struct.unpack(order + "H", data[pos : pos + 2])
    for i in range(min(count, MAX_ENTRIES)):
        budget[0] -= 1
        if budget[0] < 0:
            return
        entry = pos + 2 + 10 * i
        if entry + 10 > end:
            return
        tag, size, offset = struct.unpack(order + "HII", data[entry : entry + 10])
        if tag & 0xC000 == 0x4000:
            value = data[entry + 2 : entry + 10]
        elif start + offset + size <= end:
            value = data[start + offset : start + offset + size]
            if tag & 0x3800 in (0x2800, 0x3000):
                sub_start = start + offset
                yield from _heap(data, sub_start, sub_start + size, order, depth + 1, budget)
                continue
        else:
            continue
        yield tag & 0x3FFF, value
