"""containers.irb: one walk over Photoshop resources and IPTC-IIM for readers and strippers."""

from __future__ import annotations

import struct

import pytest

from photoscan.containers import irb
from photoscan.errors import CorruptFile


def _resource(res_id: int, data: bytes, name: bytes = b"") -> bytes:
    pascal = bytes([len(name)]) + name
    pascal += b"\0" * (len(pascal) % 2)
    return (
        b"8BIM"
        + struct.pack(">H", res_id)
        + pascal
        + struct.pack(">I", len(data))
        + data
        + (b"\0" * (len(data) % 2))
    )


def test_resources_with_names_and_odd_sizes() -> None:
    block = b"Photoshop 3.0\0" + _resource(0x0404, b"odd", b"ab") + _resource(0x040C, b"thumb")
    found = list(irb.resources(block))
    assert [(r.id, block[r.body : r.end]) for r in found] == [(0x0404, b"odd"), (0x040C, b"thumb")]
    assert block[found[0].start : found[0].start + 4] == b"8BIM"


def test_a_cut_resource_is_kept_by_readers_and_refused_by_the_stripper() -> None:
    block = _resource(0x0404, b"x" * 20)[:-6]
    (cut,) = irb.resources(block)
    assert cut.end == len(block)
    with pytest.raises(CorruptFile, match="truncated"):
        list(irb.resources(block, strict=True))
    assert list(irb.resources(b"8BIM\x04\x04\x05name")) == []  # not even a size: nothing


def test_iim_datasets_padding_extended_and_cut() -> None:
    iim = b"\x1c\x02\x50\x00\x03Ann" + b"\0\0" + b"\x1c\x02\x78\x80\x02\x00\x04text"
    iim += b"\x1c\x02\x5a\x00\x09Lei"  # cut off
    found = [(d.record, d.dataset, iim[d.body : d.end]) for d in irb.datasets(iim)]
    assert found == [(2, 0x50, b"Ann"), (2, 0x78, b"text"), (2, 0x5A, b"Lei")]
    assert list(irb.datasets(b"garbage")) == []
