"""A video inside a zip export is held in memory whole: bounded, refused above the cap."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from photoscan.faces import video as faces_video
from photoscan.faces.settings import FaceSettings
from photoscan.images.video import FramesError
from photoscan.source.fileref import FileRef
from photoscan.strip import batch
from photoscan.strip.types import FileResult, StripOptions, StripStatus
from tests.videos import make_clip, need_ffmpeg


@pytest.fixture
def export(tmp_path: Path) -> Path:
    need_ffmpeg()
    clip = make_clip(tmp_path / "clip.mp4", metadata={"artist": "Ben Example"})
    archive = tmp_path / "takeout.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(clip, "Takeout/clip.mp4")
    clip.unlink()
    return archive


def _strip(archive: Path, out: Path) -> list[FileResult]:
    the_plan = batch.plan([archive], out=out)
    return list(batch.apply(the_plan, StripOptions(), workers=1))


def test_a_video_member_under_the_cap_is_stripped(export: Path, tmp_path: Path) -> None:
    (result,) = _strip(export, tmp_path / "out")
    assert result.status is StripStatus.STRIPPED, result.reason
    assert result.output is not None and Path(result.output).is_file()


def test_a_video_member_over_the_cap_is_refused_with_advice(
    export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "MAX_VIDEO_MEMBER_BYTES", 4096)
    (result,) = _strip(export, tmp_path / "out")
    assert result.status is StripStatus.REFUSED
    assert "zip export is not held in memory" in result.reason
    assert "extract the export" in result.reason
    assert result.output is None
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.mp4"))


def test_frames_of_a_video_member_over_the_cap_are_refused(
    export: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(faces_video, "MAX_VIDEO_MEMBER_BYTES", 4096)
    with pytest.raises(FramesError, match="extract the export"):
        faces_video.video_faces(FileRef(str(export), "Takeout/clip.mp4"), FaceSettings())
