"""Every movie copy is read back before it is kept: a copy spoiled after it was written is
caught, by the byte check of the plan and, on its own, by the reader and the planner run
over the written file; nothing is left at the output's name."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from photoscan.containers.bmff import FileReader
from photoscan.errors import StripError
from photoscan.strip import video, videoplan
from photoscan.strip.types import StripOptions
from photoscan.strip.videoplan import VideoStripPlan
from tests import conftest

ALL = StripOptions()


def _gps_movie(tmp_path: Path, name: str = "mei_mp4_with-gps.mp4") -> Path:
    """A real phone movie with a place, camera and dates (hard-linked: never written)."""
    source = conftest.testdata_dir("f_video") / name
    link = tmp_path / source.name
    os.link(source, link)
    return link


def _spoil_after(monkeypatch: pytest.MonkeyPatch, spoil: object) -> None:
    """Write the plan as usual, then ``spoil(fd, plan)`` the copy before it is checked."""
    apply = videoplan.apply

    def spoiled(fd: int, plan: VideoStripPlan) -> None:
        apply(fd, plan)
        spoil(fd, plan)  # type: ignore[operator]

    monkeypatch.setattr(videoplan, "apply", spoiled)


def _strip_fails(source: Path, dest: Path, match: str) -> None:
    before = source.read_bytes()
    with pytest.raises(StripError, match=match):
        video.strip_video(source, source.name, ALL, dest=dest)
    assert not dest.exists()  # the spoiled copy was removed
    assert source.read_bytes() == before


def test_a_patch_spoiled_after_the_write_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def flip(fd: int, plan: VideoStripPlan) -> None:
        patch = plan.patches[-1]
        os.pwrite(fd, bytes([patch.data[-1] ^ 0xFF]), patch.offset + len(patch.data) - 1)

    _spoil_after(monkeypatch, flip)
    _strip_fails(_gps_movie(tmp_path), tmp_path / "out.mp4", "verification failed: bytes at")


def test_a_zeroed_range_spoiled_after_the_write_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unzero(fd: int, plan: VideoStripPlan) -> None:
        os.pwrite(fd, b"\x01", plan.zero[0].offset)

    source = _gps_movie(tmp_path, "pkg_mutagen_no-tags.3g2")  # its uuid boxes are zeroed
    with open(source, "rb") as fh:
        assert video.examine(FileReader(fh), source.name, ALL).plan.zero
    _spoil_after(monkeypatch, unzero)
    _strip_fails(source, tmp_path / "out.mp4", "was not zeroed")


def test_a_copy_cut_short_after_the_write_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _spoil_after(monkeypatch, lambda fd, plan: os.ftruncate(fd, plan.size - 1))
    _strip_fails(_gps_movie(tmp_path), tmp_path / "out.mp4", "size differs")


def test_metadata_back_in_the_copy_is_caught_by_the_reader_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the byte check out of the way, the read-back of the written file still finds
    what was put back (the original's movie box, place and all) and refuses the copy."""
    source = _gps_movie(tmp_path)
    original = source.read_bytes()

    def restore(fd: int, plan: VideoStripPlan) -> None:
        for patch in plan.patches:
            os.pwrite(fd, original[patch.offset : patch.offset + len(patch.data)], patch.offset)
        for ext in plan.zero:
            os.pwrite(fd, original[ext.offset : ext.end], ext.offset)

    _spoil_after(monkeypatch, restore)
    monkeypatch.setattr(videoplan, "check", lambda fd, plan: None)
    gps = r"could not remove: .*location \(UserData:GPSCoordinates\)"
    _strip_fails(source, tmp_path / "out.mp4", gps)


def test_a_copy_the_reader_cannot_read_back_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def break_moov(fd: int, plan: VideoStripPlan) -> None:
        moov = bytes(plan.patches[-1].data)
        assert moov[4:8] == b"moov"
        os.pwrite(fd, b"\xff\xff\xff\xff", plan.patches[-1].offset + 8)  # first child's size

    _spoil_after(monkeypatch, break_moov)
    monkeypatch.setattr(videoplan, "check", lambda fd, plan: None)
    _strip_fails(_gps_movie(tmp_path), tmp_path / "out.mp4", "does not read back")
