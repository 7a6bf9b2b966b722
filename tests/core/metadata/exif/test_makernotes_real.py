"""Maker-note serials, owners and ids on real camera files of ``../shared/testdata``.

Values are what ExifTool prints for the same files (``exiftool -a -G1``); makes whose files
ExifTool finds no identifier in (Kodak, Ricoh, Minolta, Sanyo, JVC) must give none either.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from photoscan.metadata import extract
from photoscan.metadata.base import Source
from photoscan.model import Extraction, FindingKind
from photoscan.source.sniff import HEADER_BYTES, sniff
from tests import conftest


def _read(name: str) -> Extraction:
    path: Path = conftest.testdata_dir("d_metadata") / name
    data = path.read_bytes()
    sniffed = sniff(data[:HEADER_BYTES], path.name)
    assert sniffed.format is not None, sniffed.reason
    return extract(Source(path.name, data, sniffed.format, sniffed.label))


@pytest.mark.parametrize(
    ("name", "field", "value"),
    [
        ("exiftool_Canon.jpg", "OwnerName", "Phil Harvey"),
        ("exiftool_Canon.jpg", "SerialNumber", "0560018150"),
        ("exiv2_exiv2-canon-eos-d30.jpg", "SerialNumber", "093107059"),
        ("exiv2_exiv2-bug876.jpg", "InternalSerialNumber", "GD0031234"),
        ("exiv2_exiv2-bug876.jpg", "LensSerialNumber", "00000013e8"),
        ("ianare_jpg_hdr_canon_hdr_NO.jpg", "ImageUniqueID", "54e8b2b5539347478841864f8be0dcc5"),
        ("exiftool_CanonRaw.cr3", "InternalSerialNumber", "CG0156580"),
        ("exiftool_NikonD2Hs.jpg", "SerialNumber", "3001006"),
        ("mei_jpg_Nikon_D70.jpg", "SerialNumber", "NO= 00002539"),
        ("exiv2_exiv2-bug1199.webp", "SerialNumber", "2567806"),
        ("exiv2_Sony.HIF", "InternalSerialNumber", "00006a0d700f"),
        ("exiftool_Olympus2.jpg", "SerialNumber", "C90500055"),
        ("exiftool_Olympus2.jpg", "InternalSerialNumber", "0171612001128001"),
        ("ianare_jpg_corrupted.jpg", "SerialNumber", "F70501740"),
        ("exiv2_exiv2-panasonic-dmc-fz5.jpg", "InternalSerialNumber", "S000501110223"),
        ("exiftool_Panasonic.rw2", "InternalSerialNumber", "F350807010058"),
        ("exiftool_Pentax.jpg", "InternalSerialNumber", "132352"),
        ("exiv2_exiv2-bug884c.jpg", "InternalSerialNumber", "6322060"),
        (
            "exiftool_FujiFilm.raf",
            "InternalSerialNumber",
            "FPX20582698 592D313134360702198C0020100A84",
        ),
        ("exiftool_Sigma.jpg", "SerialNumber", "02000019"),
        ("exiftool_SigmaDP2.x3f", "SerialNumber", "1008382"),
        ("exiftool_Casio2.jpg", "HometownCity", "New York"),
        ("exiftool_Motorola.jpg", "SerialNumber", "NX0A3S0075"),
        ("exiv2_IMG_3578.heic", "ImageUniqueID", "D1BB528D-3E89-4DA9-A068-ECBBA5CFC837"),
        ("ianare_heic_IMG_5195.HEIC", "ContentIdentifier", "570F1469-09C7-4E50-9875-05F21D5BD166"),
        ("ianare_jpg_Reconyx_HC500_Hyperfire.jpg", "SerialNumber", "H500EE06130468"),
    ],
)
def test_real_maker_note_value(name: str, field: str, value: str) -> None:
    found = {(f.field, f.value) for f in _read(name).findings}
    assert (f"MakerNotes:{field}", value) in found


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("ianare_jpg_Samsung_Digimax_i50_MP3.jpg", "320×240"),  # the whole note is a JPEG
        ("ianare_jpg_tests_35-empty.jpg", "320×240"),  # Casio type 2 PreviewImage
    ],
)
def test_real_maker_note_previews(name: str, size: str) -> None:
    previews = [f.value for f in _read(name).findings if f.field == "MakerNotes:PreviewImage"]
    assert any(v.startswith(size) for v in previews), previews


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("exiftool_Kodak.jpg", set()),
        ("exiftool_Ricoh.jpg", set()),
        ("ianare_jpg_Konica_Minolta_DiMAGE_Z3.jpg", set()),
        ("exiftool_Sanyo.jpg", set()),
        ("exiftool_JVC.jpg", set()),
        ("exiftool_CanonRaw.cr2", {"MakerNotes:SerialNumber"}),  # OwnerName "unknown": nobody
    ],
)
def test_no_identifier_is_invented(name: str, expected: set[str]) -> None:
    kinds = (FindingKind.DEVICE, FindingKind.PERSON)
    found = {
        f.field
        for f in _read(name).findings
        if f.field.startswith("MakerNotes:") and f.kind in kinds
    }
    assert found == expected
