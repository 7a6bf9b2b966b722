"""A video's poster frame: representative (not a black opening), upright, bounded."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from photoscan.images.poster import poster_frame, representative
from photoscan.images.video import FramesError
from tests import videos as fx


def test_a_flat_or_dark_frame_is_not_representative() -> None:
    black = np.zeros((90, 160, 3), np.uint8)
    grey = np.full((90, 160, 3), 128, np.uint8)
    noise = np.random.default_rng(1).integers(0, 255, (90, 160, 3), dtype=np.uint8)
    assert not representative(black) and not representative(grey)
    assert representative(noise)


def test_the_poster_skips_a_black_opening(tmp_path: Path) -> None:
    clip = tmp_path / "fade.mp4"
    # two seconds of black, then eight of a test pattern; a keyframe every second
    fx.ffmpeg(
        "-f", "lavfi", "-i", "color=black:size=320x240:rate=10:duration=2",
        "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10:duration=8",
        "-filter_complex", "[0][1]concat=n=2:v=1", "-c:v", "libx264", "-preset", "ultrafast",
        "-g", "10", str(clip),
    )  # fmt: skip
    frame = poster_frame(clip, 192)
    assert frame.pixels.shape == (144, 192, 3)
    assert frame.size == (320, 240)
    assert frame.time_s >= 2.0 and representative(frame.pixels)


def test_the_poster_is_upright_and_read_from_memory_too(tmp_path: Path) -> None:
    clip = fx.make_clip(tmp_path / "r.mp4", size="320x240", seconds=3, codec="libx264")
    fx.patch_matrix(clip, 90)
    frame = poster_frame(io.BytesIO(clip.read_bytes()), 160)
    assert frame.pixels.shape == (160, 120, 3) and frame.size == (240, 320)


def test_a_video_without_pictures_says_why(tmp_path: Path) -> None:
    audio = tmp_path / "a.m4a"
    fx.ffmpeg("-f", "lavfi", "-i", "sine=frequency=440", "-t", "1", "-c:a", "aac", str(audio))
    with pytest.raises(FramesError, match="no video track"):
        poster_frame(audio, 192)
