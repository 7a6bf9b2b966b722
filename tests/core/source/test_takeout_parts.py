"""A multi-part Google Takeout export (``takeout-<stamp>-001.zip``, ``-002.zip``, …) is
scanned as one export whichever part is opened: a photo in one part and its JSON in another
are paired, each member is read from its own part, and duplicates, unreadable parts and gaps
in the numbering are errors naming them.

Every zip is built here in ``tmp_path``; real test data is zipped at test time only.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from photoscan.cli import stored as rescan
from photoscan.model import FindingKind
from photoscan.scan.events import ScanResult
from photoscan.scan.jobs import ScanOptions
from photoscan.scan.run import scan_all
from photoscan.source import takeoutparts, zipwalk
from photoscan.source.fileref import FileRef, close_archives, export_member, read_bytes
from tests.conftest import testdata_dir as _testdata_dir

NO_FACES = ScanOptions(faces=False, workers=1)
STAMP = "takeout-20231006T063000Z"
ALBUM = "Takeout/Google Photos/Trip"
PHOTO = f"{ALBUM}/IMG_1.jpg"
SIDECAR = f"{ALBUM}/IMG_1.jpg.supplemental-metadata.json"
SIDECAR_GEO = {"latitude": 48.8583736, "longitude": 2.291901, "altitude": 66.1}


def _jpeg(shade: int = 90) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (shade, 80, 40)).save(out, "JPEG")
    return out.getvalue()


def _sidecar() -> bytes:
    doc = {
        "title": "IMG_1.jpg",
        "photoTakenTime": {"timestamp": "1696573800"},
        "geoData": SIDECAR_GEO,
        "people": [{"name": "Alex Example"}],
    }
    return json.dumps(doc).encode()


def _write_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def _two_parts(folder: Path, stamp: str = STAMP) -> tuple[Path, Path]:
    """The photo (and a second photo) in part 1, the photo's JSON in part 2."""
    one = _write_zip(folder / f"{stamp}-001.zip", {PHOTO: _jpeg(), f"{ALBUM}/IMG_2.jpg": _jpeg(9)})
    two = _write_zip(folder / f"{stamp}-002.zip", {SIDECAR: _sidecar()})
    return one, two


def _shape(result: ScanResult) -> tuple[object, ...]:
    photos = {
        p.path: (p.gps, p.sidecars, sorted(f.field for f in p.findings)) for p in result.photos
    }
    return photos, [(e.path, e.reason) for e in result.errors]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("takeout-20231006T063000Z-001.zip", ("takeout-20231006t063000z", 1)),
        ("Takeout-20231006T063000Z-012.ZIP", ("takeout-20231006t063000z", 12)),
        ("takeout-20250912T060118Z-1-003.zip", ("takeout-20250912t060118z-1", 3)),
        ("takeout-20231006T063000Z-1000.zip", ("takeout-20231006t063000z", 1000)),
        ("takeout-20231006T063000Z.zip", None),  # a one-part export: nothing to gather
        ("takeout-001.zip", None),
        ("takeout-20231006T063000Z-01.zip", None),
        ("takeout-20231006T063000Z-000.zip", None),
        ("takeout-2023100GT063000Z-001.zip", None),
        ("takeout-20231006T063000Z-x-001.zip", None),
        ("takeout-20231006T063000Z-001.tgz", None),
        ("export-20231006T063000Z-001.zip", None),
        ("takeout-20231006T063000Z-\u0661\u0662\u0663.zip", None),  # Arabic-Indic digits
    ],
)
def test_part_names(name: str, expected: tuple[str, int] | None) -> None:
    assert takeoutparts.part_of(name) == expected


def test_parts_are_gathered_from_the_folder_by_export(tmp_path: Path) -> None:
    one, two = _two_parts(tmp_path)
    other = _write_zip(tmp_path / "takeout-20240101T000000Z-001.zip", {"x.jpg": _jpeg()})
    (tmp_path / f"{STAMP}-003.zip").mkdir()  # a folder named like a part is no part
    assert takeoutparts.export_parts(two) == [(1, one), (2, two)]
    assert takeoutparts.export_parts(other) == [(1, other)]
    assert takeoutparts.missing_numbers([1, 3, 5]) == [2, 4]
    assert takeoutparts.part_name(two, 7) == f"{STAMP}-007.zip"


@pytest.mark.parametrize("opened", [0, 1])
def test_a_sidecar_in_another_part_is_paired_whichever_part_is_opened(
    tmp_path: Path, opened: int
) -> None:
    parts = _two_parts(tmp_path)
    result = scan_all(parts[opened], NO_FACES)
    assert result.root == parts[opened]  # the path the user gave
    assert result.errors == ()  # the JSON is not an orphan
    (photo, other) = result.photos
    assert photo.path == PHOTO and photo.sidecars == (SIDECAR,)
    assert photo.gps is not None and photo.gps.source == "sidecar"
    assert (photo.gps.lat, photo.gps.lon) == (48.8583736, 2.291901)
    fields = {(f.kind, f.field) for f in photo.findings}
    assert (FindingKind.LOCATION, "Takeout:geoData") in fields
    assert (FindingKind.PERSON, "Takeout:people") in fields
    assert other.gps is None and other.sidecars == ()


def test_opening_either_part_gives_the_same_result(tmp_path: Path) -> None:
    one, two = _two_parts(tmp_path)
    assert _shape(scan_all(one, NO_FACES)) == _shape(scan_all(two, NO_FACES))


def test_each_member_is_read_from_its_own_part(tmp_path: Path) -> None:
    one, two = _two_parts(tmp_path)
    walked = zipwalk.walk_zip(two)
    where = {c.file.rel: c.file.path for c in walked.files}
    assert where == {PHOTO: one, f"{ALBUM}/IMG_2.jpg": one}
    (cand,) = [c for c in walked.files if c.file.rel == PHOTO]
    assert [(s.rel, s.path) for s in cand.sidecars.all()] == [(SIDECAR, two)]
    assert cand.file.mtime_ns == os.stat(one).st_mtime_ns
    assert export_member(two, PHOTO) == FileRef(str(one), PHOTO)
    assert export_member(one, SIDECAR) == FileRef(str(two), SIDECAR)
    assert export_member(one, "not/there.jpg") == FileRef(str(one), "not/there.jpg")
    try:  # reading members of both parts in turn through the per-thread archives
        assert read_bytes(export_member(two, PHOTO), 1 << 20) == _jpeg()
        assert json.loads(read_bytes(export_member(two, SIDECAR), 1 << 20))["title"] == "IMG_1.jpg"
    finally:
        close_archives()


def test_a_name_in_two_parts_is_read_from_the_first_and_the_other_is_an_error(
    tmp_path: Path,
) -> None:
    one, two = _two_parts(tmp_path)
    _write_zip(tmp_path / f"{STAMP}-003.zip", {PHOTO: _jpeg(200), f"{ALBUM}/IMG_3.jpg": _jpeg()})
    result = scan_all(tmp_path / f"{STAMP}-003.zip", NO_FACES)
    assert [p.path for p in result.photos] == [PHOTO, f"{ALBUM}/IMG_2.jpg", f"{ALBUM}/IMG_3.jpg"]
    assert [(e.path, e.reason) for e in result.errors] == [
        (
            PHOTO,
            f"duplicate: also in {one.name}, which is read (the copy in {STAMP}-003.zip is not)",
        )
    ]
    walked = zipwalk.walk_zip(two)
    (cand,) = [c for c in walked.files if c.file.rel == PHOTO]
    assert cand.file.path == one


@pytest.mark.parametrize("damage", ["garbage", "truncated", "encrypted-looking", "empty"])
def test_a_part_that_cannot_be_opened_is_an_error_and_the_others_are_scanned(
    tmp_path: Path, damage: str
) -> None:
    one, two = _two_parts(tmp_path)
    data = two.read_bytes()
    broken = {
        "garbage": b"PK\x03\x04" + bytes(200),
        "truncated": data[: len(data) // 2],
        "encrypted-looking": b"not a zip at all",
        "empty": b"",
    }[damage]
    two.write_bytes(broken)
    for opened in (one, two):
        result = scan_all(opened, NO_FACES)
        assert {p.path for p in result.photos} == {PHOTO, f"{ALBUM}/IMG_2.jpg"}
        (error,) = result.errors
        assert error.path == two.name and error.reason.startswith(
            "cannot open this part of the export: "
        )


def test_an_encrypted_member_in_one_part_is_refused_alone(tmp_path: Path) -> None:
    one, two = _two_parts(tmp_path)
    raw = bytearray(two.read_bytes())
    # Set the "encrypted" flag in the central directory entry (ZipArchive refuses it).
    cd = raw.rindex(b"PK\x01\x02")
    raw[cd + 8] |= 0x1
    two.write_bytes(bytes(raw))
    result = scan_all(one, NO_FACES)
    assert [(e.path, e.reason) for e in result.errors] == [
        (SIDECAR, "zip member refused: encrypted")
    ]
    assert all(p.gps is None for p in result.photos)


def test_a_missing_middle_part_is_reported(tmp_path: Path) -> None:
    one = _write_zip(tmp_path / f"{STAMP}-001.zip", {PHOTO: _jpeg()})
    _write_zip(tmp_path / f"{STAMP}-003.zip", {SIDECAR: _sidecar()})
    result = scan_all(one, NO_FACES)
    (photo,) = result.photos
    assert photo.gps is not None  # parts 1 and 3 still pair
    assert [(e.path, e.reason) for e in result.errors] == [
        (
            f"{STAMP}-002.zip",
            "part 2 of this export is missing from its folder "
            "(its photos and sidecars are not scanned)",
        )
    ]


def test_the_n_nnn_variant_and_case_are_one_export(tmp_path: Path) -> None:
    stamp = "Takeout-20250912T060118Z-1"
    _write_zip(tmp_path / f"{stamp}-001.ZIP", {PHOTO: _jpeg()})
    two = _write_zip(tmp_path / "takeout-20250912T060118Z-1-002.zip", {SIDECAR: _sidecar()})
    _write_zip(tmp_path / "takeout-20250912T060118Z-2-001.zip", {f"{ALBUM}/x.jpg": _jpeg()})
    result = scan_all(two, NO_FACES)
    assert [p.path for p in result.photos] == [PHOTO] and result.errors == ()
    assert result.photos[0].sidecars == (SIDECAR,)


def test_a_zip_not_named_like_a_part_is_scanned_alone(tmp_path: Path) -> None:
    _two_parts(tmp_path)  # parts of another export beside it are left alone
    alone = _write_zip(tmp_path / "photos-001.zip", {PHOTO: _jpeg()})
    result = scan_all(alone, NO_FACES)
    assert [p.path for p in result.photos] == [PHOTO]
    assert result.photos[0].gps is None and result.errors == ()
    one_part = _write_zip(tmp_path / "sub.zip", {SIDECAR: _sidecar()})
    assert [e.path for e in scan_all(one_part, NO_FACES).errors] == [SIDECAR]  # an orphan


def test_the_cache_keys_a_member_by_its_own_part(tmp_path: Path) -> None:
    one, two = _two_parts(tmp_path)
    first = scan_all(one, ScanOptions(faces=False, workers=1))
    _write_zip(two, {SIDECAR: json.dumps({"title": "IMG_1.jpg"}).encode()})  # no position now
    second = scan_all(one, ScanOptions(faces=False, workers=1))
    assert first.photos[0].gps is not None
    assert second.photos[0].path == PHOTO and second.photos[0].gps is None


def test_the_stored_output_key_covers_every_part(tmp_path: Path) -> None:
    one, two = _two_parts(tmp_path)
    before = rescan.tree_fingerprint(one)
    assert before is not None and before == rescan.tree_fingerprint(one)
    assert rescan.tree_fingerprint(two) == before  # the same export, whichever part
    _write_zip(two, {SIDECAR: b"{}"})  # part 2 rewritten
    changed = rescan.tree_fingerprint(one)
    assert changed not in (None, before)
    three = _write_zip(tmp_path / f"{STAMP}-003.zip", {"x.jpg": _jpeg()})
    added = rescan.tree_fingerprint(one)
    assert added not in (None, changed)
    three.unlink()
    assert rescan.tree_fingerprint(one) == changed  # removed again: as it was
    two.unlink()
    assert rescan.tree_fingerprint(one) not in (None, changed)
    _write_zip(tmp_path / "unrelated.zip", {"x.jpg": _jpeg()})  # not a part: no effect
    assert rescan.tree_fingerprint(one) == rescan.tree_fingerprint(one)


def _real_takeout_in_two_parts(folder: Path) -> tuple[Path, Path, Path]:
    """immich-go's Takeout1 album: its photos in part 1, every JSON in part 2."""
    source = _testdata_dir("e_export_sidecars") / "immich-go"
    files = sorted(p for p in (source / "Takeout1").rglob("*") if p.is_file())
    photos = {
        p.relative_to(source).as_posix(): p.read_bytes() for p in files if p.suffix != ".json"
    }
    jsons = {p.relative_to(source).as_posix(): p.read_bytes() for p in files if p.suffix == ".json"}
    one = _write_zip(folder / f"{STAMP}-001.zip", photos)
    two = _write_zip(folder / f"{STAMP}-002.zip", jsons)
    return source, one, two


def test_the_real_takeout_export_split_in_two_parts_gets_every_position(tmp_path: Path) -> None:
    source, one, two = _real_takeout_in_two_parts(tmp_path)
    result = scan_all(two, NO_FACES)
    assert len(result.photos) == 7
    for photo in result.photos:
        doc = json.loads((source / f"{photo.path}.json").read_bytes())
        geo = doc["geoData"]
        assert f"{photo.path}.json" in photo.sidecars
        assert any(s.endswith("métadonnées.json") for s in photo.sidecars)  # the album's
        sidecar_gps = [
            f.value
            for f in photo.findings
            if (f.kind, f.field) == (FindingKind.LOCATION, "Takeout:geoData")
        ]
        assert sidecar_gps == [f"{geo['latitude']}, {geo['longitude']}"]
        assert photo.gps is not None
        assert (photo.gps.lat, photo.gps.lon) == pytest.approx((geo["latitude"], geo["longitude"]))
    # Only the JSON of a video that is not in the export stays unmatched.
    assert [e.path for e in result.errors] == [
        "Takeout1/Google Photos/Album test 6-10-23/PXL_20231006_063909898.LS.mp4.json"
    ]
    assert _shape(scan_all(one, NO_FACES)) == _shape(result)
