"""containers.jpeg: one segment walk for readers (to the first scan) and the stripper (to EOI)."""

from __future__ import annotations

import struct

import pytest

from photoscan.containers import jpeg
from photoscan.errors import CorruptFile


def _seg(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


HEADER = jpeg.SOI + _seg(0xE1, b"Exif\0\0MM") + b"\xff\xff" + _seg(0xFE, b"hi")
SCAN = _seg(0xDA, b"\x01\x01\x00\x00\x3f\x00") + b"\x12\xff\x00\xff\xd0\x34"
IMAGE = HEADER + SCAN + _seg(0xC4, b"h") + SCAN + b"\xff\xd9"


def test_readers_stop_at_the_first_scan() -> None:
    walk = jpeg.Walk(IMAGE)
    assert [s.marker for s in walk] == [0xE1, 0xFE, 0xDA]
    assert walk.stop is jpeg.Stop.SCAN and walk.count == 3
    comment = list(jpeg.header_segments(IMAGE))[1]
    assert IMAGE[comment.body : comment.end] == b"hi"
    assert IMAGE[comment.start : comment.start + 2] == b"\xff\xfe"  # after the fill bytes
    assert [s.marker for s in jpeg.header_segments(IMAGE)] == [0xE1, 0xFE]
    assert list(jpeg.header_segments(b"\x89PNG")) == []


def test_the_stripper_walks_every_scan_to_the_end_of_the_image() -> None:
    walk = jpeg.Walk(IMAGE + b"trailer", through_scans=True)
    got = list(walk)
    walk.check()
    assert [s.marker for s in got] == [0xE1, 0xFE, 0xDA, jpeg.DATA, 0xC4, 0xDA, jpeg.DATA]
    data = got[3]
    assert IMAGE[data.start : data.end] == b"\x12\xff\x00\xff\xd0\x34"  # restarts stay inside
    assert walk.stop is jpeg.Stop.IMAGE_END and IMAGE[walk.at :] == b""
    cut_scan = jpeg.Walk(HEADER + SCAN, through_scans=True)
    assert list(cut_scan)[-1].end == len(HEADER + SCAN)
    cut_scan.check()  # a last scan cut off by the end of the data is still an image
    assert cut_scan.stop is jpeg.Stop.DATA_END


def test_soi_and_restart_markers_have_no_length() -> None:
    data = jpeg.SOI + b"\xff\xd8\xff\xd0" + _seg(0xFE, b"x") + b"\xff\xd9"
    walk = jpeg.Walk(data)
    assert [(s.marker, s.body == s.end) for s in walk] == [
        (0xD8, True),
        (0xD0, True),
        (0xFE, False),
    ]
    assert walk.stop is jpeg.Stop.IMAGE_END


@pytest.mark.parametrize(
    ("data", "stop", "cut", "error"),
    [
        (HEADER + b"\x00\x01", jpeg.Stop.BROKEN, False, "marker expected"),
        (HEADER + _seg(0xE1, b"x" * 40)[:-10], jpeg.Stop.TRUNCATED, True, "truncated JPEG segment"),
        (HEADER + b"\xff\xe1\x00", jpeg.Stop.TRUNCATED, False, "truncated JPEG segment"),
        (HEADER + b"\xff\xe1\x00\x01", jpeg.Stop.TRUNCATED, False, "truncated JPEG segment"),
        (HEADER, jpeg.Stop.TRUNCATED, False, "no EOI"),
        (HEADER + b"\xff\xff", jpeg.Stop.TRUNCATED, False, "no EOI"),
    ],
)
def test_damage_stops_the_walk_and_says_where(
    data: bytes, stop: jpeg.Stop, cut: bool, error: str
) -> None:
    walk = jpeg.Walk(data, through_scans=True)
    assert [s.marker for s in walk] == [0xE1, 0xFE]
    assert walk.stop is stop and (walk.cut is not None) is cut
    if cut:
        assert walk.cut is not None and walk.cut.end == len(data)
    with pytest.raises(CorruptFile, match=error):
        walk.check()


def test_first_scan() -> None:
    scan = jpeg.first_scan(IMAGE)
    assert scan is not None and scan.start == len(HEADER)
    assert jpeg.first_scan(HEADER) is None
