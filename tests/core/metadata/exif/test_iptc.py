"""IPTC-IIM reader and the Photoshop resource walk, on records built by hand."""

from __future__ import annotations

import random
import struct

import pytest

from photoscan.metadata.base import Collector
from photoscan.metadata.exif import iptc
from photoscan.model import Extraction, FindingKind, ImageFormat, Severity

K = FindingKind


def dataset(record: int, number: int, value: bytes) -> bytes:
    if len(value) < 0x8000:
        return bytes([0x1C, record, number]) + struct.pack(">H", len(value)) + value
    return bytes([0x1C, record, number]) + b"\x80\x04" + struct.pack(">I", len(value)) + value


def read(iim: bytes) -> Extraction:
    col = Collector(ImageFormat.JPEG)
    iptc.read_iptc(iim, col)
    return col.build()


def irb(*resources: tuple[int, bytes], name: bytes = b"") -> bytes:
    out = iptc.PHOTOSHOP_HEADER
    for res_id, data in resources:
        pascal = bytes([len(name)]) + name
        pascal += b"\x00" * (len(pascal) & 1)
        out += b"8BIM" + struct.pack(">H", res_id) + pascal + struct.pack(">I", len(data))
        out += data + b"\x00" * (len(data) & 1)
    return out


def test_people_places_and_text_with_utf8_charset() -> None:
    iim = (
        dataset(1, 90, b"\x1b%G")
        + dataset(2, 80, "Zoë Åberg".encode())
        + dataset(2, 85, b"Staff")
        + dataset(2, 90, "Zürich".encode())
        + dataset(2, 92, b"Old Town")
        + dataset(2, 95, b"ZH")
        + dataset(2, 101, b"Switzerland")
        + dataset(2, 118, b"zoe@example.org")
        + dataset(2, 120, b"Kids at\r\nthe lake")
        + dataset(2, 25, b"family")
        + dataset(2, 25, b"holiday")
        + dataset(2, 110, b"Credit Line")
        + dataset(2, 122, b"Ed Itor")
    )
    result = read(iim)
    got = {(f.field, f.value): (f.kind, f.severity) for f in result.findings}
    assert got[("IPTC:By-line", "Zoë Åberg")] == (K.PERSON, Severity.HIGH)
    assert got[("IPTC:City", "Zürich")][0] is K.LOCATION
    assert got[("IPTC:Sub-location", "Old Town")] == (K.LOCATION, Severity.HIGH)
    assert got[("IPTC:Province-State", "ZH")][0] is K.LOCATION
    assert got[("IPTC:Country-PrimaryLocationName", "Switzerland")][0] is K.LOCATION
    assert got[("IPTC:Contact", "zoe@example.org")][0] is K.PERSON
    assert got[("IPTC:Caption-Abstract", "Kids at the lake")][0] is K.TEXT
    assert ("IPTC:Keywords", "family") in got and ("IPTC:Keywords", "holiday") in got
    assert got[("IPTC:Writer-Editor", "Ed Itor")][0] is K.PERSON
    assert got[("IPTC:Credit", "Credit Line")][0] is K.PERSON
    assert result.warnings == ()


def test_latin1_without_charset_and_extended_length() -> None:
    long_caption = b"x" * 40000
    result = read(dataset(2, 80, "José".encode("latin-1")) + dataset(2, 120, long_caption))
    values = {f.field: f.value for f in result.findings}
    assert values["IPTC:By-line"] == "José"
    assert values["IPTC:Caption-Abstract"].startswith("xxx")
    assert len(values["IPTC:Caption-Abstract"]) <= 300  # bounded by the collector


def test_garbage_and_truncation_never_raise() -> None:
    good = dataset(2, 80, b"Name") + dataset(2, 90, b"City")
    for cut in range(len(good) + 1):
        read(good[:cut])
    rng = random.Random(3)
    for _ in range(200):
        read(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64))))
    assert read(b"\x1c\x02\x50\x00\x10Nam").findings  # length past the end: keeps the rest
    assert read(b"garbage").warnings


@pytest.mark.parametrize("name", [b"", b"a", b"ab", b"xyz"])
def test_iim_from_photoshop_irb_handles_name_padding(name: bytes) -> None:
    iim = dataset(2, 80, b"Photographer")
    block = irb((0x0409, b"\xff\xd8thumb"), (0x0404, iim), name=name)
    assert iptc.iim_from_photoshop_irb(block) == iim
    assert iptc.iim_from_photoshop_irb(block[len(iptc.PHOTOSHOP_HEADER) :]) == iim


def test_iim_from_photoshop_irb_absent_or_broken() -> None:
    assert iptc.iim_from_photoshop_irb(irb((0x0409, b"abc"))) is None
    assert iptc.iim_from_photoshop_irb(b"Photoshop 3.0\x00garbage") is None
    block = irb((0x0404, dataset(2, 80, b"A")))
    for cut in range(len(block)):
        iptc.iim_from_photoshop_irb(block[:cut])  # must not raise
