"""Faces and children in a video: the photos' face pass on a few frames spread over it.

``images.video`` samples 6–10 upright frames (a keyframe near each point, decoded alone),
each is looked at exactly as a photo is (``analyse.analyse_decoded``: the same detector, age
model and child decision; a face that recurs nearly unchanged is aged once per video,
``age.SeenChips``), and every face keeps the time of its frame
(``Face.frame_s``), so the desktop app can show the frame where it was found. A video is
"with children" when any sampled frame is. A video whose frames cannot be decoded raises
``FramesError`` saying why (the record's ``face_error``: "Faces not checked: <why>"): never
silence, never "no faces".
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from photoscan.errors import FileTooLarge
from photoscan.faces.age import SeenChips, decide
from photoscan.faces.analyse import analyse_decoded
from photoscan.faces.settings import FaceSettings
from photoscan.images.video import FramesError, decoded, sample_frames
from photoscan.limits import MAX_VIDEO_MEMBER_BYTES, VIDEO_MEMBER_ADVICE
from photoscan.model import Face
from photoscan.source.fileref import FileRef, read_member

FRAMES = 8


def video_faces(ref: FileRef, settings: FaceSettings, frames: int = FRAMES) -> tuple[Face, ...]:
    """The faces in ``frames`` frames of the video ``ref`` names (a file, or a zip member read
    into memory under the archive's caps), boxes in the video's displayed pixels."""
    if ref.member is None:
        sampled = sample_frames(Path(ref.path), frames)
    else:
        try:
            data = read_member(ref, MAX_VIDEO_MEMBER_BYTES)  # held whole: bounded
        except FileTooLarge:
            raise FramesError(VIDEO_MEMBER_ADVICE.format(mb=MAX_VIDEO_MEMBER_BYTES >> 20)) from None
        sampled = sample_frames(io.BytesIO(data), frames)
    size = settings.detection()[0]
    found: list[Face] = []
    seen = SeenChips()  # a face recurs from frame to frame: it is aged once
    for frame in sampled:
        for analysis in analyse_decoded(decoded(frame, size), settings, seen):
            found.append(replace(decide(analysis, settings), frame_s=frame.time_s))
    return tuple(found)
