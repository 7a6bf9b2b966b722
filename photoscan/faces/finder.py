"""The default face pass: YuNet passes over the working copy, age chips from the full photo.

``analyse`` is what ``faces.analyse.analyse_faces`` runs when ``FaceSettings.detector`` is
"yunet" (the default since issue 11); photos, RAW previews and PSD composites reach it
through the same decode, and video frames through ``faces.analyse.analyse_image``. The
passes, their sizes and scores are ``settings.YuNetSettings``; why each one is there is in
``faces.passes`` and the measurements in docs/benchmarks.md ("Faces and children").
"""

from __future__ import annotations

from photoscan.faces import chips, passes, yunet
from photoscan.faces.age import AgeModel, SeenChips
from photoscan.faces.passes import Box
from photoscan.faces.settings import FaceAnalysis, FaceSettings, Rect
from photoscan.images.decode import Decoded


def find(decoded: Decoded, settings: FaceSettings) -> list[passes.Found]:
    """The faces of ``decoded`` in working-copy pixels."""
    config = settings.yunet
    steps = config.passes + (config.thorough_passes if settings.thorough else ())
    return passes.find(
        decoded.pixels, steps, yunet.load(), config.nms, config.merge_iou, config.merge_inside
    )


def analyse(
    decoded: Decoded, settings: FaceSettings, ages: AgeModel, seen: SeenChips | None = None
) -> tuple[FaceAnalysis, ...]:
    """Faces and their age evidence; boxes in the photo's displayed pixels (``decoded``'s
    ``width`` x ``height``). Releases ``decoded.full`` once the chips are cut. ``seen``:
    a video's faces already aged (``age.SeenChips``)."""
    found = find(decoded, settings)
    try:
        crops = [
            chips.crop(face, decoded.pixels, decoded.full, settings.yunet.chips) for face in found
        ]
    finally:
        if decoded.full is not None:
            decoded.full.release()
    evidence = ages.ages_of(crops, settings, seen)
    return tuple(
        FaceAnalysis(to_photo(face.box, decoded), age, p_minor, round(face.score, 3), face.quarter)
        for face, (age, p_minor) in zip(found, evidence, strict=True)
    )


def to_photo(box: Box, decoded: Decoded) -> Rect:
    """A working-copy box in the photo's displayed pixels, clipped to the photo."""
    sx, sy = decoded.scale_x, decoded.scale_y
    left, top, right, bottom = box
    return (
        max(0, min(decoded.width, round(left * sx))),
        max(0, min(decoded.height, round(top * sy))),
        max(0, min(decoded.width, round(right * sx))),
        max(0, min(decoded.height, round(bottom * sy))),
    )
