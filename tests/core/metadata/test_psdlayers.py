"""Photoshop layer names and hidden layers, from PSDs built here (8- and 16-bit, PSB)."""

from __future__ import annotations

import struct

import pytest

from photoscan.metadata import Source, extract
from photoscan.metadata.psdlayers import MAX_LAYERS
from photoscan.model import FindingKind, ImageFormat


def _layer(name: str, hidden: bool = False, unicode: str | None = None, psb: bool = False) -> bytes:
    channels = struct.pack(">H", 1) + struct.pack(">h", 0) + (b"\0" * (8 if psb else 4))
    pascal = bytes([len(name)]) + name.encode("latin-1")
    pascal += b"\0" * (-len(pascal) % 4)
    extra = struct.pack(">I", 0) + struct.pack(">I", 0) + pascal
    if unicode is not None:
        units = unicode.encode("utf-16-be")  # the count is of UTF-16 code units
        body = struct.pack(">I", len(units) // 2) + units
        extra += b"8BIMluni" + struct.pack(">I", len(body)) + body
    flags = 0x02 if hidden else 0
    blend = b"8BIMnorm" + bytes([255, 0, flags, 0]) + struct.pack(">I", len(extra))
    return struct.pack(">iiii", 0, 0, 4, 4) + channels + blend + extra


def _psd(layers: list[bytes], psb: bool = False, sixteen_bit: bool = False) -> bytes:
    size = 8 if psb else 4
    records = struct.pack(">h", len(layers)) + b"".join(layers)
    if sixteen_bit:  # records in an Lr16 block, the layer info left empty
        block = b"8BIMLr16" + struct.pack(">Q" if psb else ">I", len(records)) + records
        body = (0).to_bytes(size, "big") + struct.pack(">I", 0) + block
    else:
        body = len(records).to_bytes(size, "big") + records
    section = len(body).to_bytes(size, "big") + body
    header = b"8BPS" + struct.pack(">H6sHIIHH", 2 if psb else 1, b"", 3, 4, 4, 8, 3)
    return header + struct.pack(">I", 0) + struct.pack(">I", 0) + section + b"\0\0" + b"\0" * 48


def _findings(data: bytes) -> dict[str, str]:
    result = extract(Source("x.psd", data, ImageFormat.PSD))
    return {f.field: f.value for f in result.findings}


@pytest.mark.parametrize(("psb", "sixteen_bit"), [(False, False), (True, False), (False, True)])
def test_layer_names_and_hidden_layers_are_reported(psb: bool, sixteen_bit: bool) -> None:
    layers = [
        _layer("Background", psb=psb),
        _layer("Layer 1", psb=psb),
        _layer("Annas Gesicht", hidden=True, unicode="Annas Gesicht 😊", psb=psb),
        _layer("old address", psb=psb),
    ]
    found = _findings(_psd(layers, psb=psb, sixteen_bit=sixteen_bit))
    assert found["Photoshop:LayerNames"] == "Annas Gesicht 😊, old address"  # defaults left out
    assert found["Photoshop:HiddenLayers"].startswith("1 hidden layer:")


def test_default_names_alone_say_nothing() -> None:
    found = _findings(_psd([_layer("Background"), _layer("Layer 2 copy")]))
    assert "Photoshop:LayerNames" not in found and "Photoshop:HiddenLayers" not in found


@pytest.mark.parametrize("cut", [30, 60, 90, 120])
def test_truncated_layer_records_keep_what_fits(cut: int) -> None:
    data = _psd([_layer("kept name"), _layer("second", hidden=True)])
    result = extract(Source("x.psd", data[: 34 + cut], ImageFormat.PSD))  # never raises
    assert result.format is ImageFormat.PSD


def test_huge_layer_count_is_bounded() -> None:
    data = _psd([_layer("only one")])
    at = data.index(struct.pack(">h", 1) + struct.pack(">iiii", 0, 0, 4, 4))
    hostile = data[:at] + struct.pack(">h", -32768) + data[at + 2 :]
    assert MAX_LAYERS < 32768
    found = _findings(hostile)
    assert found["Photoshop:LayerNames"] == "only one"


def test_layer_kinds_are_text_and_thumbnail() -> None:
    result = extract(Source("x.psd", _psd([_layer("name", hidden=True)]), ImageFormat.PSD))
    kinds = {f.field: f.kind for f in result.findings}
    assert kinds["Photoshop:LayerNames"] is FindingKind.TEXT
    assert kinds["Photoshop:HiddenLayers"] is FindingKind.THUMBNAIL
