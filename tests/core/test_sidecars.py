"""Export sidecars: every Takeout/Flickr/XMP/Picasa naming variant, and what each reader gives."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from photoscan.errors import CorruptFile, FileTooLarge
from photoscan.model import FindingKind, Gps, PhotoRecord, Severity
from photoscan.risk import assess, has_open_licence, is_public
from photoscan.sidecars.picasa import parse_rect64
from photoscan.sidecars.readers import apply_sidecar, read_sidecar
from photoscan.source.pairing import SidecarKind, SidecarRef, flickr_id, pair_sidecars, takeout_key
from photoscan.source.ziparchive import ZipArchive
from tests.conftest import testdata_dir as _testdata_dir

K = SidecarKind


@pytest.mark.parametrize(
    ("photo", "sidecar"),
    [
        ("IMG_1.jpg", "IMG_1.jpg.json"),
        ("IMG_1.jpg", "IMG_1.jpg.supplemental-metadata.json"),
        ("IMG_1.jpg", "IMG_1.jpg.supplemental-metad.json"),
        ("IMG_1.jpg", "IMG_1.jpg.suppl.json"),
        ("IMG_1.jpg", "IMG_1.jpg.s.json"),
        ("IMG_1.JPG", "IMG_1.JPG.supplemental-me.json"),
        ("IMG_1.jpg", "IMG_1.json"),  # extension left out
        ("IMG_1.jpg", "IMG_1.supplemental-metadata.json"),
        ("IMG(1).jpg", "IMG.jpg(1).json"),
        ("IMG(1).jpg", "IMG.jpg.supplemental-metadata(1).json"),
        ("IMG(1).jpg", "IMG(1).jpg.json"),
        ("skytree (2).jpg", "skytree (2).jpg.supplemental-metadata.json"),
        ("Negative0-36(1)(1).jpg", "Negative0-36(1).jpg.supplemental-metadata(1).json"),
        ("IMG_1-edited.jpg", "IMG_1.jpg.json"),
        ("20220322_205147-edited(1).jpg", "20220322_205147.jpg.supplemental-metadata(1).json"),
        ("IMG_1-bearbeitet.jpg", "IMG_1.jpg.supplemental-metadata.json"),
        # Takeout's 46-character cut of the JSON stem
        ("PXL_20241231_151646544.MP.jpg", "PXL_20241231_151646544.MP.jpg.supplemental-met.json"),
        (
            "PXL_20240827_094331806.PORTRAIT(1).jpg",
            "PXL_20240827_094331806.PORTRAIT.jpg.supplement(1).json",
        ),
        (
            "PXL_20240506_142610305.LONG_EXPOSURE-01.COVER.jpg",
            "PXL_20240506_142610305.LONG_EXPOSURE-01.COVER..json",
        ),
        (
            "a_really_long_file_name_that_google_truncates_xx.jpg",
            "a_really_long_file_name_that_google_truncates_.json",
        ),
        # a 47-character photo name (Takeout's cut of media names) with its cut JSON
        (
            "Screenshot_20200101-101010_Some Messenger App.jpg"[:43] + ".jpg",
            ("Screenshot_20200101-101010_Some Messenger App.jpg"[:43] + ".jpg")[:46] + ".json",
        ),
        # XMP
        ("DSC_1.NEF", "DSC_1.NEF.xmp"),
        ("DSC_1.NEF", "DSC_1.xmp"),
    ],
)
def test_pairs_each_naming_variant(photo: str, sidecar: str) -> None:
    index = pair_sidecars([f"album/{photo}", f"album/{sidecar}", "album/other.jpg"])
    refs = index.for_photo(f"album/{photo}")
    assert [r.path for r in refs] == [f"album/{sidecar}"]
    assert index.for_photo("album/other.jpg") == ()
    assert index.unmatched == ()


def test_counter_sidecar_goes_to_the_copy_not_the_original() -> None:
    files = ["d/IMG.jpg", "d/IMG(1).jpg", "d/IMG.jpg.json", "d/IMG.jpg(1).json"]
    index = pair_sidecars(files)
    assert index.for_photo("d/IMG.jpg") == (SidecarRef(K.TAKEOUT, "d/IMG.jpg.json"),)
    assert index.for_photo("d/IMG(1).jpg") == (SidecarRef(K.TAKEOUT, "d/IMG.jpg(1).json"),)


def test_sidecars_pair_only_within_their_folder() -> None:
    index = pair_sidecars(["a/IMG.jpg", "b/IMG.jpg.json"])
    assert index.for_photo("a/IMG.jpg") == ()
    assert index.unmatched == ("b/IMG.jpg.json",)


@pytest.mark.parametrize("album", ["metadata.json", "métadonnées.json", "Metadaten.json"])
def test_album_metadata_describes_every_photo_in_its_folder(album: str) -> None:
    index = pair_sidecars(["A/x.jpg", "A/y.jpg", f"A/{album}", "B/z.jpg"])
    assert index.for_photo("A/x.jpg") == (SidecarRef(K.TAKEOUT_ALBUM, f"A/{album}"),)
    assert index.for_photo("A/y.jpg") == (SidecarRef(K.TAKEOUT_ALBUM, f"A/{album}"),)
    assert index.for_photo("B/z.jpg") == ()


def test_decomposed_unicode_album_name() -> None:
    nfd = "me\u0301tadonne\u0301es.json"
    index = pair_sidecars(["A/x.jpg", f"A/{nfd}"])
    assert index.for_photo("A/x.jpg")[0].kind is K.TAKEOUT_ALBUM


@pytest.mark.parametrize(
    ("photo", "pid"),
    [
        ("killarney-lake_2634391576_o.jpg", "2634391576"),
        ("2634391576_6ab6f1017f_o.jpg", "2634391576"),
        ("2634391576_6ab6f1017f_o.PNG", "2634391576"),
        ("img_2008_07_01_2634391576_o.jpg", "2634391576"),
        ("holiday.jpg", None),
        ("IMG_1234.jpg", None),
    ],
)
def test_flickr_ids_in_photo_names(photo: str, pid: str | None) -> None:
    assert flickr_id(photo) == pid


def test_flickr_pairs_across_folders_by_id() -> None:
    files = [
        "account/photo_2634391576.json",
        "account/photo_1111.json",
        "data-1/killarney-lake_2634391576_o.jpg",
        "data-2/2634391576_6ab6f1017f_o.jpg",
        "data-2/unrelated_999_o.jpg",
    ]
    index = pair_sidecars(files)
    ref = SidecarRef(K.FLICKR, "account/photo_2634391576.json")
    assert index.for_photo("data-1/killarney-lake_2634391576_o.jpg") == (ref,)
    assert index.for_photo("data-2/2634391576_6ab6f1017f_o.jpg") == (ref,)
    assert index.for_photo("data-2/unrelated_999_o.jpg") == ()
    assert index.unmatched == ("account/photo_1111.json",)


def test_picasa_ini_describes_its_folder() -> None:
    index = pair_sidecars(["p/a.jpg", "p/.picasa.ini", "p/a.jpg.xmp"])
    assert index.for_photo("p/a.jpg") == (
        SidecarRef(K.XMP, "p/a.jpg.xmp"),
        SidecarRef(K.PICASA, "p/.picasa.ini"),
    )


@pytest.mark.parametrize(
    ("name", "base", "counter", "truncated"),
    [
        ("IMG.jpg.json", "IMG.jpg", None, False),
        ("IMG.jpg.supplemental-metadata(3).json", "IMG.jpg", 3, False),
        ("IMG.jpg(1).json", "IMG.jpg", 1, False),
        ("x" * 46 + ".json", "x" * 46, None, True),
    ],
)
def test_takeout_key(name: str, base: str, counter: int | None, truncated: bool) -> None:
    key = takeout_key(name)
    assert key is not None and (key.base, key.counter, key.truncated) == (base, counter, truncated)
    assert takeout_key("metadata.json") is None


def takeout_json(**fields: object) -> bytes:
    doc: dict[str, object] = {
        "title": "IMG.jpg",
        "photoTakenTime": {"timestamp": "1696574331"},
        "geoData": {"latitude": 0.0, "longitude": 0.0, "altitude": 0.0},
        "geoDataExif": {"latitude": 0.0, "longitude": 0.0, "altitude": 0.0},
    }
    doc.update(fields)
    return json.dumps(doc).encode()


def test_takeout_reader() -> None:
    info = read_sidecar(
        K.TAKEOUT,
        takeout_json(
            geoData={"latitude": 48.8583736, "longitude": 2.291901, "altitude": 66.1},
            people=[{"name": "Ann Example"}, {"name": "Bob\x07 Example"}],
            description="Birthday at grandma's",
        ),
        "IMG.jpg.json",
    )
    assert info.gps == Gps(48.8583736, 2.291901, "sidecar", 66.1)
    kinds = {(f.kind, f.value) for f in info.findings}
    assert (FindingKind.PERSON, "Ann Example") in kinds
    assert (FindingKind.PERSON, "Bob Example") in kinds  # control character removed
    assert (FindingKind.DATETIME, "2023-10-06 06:38:51 UTC") in kinds
    assert (FindingKind.TEXT, "Birthday at grandma's") in kinds


def test_takeout_zero_geo_means_unknown_and_exif_geo_is_a_fallback() -> None:
    assert read_sidecar(K.TAKEOUT, takeout_json(), "a.json").gps is None
    info = read_sidecar(
        K.TAKEOUT, takeout_json(geoDataExif={"latitude": 1.5, "longitude": 2.5}), "a.json"
    )
    assert info.gps is not None and (info.gps.lat, info.gps.lon) == (1.5, 2.5)


@pytest.mark.parametrize(
    "data",
    [b"not json", b"\xff\xfe\x00", b"[" * 100_000 + b"]" * 100_000],
)
def test_broken_json_is_a_corrupt_file(data: bytes) -> None:
    with pytest.raises(CorruptFile):
        read_sidecar(K.TAKEOUT, data, "x.json")


def test_unknown_json_shapes_give_nothing_and_huge_ones_are_refused() -> None:
    assert read_sidecar(K.TAKEOUT, b"[1, 2]", "x.json").findings == ()
    assert read_sidecar(K.FLICKR, b'{"geo": "x", "people": 5}', "x.json").gps is None
    with pytest.raises(FileTooLarge):
        read_sidecar(K.TAKEOUT, b" " * (9 * 1024 * 1024), "x.json")


def flickr_json(**fields: object) -> bytes:
    doc: dict[str, object] = {
        "id": "42",
        "photopage": "https://www.flickr.com/photos/someone/42/",
        "license": "Attribution License",
        "privacy": "public",
        "safety": "safe",
        "geo": {"latitude": "49696401", "longitude": "-123159753", "accuracy": "15"},
        "people": [{"username": "ann_e"}],
        "tags": [{"tag": "family"}, {"tag": "beach"}],
        "date_taken": "2008-07-01 13:04:18",
    }
    doc.update(fields)
    return json.dumps(doc).encode()


def test_flickr_reader() -> None:
    info = read_sidecar(K.FLICKR, flickr_json(), "photo_42.json")
    assert info.gps == Gps(49.696401, -123.159753, "sidecar")
    assert info.photopage == "https://www.flickr.com/photos/someone/42/"
    assert is_public(info.findings) and has_open_licence(info.findings)
    values = {(f.field, f.value, f.severity) for f in info.findings}
    assert ("Flickr:privacy", "public", Severity.HIGH) in values
    assert ("Flickr:license", "Attribution License", Severity.HIGH) in values
    assert ("Flickr:people", "ann_e", Severity.HIGH) in values
    assert ("Flickr:tags", "family, beach", Severity.LOW) in values


def test_flickr_private_all_rights_reserved_and_foreign_photopage() -> None:
    info = read_sidecar(
        K.FLICKR,
        flickr_json(
            privacy="friends & family",
            license="All Rights Reserved",
            photopage="https://evil.example/x",
            geo={"latitude": "0", "longitude": "0"},
        ),
        "photo_42.json",
    )
    assert not is_public(info.findings) and not has_open_licence(info.findings)
    assert info.photopage is None and info.gps is None


def test_picasa_faces_and_contacts() -> None:
    ini = (
        b"[Contacts2]\n8e62398ebda8c1a5=Ann Example;;\n"
        b"[IMG_1.JPG]\nfaces=rect64(3f845bcb59418507),8e62398ebda8c1a5;"
        b"rect64(9eb15e89b6b584c1),ffffffffffffffff\nbackuphash=1234\n"
        b"[other.jpg]\nfaces=rect64(0000000080008000),8e62398ebda8c1a5\n"
    )
    info = read_sidecar(K.PICASA, ini, ".picasa.ini", photo_name="img_1.jpg")
    regions = [f for f in info.findings if f.kind is FindingKind.FACE_REGION]
    people = [f.value for f in info.findings if f.kind is FindingKind.PERSON]
    assert len(regions) == 2 and people == ["Ann Example"]
    assert read_sidecar(K.PICASA, ini, ".picasa.ini", photo_name="nope.jpg").findings == ()
    left, top, right, _bottom = parse_rect64("0000000080008000")
    assert (left, top) == (0.0, 0.0) and right == pytest.approx(0.5, abs=1e-4)
    with pytest.raises(CorruptFile):
        read_sidecar(K.PICASA, b"faces=no section header", ".picasa.ini", "a.jpg")


def test_apply_sidecar_fills_gps_only_when_missing() -> None:
    info = read_sidecar(K.FLICKR, flickr_json(), "photo_42.json")
    bare = PhotoRecord("a.jpg", "JPEG", 1, 1)
    own = PhotoRecord("b.jpg", "JPEG", 1, 1, gps=Gps(1.0, 2.0, "exif"))
    applied = apply_sidecar(bare, info, "photo_42.json")
    assert applied.gps is not None and applied.gps.source == "sidecar"
    assert applied.sidecars == ("photo_42.json",)
    kept = apply_sidecar(own, info)
    assert kept.gps == Gps(1.0, 2.0, "exif")
    assert apply_sidecar(applied, info, "photo_42.json") == applied  # idempotent
    risky = assess(applied)
    assert risky.risk is not None and risky.risk.level.value == "high"


def _read_all(root: Path) -> dict[str, PhotoRecord]:
    files = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    index = pair_sidecars(files)
    records: dict[str, PhotoRecord] = {}
    for photo, refs in index.by_photo.items():
        record = PhotoRecord(photo, "JPEG", None, None)
        for ref in refs:
            data = (root / ref.path).read_bytes()
            info = read_sidecar(ref.kind, data, ref.path, photo.rsplit("/", 1)[-1])
            record = apply_sidecar(record, info, ref.path)
        records[photo] = record
    return records


def test_real_takeout_export_gets_gps_from_every_non_zero_geodata() -> None:
    root = _testdata_dir("e_export_sidecars")
    records = _read_all(root)
    takeout = [p for p in root.rglob("*.json") if "Takeout1" in str(p)]
    expected = 0
    for path in takeout:
        doc = json.loads(path.read_bytes())
        geo = doc.get("geoData") or {}
        photo = path.with_name(path.name[: -len(".json")])
        if geo.get("latitude") and photo.exists():
            expected += 1
            record = records[photo.relative_to(root).as_posix()]
            assert record.gps is not None and record.gps.source == "sidecar"
            assert (record.gps.lat, record.gps.lon) == (geo["latitude"], geo["longitude"])
            assert record.sidecars  # the album métadonnées.json and the photo's JSON
    assert expected == 7


def test_real_flickr_json_privacy_and_licence_become_visibility() -> None:
    root = _testdata_dir("e_export_sidecars")
    info = read_sidecar(K.FLICKR, (root / "flickr/photo_2634391576.json").read_bytes(), "x")
    visibility = {f.field: f.value for f in info.findings if f.kind is FindingKind.VISIBILITY}
    assert visibility["Flickr:privacy"] == "public"
    assert "Flickr:license" in visibility  # null in this export: said so, not guessed
    assert info.gps is not None and round(info.gps.lat, 4) == 49.6964
    assert info.photopage == "https://www.flickr.com/photos/boris/2634391576/"
    # A photo exported beside it pairs by id.
    index = pair_sidecars(["flickr/photo_2634391576.json", "x/killarney-lake_2634391576_o.jpg"])
    assert index.for_photo("x/killarney-lake_2634391576_o.jpg")[0].kind is K.FLICKR


def test_xmp_sidecar_goes_through_the_metadata_reader() -> None:
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        b'rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" '
        b'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
        b'exif:GPSLatitude="52,9.6N" exif:GPSLongitude="4,29.82E"><Iptc4xmpExt:PersonInImage>'
        b"<rdf:Bag><rdf:li>Ann Example</rdf:li></rdf:Bag></Iptc4xmpExt:PersonInImage>"
        b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    info = read_sidecar(K.XMP, xmp, "a.jpg.xmp")
    assert info.gps is not None and info.gps.source == "sidecar"
    assert (round(info.gps.lat, 3), round(info.gps.lon, 3)) == (52.16, 4.497)
    assert any(f.kind is FindingKind.PERSON and f.value == "Ann Example" for f in info.findings)


def test_a_zipped_takeout_export_is_read_in_place(tmp_path: Path) -> None:
    """Pairing works on member names, reading on member bytes: nothing is extracted."""
    zpath = tmp_path / "takeout-001.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("Takeout/Google Photos/Trip/IMG(1).jpg", b"\xff\xd8\xff\xd9")
        zf.writestr(
            "Takeout/Google Photos/Trip/IMG.jpg.supplemental-metadata(1).json",
            takeout_json(geoData={"latitude": 45.5, "longitude": -73.56}),
        )
        zf.writestr("../../evil.json", b"{}")
    with ZipArchive(zpath) as archive:
        names = [m.name for m in archive.members()]
        index = pair_sidecars(names)
        photo = "Takeout/Google Photos/Trip/IMG(1).jpg"
        (ref,) = index.for_photo(photo)
        info = read_sidecar(ref.kind, archive.read(ref.path), ref.path)
    record = apply_sidecar(PhotoRecord(photo, "JPEG", None, None), info, ref.path)
    assert record.gps == Gps(45.5, -73.56, "sidecar", None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["takeout-001.zip"]
