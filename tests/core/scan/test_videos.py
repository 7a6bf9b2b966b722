"""Videos in a scan: records in ``photos`` with their container, ``media`` and duration,
read from their headers (never whole), cached, scored, and their faces from sampled frames."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from photoscan.model import FindingKind, ImageFormat, MediaKind, Recommendation
from photoscan.scan.jobs import ScanOptions
from photoscan.scan.jsonio import document_text, record_from_dict, record_to_dict
from photoscan.scan.run import scan_all
from tests import videos as fx

NO_FACES = ScanOptions(faces=False, workers=1)


def _library(root: Path) -> Path:
    root.mkdir()
    fx.make_clip(root / "holiday.mov", metadata=fx.APPLE_KEYS, keys=True)
    fx.ffmpeg("-f", "lavfi", "-i", "sine=frequency=440", "-t", "1", "-c:a", "aac",
              "-metadata", "artist=Anna Example", str(root / "memo.m4a"))  # fmt: skip
    (root / "broken.mp4").write_bytes(fx.ftyp(b"isom") + fx.box(b"mdat", bytes(64)))
    return root


def test_videos_are_records_with_container_media_and_duration(tmp_path: Path) -> None:
    result = scan_all(_library(tmp_path / "lib"), NO_FACES)
    records = {r.path: r for r in result.photos}
    video = records["holiday.mov"]
    assert (video.format, video.media) == (ImageFormat.MOV, MediaKind.VIDEO)
    assert video.duration_s is not None and 0.9 <= video.duration_s <= 1.1
    assert (video.width, video.height) == (160, 120)
    assert video.gps is not None and (video.gps.lat, video.gps.lon) == (48.8584, 2.2945)
    assert {FindingKind.LOCATION, FindingKind.PERSON, FindingKind.DEVICE} <= {
        f.kind for f in video.findings
    }
    assert video.risk is not None and video.risk.level.value == "high"
    assert Recommendation.STRIP_LOCATION in video.recommendations
    memo = records["memo.m4a"]
    assert (memo.format, memo.media) == (ImageFormat.M4A, MediaKind.AUDIO)
    assert memo.faces_scanned and memo.face_error is None  # nothing to look at
    assert any(f.value == "Anna Example" for f in memo.findings)
    [error] = result.errors
    assert error.path == "broken.mp4" and "broken.mp4: no movie box" in error.reason


def test_the_json_document_adds_media_and_duration_and_the_cache_keeps_them(
    tmp_path: Path,
) -> None:
    root = _library(tmp_path / "lib")
    first = scan_all(root, NO_FACES)
    doc = json.loads(document_text(first))
    entry = next(p for p in doc["photos"] if p["path"] == "holiday.mov")
    assert (entry["format"], entry["media"]) == ("MOV", "video")
    assert 0.9 <= entry["duration_s"] <= 1.1
    photo_keys = {"path", "format", "width", "height", "gps", "place", "faces", "findings"}
    assert photo_keys <= set(entry)  # the contract's fields, none renamed
    for record in first.photos:
        assert record_from_dict(record_to_dict(record)) == record
    again = scan_all(root, NO_FACES)  # from the cache
    assert again.photos == first.photos


def test_faces_of_videos_come_from_sampled_frames_and_an_undecodable_one_says_so(
    tmp_path: Path,
) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    fx.make_clip(root / "scene.mp4", size="320x240", seconds=2, codec="libx264")
    fx.make_clip(root / "memo.mp4")
    clip = root / "memo.mp4"
    data = bytearray(clip.read_bytes())
    mdat = data.find(b"mdat")
    moov = data.find(b"moov")
    end = moov - 4 if moov > mdat else len(data)
    data[mdat + 4 : end] = bytes(end - mdat - 4)  # no picture left, the index kept
    (root / "blank.mp4").write_bytes(bytes(data))
    clip.unlink()
    shutil.copy(fx.make_clip(tmp_path / "src.mov", metadata={"artist": "Ben"}), root / "b.mov")
    result = scan_all(root, ScanOptions(faces=True, workers=1, use_cache=False))
    records = {r.path: r for r in result.photos}
    scene = records["scene.mp4"]
    assert scene.faces_scanned and scene.faces == () and scene.face_error is None
    blank = records["blank.mp4"]
    assert not blank.faces_scanned
    assert blank.face_error is not None and "could not be decoded" in blank.face_error
    assert blank.risk is not None
    assert f"Faces not checked: {blank.face_error}" in blank.risk.reasons
    assert Recommendation.OK_TO_SHARE not in blank.recommendations


def test_a_video_member_of_a_zip_is_read_only_up_to_the_video_member_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A video inside a zip export is inflated whole to be read: like strip and frames, the
    scan holds it only up to ``limits.MAX_VIDEO_MEMBER_BYTES`` (not a photo's 1 GiB) and
    says above it how to scan it instead; nothing is inflated beyond the cap."""
    from photoscan.scan import worker
    from photoscan.source import fileref

    clip = fx.make_clip(tmp_path / "clip.mov", metadata={"artist": "Ben Example"})
    archive = tmp_path / "takeout.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(clip, "Takeout/clip.mov")
    size = clip.stat().st_size
    asked: list[int] = []
    real_read = fileref.read_member

    def read_member(ref: fileref.FileRef, limit: int, *, truncate: bool = False) -> bytes:
        asked.append(limit)
        return real_read(ref, limit, truncate=truncate)

    monkeypatch.setattr(worker, "read_member", read_member)
    under = scan_all(archive, NO_FACES)
    assert [r.path for r in under.photos] == ["Takeout/clip.mov"] and not under.errors
    assert max(asked) == worker.MAX_VIDEO_MEMBER_BYTES < worker.MAX_FILE_BYTES

    monkeypatch.setattr(worker, "MAX_VIDEO_MEMBER_BYTES", size - 1)
    over = scan_all(archive, ScanOptions(faces=False, workers=1, use_cache=False))
    assert over.photos == ()
    [error] = over.errors
    assert error.path == "Takeout/clip.mov"
    assert "not held in memory" in error.reason and "extract the export" in error.reason
