"""Where a track's samples are in the file: chunk offsets, samples per chunk, sample sizes.

The stripper zeroes the samples of timed-metadata tracks and must prove that doing so cannot
touch a single audio or video byte, so every table is checked against its own box (a
``stco`` that claims more entries than it holds is a clear error, not a read past the end)
and each track's data comes out as merged ``(offset, length)`` extents that can be tested for
overlap. Tables are read with ``struct``/``array`` from the ``moov`` copy in memory.
"""

from __future__ import annotations

import struct
import sys
from array import array
from itertools import islice

from photoscan.containers.movie import Layout, Node
from photoscan.errors import CorruptFile
from photoscan.tuples import NamedTuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import TypeAlias

MAX_SAMPLES = 50_000_000


class Extent(NamedTuple):
    offset: int
    length: int

    @property
    def end(self) -> int:
        return self.offset + self.length


def _table(layout: Layout, node: Node, entry: int, what: str, head: int = 8) -> tuple[int, bytes]:
    """(entry count, entry bytes) of a full-box table, checked against the box's size."""
    data = layout.payload(node.box)
    if len(data) < head:
        raise CorruptFile(f"{layout.name}: '{what}' box is truncated")
    count = struct.unpack_from(">I", data, head - 4)[0]
    if count > MAX_SAMPLES:
        raise CorruptFile(f"{layout.name}: '{what}' lists {count} entries; not read")
    need = head + count * entry
    if len(data) < need:
        raise CorruptFile(
            f"{layout.name}: '{what}' lists {count} entries but holds only "
            f"{(len(data) - head) // entry} (truncated)"
        )
    return count, data[head:need]


def _ints(raw: bytes, code: str) -> array[int]:
    values = array(code)
    values.frombytes(raw)
    if sys.byteorder == "little":
        values.byteswap()
    return values


def chunk_offsets(layout: Layout, stbl: Node) -> array[int]:
    stco = stbl.child(b"stco")
    if stco is not None:
        _n, raw = _table(layout, stco, 4, "stco")
        return _ints(raw, "I")
    co64 = stbl.child(b"co64")
    if co64 is not None:
        _n, raw = _table(layout, co64, 8, "co64")
        return _ints(raw, "Q")
    return array("Q")


def sample_sizes(layout: Layout, stbl: Node) -> tuple[int, int, array[int]]:
    """(constant size or 0, sample count, sizes when not constant)."""
    stsz = stbl.child(b"stsz")
    if stsz is not None:
        data = layout.payload(stsz.box)
        if len(data) < 12:
            raise CorruptFile(f"{layout.name}: 'stsz' box is truncated")
        constant, count = struct.unpack_from(">II", data, 4)
        if constant:
            if count > MAX_SAMPLES:
                raise CorruptFile(f"{layout.name}: 'stsz' lists {count} samples; not read")
            return constant, count, array("I")
        _n, raw = _table(layout, stsz, 4, "stsz", head=12)
        return 0, count, _ints(raw, "I")
    stz2 = stbl.child(b"stz2")
    if stz2 is not None:
        data = layout.payload(stz2.box)
        if len(data) < 12:
            raise CorruptFile(f"{layout.name}: 'stz2' box is truncated")
        bits = data[7]
        count = struct.unpack_from(">I", data, 8)[0]
        if bits not in (4, 8, 16) or count > MAX_SAMPLES:
            raise CorruptFile(f"{layout.name}: 'stz2' field size {bits} is not valid")
        need = 12 + (count * bits + 7) // 8
        if len(data) < need:
            raise CorruptFile(f"{layout.name}: 'stz2' is truncated")
        raw = data[12:need]
        if bits == 16:
            return 0, count, _ints(raw, "H")
        if bits == 8:
            return 0, count, array("I", raw)
        sizes = array("I")
        for byte in raw:
            sizes.append(byte >> 4)
            sizes.append(byte & 15)
        return 0, count, sizes[:count]
    return 0, 0, array("I")


def _sample_to_chunk(layout: Layout, stbl: Node) -> list[tuple[int, int]]:
    stsc = stbl.child(b"stsc")
    if stsc is None:
        return []
    count, raw = _table(layout, stsc, 12, "stsc")
    return [
        (first, per_chunk)
        for first, per_chunk, _desc in struct.iter_unpack(">III", raw)
        if first >= 1
    ][:count]


def chunk_extents(layout: Layout, stbl: Node) -> list[Extent]:
    """Every chunk of a track as one extent (its samples are contiguous within a chunk)."""
    return [Extent(offset, length) for offset, length in chunk_spans(layout, stbl)]


def chunk_spans(layout: Layout, stbl: Node) -> list[tuple[int, int]]:
    """``chunk_extents`` as plain (offset, length) pairs, for ``merged``: the planner's
    picture and sound chunks, thousands in a long film, are only ever merged."""
    tables = chunk_tables(layout, stbl)
    return [] if tables is None else spans_of(tables, layout.name)


if TYPE_CHECKING:
    # chunk offsets, constant sample size or 0, sample count, sample sizes, stsc runs
    Tables: TypeAlias = tuple[array[int], int, int, array[int], list[tuple[int, int]]]


def chunk_tables(layout: Layout, stbl: Node) -> Tables | None:
    """A track's chunk offsets, sample sizes and sample-to-chunk runs, each checked against
    its box (``CorruptFile`` when one is broken); None when it has no chunk or no sample."""
    offsets = chunk_offsets(layout, stbl)
    constant, count, sizes = sample_sizes(layout, stbl)
    runs = _sample_to_chunk(layout, stbl)
    if not offsets or not count:
        return None
    if not runs:
        raise CorruptFile(f"{layout.name}: a track has chunks but no 'stsc' table")
    return offsets, constant, count, sizes, runs


def spans_of(tables: Tables, name: str) -> list[tuple[int, int]]:
    """Every chunk of ``chunk_tables`` as (offset, length): its samples are contiguous."""
    offsets, constant, count, sizes, runs = tables
    extents: list[tuple[int, int]] = []
    append = extents.append
    sample = 0
    chunk_count = len(offsets)
    sized = iter(sizes)  # samples are taken in order, chunk after chunk
    have = len(sizes)
    # The runs of ``stsc``: chunks first..next run's first - 1 hold per_chunk samples each.
    for i, (first, per_chunk) in enumerate(runs):
        last = runs[i + 1][0] - 1 if i + 1 < len(runs) else chunk_count
        for index in range(first - 1, min(last, chunk_count)):
            if sample >= count:
                return extents
            take = per_chunk if per_chunk < count - sample else count - sample
            if constant:
                length = constant * take
            else:
                if sample + take > have:
                    raise CorruptFile(f"{name}: sample size table is shorter than its count")
                length = sum(islice(sized, take))
            append((offsets[index], length))
            sample += take
    return extents


def merged(extents: Iterable[tuple[int, int]]) -> list[Extent]:
    """Sorted extents (or (offset, length) pairs) with touching or overlapping ones joined."""
    out: list[Extent] = []
    joining = False
    start = end = 0  # of the run being joined, one Extent when it is complete
    # Sorted as tuples: by offset, then length (the union is the same in any order).
    for offset, length in sorted([e for e in extents if e[1] > 0]):
        if joining and offset <= end:
            if offset + length > end:
                end = offset + length
        else:
            if joining:
                out.append(Extent(start, end - start))
            start, end, joining = offset, offset + length, True
    if joining:
        out.append(Extent(start, end - start))
    return out


def overlaps(a: list[Extent], b: list[Extent]) -> bool:
    """Whether two merged (sorted) extent lists share a byte."""
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i].end <= b[j].offset:
            i += 1
        elif b[j].end <= a[i].offset:
            j += 1
        else:
            return True
    return False
