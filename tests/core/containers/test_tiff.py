"""containers.tiff: one TIFF reader, lenient for the readers and strict for the strippers."""

from __future__ import annotations

import struct

import pytest

from photoscan.containers.tiff import MAX_ENTRIES, TiffReader
from photoscan.errors import CorruptFile


def _tiff(entries: list[tuple[int, int, int, bytes]], order: str = "<") -> bytes:
    """A TIFF header and IFD0 at 8 with ``(tag, type, count, 4-byte value)`` entries."""
    head = (b"II*\x00" if order == "<" else b"MM\x00*") + struct.pack(order + "I", 8)
    table = struct.pack(order + "H", len(entries))
    for tag, typ, count, value in entries:
        table += struct.pack(order + "HHI", tag, typ, count) + value.ljust(4, b"\0")
    return head + table + b"\0\0\0\0"


def test_undefined_values_are_bytes_for_readers_and_strippers() -> None:
    """The two copies of the type tables had drifted: type 7 (UNDEFINED) was read as bytes
    by the readers' IFD walker and as nothing at all by the strippers'."""
    data = _tiff([(0x9000, 7, 4, b"0231"), (0x0112, 3, 1, struct.pack("<H", 6))])
    lenient = TiffReader.at_header(data)
    assert lenient is not None
    version = lenient.entries(8)[0x9000]
    assert lenient.ints(version) == tuple(b"0231")
    strict = TiffReader.parse(data)
    entries, next_ifd = strict.ifd(strict.first_ifd())
    assert next_ifd == 0
    assert [strict.all_ints(e) for e in entries] == [tuple(b"0231"), (6,)]


def test_unknown_types_are_skipped_by_readers_and_kept_by_strippers() -> None:
    data = _tiff([(0x0100, 99, 2, b"ab"), (0x0101, 3, 1, b"\x10\x00")])
    lenient = TiffReader.at_header(data)
    assert lenient is not None and list(lenient.entries(8)) == [0x0101]
    strict = TiffReader.parse(data)
    entries, _ = strict.ifd(8)
    assert [(e.tag, e.size) for e in entries] == [(0x0100, 2), (0x0101, 2)]
    assert strict.value(entries[0]) == b"ab"


def test_pointers_are_followed_only_from_long_or_ifd_entries() -> None:
    data = _tiff([(0x8769, 7, 4, b"\x08\0\0\0"), (0x8825, 4, 1, b"\x08\0\0\0")])
    reader = TiffReader.at_header(data)
    assert reader is not None
    entries = reader.entries(8)
    assert reader.sub_ifd(entries, 0x8769) == 0
    assert reader.sub_ifd(entries, 0x8825) == 8


def test_damage_is_nothing_for_readers_and_an_error_for_strippers() -> None:
    data = _tiff([(0x0112, 3, 1, b"\x01\x00")])
    huge = data[:8] + struct.pack("<H", MAX_ENTRIES + 1) + data[10:]
    lenient = TiffReader.at_header(huge)
    assert lenient is not None and lenient.entries(8) == {}
    with pytest.raises(CorruptFile, match="too large"):
        TiffReader.parse(huge).ifd(8)
    with pytest.raises(CorruptFile, match="truncated"):
        TiffReader.parse(data[:20]).ifd(8)
    with pytest.raises(CorruptFile, match="out of range"):
        TiffReader.parse(data).ifd(len(data))
    out_of_range = _tiff([(0x0111, 4, 3, struct.pack("<I", 1000))])
    strict = TiffReader.parse(out_of_range)
    with pytest.raises(CorruptFile, match="value out of range"):
        strict.all_ints(strict.ifd(8)[0][0])
    with pytest.raises(CorruptFile, match="BigTIFF"):
        TiffReader.parse(b"II+\x00\x08\x00\x00\x00")
    with pytest.raises(CorruptFile):
        TiffReader.parse(b"JFIF....")


def test_raw_files_with_a_magic_of_their_own() -> None:
    orf = b"IIRO" + _tiff([(0x0112, 3, 1, b"\x03\x00")])[4:]
    assert TiffReader.at_header(orf) is None
    reader = TiffReader.of_file(orf)
    assert reader is not None and reader.ints(reader.entries(8)[0x0112]) == (3,)
    assert TiffReader.of_file(b"not a tiff") is None
