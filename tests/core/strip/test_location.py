"""``--only location`` edits inside XMP and Photoshop resources: exactly the places go."""

from __future__ import annotations

import struct

import pytest

from photoscan.metadata.xmp import xmp as xmp_reader
from photoscan.strip.location import irb_without_location, xmp_without_location

_LICENSOR = b"""<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/"><rdf:Description rdf:about="">
<plus:Licensor><rdf:Seq><rdf:li rdf:parseType="Resource">
<plus:LicensorName>Jane Doe</plus:LicensorName>
<plus:LicensorCity>Leiden</plus:LicensorCity>
<plus:LicensorStreetAddress>Breestraat 1</plus:LicensorStreetAddress>
</rdf:li></rdf:Seq></plus:Licensor></rdf:Description></rdf:RDF></x:xmpmeta>"""


def _iim(record: int, dataset: int, value: bytes) -> bytes:
    return bytes([0x1C, record, dataset]) + struct.pack(">H", len(value)) + value


def _resource(signature: bytes, rid: int, data: bytes) -> bytes:
    pad = b"\0" if len(data) % 2 else b""
    return signature + struct.pack(">H", rid) + b"\0\0" + struct.pack(">I", len(data)) + data + pad


def test_licensor_address_goes_and_name_stays() -> None:
    out = xmp_without_location(_LICENSOR)
    assert out is not None
    assert b"Leiden" not in out and b"Breestraat" not in out
    assert b"Jane Doe" in out


def test_every_location_property_of_the_reader_is_cut() -> None:
    assert {"licensorcity", "city", "ciadrcity", "locationname"} <= xmp_reader.LOCATION_NAMES


def test_iptc_places_in_non_8bim_resources_are_cut() -> None:
    iim = _iim(2, 90, b"Leiden") + _iim(2, 101, b"Netherlands") + _iim(2, 80, b"Jane Doe")
    for signature in (b"8BIM", b"AgHg", b"DCSR", b"PHUT"):
        out = irb_without_location(_resource(signature, 0x0404, iim))
        assert out is not None, signature
        assert b"Leiden" not in out and b"Netherlands" not in out
        assert b"Jane Doe" in out


def test_a_packet_nested_thousands_deep_is_unreadable_not_a_crash() -> None:
    """Pruning recurses; a hostile packet's RecursionError becomes the ValueError every
    stripper answers by dropping the packet whole (issue 10)."""
    deep = b"<a>" * 6000 + b"x" + b"</a>" * 6000
    packet = _LICENSOR.replace(b"<plus:Licensor>", deep + b"<plus:Licensor>")
    with pytest.raises(ValueError, match="nested too deeply"):
        xmp_without_location(packet)
