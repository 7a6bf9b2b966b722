"""A video strip as data: byte patches and ranges to zero, never a new file layout.

Every lossless video strip photoscan does is "copy the file, then overwrite a few ranges":
metadata boxes and chunks are neutralised where they are (retyped as padding, their payload
zeroed), so no size, chunk offset or packet moves. ``VideoStripPlan`` is that list, checked
to stay inside the file and never to overlap itself; ``apply`` writes it to an open file with
positioned writes, and ``check`` reads it back. ``Planned`` reads a file as a plan would
leave it, without writing anything: a dry run shows what would remain, and an in-place strip
knows it will pass its checks before it makes a backup.
"""

from __future__ import annotations

import os

from photoscan.containers.bmff import Reader
from photoscan.containers.samples import Extent, merged, overlaps
from photoscan.errors import StripError
from photoscan.io import pwrite_all
from photoscan.model import ImageFormat
from photoscan.tuples import NamedTuple

ZERO_CHUNK = 1 << 20


class Patch(NamedTuple):
    offset: int
    data: bytes


class VideoStripPlan(NamedTuple):
    """What a strip of one video writes over a copy of it."""

    container: ImageFormat
    size: int  # of the source; the output has the same size
    patches: tuple[Patch, ...] = ()
    zero: tuple[Extent, ...] = ()  # merged, sorted
    blocks: tuple[str, ...] = ()  # what was neutralised, for the report ("udta", ...)

    @property
    def changed(self) -> bool:
        return bool(self.patches or self.zero)


def make_plan(
    container: ImageFormat,
    size: int,
    patches: list[Patch],
    zero: list[Extent],
    blocks: list[str],
    name: str,
) -> VideoStripPlan:
    """A plan whose every write lies inside the file and which never writes a byte twice."""
    zero_m = merged(zero)
    spans = merged([Extent(p.offset, len(p.data)) for p in patches])
    if sum(len(p.data) for p in patches) != sum(s.length for s in spans):
        raise StripError(f"{name}: two patches of the plan overlap; nothing written")
    if overlaps(spans, zero_m):
        raise StripError(f"{name}: a patch overlaps a range to zero; nothing written")
    for ext in [*spans, *zero_m]:
        if ext.offset < 0 or ext.end > size:
            raise StripError(f"{name}: a planned write lies outside the file; nothing written")
    unique = list(dict.fromkeys(blocks))
    return VideoStripPlan(container, size, tuple(patches), tuple(zero_m), tuple(unique))


def apply(fd: int, plan: VideoStripPlan) -> None:
    """Write ``plan`` over the copy open as ``fd`` (positioned writes, no seeking)."""
    for patch in plan.patches:
        pwrite_all(fd, patch.data, patch.offset)
    zeros = bytes(min(ZERO_CHUNK, max((e.length for e in plan.zero), default=0)))
    for ext in plan.zero:
        pos = ext.offset
        while pos < ext.end:
            n = min(len(zeros), ext.end - pos)
            pwrite_all(fd, zeros[:n] if n < len(zeros) else zeros, pos)
            pos += n


def check(fd: int, plan: VideoStripPlan) -> str | None:
    """None when the output open as ``fd`` holds every patch and zero range of ``plan``."""
    if os.fstat(fd).st_size != plan.size:
        return "the output's size differs from the original's"
    for patch in plan.patches:
        if os.pread(fd, len(patch.data), patch.offset) != patch.data:
            return f"bytes at offset {patch.offset} are not as planned"
    for ext in plan.zero:
        pos = ext.offset
        while pos < ext.end:
            chunk = os.pread(fd, min(ZERO_CHUNK, ext.end - pos), pos)
            if not chunk or chunk.count(0) != len(chunk):
                return f"the range at offset {ext.offset} was not zeroed"
            pos += len(chunk)
    return None


class Planned:
    """The file ``reader`` reads as ``plan`` would leave it (a ``Reader`` itself)."""

    __slots__ = ("_plan", "_reader", "size")

    def __init__(self, reader: Reader, plan: VideoStripPlan) -> None:
        self._reader = reader
        self._plan = plan
        self.size = reader.size

    def read_at(self, pos: int, length: int) -> bytes:
        data = bytearray(self._reader.read_at(pos, length))
        end = pos + len(data)
        for patch in self._plan.patches:
            lo, hi = max(pos, patch.offset), min(end, patch.offset + len(patch.data))
            if lo < hi:
                data[lo - pos : hi - pos] = patch.data[lo - patch.offset : hi - patch.offset]
        for ext in self._plan.zero:
            lo, hi = max(pos, ext.offset), min(end, ext.end)
            if lo < hi:
                data[lo - pos : hi - pos] = bytes(hi - lo)
        return bytes(data)
