"""containers.bmff: one bounded box walk for HEIF, JPEG 2000/XL, CR3 (and video next)."""

from __future__ import annotations

import struct

import pytest

from photoscan.containers import bmff
from photoscan.errors import CorruptFile

UUID = bytes(range(16))


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def test_sizes_64_bit_to_the_end_and_uuid() -> None:
    large = struct.pack(">I4sQ", 1, b"mdat", 16 + 3) + b"abc"
    data = _box(b"ftyp", b"heic") + large + _box(b"uuid", UUID + b"xy") + b"\0\0\0\0free1234"
    boxes = list(bmff.walk(data, uuid=True))
    assert [b.type for b in boxes] == [b"ftyp", b"mdat", b"uuid", b"free"]
    assert data[boxes[1].body : boxes[1].end] == b"abc" and boxes[1].header == 16
    assert boxes[2].uuid == UUID and data[boxes[2].body : boxes[2].end] == b"xy"
    assert boxes[3].end == len(data)  # size 0: up to the end of the parent
    plain = list(bmff.walk(data))[2]
    assert plain.uuid == b"" and plain.header == 8


def test_strict_walks_raise_on_any_damage() -> None:
    good = _box(b"ftyp", b"heic")
    for bad in (
        good + struct.pack(">I4s", 4, b"meta"),  # smaller than its own header
        good + struct.pack(">I4s", 64, b"meta") + b"cut",  # runs past the end
        good + struct.pack(">I4s", 1, b"mdat") + b"\0\0",  # 64-bit size cut off
    ):
        with pytest.raises(CorruptFile):
            list(bmff.walk(bad))


def test_lenient_walks_hand_on_what_is_intact_and_warn() -> None:
    warnings: list[str] = []
    data = _box(b"ftyp", b"jp2 ") + struct.pack(">I4s", 64, b"jp2c") + b"codestream"
    boxes = list(bmff.walk(data, warn=warnings.append, what="JPEG 2000"))
    assert [b.type for b in boxes] == [b"ftyp", b"jp2c"]
    assert boxes[1].end == len(data)  # cut at the parent's end
    assert warnings == ["JPEG 2000 file is truncated inside its 'jp2c' box"]
    with pytest.raises(CorruptFile):  # damage before any box: not what it claims to be
        list(bmff.walk(data[8 + 4 :], warn=warnings.append))
    warnings.clear()
    list(bmff.walk(_box(b"free", b"") + b"\x01\x02", warn=warnings.append, what="X"))
    assert warnings == ["X: 2 stray bytes after the last box"]


def test_a_nested_walk_never_passes_its_parent_and_budgets_are_shared() -> None:
    inner = _box(b"trak", b"") * 3
    data = _box(b"moov", inner) + _box(b"free", b"")
    moov = next(bmff.walk(data))
    assert [b.type for b in bmff.walk(data, moov.body, moov.end)] == [b"trak"] * 3
    assert all(b.end <= moov.end for b in bmff.walk(data, moov.body, moov.end))
    warnings: list[str] = []
    budget = bmff.Budget(4)
    assert len(list(bmff.walk(data, warn=warnings.append, budget=budget))) == 2
    nested = bmff.walk(data, moov.body, moov.end, warn=warnings.append, budget=budget)
    assert len(list(nested)) == 2
    assert warnings == ["ISO-BMFF: too many boxes; the rest were not read"]
    with pytest.raises(CorruptFile, match="too many"):
        list(bmff.walk(inner, budget=bmff.Budget(2)))


def test_uint_and_make_box() -> None:
    assert bmff.uint(b"\x01\x02", 0, 2) == 0x0102 and bmff.uint(b"", 5, 0) == 0
    with pytest.raises(CorruptFile):
        bmff.uint(b"\x01", 0, 2)
    assert bmff.make_box(b"free", b"ab") == b"\0\0\0\x0afreeab"
