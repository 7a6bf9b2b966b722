"""Frames for the face pass: spread over the video, upright, bounded, clear when impossible."""

from __future__ import annotations

from pathlib import Path

import pytest

from photoscan.images import video
from photoscan.images.video import FramesError, sample_frames
from tests import videos as fx


def test_frames_are_spread_over_the_video_and_bounded(tmp_path: Path) -> None:
    clip = fx.make_clip(tmp_path / "v.mp4", size="1920x1080", seconds=6, codec="libx264")
    frames = sample_frames(clip, 8)
    assert 6 <= len(frames) <= 8
    times = [f.time_s for f in frames]
    assert times == sorted(set(times))
    assert times[0] < 1.0 and times[-1] > 4.0
    assert all(f.pixels.shape == (720, 1280, 3) and f.pixels.flags.c_contiguous for f in frames)
    assert all(f.image.size == (1280, 720) and f.image.mode == "RGB" for f in frames)


def test_frames_are_turned_upright_by_the_display_matrix(tmp_path: Path) -> None:
    clip = fx.make_clip(tmp_path / "r.mp4", size="320x240", seconds=2, codec="libx264")
    fx.patch_matrix(clip, 90)
    frames = sample_frames(clip, 6)
    assert frames and all(f.image.size == (240, 320) for f in frames)


def test_frames_above_the_pixel_cap_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clip = fx.make_clip(tmp_path / "v.mp4", size="320x240", seconds=2, codec="libx264")
    monkeypatch.setattr(video, "MAX_PIXELS", 320 * 240 - 1)
    with pytest.raises(FramesError, match="too large to decode"):
        sample_frames(clip)


def test_an_audio_only_or_damaged_video_says_why(tmp_path: Path) -> None:
    audio = tmp_path / "a.m4a"
    fx.ffmpeg("-f", "lavfi", "-i", "sine=frequency=440", "-t", "1", "-c:a", "aac", str(audio))
    with pytest.raises(FramesError, match="no video track"):
        sample_frames(audio)
    clip = fx.make_clip(tmp_path / "v.mp4", size="320x240", seconds=2, codec="libx264")
    data = bytearray(clip.read_bytes())
    mdat = data.find(b"mdat")
    moov = data.find(b"moov")
    end = moov - 4 if moov > mdat else len(data)
    data[mdat + 4 : end] = bytes(end - mdat - 4)  # every picture byte gone, the index kept
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(bytes(data))
    with pytest.raises(FramesError, match="could not be decoded"):
        sample_frames(broken)
    text = tmp_path / "t.mp4"
    text.write_bytes(b"not a video at all")
    with pytest.raises(FramesError, match="not a video"):
        sample_frames(text)
