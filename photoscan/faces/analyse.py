"""Find faces in one photo and decide, per face, whether it may be a child.

Runs in worker processes (``photoscan.faces.pool``); no Qt. The pipeline, and why:

1. **Decode small** and upright at the detector's working size (``images.decode``; a JPEG
   at its nearest DCT scale); a RAW or DNG is looked at in the largest JPEG preview the
   camera stored in it (``images.previews``), its boxes mapped onto the photo's size.
2. **Detect**: by default YuNet (``finder``: passes at two sizes and turned a quarter
   either way, so small, sideways and profile faces are found), with each age chip cut from
   the full-resolution photo; or dlib's HOG detector (``FaceSettings(detector="hog")``,
   ``detect``; ``thorough`` works at twice the size and adds quarter-turned passes). Boxes
   are mapped back to original-image pixels in displayed orientation.
3. **Age** each face and decide whether it is a child's (``age``, ``levels``).

Models load lazily, once per process (``load_models``); nothing heavy happens at import.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from PIL import Image

from photoscan.errors import CorruptFile, UnsupportedFormat
from photoscan.faces import finder
from photoscan.faces.age import AgeModel, SeenChips, decide
from photoscan.faces.detect import Detector
from photoscan.faces.settings import FaceAnalysis, FaceSettings, Rect
from photoscan.images.decode import Decoded, decode, from_image
from photoscan.images.pillow import UNDECODABLE
from photoscan.images.previews import PREVIEW_FORMATS, choose, photo_format, photo_frame
from photoscan.model import Face, ImageFormat


class Models:
    """The face detector and the age model, loaded once per process (``load_models``);
    ``locate`` and ``ages`` are theirs."""

    def __init__(self) -> None:
        self.detector = Detector()
        self.age = AgeModel(self.detector.hog)
        self.locate = self.detector.locate
        self.ages = self.age.ages


_models_lock = threading.Lock()
_models: Models | None = None


def load_models() -> Models:
    """The process-wide models, loaded on first use (the pool initializer calls this)."""
    global _models
    with _models_lock:
        if _models is None:
            _models = Models()
        return _models


JXL_UNDECODABLE = "the picture could not be decoded: photoscan cannot decode JPEG XL pictures"


def decode_photo(
    data: bytes, name: str, settings: FaceSettings, *, keep_full: bool = False
) -> Decoded:
    """``decode`` at the detection size, or for RAW and DNG (and files Pillow cannot decode
    that hold JPEG previews) the largest embedded preview, its size and orientation mapped
    onto the photo's. ``keep_full``: see ``images.decode.decode`` (the preview at full size)."""
    size = settings.detection()[0]
    floor = settings.yunet.draft_floor if settings.detector == "yunet" else 1.0
    fmt = photo_format(data, name)
    if fmt is None or fmt not in PREVIEW_FORMATS:
        try:
            return decode(
                data,
                size,
                settings.max_upscale,
                max_pixels=settings.max_pixels,
                draft_floor=floor,
                keep_full=keep_full,
            )
        except CorruptFile as error:
            try:  # a preview can still be looked at; if not, Pillow's reason stands
                preview = choose(data, fmt, name) if fmt is not None else None
            except UnsupportedFormat:
                preview = None
            if preview is None and fmt is ImageFormat.JXL and str(error) == UNDECODABLE:
                raise CorruptFile(JXL_UNDECODABLE) from None  # Pillow has no JPEG XL decoder
            if preview is None:
                raise error from None
    else:
        preview = choose(data, fmt, name)
    photo_size = preview.photo_size
    decoded = decode(
        preview.jpeg,
        size,
        settings.max_upscale,
        max_pixels=settings.max_pixels,
        orientation=preview.orientation,
        draft_floor=floor,
        keep_full=keep_full,
    )
    del preview  # the JPEG's bytes: the decoded pixels are all that is needed now
    turned = decoded.orientation >= 5
    width, height = photo_frame((decoded.width, decoded.height), photo_size, turned)
    return replace(decoded, width=width, height=height)


def analyse_faces(
    data: bytes, settings: FaceSettings, name: str = "", *, previews: bool = False
) -> tuple[FaceAnalysis, ...]:
    """Detect faces and gather the age evidence; boxes in original displayed pixels.

    With ``previews`` a RAW or DNG is looked at in its largest embedded JPEG preview, boxes
    in the photo's size as its scan record states it (``decode_photo``; ``name``, the
    file's, tells TIFF-based RAWs such as NEF from TIFF). Without it, boxes are in the
    pixels Pillow decodes, which is what a caller that decodes the photo itself to hide
    faces (``photoscan.share``) needs.
    """
    size = settings.detection()[0]
    yunet = settings.detector == "yunet"
    if previews:
        decoded = decode_photo(data, name, settings, keep_full=yunet)
    else:
        decoded = decode(
            data,
            size,
            settings.max_upscale,
            max_pixels=settings.max_pixels,
            draft_floor=settings.yunet.draft_floor if yunet else 1.0,
            keep_full=yunet,
        )
    return analyse_decoded(decoded, settings)


def analyse_image(image: Image.Image, settings: FaceSettings) -> tuple[FaceAnalysis, ...]:
    """``analyse_faces`` for an upright picture already in memory: a video frame, which the
    caller has decoded and turned the way it is shown. Boxes in ``image``'s pixels."""
    size = settings.detection()[0]
    keep_full = settings.detector == "yunet"
    decoded = from_image(image, size, settings.max_upscale, keep_full=keep_full)
    return analyse_decoded(decoded, settings)


def faces_in_image(image: Image.Image, settings: FaceSettings) -> tuple[Face, ...]:
    """``detect_faces`` for an upright picture already in memory (``analyse_image``)."""
    return tuple(decide(a, settings) for a in analyse_image(image, settings))


def analyse_decoded(
    decoded: Decoded, settings: FaceSettings, seen: SeenChips | None = None
) -> tuple[FaceAnalysis, ...]:
    """The faces of a decoded photo or frame and their age evidence; boxes in its displayed
    pixels (``decoded.width`` x ``decoded.height``). A ``Decoded`` made without
    ``keep_full`` has its age chips cut from the working copy. ``seen``: for a video's
    frames, the faces of its earlier frames (``age.SeenChips``)."""
    models = load_models()
    if settings.detector == "yunet":  # issue 11: YuNet passes, chips from the full photo
        return finder.analyse(decoded, settings, models.age, seen)
    _size, upsample, model = settings.detection()
    boxes = models.locate(
        decoded.pixels, upsample, model, settings.hog_threshold, settings.hog_gray
    )
    ages = models.ages(decoded.pixels, boxes, settings)
    found = [
        FaceAnalysis(finder.to_photo(box, decoded), age, p_minor)
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
        original = finder.to_photo(_unturn(box, quarter, width, height), small)
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
