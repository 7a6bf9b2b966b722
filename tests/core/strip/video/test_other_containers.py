"""AVI, Matroska and AVCHD transport streams: what they give away, and what a strip does."""

from __future__ import annotations

from pathlib import Path

import pytest

from photoscan.metadata.video.read import read_video
from photoscan.model import FindingKind
from photoscan.strip.types import Refused, StripOptions
from tests import conftest
from tests import videos as fx


def _real(name: str) -> Path:
    path = conftest.testdata_dir("f_video") / name
    if not path.is_file():
        pytest.skip(f"{name} is not in the test data")
    return path


def _fields(path: Path) -> dict[str, str]:
    with open(path, "rb") as fh:
        return {f.field: f.value for f in read_video(fh, path.name).extraction.findings}


def test_avchd_camera_data_is_read_from_the_h264_stream() -> None:
    sony = _fields(_real("mei_mts_Sony_ILCE-7M3_A7M3.mts"))
    assert sony["H264:Make"] == "Sony"
    assert sony["H264:Model"] == "ILCE-7M3"
    assert sony["H264:DateTimeOriginal"] == "2019:04:24 22:24:00+02:00 DST"
    assert _fields(_real("exiftool_M2TS.mts"))["H264:Make"] == "Canon"  # ExifTool: 4113


def test_avchd_strip_is_refused_with_what_to_do(tmp_path: Path) -> None:
    out = tmp_path / "clip.mts"
    with pytest.raises(Refused, match=r"inside the video stream itself.*export an MP4 copy"):
        fx.strip_to(_real("mei_mts_Sony_ILCE-7M3_A7M3.mts"), out, StripOptions())
    assert not out.exists()


def test_a_damaged_matroska_file_is_refused_with_what_to_do(tmp_path: Path) -> None:
    clip = tmp_path / "v.mkv"
    fx.ffmpeg(
        "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-t", "1", "-c:v", "mpeg4",
        "-metadata", "artist=Ben Example", str(clip),
    )  # fmt: skip
    clip.write_bytes(clip.read_bytes()[:-100])  # cut short
    out = tmp_path / "clean.mkv"
    with pytest.raises(Refused, match=r"damaged .*make a copy with MKVToolNix .*strip that copy"):
        fx.strip_to(clip, out, StripOptions())
    assert not out.exists()


def test_avi_info_xmp_and_maker_lists(tmp_path: Path) -> None:
    pentax = _fields(_real("exiftool_Pentax.avi"))
    assert pentax["RIFF:Software"] == "PENTAX K-x"
    assert pentax["RIFF:DateTimeOriginal"] == "2009/10/27 12:14:34"
    assert "PENTAX" in pentax["RIFF:PentaxData"]
    riff = _real("exiftool_RIFF.avi")
    assert _fields(riff)["XMP:Creator"] == "Phil Harvey"
    out = tmp_path / "riff.avi"
    result = fx.strip_to(riff, out, StripOptions())
    assert {"person", "datetime", "software"} <= set(result.removed)
    assert _fields(out) == {}
    assert out.stat().st_size == riff.stat().st_size
    assert [line for line in fx.identifying(out) if "XMP" in line or "Creator" in line] == []


def test_avi_made_by_ffmpeg_keeps_every_packet(tmp_path: Path) -> None:
    clip = tmp_path / "v.avi"
    fx.ffmpeg(
        "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-t", "1", "-c:v", "mjpeg",
        "-metadata", "artist=Ben Example", "-metadata", "comment=at home", str(clip),
    )  # fmt: skip
    assert _fields(clip)["RIFF:Artist"] == "Ben Example"
    out = tmp_path / "clean.avi"
    fx.strip_to(clip, out, StripOptions())
    assert _fields(out) == {}
    assert fx.framemd5(out) == fx.framemd5(clip)


def test_matroska_tags_and_attachments_become_void(tmp_path: Path) -> None:
    source = _real("pkg_flashmob.mkv")
    before = _fields(source)
    assert before["Matroska:DateTimeOriginal"] == "2006:08:16 11:04:36Z"
    assert "Matroska:AttachedFile" in before and "Matroska:Title" in before
    out = tmp_path / "clean.mkv"
    fx.strip_to(source, out, StripOptions())
    assert _fields(out) == {}
    assert fx.framemd5(out) == fx.framemd5(source)
    assert out.stat().st_size == source.stat().st_size


def test_matroska_made_by_ffmpeg_with_a_location_tag(tmp_path: Path) -> None:
    clip = tmp_path / "v.mkv"
    fx.ffmpeg(
        "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-t", "1", "-c:v", "mpeg4",
        "-metadata", "artist=Ben Example", "-metadata", "RECORDING_LOCATION=+51.5000-000.1200/",
        str(clip),
    )  # fmt: skip
    with open(clip, "rb") as fh:
        video = read_video(fh, clip.name)
    kinds = {f.field: f.kind for f in video.extraction.findings}
    assert kinds["Matroska:Artist"] is FindingKind.PERSON
    assert video.extraction.gps is not None and video.extraction.gps.lat == 51.5
    located = tmp_path / "loc.mkv"
    fx.strip_to(clip, located, StripOptions(only_location=True))
    assert "Matroska:Artist" in _fields(located)
    assert "Matroska:RecordingLocation" not in _fields(located)
    out = tmp_path / "clean.mkv"
    fx.strip_to(clip, out, StripOptions())
    assert _fields(out) == {}
    assert fx.framemd5(out) == fx.framemd5(clip)
