"""``photoscan strip`` on videos beside photos: the same command, JSON, dry run, copies,
in place with backups, many files through the process pool, and a video over 1 GiB."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from photoscan.cli.main import main
from photoscan.metadata.video.read import read_video
from photoscan.strip import batch
from photoscan.strip.types import StripOptions, StripStatus
from tests import videos as fx
from tests.core.strip import fixtures


def _folder(root: Path) -> Path:
    root.mkdir()
    fx.make_clip(root / "keys.mov", metadata=fx.APPLE_KEYS, keys=True)
    fx.make_clip(root / "gopro.mov", gpmd=fx.gpmf_gps(47.6205, -122.3493, 56.0))
    (root / "p.jpg").write_bytes(fixtures.dirty_jpeg())
    return root


def _kinds(path: Path) -> set[str]:
    with open(path, "rb") as fh:
        return {f.kind.value for f in read_video(fh, path.name).findings}


def test_videos_and_photos_in_one_json_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photos = _folder(tmp_path / "in")
    out = tmp_path / "out"
    assert main(["strip", str(photos), "--out", str(out), "--json", "-"]) == 0
    doc = json.loads(capsys.readouterr().out)
    by_name = {Path(f["path"]).name: f for f in doc["files"]}
    assert {e["status"] for e in by_name.values()} == {"stripped"}
    keys = by_name["keys.mov"]
    assert {"location", "person", "device"} <= set(keys["removed"]) and keys["remaining"] == []
    assert any("udta" in b or "meta" in b for b in keys["blocks"])
    assert any("timed metadata (gpmd)" in b for b in by_name["gopro.mov"]["blocks"])
    for name in ("keys.mov", "gopro.mov"):
        assert _kinds(out / name) == set()
        assert fx.framemd5(out / name) == fx.framemd5(photos / name)


def test_a_dry_run_says_what_would_go_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photos = _folder(tmp_path / "in")
    before = (photos / "keys.mov").read_bytes()
    args = ["strip", str(photos), "--out", str(tmp_path / "out"), "--dry-run", "--json", "-"]
    assert main(args) == 0
    entry = next(f for f in json.loads(capsys.readouterr().out)["files"] if "keys" in f["path"])
    assert entry["status"] == "stripped" and "location" in entry["removed"]
    assert entry["remaining"] == []
    assert not (tmp_path / "out").exists() and (photos / "keys.mov").read_bytes() == before


def test_in_place_keeps_a_backup_and_refuses_a_hard_linked_video(tmp_path: Path) -> None:
    photos = _folder(tmp_path / "in")
    original = (photos / "keys.mov").read_bytes()
    (tmp_path / "elsewhere.mov").hardlink_to(photos / "gopro.mov")
    the_plan = batch.plan([photos], backup_dir=tmp_path / "backup")
    results = {Path(r.path).name: r for r in batch.apply(the_plan, StripOptions())}
    assert results["keys.mov"].status is StripStatus.STRIPPED
    assert (tmp_path / "backup" / "keys.mov").read_bytes() == original
    assert _kinds(photos / "keys.mov") == set()
    assert results["gopro.mov"].status is StripStatus.REFUSED
    assert "hard links" in results["gopro.mov"].reason


def test_many_videos_go_through_the_process_pool(tmp_path: Path) -> None:
    clip = fx.make_clip(tmp_path / "v.mp4", metadata={"artist": "Ben", "location": "+51.5-0.1/"})
    photos = tmp_path / "in"
    photos.mkdir()
    count = batch.MIN_FILES_PER_WORKER * 2
    for i in range(count):
        (photos / f"v{i:03d}.mp4").hardlink_to(clip)
    the_plan = batch.plan([photos], out=tmp_path / "out")
    results = list(batch.apply(the_plan, StripOptions(), workers=2))
    assert [r.status for r in results] == [StripStatus.STRIPPED] * count
    assert _kinds(tmp_path / "out" / "v007.mp4") == set()


def test_a_video_over_the_photo_size_cap_is_stripped_without_being_read(tmp_path: Path) -> None:
    clip = fx.make_clip(
        tmp_path / "v.mp4", metadata={"artist": "Ben"}, extra=("-movflags", "+faststart")
    )
    big = tmp_path / "in" / "big.mp4"
    big.parent.mkdir()
    hole = 1536 * 1024 * 1024  # 1.5 GiB of sparse media data: over the 1 GiB cap on photos
    with open(big, "wb") as fh:
        fh.write(clip.read_bytes())
        fh.write(struct.pack(">I4sQ", 1, b"mdat", 16 + hole))
        fh.truncate(fh.tell() + hole)
    the_plan = batch.plan([big], out=tmp_path / "out")
    [result] = batch.apply(the_plan, StripOptions())
    assert result.status is StripStatus.STRIPPED, result.reason
    out = tmp_path / "out" / "big.mp4"
    assert out.stat().st_size == big.stat().st_size and _kinds(out) == set()


def test_a_video_in_a_zip_export_becomes_a_clean_copy(tmp_path: Path) -> None:
    import zipfile

    clip = fx.make_clip(tmp_path / "v.mov", metadata=fx.APPLE_KEYS, keys=True)
    export = tmp_path / "takeout.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.write(clip, "Takeout/Google Photos/2023/IMG_0001.MOV")
    out = tmp_path / "out"
    [result] = batch.apply(batch.plan([export], out=out), StripOptions())
    assert result.status is StripStatus.STRIPPED, result.reason
    copy = next(out.rglob("IMG_0001.MOV"))
    assert _kinds(copy) == set() and fx.framemd5(copy) == fx.framemd5(clip)


def test_an_in_place_video_strip_is_undone_by_restore(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photos = _folder(tmp_path / "in")
    original = (photos / "keys.mov").read_bytes()
    backup = tmp_path / "backup"
    assert main(["strip", str(photos / "keys.mov"), "--in-place", "--backup-dir", str(backup)]) == 0
    assert _kinds(photos / "keys.mov") == set()
    assert main(["restore", str(backup)]) == 0
    assert (photos / "keys.mov").read_bytes() == original
    capsys.readouterr()


def test_a_refused_video_line_keeps_its_advice_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The AVCHD reason and its advice are longer than the line's old 300-character cap."""
    clip = tmp_path / "v.mts"
    fx.ffmpeg(
        "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-t", "1", "-c:v", "libx264",
        "-f", "mpegts", str(clip),
    )  # fmt: skip
    assert main(["strip", str(clip), "--out", str(tmp_path / "out")]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert line.endswith("export an MP4 copy with your camera's or video editor's software, "
                         "then strip that copy; not copied)")  # fmt: skip
    assert not (tmp_path / "out" / "v.mts").exists()
