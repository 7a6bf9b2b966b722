"""``photoscan share`` on a real group photo: the child's face is unrecognisable, the adult's
is untouched, and the copy carries no identifying metadata."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from photoscan.cli.main import main
from photoscan.faces.analyse import detect_faces
from photoscan.faces.settings import FaceSettings
from photoscan.model import Face
from tests import conftest

PHOTO = "mei_Canon_IXUS_750.jpg"  # a toddler on a man's lap


def _overlap(a: Face, b: Face) -> float:
    left, top = max(a.box[0], b.box[0]), max(a.box[1], b.box[1])
    right, bottom = min(a.box[2], b.box[2]), min(a.box[3], b.box[3])
    inter = max(0, right - left) * max(0, bottom - top)
    area = (a.box[2] - a.box[0]) * (a.box[3] - a.box[1])
    return inter / area if area else 0.0


def test_share_hides_the_child_and_keeps_the_adult(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = conftest.testdata_dir("b_group_photos") / PHOTO
    if not source.exists():
        pytest.skip(f"{PHOTO} not in test data")
    original_bytes = source.read_bytes()
    faces = detect_faces(original_bytes, FaceSettings())
    children = [f for f in faces if f.child]
    adults = [f for f in faces if not f.child]
    assert children and adults, f"the detector must see both in {PHOTO}: {faces}"

    out = tmp_path / "out"
    args = ["share", str(source), "--out", str(out), "--rename", "--json", "-"]
    assert main([*args, "--blur", "children"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)["files"]
    assert entry["status"] == "reencoded"
    assert entry["faces_hidden"] == len(children)
    assert Path(entry["output"]).name == "photo-0001.jpg"
    shared_bytes = Path(entry["output"]).read_bytes()
    assert b"Canon" not in shared_bytes and b"Exif" not in shared_bytes

    original = Image.open(io.BytesIO(original_bytes)).convert("RGB")
    shared = Image.open(io.BytesIO(shared_bytes)).convert("RGB")
    assert shared.size == original.size
    for child in children:
        before = max(ImageStat.Stat(original.crop(child.box)).stddev)
        after = max(ImageStat.Stat(shared.crop(child.box)).stddev)
        assert after < 3 < before, (before, after)  # a flat patch: nothing left to recognise
    for adult in adults:
        a, b = original.crop(adult.box).tobytes(), shared.crop(adult.box).tobytes()
        mean_diff = sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)
        assert mean_diff < 4, mean_diff  # only re-encoding noise

    again = detect_faces(shared_bytes, FaceSettings())
    assert not any(_overlap(child, f) > 0.3 for child in children for f in again)
    assert any(_overlap(adult, f) > 0.5 for adult in adults for f in again)


def test_share_refuses_output_inside_the_source(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    code = main(["share", str(tmp_path / "photos"), "--out", str(tmp_path / "photos" / "x")])
    assert code == 2
