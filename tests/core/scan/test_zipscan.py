"""Scanning a ``.zip`` export in place: same result as the extracted folder, hostile names
and zip bombs refused as per-member errors, nothing written anywhere, faces on members.

Every zip is built here in ``tmp_path``; real test data is copied into it at test time only.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from photoscan.errors import UsageError
from photoscan.model import FindingKind
from photoscan.scan.events import ScanResult
from photoscan.scan.jobs import ScanOptions
from photoscan.scan.run import scan_all
from tests.conftest import testdata_dir as _testdata_dir

NO_FACES = ScanOptions(faces=False, workers=1)
TAKEOUT = "Takeout/Google Photos/Album"
E_PHOTO = "immich-go/Takeout1/Google Photos/Album test 6-10-23/PXL_20231006_063000139.jpg"


def _jpeg(gps: tuple[float, float] | None = None) -> bytes:
    im = Image.new("RGB", (16, 16), (120, 80, 40))
    exif = Image.Exif()
    if gps is not None:
        lat, lon = gps
        exif.get_ifd(0x8825).update(
            {1: "N", 2: (lat, 0.0, 0.0), 3: "E", 4: (lon, 0.0, 0.0)}  # GPSInfo
        )
    out = io.BytesIO()
    im.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _export_files() -> dict[str, bytes]:
    """A Takeout-like album, a Flickr-like pair and a photo with EXIF GPS."""
    takeout_json = {"title": "IMG_1.jpg", "geoData": {"latitude": 48.8584, "longitude": 2.2945}}
    flickr_json = {
        "id": "123",
        "name": "beach",
        "geo": {"latitude": "49696401", "longitude": "-123159753", "accuracy": "15"},
    }
    return {
        f"{TAKEOUT}/IMG_1.jpg": _jpeg(),
        f"{TAKEOUT}/IMG_1.jpg.supplemental-metadata.json": json.dumps(takeout_json).encode(),
        "flickr/photo_123.json": json.dumps(flickr_json).encode(),
        "flickr/title_123_o.jpg": _jpeg(),
        "camera/gps.jpg": _jpeg((47.0, 8.0)),
        "notes.txt": b"just some text",
    }


def _write_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def _write_tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


def _summary(result: ScanResult) -> tuple[object, ...]:
    photos = {
        p.path: (p.gps, sorted({f.kind.value for f in p.findings}), p.sidecars)
        for p in result.photos
    }
    return photos, [(e.path, e.reason) for e in result.errors], result.skipped


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_zip_scans_like_the_extracted_folder(tmp_path: Path) -> None:
    files = _export_files()
    e_dir = _testdata_dir("e_export_sidecars")
    for name in (E_PHOTO, E_PHOTO + ".json"):  # real Takeout files, copied at test time
        files[f"real/{name}"] = (e_dir / name).read_bytes()
    archive = _write_zip(tmp_path / "export.zip", files)
    folder = _write_tree(tmp_path / "export", files)

    from_zip = scan_all(archive, NO_FACES)
    from_folder = scan_all(folder, NO_FACES)

    assert _summary(from_zip) == _summary(from_folder)
    assert from_zip.root == archive
    by_path = {p.path: p for p in from_zip.photos}
    takeout = by_path[f"{TAKEOUT}/IMG_1.jpg"]
    assert takeout.gps is not None and round(takeout.gps.lat, 4) == 48.8584
    assert takeout.sidecars == (f"{TAKEOUT}/IMG_1.jpg.supplemental-metadata.json",)
    flickr = by_path["flickr/title_123_o.jpg"]
    assert flickr.gps is not None and round(flickr.gps.lon, 3) == -123.160
    exif = by_path["camera/gps.jpg"]
    assert exif.gps is not None and (round(exif.gps.lat), round(exif.gps.lon)) == (47, 8)
    real = by_path[f"real/{E_PHOTO}"]
    assert any(f.kind is FindingKind.LOCATION for f in real.findings)
    # Nothing lost: every member is a photo, a sidecar of one, an error or skipped.
    sidecars = {s for p in from_zip.photos for s in p.sidecars}
    accounted = {p.path for p in from_zip.photos} | sidecars | {e.path for e in from_zip.errors}
    assert accounted | {s.path for s in from_zip.skipped} == set(files)


def test_cached_rescan_of_a_zip_sees_a_changed_member(tmp_path: Path) -> None:
    archive = _write_zip(tmp_path / "a.zip", {"p/gps.jpg": _jpeg((10.0, 20.0))})
    cached = ScanOptions(faces=False, workers=1, use_cache=True)
    first = scan_all(archive, cached)
    assert scan_all(archive, cached).photos == first.photos
    stat = archive.stat()
    _write_zip(archive, {"p/gps.jpg": _jpeg((30.0, 40.0))})
    os.utime(archive, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime: CRC differs
    again = scan_all(archive, cached)
    assert again.photos[0].gps is not None and round(again.photos[0].gps.lat) == 30


def test_unsafe_names_and_nested_zips_are_errors_and_nothing_is_written(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    archive = work / "slip.zip"
    good = _jpeg((47.0, 8.0))
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("ok/photo.jpg", good)
        zf.writestr("../evil.jpg", good)
        zf.writestr("C:/abs-evil.jpg", good)
        zf.writestr("ok/../../up.jpg", good)
        zf.writestr("inner/other.zip", b"PK\x03\x04 nested")
        zf.writestr("__MACOSX/ok/._photo.jpg", b"junk")
    before = _tree(tmp_path)

    result = scan_all(archive, NO_FACES)

    assert [p.path for p in result.photos] == ["ok/photo.jpg"]
    reasons = {e.path: e.reason for e in result.errors}
    assert "unsafe name" in reasons["../evil.jpg"]
    assert "unsafe name" in reasons["ok/../../up.jpg"]
    assert "not opened" in reasons["inner/other.zip"]
    assert [s.path for s in result.skipped] == ["__MACOSX/ok/._photo.jpg"]
    assert "unsafe name" in reasons["C:/abs-evil.jpg"]
    assert _tree(tmp_path) == before


def test_an_absolute_member_name_is_refused(tmp_path: Path) -> None:
    archive = _write_zip(tmp_path / "abs.zip", {"x.jpg": _jpeg()})
    raw = archive.read_bytes().replace(b"x.jpg", b"/x.jp")  # same length, absolute
    archive.write_bytes(raw)
    result = scan_all(archive, NO_FACES)
    assert result.photos == ()
    assert [(e.path, "unsafe name" in e.reason) for e in result.errors] == [("/x.jp", True)]


def test_a_zip_bomb_member_is_an_error_and_the_scan_goes_on(tmp_path: Path) -> None:
    archive = _write_zip(
        tmp_path / "bomb.zip", {"a/bomb.jpg": b"\xff\xd8" + bytes(30 << 20), "b/ok.jpg": _jpeg()}
    )
    assert archive.stat().st_size < 200_000
    result = scan_all(archive, NO_FACES)
    assert [p.path for p in result.photos] == ["b/ok.jpg"]
    (error,) = result.errors
    assert error.path == "a/bomb.jpg" and "zip bomb" in error.reason


def test_a_corrupt_member_is_an_error_naming_it(tmp_path: Path) -> None:
    photo = _jpeg((5.0, 6.0)) + bytes(4096)
    archive = _write_zip(tmp_path / "c.zip", {"good.jpg": photo, "bad.jpg": photo})
    raw = bytearray(archive.read_bytes())
    start = raw.index(b"bad.jpg") + len(b"bad.jpg") + 40  # inside bad.jpg's deflated data
    raw[start : start + 64] = bytes(64)
    archive.write_bytes(bytes(raw))
    result = scan_all(archive, NO_FACES)
    assert [p.path for p in result.photos] == ["good.jpg"]
    assert [e.path for e in result.errors] == ["bad.jpg"]


def test_a_corrupt_zip_root_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04" + bytes(200))
    with pytest.raises(UsageError, match="cannot read zip export"):
        scan_all(bad, NO_FACES)
    not_zip = tmp_path / "photo.jpg"  # not a zip: one photo (issue 14), scanned in its folder
    not_zip.write_bytes(_jpeg())
    result = scan_all(not_zip, NO_FACES)
    assert (result.root, result.photo) == (tmp_path, not_zip)
    assert [p.path for p in result.photos] == ["photo.jpg"] and result.errors == ()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match=r"not a folder, a photo or a \.zip export"):
        scan_all(fifo, NO_FACES)


def test_faces_are_found_in_a_zip_member(tmp_path: Path) -> None:
    couple = _testdata_dir("b_group_photos") / "deepface_couple.jpg"
    if not couple.is_file():
        pytest.skip("deepface_couple.jpg not in the test data")
    staged = tmp_path / "couple.jpg"
    shutil.copyfile(couple, staged)
    archive = _write_zip(tmp_path / "faces.zip", {"people/couple.jpg": staged.read_bytes()})
    result = scan_all(archive, ScanOptions(faces=True, workers=1, use_cache=False))
    (record,) = result.photos
    assert record.faces_scanned and record.face_error is None
    assert len(record.faces) >= 2


def test_an_encrypted_member_is_an_error_naming_it(tmp_path: Path) -> None:
    archive = _write_zip(tmp_path / "enc.zip", {"secret.jpg": _jpeg(), "open.jpg": _jpeg()})
    raw = bytearray(archive.read_bytes())
    central = raw.index(b"PK\x01\x02")  # the first entry of the central directory: secret.jpg
    raw[central + 8] |= 0x01  # general purpose flag: encrypted
    archive.write_bytes(bytes(raw))
    result = scan_all(archive, NO_FACES)
    assert [p.path for p in result.photos] == ["open.jpg"]
    assert [(e.path, e.reason) for e in result.errors] == [
        ("secret.jpg", "zip member refused: encrypted")
    ]
