"""Canon CIFF heaps: the structure of CRW RAW files and of old PowerShot JPEGs' APP0.

A CIFF heap ends with the offset of its directory; each 10-byte entry holds its value
inline or points into the heap, and some values are heaps themselves. ``heap_values`` walks
a heap and its sub-heaps and yields every value as a view, not a copy (hostile entries may
all point at one multi-megabyte range), bounded in depth and in the number of entries
visited in all (heaps may point at each other).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

JPEG_SIGNATURE = b"HEAPJPGM"  # in a JPEG's APP0
CRW_SIGNATURE = b"HEAPCCDR"  # a CRW file
MAX_DEPTH = 4
MAX_ENTRIES = 256
MAX_VISITS = 2048


def header(data: bytes, signature: bytes) -> tuple[str, int] | None:
    """(struct byte order, heap start) of a CIFF file or APP0 payload ("II"/"MM", the
    header length, then ``signature``), or None when it is not one."""
    if data[6:14] != signature or data[:2] not in (b"II", b"MM") or len(data) < 14:
        return None
    order = "<" if data[:2] == b"II" else ">"
    (start,) = struct.unpack(order + "I", data[2:6])
    return order, start


def heap_values(data: bytes, start: int, end: int, order: str) -> Iterator[tuple[int, memoryview]]:
    """(tag id, value) of every entry of the heap at ``data[start:end]`` and its
    sub-heaps, depth first; at most ``MAX_VISITS`` entries in all."""
    yield from _heap(memoryview(data), start, end, order, 0, [MAX_VISITS])


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
