"""The stored frontal face detector: the same detections as dlib's, built once, never trusted
blindly."""

from __future__ import annotations

from pathlib import Path

import dlib
import numpy as np
import pytest
from PIL import Image

from photoscan.faces import detect as hogdetector
from tests.conftest import testdata_dir as _testdata_dir


def _group_photo() -> np.ndarray:
    folder = _testdata_dir("b_group_photos")
    with Image.open(folder / "wider_linzaer_9.jpg") as image:
        return np.asarray(image.convert("RGB"))


def _stored_file() -> Path:
    found = list((Path(hogdetector._stored(dlib) or "/nonexistent")).parent.glob("*.svm"))
    assert len(found) == 1
    return found[0]


def test_stored_detector_finds_exactly_what_dlibs_own_finds() -> None:
    pixels = _group_photo()
    built = dlib.get_frontal_face_detector()
    first = hogdetector.frontal_face_detector()  # builds and stores
    second = hogdetector.frontal_face_detector()  # loads the stored file
    expected = built.run(pixels, 0, -0.2)
    for detector in (first, second):
        rects, scores, kinds = detector.run(pixels, 0, -0.2)
        assert [(r.left(), r.top(), r.right(), r.bottom()) for r in rects] == [
            (r.left(), r.top(), r.right(), r.bottom()) for r in expected[0]
        ]
        assert scores == pytest.approx(expected[1])
        assert list(kinds) == list(expected[2])
    assert len(expected[0]) >= 5


def test_second_worker_loads_instead_of_building(monkeypatch: pytest.MonkeyPatch) -> None:
    hogdetector.frontal_face_detector()
    assert _stored_file().stat().st_mode & 0o777 == 0o600

    def no_build() -> None:
        raise AssertionError("the detector was built again")

    monkeypatch.setattr(dlib, "get_frontal_face_detector", no_build)
    assert hogdetector.frontal_face_detector().num_detectors == 5


@pytest.mark.parametrize("content", [b"", b"garbage" * 100, b"\x00" * 5000])
def test_damaged_store_is_rebuilt(content: bytes) -> None:
    hogdetector.frontal_face_detector()
    stored = _stored_file()
    stored.write_bytes(content)
    detector = hogdetector.frontal_face_detector()
    assert detector.num_detectors == 5
    assert stored.stat().st_size > 100_000  # written again


def test_shared_with_libraries_restores_dlib() -> None:
    original = dlib.get_frontal_face_detector
    marker = object()
    with hogdetector.shared_with_libraries(marker):
        assert dlib.get_frontal_face_detector() is marker
    assert dlib.get_frontal_face_detector is original
