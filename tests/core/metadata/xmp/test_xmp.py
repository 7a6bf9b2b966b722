"""XMP → findings: regions, people, ages, places, devices; hostile packets; real sidecars."""

from __future__ import annotations

import contextlib
import json
import random
import shutil
import subprocess

import pytest

from photoscan.metadata import read_sidecar_xmp
from photoscan.metadata.base import Collector
from photoscan.metadata.xmp import people as xmp_people
from photoscan.metadata.xmp import rdf, xmp
from photoscan.metadata.xmp.values import parse_altitude, parse_coordinate
from photoscan.model import Extraction, FindingKind, Gps, ImageFormat
from tests import conftest

NS = (
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    'xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" '
    'xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#" '
    'xmlns:MP="http://ns.microsoft.com/photo/1.2/" '
    'xmlns:MPRI="http://ns.microsoft.com/photo/1.2/t/RegionInfo#" '
    'xmlns:MPReg="http://ns.microsoft.com/photo/1.2/t/Region#" '
    'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
    'xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/" '
    'xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/" '
    'xmlns:aux="http://ns.adobe.com/exif/1.0/aux/" '
    'xmlns:exifEX="http://cipa.jp/exif/1.0/" '
    'xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" '
    'xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#" '
    'xmlns:lr="http://ns.adobe.com/lightroom/1.0/" '
    'xmlns:digiKam="http://www.digikam.org/ns/1.0/" '
    'xmlns:GCamera="http://ns.google.com/photos/1.0/camera/" '
    'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"'
)


def packet(body: str, attrs: str = "") -> bytes:
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF {NS}>'
        f'<rdf:Description rdf:about="" {attrs}>{body}</rdf:Description>'
        '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def read(body: str, attrs: str = "") -> Extraction:
    col = Collector(ImageFormat.JPEG)
    xmp.read_xmp(packet(body, attrs), col)
    return col.build()


def found(extraction: Extraction, kind: FindingKind) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in extraction.findings:
        if f.kind is kind:
            out.setdefault(f.field, []).append(f.value)
    return out


def bag(*items: str) -> str:
    return "<rdf:Bag>" + "".join(f"<rdf:li>{i}</rdf:li>" for i in items) + "</rdf:Bag>"


def test_mwg_regions_named_faces_are_people_unnamed_faces_are_face_regions() -> None:
    regions = (
        "<mwg-rs:Regions rdf:parseType='Resource'><mwg-rs:RegionList><rdf:Bag>"
        "<rdf:li><rdf:Description mwg-rs:Name='Anna Example' mwg-rs:Type='Face'>"
        "<mwg-rs:Area stArea:x='0.5' stArea:y='0.4' stArea:w='0.1' stArea:h='0.2'/>"
        "</rdf:Description></rdf:li>"
        "<rdf:li rdf:parseType='Resource'><mwg-rs:Type>Face</mwg-rs:Type>"
        "<mwg-rs:Area rdf:parseType='Resource'><stArea:x>0.2</stArea:x><stArea:y>0.3</stArea:y>"
        "</mwg-rs:Area></rdf:li>"
        "<rdf:li><rdf:Description mwg-rs:Name='Rex' mwg-rs:Type='Pet'/></rdf:li>"
        "</rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>"
    )
    result = read(regions)
    assert found(result, FindingKind.PERSON)["XMP:RegionName"] == ["Anna Example", "Rex"]
    faces = found(result, FindingKind.FACE_REGION)["XMP:RegionType"]
    assert len(faces) == 1 and "0.2" in faces[0]


def test_apple_face_regions_without_names_are_face_regions_with_ids() -> None:
    apple = 'xmlns:apple-fi="http://ns.apple.com/faceinfo/1.0/"'
    regions = (
        "<mwg-rs:Regions rdf:parseType='Resource'><mwg-rs:RegionList><rdf:Seq>"
        f"<rdf:li><rdf:Description mwg-rs:Type='Face' {apple}>"
        "<mwg-rs:Area stArea:x='0.5' stArea:y='0.4' stArea:w='0.1' stArea:h='0.2'/>"
        "<mwg-rs:Extensions rdf:parseType='Resource'><apple-fi:FaceID>7</apple-fi:FaceID>"
        "</mwg-rs:Extensions></rdf:Description></rdf:li></rdf:Seq></mwg-rs:RegionList>"
        "</mwg-rs:Regions>"
    )
    result = read(regions)
    faces = found(result, FindingKind.FACE_REGION)
    assert faces["XMP:RegionFaceID"] == ["7"]
    assert faces["XMP:RegionType"] == ["Face (area 0.5,0.4,0.1,0.2)"]
    assert not found(result, FindingKind.PERSON)


def test_microsoft_regions_give_names_email_digests_and_live_ids() -> None:
    body = (
        "<MP:RegionInfo rdf:parseType='Resource'><MPRI:Regions><rdf:Bag>"
        "<rdf:li MPReg:PersonDisplayName='Ben Example' MPReg:Rectangle='0.1, 0.1, 0.2, 0.2'"
        " MPReg:PersonEmailDigest='ABCDEF0123' MPReg:PersonLiveIdCID='123456789'/>"
        "<rdf:li MPReg:Rectangle='0.5, 0.5, 0.1, 0.1'/>"
        "</rdf:Bag></MPRI:Regions></MP:RegionInfo>"
    )
    result = read(body)
    people = found(result, FindingKind.PERSON)
    assert people["XMP:RegionPersonDisplayName"] == ["Ben Example"]
    assert people["XMP:RegionPersonEmailDigest"] == ["ABCDEF0123"]
    assert people["XMP:RegionPersonLiveIdCID"] == ["123456789"]
    assert found(result, FindingKind.FACE_REGION)["XMP:RegionRectangle"] == ["0.5, 0.5, 0.1, 0.1"]


def test_person_in_image_with_and_without_details() -> None:
    body = (
        f"<Iptc4xmpExt:PersonInImage>{bag('Cleo', 'Dan')}</Iptc4xmpExt:PersonInImage>"
        "<Iptc4xmpExt:PersonInImageWDetails><rdf:Bag><rdf:li rdf:parseType='Resource'>"
        "<Iptc4xmpExt:PersonName><rdf:Alt><rdf:li xml:lang='x-default'>Eve</rdf:li></rdf:Alt>"
        "</Iptc4xmpExt:PersonName></rdf:li></rdf:Bag></Iptc4xmpExt:PersonInImageWDetails>"
    )
    people = found(read(body), FindingKind.PERSON)
    assert people["XMP:PersonInImage"] == ["Cleo", "Dan"]
    assert people["XMP:PersonInImageName"] == ["Eve"]


def test_image_region_persons_are_people() -> None:
    body = (
        "<Iptc4xmpExt:ImageRegion><rdf:Bag><rdf:li rdf:parseType='Resource'>"
        f"<Iptc4xmpExt:PersonInImage>{bag('Finn')}</Iptc4xmpExt:PersonInImage>"
        "<Iptc4xmpExt:Name><rdf:Alt><rdf:li xml:lang='x-default'>Speaker</rdf:li></rdf:Alt>"
        "</Iptc4xmpExt:Name></rdf:li></rdf:Bag></Iptc4xmpExt:ImageRegion>"
    )
    result = read(body)
    assert found(result, FindingKind.PERSON)["XMP:ImageRegionPersonInImage"] == ["Finn"]
    assert found(result, FindingKind.TEXT)["XMP:ImageRegionName"] == ["Speaker"]


@pytest.mark.parametrize(
    ("ages", "minors"),
    [(("8",), ["8 years"]), (("17", "30"), ["17 years"]), (("25",), []), (("unknown",), [])],
)
def test_model_age_under_18_is_a_minor(ages: tuple[str, ...], minors: list[str]) -> None:
    result = read(f"<Iptc4xmpExt:ModelAge>{bag(*ages)}</Iptc4xmpExt:ModelAge>")
    assert found(result, FindingKind.MINOR).get("XMP:ModelAge", []) == minors


@pytest.mark.parametrize(
    ("code", "minor"),
    [
        ("http://ns.useplus.org/ldf/vocab/AG-A17", True),
        ("AG-A15", True),
        ("AG-U14", True),
        ("AG-A18", False),
        ("AG-A25", False),
        ("AG-UNK", False),
        ("garbage", False),
    ],
)
def test_plus_minor_model_age_disclosure(code: str, minor: bool) -> None:
    assert xmp_people.age_disclosure(code)[0] is minor
    result = read(f"<plus:MinorModelAgeDisclosure rdf:resource='{code}'/>")
    assert bool(found(result, FindingKind.MINOR)) is minor


def test_gps_in_xmp_degrees_minutes_form_becomes_the_position() -> None:
    result = read(
        "",
        "exif:GPSLatitude='47,37.23N' exif:GPSLongitude='122,20.95W'"
        " exif:GPSAltitude='1234/10' exif:GPSAltitudeRef='0'",
    )
    assert result.gps is not None
    assert result.gps.lat == pytest.approx(47.6205, abs=1e-6)
    assert result.gps.lon == pytest.approx(-122.349167, abs=1e-6)
    assert result.gps.altitude == pytest.approx(123.4)
    assert result.gps.source == "xmp"
    assert "XMP:GPSLatitude" in found(result, FindingKind.LOCATION)


def test_null_island_xmp_gps_is_reported_invalid_not_a_position() -> None:
    result = read("", "exif:GPSLatitude='0,0.0N' exif:GPSLongitude='0,0.0E'")
    assert result.gps is None
    assert any("invalid" in f for f in found(result, FindingKind.LOCATION))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("47,37.23N", 47.6205),
        ("47,37,13.8S", -47.62050),
        ("122.5W", -122.5),
        ("-33.5", -33.5),
        ("12.25", 12.25),
        ("nonsense", None),
        ("", None),
        ("47,37", 47.616667),
    ],
)
def test_parse_coordinate(text: str, value: float | None) -> None:
    result = parse_coordinate(text)
    if value is None:
        assert result is None
    else:
        assert result == pytest.approx(value, abs=1e-5)


def test_parse_altitude() -> None:
    assert parse_altitude("1234/10") == pytest.approx(123.4)
    assert parse_altitude("50", "1") == -50
    assert parse_altitude("1/0") is None
    assert parse_altitude("x") is None


def test_locations_creator_contact_and_devices() -> None:
    body = (
        "<Iptc4xmpExt:LocationCreated><rdf:Bag><rdf:li rdf:parseType='Resource'>"
        "<Iptc4xmpExt:City>Bergen</Iptc4xmpExt:City>"
        "<exif:GPSLatitude>60,23.5N</exif:GPSLatitude><exif:GPSLongitude>5,19.8E</exif:GPSLongitude>"
        "</rdf:li></rdf:Bag></Iptc4xmpExt:LocationCreated>"
        "<Iptc4xmpExt:LocationShown><rdf:Bag><rdf:li rdf:parseType='Resource'>"
        "<Iptc4xmpExt:Sublocation>Harbour</Iptc4xmpExt:Sublocation>"
        "<exif:GPSLatitude>10,0N</exif:GPSLatitude><exif:GPSLongitude>10,0E</exif:GPSLongitude>"
        "</rdf:li></rdf:Bag></Iptc4xmpExt:LocationShown>"
        "<Iptc4xmpCore:CreatorContactInfo Iptc4xmpCore:CiEmailWork='me@example.org'"
        " Iptc4xmpCore:CiAdrCity='Oslo'/>"
        "<photoshop:City>Trondheim</photoshop:City>"
    )
    attrs = "aux:SerialNumber='SN123' exifEX:LensSerialNumber='L9' exifEX:CameraOwnerName='Gus'"
    camera = " exif:GPSLatitude='60,20N' exif:GPSLongitude='5,20E'"
    assert read(body, attrs + camera).gps == Gps(60.3333333, 5.3333333, "xmp")
    result = read(body, attrs)
    places = found(result, FindingKind.LOCATION)
    assert places["XMP:LocationCreatedCity"] == ["Bergen"]
    assert places["XMP:LocationShownSublocation"] == ["Harbour"]
    assert places["XMP:CreatorCity"] == ["Oslo"]
    assert places["XMP:City"] == ["Trondheim"]
    assert "XMP:LocationShownGPSPosition" in places
    assert result.gps is not None and result.gps.lat == pytest.approx(60.391667, abs=1e-5)
    assert found(result, FindingKind.PERSON)["XMP:CreatorWorkEmail"] == ["me@example.org"]
    assert found(result, FindingKind.PERSON)["XMP:OwnerName"] == ["Gus"]
    devices = found(result, FindingKind.DEVICE)
    assert devices["XMP:SerialNumber"] == ["SN123"]
    assert devices["XMP:LensSerialNumber"] == ["L9"]


def test_keyword_trees_name_people_and_history_is_kept() -> None:
    body = (
        f"<lr:hierarchicalSubject>{bag('People|Hanna', 'Places|Home')}</lr:hierarchicalSubject>"
        f"<digiKam:TagsList>{bag('People/Family/Ivo')}</digiKam:TagsList>"
        f"<dc:subject>{bag('beach', 'summer')}</dc:subject>"
        "<xmpMM:History><rdf:Seq><rdf:li stEvt:action='saved' stEvt:softwareAgent='Editor 1'"
        " stEvt:when='2020-01-01'/></rdf:Seq></xmpMM:History>"
        "<GCamera:MotionPhoto>1</GCamera:MotionPhoto>"
    )
    result = read(body, "xmpMM:DocumentID='xmp.did:1234'")
    people = found(result, FindingKind.PERSON)
    assert people["XMP:HierarchicalSubject"] == ["Hanna"]
    assert people["XMP:TagsList"] == ["Ivo"]
    assert found(result, FindingKind.TEXT)["XMP:Subject"] == ["beach, summer"]
    history = found(result, FindingKind.HISTORY)
    assert history["XMP:DocumentID"] == ["xmp.did:1234"]
    assert history["XMP:History"] == ["saved with Editor 1 2020-01-01"]
    assert "XMP:MotionPhoto" in found(result, FindingKind.THUMBNAIL)


def test_big_base64_blobs_are_skipped_but_still_reported() -> None:
    blob = "QUJD" * 100_000  # 400 KB of base64, like a Google depth map
    gimage = 'xmlns:GImage="http://ns.google.com/photos/1.0/image/"'
    data = packet(
        f"<GImage:Data {gimage}>{blob}</GImage:Data><dc:title><rdf:Alt>"
        "<rdf:li xml:lang='x-default'>t</rdf:li></rdf:Alt></dc:title>"
    )
    col = Collector(ImageFormat.JPEG)
    xmp.read_xmp(data, col)
    result = col.build()
    assert "XMP:ImageData" in found(result, FindingKind.THUMBNAIL)
    assert found(result, FindingKind.TEXT)["XMP:Title"] == ["t"]


def test_mwg_keyword_tree_people_leaves_are_names() -> None:
    kw = 'xmlns:mwg-kw="http://www.metadataworkinggroup.com/schemas/keywords/"'

    def node(keyword: str, *children: str) -> str:
        inner = (
            f"<mwg-kw:Children><rdf:Bag>{''.join(children)}</rdf:Bag></mwg-kw:Children>"
            if children
            else ""
        )
        label = f"<mwg-kw:Keyword>{keyword}</mwg-kw:Keyword>"
        return f"<rdf:li rdf:parseType='Resource'>{label}{inner}</rdf:li>"

    tree = node("People", node("Family", node("Uma")), node("Vic")) + node("Places", node("Rome"))
    body = (
        f"<mwg-kw:Keywords rdf:parseType='Resource' {kw}><mwg-kw:Hierarchy><rdf:Bag>"
        f"{tree}</rdf:Bag></mwg-kw:Hierarchy></mwg-kw:Keywords>"
    )
    people = found(read(body), FindingKind.PERSON)
    assert people["XMP:HierarchicalKeywords"] == ["Uma", "Vic"]


def test_junk_after_the_packet_is_tolerated() -> None:
    data = packet("<dc:creator><rdf:Seq><rdf:li>Jo</rdf:li></rdf:Seq></dc:creator>")
    col = Collector(ImageFormat.PNG)
    xmp.read_xmp(data + b"</rdf:li>\x00\x00 junk </x:xmpmeta> more", col)
    assert found(col.build(), FindingKind.PERSON)["XMP:Creator"] == ["Jo"]


def test_xml_bomb_is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
        b"<dc:title>&lol2;</dc:title></rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    with pytest.raises(rdf.XmpError, match="refused"):
        xmp.read_xmp(bomb, Collector(ImageFormat.JPEG))


def test_a_dtd_or_an_undeclared_entity_is_refused() -> None:
    body = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"/>'
    external = b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://example.com/x.dtd">'
    with pytest.raises(rdf.XmpError, match="refused"):
        rdf.parse_packet(external + body)
    with pytest.raises(rdf.XmpError, match="undefined entity"):
        rdf.parse_packet(packet("<dc:title>&secret;</dc:title>"))


def test_the_expat_tree_reads_as_elementtree_did() -> None:
    """Text before the first child is the value, text after a child (a tail) is not read;
    comments, processing instructions and CDATA are as ElementTree had them."""
    props = rdf.parse_packet(
        packet(
            "<dc:title><!-- c --><?pi x?>A <![CDATA[<b>]]> &amp; B</dc:title>"
            "<dc:source>kept<x:y xmlns:x='u:'>inner</x:y>tail</dc:source>"
        )
    )
    assert props["dc:title"] == "A <b> & B"
    assert props["dc:source"] == {"{u:}y": "inner"}


def test_serial_numbers_of_unknown_schemas_in_any_case() -> None:
    """The quick "serial" test before the pattern passes every name the pattern would match
    (a dotless i matches "i" ignoring case)."""
    attrs = "xmlns:v='http://example.com/v/' v:CameraSERIAL='X2' v:ser\u0131alNumber='X1'"
    devices = found(read("", attrs), FindingKind.DEVICE)
    assert devices == {"XMP:CameraSERIAL": ["X2"], "XMP:Ser\u0131alNumber": ["X1"]}


def test_an_absent_or_blank_coordinate_is_none() -> None:
    assert parse_coordinate("") is None
    assert parse_coordinate(" \t ", "N") is None
    assert parse_coordinate("47,30N") == 47.5


def test_oversized_and_garbage_packets_raise_plain_xmp_errors() -> None:
    with pytest.raises(rdf.XmpError, match="too large"):
        rdf.parse_packet(b" " * (rdf.MAX_PACKET_BYTES + 1))
    with pytest.raises(rdf.XmpError):
        rdf.parse_packet(b"\x00\x01 not xml at all")


def test_deep_nesting_costs_bounded_work() -> None:
    depth = 5000
    inner = "<rdf:li><rdf:Bag>" * depth + "x" + "</rdf:Bag></rdf:li>" * depth
    data = packet(f"<dc:subject><rdf:Bag>{inner}</rdf:Bag></dc:subject>")
    col = Collector(ImageFormat.JPEG)
    xmp.read_xmp(data, col)  # must neither recurse without bound nor raise
    assert col.build().gps is None


def test_sidecar_never_raises_and_marks_gps_as_sidecar() -> None:
    bad = read_sidecar_xmp(b"\xff\xfe garbage", "x.xmp")
    assert bad.format is ImageFormat.XMP and bad.warnings and not bad.findings
    good = read_sidecar_xmp(packet("", "exif:GPSLatitude='1,30N' exif:GPSLongitude='2,0E'"), "a")
    assert good.gps is not None and good.gps.source == "sidecar"


def test_real_face_sidecars() -> None:
    folder = conftest.testdata_dir("d_metadata")
    names = {
        "pp_faces_adobe-mwg.xmp": ["Diana"],
        "pp_faces_mwg-regions.xmp": ["Ryan Gosling", "Pixel Face", "Not a face"],
    }
    for name, expected in names.items():
        result = read_sidecar_xmp((folder / name).read_bytes(), name)
        assert found(result, FindingKind.PERSON)["XMP:RegionName"] == expected
    creator = read_sidecar_xmp((folder / "pp_faces_adobe-mwg.xmp").read_bytes(), "x")
    assert found(creator, FindingKind.PERSON)["XMP:Creator"] == ["Jane Photographer"]


def test_mutated_real_packets_raise_only_xmp_errors() -> None:

    rng = random.Random(5)
    folder = conftest.testdata_dir("d_metadata")
    for path in sorted(folder.glob("*.xmp")):
        data = path.read_bytes()
        for _ in range(20):
            mutable = bytearray(data)
            for _k in range(rng.randint(1, 6)):
                mutable[rng.randrange(len(mutable))] = rng.choice(b"<>/\"'=:&;#\x00\xff ")
            with contextlib.suppress(rdf.XmpError):
                xmp.read_xmp(bytes(mutable), Collector(ImageFormat.XMP))


_ORACLE = ("RegionName", "RegionPersonDisplayName", "PersonInImage", "Creator")


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool not installed")
def test_every_real_sidecar_agrees_with_exiftool_on_names_and_gps() -> None:
    folder = conftest.testdata_dir("d_metadata")
    files = sorted(folder.glob("*.xmp"))
    args = ["exiftool", "-j", "-n", "-XMP:GPSLatitude", "-XMP:GPSLongitude"]
    args += [f"-XMP:{tag}" for tag in _ORACLE]
    out = subprocess.run([*args, *map(str, files)], capture_output=True, check=False, timeout=60)
    records = {rec["SourceFile"].rsplit("/", 1)[-1]: rec for rec in json.loads(out.stdout or b"[]")}
    assert records, "exiftool read no sidecar"
    for path in files:
        record = records.get(path.name, {})
        result = read_sidecar_xmp(path.read_bytes(), path.name)
        people = {v for f in result.findings if f.kind is FindingKind.PERSON for v in [f.value]}
        for tag in _ORACLE:
            values = record.get(tag)
            for value in values if isinstance(values, list) else [values] if values else []:
                assert str(value) in people, f"{path.name}: {tag} {value!r} missed"
        if isinstance(record.get("GPSLatitude"), float):
            assert result.gps is not None, f"{path.name}: GPS missed"
            assert result.gps.lat == pytest.approx(record["GPSLatitude"], abs=1e-5)
            assert result.gps.lon == pytest.approx(record["GPSLongitude"], abs=1e-5)
