"""faces.video: the photo face pass on frames sampled from a video."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from benchmarks.eval_faces import centre_in, read_manifest
from photoscan.faces.settings import FaceSettings
from photoscan.faces.video import video_faces
from photoscan.images.video import FramesError
from photoscan.source.fileref import FileRef
from tests import conftest
from tests import videos as fx


def _child_video(tmp_path: Path, sideways: bool = False) -> tuple[Path, tuple[int, int, int, int]]:
    """A 2 s 640x480 video of a grey scene with a child's face (from the test data);
    ``sideways``: recorded as a phone held upright does, turned a quarter counter-clockwise
    with a display matrix that turns it back (the face is where ``truth`` says, shown)."""
    folder = conftest.testdata_dir("a_age_faces")
    name = next(n for n, label in read_manifest(folder) if int(label) == 4)
    scene = Image.new("RGB", (640, 480), (128, 120, 110))
    with Image.open(folder / name) as face:
        scene.paste(face.convert("RGB").resize((200, 200)), (360, 120))
    still = tmp_path / "scene.png"
    (scene.transpose(Image.Transpose.ROTATE_90) if sideways else scene).save(still)
    video = tmp_path / "child.mp4"
    fx.ffmpeg("-loop", "1", "-i", str(still), "-t", "2", "-r", "10", "-c:v", "libx264",
              "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(video))  # fmt: skip
    if sideways:
        fx.patch_matrix(video, 90)
    return video, (360, 120, 560, 320)


def test_a_child_in_the_frames_is_found_with_its_frame_time(tmp_path: Path) -> None:
    video, truth = _child_video(tmp_path)
    faces = video_faces(FileRef(str(video)), FaceSettings(), frames=6)
    assert faces and all(f.frame_s is not None for f in faces)
    assert any(f.child for f in faces)
    assert all(centre_in(truth, f.box) for f in faces)  # in the video's own pixels
    assert len({f.frame_s for f in faces}) >= 3  # found again in frame after frame


def test_a_phone_video_is_looked_at_upright_and_boxes_are_where_it_is_shown(
    tmp_path: Path,
) -> None:
    video, truth = _child_video(tmp_path, sideways=True)
    faces = video_faces(FileRef(str(video)), FaceSettings(), frames=6)
    assert faces and any(f.child for f in faces)
    assert all(centre_in(truth, f.box) for f in faces)  # in the 640x480 picture shown


def test_a_video_without_pictures_says_why_its_faces_are_not_checked(tmp_path: Path) -> None:
    junk = tmp_path / "j.mp4"
    junk.write_bytes(fx.ftyp(b"isom") + fx.box(b"moov", fx.mvhd()))
    with pytest.raises(FramesError, match=r"^the (file has no video track|video could not)"):
        video_faces(FileRef(str(junk)), FaceSettings())
