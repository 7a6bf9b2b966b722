"""How hard to look for faces and when to call a face a child; the evidence behind a face.

Plain frozen records, importable without numpy or Pillow: the scan keys its face cache by
the settings (``scan.faces_fingerprint``) without loading any face code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from photoscan.limits import MAX_PIXELS

MINOR_AGE: Final = 18.0
Rect = tuple[int, int, int, int]  # (left, top, right, bottom)


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
