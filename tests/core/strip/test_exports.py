"""Strip and share a ``.zip`` export to clean copies: members read in place, mirrored paths,
zip-slip-safe, sidecars not copied, multi-part Takeout merged, in place refused."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from photoscan.cancel import CancelToken
from photoscan.errors import UsageError
from photoscan.model import ImageFormat
from photoscan.strip import FileResult, StripOptions, StripStatus, strip_bytes
from photoscan.strip.batch import apply
from photoscan.strip.plan import SIDECAR_NOT_COPIED, export_plan, plan
from tests.core.strip import fixtures

STAMP = "takeout-20231006T063000Z"


def write_zip(path: Path, members: dict[str, bytes], links: tuple[str, ...] = ()) -> Path:
    """A zip of ``members`` in order (names written raw, unsafe ones too) and symbolic-link
    members named ``links``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name), data)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return path


def _export(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    photos = {
        "Takeout/Google Photos/Trip/IMG_1.jpg": fixtures.dirty_jpeg(orientation=1),
        "Takeout/Google Photos/Trip/IMG_2.png": fixtures.dirty_png(),
        "top.jpg": fixtures.dirty_jpeg(orientation=3),
    }
    others = {
        "Takeout/Google Photos/Trip/IMG_1.jpg.json": b'{"geoData": {"latitude": 47.6}}',
        "Takeout/Google Photos/Trip/IMG_2.png.xmp": fixtures.XMP,
        "Takeout/archive_browser.html": b"<html></html>",
        "../evil.jpg": fixtures.dirty_jpeg(),
        "/abs.jpg": fixtures.dirty_jpeg(),
        "inner/nested.zip": b"PK\x03\x04",
        "__MACOSX/._top.jpg": b"junk",
    }
    path = write_zip(tmp_path / "export.zip", {**photos, **others}, links=("link.jpg",))
    return path, photos


def _by_member(path: Path, results: list[FileResult]) -> dict[str, FileResult]:
    prefix = f"{path}/"
    assert all(r.path.startswith(prefix) for r in results)
    return {r.path[len(prefix) :]: r for r in results}


def test_a_zip_export_is_stripped_to_mirrored_clean_copies(tmp_path: Path) -> None:
    path, photos = _export(tmp_path)
    before = path.read_bytes()
    out = tmp_path / "out"
    results = list(apply(plan([path], out=out), StripOptions()))
    by = _by_member(path, results)
    fmt = {".jpg": ImageFormat.JPEG, ".png": ImageFormat.PNG}
    for name, data in photos.items():
        result = by[name]
        assert result.status is StripStatus.STRIPPED, result
        copy = out.joinpath(*name.split("/"))
        assert result.output == str(copy)
        expected = strip_bytes(data, fmt[copy.suffix], StripOptions()).data
        assert copy.read_bytes() == expected
        assert stat.S_IMODE(copy.stat().st_mode) == 0o644
    for sidecar in ("IMG_1.jpg.json", "IMG_2.png.xmp"):
        result = by[f"Takeout/Google Photos/Trip/{sidecar}"]
        assert result.status is StripStatus.REFUSED
        assert result.reason == SIDECAR_NOT_COPIED
    refused = {r.path: r.reason for r in results if r.status is StripStatus.REFUSED}
    assert any("unsafe name" in reason for reason in refused.values())
    assert any("symbolic link" in reason for reason in refused.values())
    assert any("zip archive inside" in reason for reason in refused.values())
    assert all(reason.endswith("not copied") for reason in refused.values())
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == sorted(photos)  # nothing but the photos; nothing outside ``out``
    assert not (tmp_path / "evil.jpg").exists() and not Path("/abs.jpg").exists()
    assert path.read_bytes() == before  # the zip itself is never touched


def test_in_place_is_refused_for_a_zip_with_the_reason(tmp_path: Path) -> None:
    path, _ = _export(tmp_path)
    with pytest.raises(UsageError, match=r"cannot be changed in place.*--out"):
        plan([path], backup_dir=tmp_path / "backups")


def test_a_multi_part_takeout_is_stripped_as_one_export(tmp_path: Path) -> None:
    first = write_zip(tmp_path / f"{STAMP}-001.zip", {"Takeout/a.jpg": fixtures.dirty_jpeg()})
    write_zip(tmp_path / f"{STAMP}-002.zip", {"Takeout/sub/b.png": fixtures.dirty_png()})
    out = tmp_path / "out"
    results = list(apply(plan([first], out=out), StripOptions()))
    assert {r.status for r in results} == {StripStatus.STRIPPED}
    assert (out / "Takeout" / "a.jpg").is_file() and (out / "Takeout" / "sub" / "b.png").is_file()
    # Both parts given: the export is planned once.
    again = plan([first, tmp_path / f"{STAMP}-002.zip"], out=tmp_path / "out2")
    assert len(again.jobs) == 2


def test_export_plan_picks_members_for_the_app(tmp_path: Path) -> None:
    path, _ = _export(tmp_path)
    the_plan = export_plan(
        path, tmp_path / "out", ["top.jpg", "Takeout/Google Photos/Trip/IMG_2.png"]
    )
    assert [j.display for j in the_plan.jobs] == ["Takeout/Google Photos/Trip/IMG_2.png", "top.jpg"]
    assert not the_plan.in_place
    results = list(apply(the_plan, StripOptions()))
    assert [r.status for r in results] == [StripStatus.STRIPPED, StripStatus.STRIPPED]


def test_strip_cancel_reports_every_copy_written(tmp_path: Path) -> None:
    members = {f"p{i:02d}.jpg": fixtures.dirty_jpeg(orientation=1 + i % 8) for i in range(12)}
    path = write_zip(tmp_path / "many.zip", members)
    out = tmp_path / "out"
    cancel = CancelToken()
    results = []
    for result in apply(plan([path], out=out), StripOptions(), cancel=cancel):
        results.append(result)
        cancel.cancel()
    outputs = sorted(r.output for r in results if r.output is not None)
    assert outputs == sorted(str(p) for p in out.rglob("*") if p.is_file())
    assert 1 <= len(outputs) < len(members)
