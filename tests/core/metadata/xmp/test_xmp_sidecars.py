"""Standalone ``.xmp`` sidecars (and the same packets inside photos): positions in every XMP
spelling, device serials, make and model, and thumbnails that decode.

The sidecars are written in code; where ExifTool is installed it reads the same files in one
run, so every expectation below is also what ExifTool makes of them.
"""

from __future__ import annotations

import base64
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from photoscan.metadata import extract, read_sidecar_xmp
from photoscan.metadata.base import Source
from photoscan.model import Extraction, FindingKind, ImageFormat
from photoscan.sidecars.readers import read_sidecar
from photoscan.source.pairing import SidecarKind

LAT, LON = 47.6205, -122.3493
NS = (
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    'xmlns:aux="http://ns.adobe.com/exif/1.0/aux/" '
    'xmlns:exifEX="http://cipa.jp/exif/1.0/" '
    'xmlns:tiff="http://ns.adobe.com/tiff/1.0/" '
    'xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
    'xmlns:xap="http://ns.adobe.com/xap/1.0/" '
    'xmlns:xmpGImg="http://ns.adobe.com/xap/1.0/g/img/" '
    'xmlns:xapGImg="http://ns.adobe.com/xap/1.0/g/img/" '
    'xmlns:drone-dji="http://www.dji.com/drone-dji/1.0/"'
)


def sidecar(attrs: str = "", body: str = "") -> bytes:
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF {NS}>'
        f'<rdf:Description rdf:about="" {attrs}>{body}</rdf:Description>'
        '</rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>'
    ).encode()


def attrs(lat: str, lon: str, extra: str = "") -> bytes:
    return sidecar(f'exif:GPSLatitude="{lat}" exif:GPSLongitude="{lon}" {extra}')


def elements(lat: str, lon: str) -> bytes:
    return sidecar(
        body=f"<exif:GPSLatitude>{lat}</exif:GPSLatitude>"
        f"<exif:GPSLongitude>{lon}</exif:GPSLongitude>"
    )


POSITIONS = {
    "dd_mm_mmk": attrs("47,37.23N", "122,20.958W"),
    "dd_mm_ssk": attrs("47,37,13.8N", "122,20,57.48W"),
    "decimal_signed": attrs("47.6205", "-122.3493"),
    "decimal_with_ref": attrs("47.6205N", "122.3493W"),
    "lowercase_ref": attrs("47,37.23n", "122,20.958w"),
    "elements": elements("47,37.23N", "122,20.958W"),
    "elements_spaced": elements(" 47, 37.23 N ", " 122, 20.958 W "),
    "qualified_value": sidecar(
        body="<exif:GPSLatitude rdf:parseType='Resource'><rdf:value>47,37.23N</rdf:value>"
        "</exif:GPSLatitude><exif:GPSLongitude><rdf:Description><rdf:value>122,20.958W"
        "</rdf:value></rdf:Description></exif:GPSLongitude>"
    ),
    "separate_refs": attrs(
        "47.6205", "122.3493", 'exif:GPSLatitudeRef="N" exif:GPSLongitudeRef="W"'
    ),
    "degree_marks": attrs(
        "47°37'13.8\"N".replace('"', "&quot;"), "122°20'57.48\"W".replace('"', "&quot;")
    ),
    "dji_drone": sidecar('drone-dji:GpsLatitude="+47.6205" drone-dji:GpsLongtitude="-122.3493"'),
}


def _exiftool_positions(files: dict[str, Path]) -> dict[str, tuple[float, float]]:
    exiftool = shutil.which("exiftool")
    if exiftool is None:
        return {}
    argv = [exiftool, "-j", "-n", "-G1", "-a", "-q", "-q", *map(str, files.values())]
    records = json.loads(subprocess.run(argv, capture_output=True, check=False).stdout or "[]")
    out = {}
    for record in records:
        name = Path(record["SourceFile"]).stem
        for prefix in ("XMP-exif", "XMP-drone-dji"):
            lat = record.get(f"{prefix}:GPSLatitude")
            lon = record.get(f"{prefix}:GPSLongitude", record.get(f"{prefix}:GPSLongtitude"))
            if lat is None or lon is None:
                continue
            # DJI values come back as "+47.6205"; and ExifTool keeps a writer's separate
            # GPSLongitudeRef beside an unsigned value without applying it (as the recall
            # oracle does, the test applies it)
            west = str(record.get(f"{prefix}:GPSLongitudeRef", "")).upper().startswith("W")
            out[name] = (float(lat), -abs(float(lon)) if west else float(lon))
    return out


@pytest.fixture(scope="module")
def exiftool_positions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[float, float]]:
    folder = tmp_path_factory.mktemp("sidecars")
    files = {}
    for name, data in POSITIONS.items():
        (folder / f"{name}.xmp").write_bytes(data)
        files[name] = folder / f"{name}.xmp"
    return _exiftool_positions(files)


@pytest.mark.parametrize("form", sorted(POSITIONS))
def test_sidecar_position_in_every_spelling(
    form: str, exiftool_positions: dict[str, tuple[float, float]]
) -> None:
    info = read_sidecar(SidecarKind.XMP, POSITIONS[form], f"{form}.xmp")
    assert info.gps is not None, info.warnings
    assert info.gps.lat == pytest.approx(LAT, abs=1e-5)
    assert info.gps.lon == pytest.approx(LON, abs=1e-5)
    assert info.gps.source == "sidecar"
    if exiftool_positions:  # ExifTool reads the same position from the same file
        assert exiftool_positions[form] == pytest.approx((LAT, LON), abs=1e-5)


@pytest.mark.parametrize(
    "value", ["garbage", "47,75.0N", "N", "47,37.23X", "1e999", "47,37,13,5N", ""]
)
def test_coordinates_that_are_no_position(value: str) -> None:
    assert read_sidecar_xmp(attrs(value, "122,20.958W"), "x.xmp").gps is None


def test_sidecar_device_serials_make_and_model() -> None:
    data = sidecar(
        'aux:SerialNumber="033024001432" exifEX:BodySerialNumber="S-BODY-9" '
        'exifEX:LensSerialNumber="00001066ba" aux:LensSerialNumber="L-AUX-7" '
        'tiff:Make="Canon" tiff:Model="Canon EOS 6D" aux:OwnerName="unknown"',
        "<exifEX:Photographer>Jo Shooter</exifEX:Photographer>",
    )
    result = read_sidecar_xmp(data, "IMG_0001.xmp")
    values = {(f.kind, f.value) for f in result.findings}
    for serial in ("033024001432", "S-BODY-9", "00001066ba", "L-AUX-7"):
        assert (FindingKind.DEVICE, serial) in values
    assert (FindingKind.CAMERA, "Canon") in values
    assert (FindingKind.CAMERA, "Canon EOS 6D") in values
    assert (FindingKind.PERSON, "Jo Shooter") in values
    assert all(f.value != "unknown" for f in result.findings)  # an unset owner is nobody


def _jpeg_b64(size: tuple[int, int], wrap: bool) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(buffer, "JPEG")
    text = base64.b64encode(buffer.getvalue()).decode()
    if wrap:  # as Adobe writes it: a line break every 76 characters
        text = "&#xA;".join(text[i : i + 76] for i in range(0, len(text), 76))
    return text


def _thumbnails(image: str, prefix: str = "xmpGImg", root: str = "xmp") -> bytes:
    return sidecar(
        body=f"<{root}:Thumbnails><rdf:Alt><rdf:li rdf:parseType='Resource'>"
        f"<{prefix}:format>JPEG</{prefix}:format><{prefix}:width>160</{prefix}:width>"
        f"<{prefix}:image>{image}</{prefix}:image></rdf:li></rdf:Alt></{root}:Thumbnails>"
    )


def _thumbnail_values(result: Extraction) -> list[str]:
    return [f.value for f in result.findings if f.kind is FindingKind.THUMBNAIL]


@pytest.mark.parametrize(("prefix", "root"), [("xmpGImg", "xmp"), ("xapGImg", "xap")])
def test_xmp_thumbnail_that_decodes_is_reported_with_its_size(prefix: str, root: str) -> None:
    data = _thumbnails(_jpeg_b64((160, 120), wrap=True), prefix, root)
    values = _thumbnail_values(read_sidecar_xmp(data, "t.xmp"))
    assert len(values) == 1 and values[0].startswith("160×120 JPEG thumbnail")


def test_xmp_thumbnail_in_a_photo_reads_the_same() -> None:
    packet = _thumbnails(_jpeg_b64((96, 64), wrap=False))
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "blue").save(buffer, "JPEG")
    jpeg = buffer.getvalue()
    segment = b"http://ns.adobe.com/xap/1.0/\x00" + packet
    app1 = b"\xff\xe1" + (len(segment) + 2).to_bytes(2, "big") + segment
    photo = jpeg[:2] + app1 + jpeg[2:]
    result = extract(Source("p.jpg", photo, ImageFormat.JPEG))
    assert any(v.startswith("96×64 JPEG thumbnail") for v in _thumbnail_values(result))


@pytest.mark.parametrize(
    "image",
    [
        base64.b64encode(b"\xff\xd8" + b"\x00" * 26).decode(),  # a 28-byte stub
        _jpeg_b64((160, 120), wrap=False)[:200],  # cut short
        "not base64 at all!",
        base64.b64encode(b"GIF89a" + b"\x00" * 40).decode(),  # not a JPEG
    ],
)
def test_xmp_thumbnails_that_are_no_picture_are_not_reported(image: str) -> None:
    assert _thumbnail_values(read_sidecar_xmp(_thumbnails(image), "t.xmp")) == []


def test_names_in_an_unknown_schema_are_reported() -> None:
    data = sidecar(
        'xmlns:acme="https://example.com/acme/1.0/" acme:fullName="Ada Lovelace" '
        'acme:presetName="Vivid"'
    )
    values = {(f.kind, f.value) for f in read_sidecar_xmp(data, "x.xmp").findings}
    assert (FindingKind.PERSON, "Ada Lovelace") in values
    assert all(v != "Vivid" for _, v in values)


def test_dji_drone_serials_and_laser_target() -> None:
    data = sidecar(
        'drone-dji:GpsLatitude="47.6205" drone-dji:GpsLongitude="-122.3493" '
        'drone-dji:DroneSerialNumber="1581F5FHD23400XX" drone-dji:CameraSerialNumber="CAM77" '
        'drone-dji:LRFTargetLat="47.6210" drone-dji:LRFTargetLon="-122.3500"'
    )
    result = read_sidecar_xmp(data, "DJI_0001.xmp")
    values = {(f.kind, f.field, f.value) for f in result.findings}
    assert (FindingKind.DEVICE, "XMP:DroneSerialNumber", "1581F5FHD23400XX") in values
    assert (FindingKind.DEVICE, "XMP:CameraSerialNumber", "CAM77") in values
    assert (FindingKind.LOCATION, "XMP:LRFTargetPosition", "47.621000, -122.350000") in values
    assert result.gps is not None and result.gps.lat == pytest.approx(LAT)


def test_a_serial_number_in_any_schema_without_a_rule_is_reported() -> None:
    data = sidecar(
        'xmlns:flir="http://ns.flir.com/xmp/1.0/" flir:CameraSerialNumber="470023842" '
        'xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/" '
        'crs:DefaultsSpecificToSerial="False"'
    )
    found = {(f.kind, f.value) for f in read_sidecar_xmp(data, "x.xmp").findings}
    assert (FindingKind.DEVICE, "470023842") in found
    assert all(v != "False" for _, v in found)  # a setting, not a serial
