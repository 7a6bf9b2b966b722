"""The CLI summary counts videos and recordings apart and says what they give away."""

from __future__ import annotations

from pathlib import Path

import pytest

from photoscan.cli import stored
from photoscan.cli.summary import summary_parts
from photoscan.findings import Finding, FindingKind, Severity
from photoscan.model import Face, FileError, Gps, ImageFormat, MediaKind, PhotoRecord
from photoscan.risk import assess
from photoscan.scan.events import ScanResult


def test_videos_and_recordings_in_the_summary() -> None:
    gps = Gps(52.1, 4.4, "quicktime")
    child = Face((0, 0, 9, 9), 5.0, True, frame_s=1.5)
    audio = MediaKind.AUDIO
    records = (
        PhotoRecord("a.jpg", ImageFormat.JPEG, 1, 1, faces_scanned=True),
        PhotoRecord(
            "v.mov", ImageFormat.MOV, 2, 2, gps=gps, faces=(child,), faces_scanned=True,
            media=MediaKind.VIDEO,
        ),
        PhotoRecord(
            "w.mp4", ImageFormat.MP4, 2, 2, media=MediaKind.VIDEO,
            face_error="the video could not be decoded (the video data is damaged)",
        ),
        PhotoRecord("m.m4a", ImageFormat.M4A, None, None, media=audio, faces_scanned=True),
    )  # fmt: skip
    result = ScanResult(Path("/lib"), tuple(assess(r) for r in records), (), False)
    summary = summary_parts(result)
    assert "1 photo, 2 videos, 1 recording, 0 not scanned" in summary.head
    assert (
        "Videos:     3 videos and recordings: 1 with GPS, 1 with children in sampled frames, "
        "1 whose frames could not be checked"
    ) in summary.body


def test_next_steps_for_a_video_with_children_do_not_say_share() -> None:
    child = Face((0, 0, 9, 9), 5.0, True, frame_s=1.5)
    records = (
        PhotoRecord("a.jpg", ImageFormat.JPEG, 1, 1, faces=(child,), faces_scanned=True),
        PhotoRecord(
            "v.mov", ImageFormat.MOV, 2, 2, faces=(child,), faces_scanned=True,
            media=MediaKind.VIDEO,
        ),
    )  # fmt: skip
    result = ScanResult(Path("/lib"), tuple(assess(r) for r in records), (), False)
    body = summary_parts(result).body
    assert "1 photo shows children:" in body  # the photo alone: `share` makes its copy
    assert "1 video shows children or faces to hide in sampled frames:" in body
    assert "blur them in a video editor before sharing" in body


def test_next_steps_name_videos_and_files_as_such() -> None:
    gps = Gps(52.1, 4.4, "quicktime")
    video = PhotoRecord(
        "v.mov", ImageFormat.MOV, 2, 2, gps=gps, faces_scanned=True, media=MediaKind.VIDEO
    )
    photo = PhotoRecord("a.jpg", ImageFormat.JPEG, 1, 1, gps=gps, faces_scanned=True)
    alone = ScanResult(Path("/lib"), (assess(video),), (), False)
    assert "1 video gives away where it was taken:" in summary_parts(alone).body
    both = ScanResult(Path("/lib"), (assess(video), assess(photo)), (), False)
    assert "2 files give away where they were taken:" in summary_parts(both).body


def test_a_folder_of_videos_is_never_called_photos() -> None:
    gps = Gps(52.1, 4.4, "quicktime")
    child = Face((0, 0, 9, 9), 5.0, True, frame_s=1.5)
    error = "the video could not be decoded (the video data is damaged)"
    author = Finding(FindingKind.PERSON, "UserData:Author", "Ann", Severity.HIGH)
    records = (
        PhotoRecord(
            "v.mov", ImageFormat.MOV, 2, 2, gps=gps, faces=(child,), faces_scanned=True,
            media=MediaKind.VIDEO, findings=(author,),
        ),
        PhotoRecord("w.mp4", ImageFormat.MP4, 2, 2, media=MediaKind.VIDEO, face_error=error),
    )  # fmt: skip
    videos = ScanResult(Path("/lib"), tuple(assess(r) for r in records), (), False)
    body = summary_parts(videos).body
    assert "Faces:      1 video with faces, 1 with children (of 1 checked)" in body
    assert "Unchecked:  1 video — faces not checked: it could not be decoded" in body
    assert "Location:   1 video with GPS coordinates" in body
    assert "(videos per kind, most common first)" in body
    said = body.replace("photoscan", "").replace("share-safe copies are made of photos only", "")
    assert "photo" not in said
    nowhere = ScanResult(Path("/lib"), (assess(records[1]),), (), False)
    assert "Location:   0 videos with GPS coordinates" in summary_parts(nowhere).body
    place = Finding(FindingKind.LOCATION, "EXIF:GPSLatitude", "52.1", Severity.HIGH)
    photo = PhotoRecord(
        "a.jpg", ImageFormat.JPEG, 1, 1, gps=gps, faces_scanned=True, findings=(place,)
    )
    both = ScanResult(Path("/lib"), (assess(photo), *videos.photos), (), False)
    body = summary_parts(both).body
    assert "Location:   2 files with GPS coordinates" in body
    assert "Faces:      1 file with faces, 1 with children (of 2 checked)" in body
    assert "(files per kind, most common first)" in body


@pytest.mark.parametrize(
    ("counts", "per"),
    [
        ("0 photos, 23 videos, 6 recordings, 1 not scanned", "video"),
        ("3 photos, 1 video, 0 not scanned", "file"),
        ("3 photos, 0 not scanned", "photo"),
        ("1 photo, 2 sidecar files without their photo, 0 not scanned", "photo"),
    ],
)
def test_the_last_line_offers_details_per_what_was_scanned(counts: str, per: str) -> None:
    text = stored.render(f"Scanned: /lib\n  {counts}", "\n  Risk: ...\n", 1.0, None)
    assert text.endswith(f"\nDetails per {per}:  photoscan scan FOLDER --json result.json\n")


def test_recordings_alone_are_recordings() -> None:
    memo = PhotoRecord("m.m4a", ImageFormat.M4A, None, None, media=MediaKind.AUDIO)
    result = ScanResult(Path("/lib"), (assess(memo),), (), False)
    assert "Location:   0 recordings with GPS coordinates" in summary_parts(result).body
    unread = ScanResult(Path("/lib"), (), (FileError("x.mov", "damaged"),), False)
    assert "Location:   0 photos with GPS coordinates" in summary_parts(unread).body
