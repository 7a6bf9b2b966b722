"""JPEG marker segments: the one walk for the metadata reader, the thumbnail readers and the
stripper.

A JPEG is a run of marker segments (0xFF, a marker byte, a 16-bit big-endian length that
counts itself, the payload), any number of 0xFF fill bytes before a marker, a few markers
without a length (SOI, RSTn, TEM), and after each start-of-scan (SOS) header the
entropy-coded image data, which runs to the next marker that is not a restart. Everything
a JPEG says about itself lives in the segments before the first scan.

``Walk`` yields the segments in file order and then says why it stopped (``Stop``): at the
first scan (what readers need, so a 20 MB photo costs a few kilobytes of work), or, with
``through_scans``, at the end of the image, handing on the scans' data as ``DATA`` spans
(what the stripper copies verbatim). Lengths come from the file: a segment that does not
fit, a byte where a marker must be, or data ending mid-header stops the walk, with the
place (``at``) and, for a segment cut off by the end of the data, what there is of it
(``cut``), so a reader can still read the start of a cut-off download's EXIF. The stripper
turns any stop but the end of the image into ``CorruptFile`` (``check``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import Enum

from photoscan.errors import CorruptFile
from photoscan.tuples import NamedTuple

SOI = b"\xff\xd8"
EOI, SOS, COM = 0xD9, 0xDA, 0xFE
STANDALONE = frozenset([0x01, 0xD8, *range(0xD0, 0xD8)])  # TEM, SOI, RST0-7: no length
SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # frame headers (DHT, JPG, DAC not)
DATA = -1  # not a marker: the entropy-coded bytes after an SOS header
MAX_SEGMENTS = 65_536
# APPn payload prefixes shared by the reader and the stripper
XMP = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_EXTENSION = b"http://ns.adobe.com/xmp/extension/\x00"
ICC_PROFILE = b"ICC_PROFILE\x00"
PHOTOSHOP = b"Photoshop 3.0\x00"

_NOT_FILL = re.compile(rb"[^\xff]")
_NEXT_MARKER = re.compile(rb"\xff[\xc0-\xcf\xd9-\xef\xfe]")  # markers that may follow a scan


class Segment(NamedTuple):
    """One marker segment: ``start`` is its 0xFF, ``body..end`` the payload (empty for a
    marker without a length); a ``DATA`` span is ``start == body .. end``."""

    marker: int
    start: int
    body: int
    end: int


class Stop(Enum):
    SCAN = "the first start of scan (the end of the header)"
    IMAGE_END = "the end-of-image marker"
    DATA_END = "the end of the data, inside a scan"
    TRUNCATED = "the end of the data, inside the segments"
    BROKEN = "a byte where a marker must be"
    LIMIT = "too many segments"


class Walk:
    """The segments of ``data`` from ``start`` (after SOI). Iterate once; then ``stop``,
    ``at`` (where it stopped: after EOI, or where the damage is), ``cut`` (a segment whose
    length runs past the end, cut there) and ``count`` (segments with a length) say how
    it went."""

    __slots__ = ("at", "count", "cut", "data", "start", "stop", "through_scans")

    def __init__(self, data: bytes, start: int = 2, *, through_scans: bool = False) -> None:
        self.data = data
        self.start = start
        self.through_scans = through_scans
        self.stop: Stop | None = None
        self.at = start
        self.cut: Segment | None = None
        self.count = 0

    def __iter__(self) -> Iterator[Segment]:
        data = self.data
        size = len(data)
        pos = self.start
        for _ in range(MAX_SEGMENTS):
            if pos >= size:
                return self._end(Stop.TRUNCATED, size)
            if data[pos] != 0xFF:
                return self._end(Stop.BROKEN, pos)
            found = _NOT_FILL.search(data, pos)
            if found is None:  # nothing but fill bytes to the end
                return self._end(Stop.TRUNCATED, size)
            at = found.start() - 1  # the last 0xFF before the marker byte
            marker = data[at + 1]
            if marker == EOI:
                return self._end(Stop.IMAGE_END, at + 2)
            if marker in STANDALONE:
                yield Segment(marker, at, at + 2, at + 2)
                pos = at + 2
                continue
            if at + 4 > size:
                return self._end(Stop.TRUNCATED, at)
            length = (data[at + 2] << 8) | data[at + 3]
            end = at + 2 + length
            if length < 2:
                return self._end(Stop.TRUNCATED, at)
            if end > size:
                self.cut = Segment(marker, at, at + 4, size)
                return self._end(Stop.TRUNCATED, at)
            self.count += 1
            yield Segment(marker, at, at + 4, end)
            pos = end
            if marker == SOS:
                if not self.through_scans:
                    return self._end(Stop.SCAN, end)
                scan_end = _NEXT_MARKER.search(data, pos)
                if scan_end is None:  # no EOI: the scan runs to the end of the data
                    yield Segment(DATA, pos, pos, size)
                    return self._end(Stop.DATA_END, size)
                yield Segment(DATA, pos, pos, scan_end.start())
                pos = scan_end.start()
        return self._end(Stop.LIMIT, pos)

    def _end(self, stop: Stop, at: int) -> None:
        self.stop = stop
        self.at = at

    def check(self) -> None:
        """For the stripper, after the walk: ``CorruptFile`` unless the image ended (an
        end-of-image marker, or a last scan cut off by the end of the data)."""
        if self.stop in (Stop.IMAGE_END, Stop.DATA_END):
            return
        if self.stop is Stop.BROKEN:
            raise CorruptFile("JPEG marker expected")
        if self.stop is Stop.TRUNCATED and self.at < len(self.data):
            raise CorruptFile("truncated JPEG segment")
        if self.stop is Stop.LIMIT:
            raise CorruptFile(f"JPEG has more than {MAX_SEGMENTS} segments")
        raise CorruptFile("truncated JPEG (no EOI marker)")


def header_segments(data: bytes) -> Iterator[Segment]:
    """The segments with a length before the first scan, for readers that look at a few
    (where EXIF starts, the SOF size, JFXX/MPF/Photoshop thumbnails); the walk stops quietly
    at anything it cannot read. Nothing for data that is not a JPEG."""
    if data[:2] != SOI:
        return
    for segment in Walk(data):
        if segment.marker == SOS:
            return
        if segment.marker not in STANDALONE:
            yield segment


def first_scan(data: bytes) -> Segment | None:
    """The first SOS segment (the end of the header), or None if the walk never reaches it."""
    return next((s for s in Walk(data) if s.marker == SOS), None)
