"""Tune the child decision offline: detect and age a_age_faces once, then try many rules.

    uv run python benchmarks/tune_child_rule.py            # builds the cache on first run
    uv run python benchmarks/tune_child_rule.py --rebuild  # re-detect (after model changes)

The first run pastes every a_age_faces crop on its seeded canvas exactly as
``eval_faces.py`` does (same seed, same order), runs the real detector, and stores per image
the label age and, for the detected face matching the pasted one, the age model's full
probability vector for the face as is and mirrored. The cache (``benchmarks/out/``,
gitignored) holds numbers only, no pixels. Rules are then evaluated in seconds, on the whole
set and on two seeded halves (pick on one, report the other), because the defaults are tuned
on the very set they are reported on.
"""

from __future__ import annotations

import argparse
import pickle
import random
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from benchmarks.eval_faces import TESTDATA, band, canvas_for, centre_in, iou, read_manifest
from photoscan.faces.analyse import load_models
from photoscan.faces.settings import FaceSettings
from photoscan.images.decode import decode

CACHE = Path(__file__).resolve().parent / "out" / "child_rule_cache.pkl"


@dataclass(frozen=True, slots=True)
class Sample:
    """One pasted face: label age and, if found, the age model's output (plain, mirrored)."""

    age: int
    plain: NDArray[np.float32] | None
    mirror: NDArray[np.float32] | None


def build(seed: int) -> tuple[list[Sample], NDArray[np.float32]]:
    settings = FaceSettings()
    models = load_models()
    frontend, net, weights = models._frontend, models._age_net, models._weights
    assert frontend is not None and net is not None and weights is not None
    folder = TESTDATA / "a_age_faces"
    rng = random.Random(seed)
    samples = []
    size, upsample, model = settings.detection()
    for name, label in sorted(read_manifest(folder), key=lambda r: int(r[1])):
        with Image.open(folder / name) as face:
            data, truth = canvas_for(face, rng)
        decoded = decode(data, size, settings.max_upscale)
        boxes = models.locate(
            decoded.pixels, upsample, model, settings.hog_threshold, settings.hog_gray
        )
        sx, sy = decoded.scale_x, decoded.scale_y
        orig = [
            (round(b[0] * sx), round(b[1] * sy), round(b[2] * sx), round(b[3] * sy)) for b in boxes
        ]
        hits = [i for i, b in enumerate(orig) if centre_in(truth, b)]
        if not hits:
            samples.append(Sample(int(label), None, None))
            continue
        best = max(hits, key=lambda i: iou(orig[i], truth))
        chips = [e.age_chip for e in frontend.extract(decoded.pixels, [list(boxes[best])])]
        probs = np.asarray(net.probabilities(chips), dtype=np.float32)[0]
        flipped = np.asarray(
            net.probabilities([np.ascontiguousarray(chips[0][:, ::-1])]), dtype=np.float32
        )[0]
        samples.append(Sample(int(label), probs, flipped))
    return samples, np.asarray(weights, dtype=np.float32)


Rule = Callable[[NDArray[np.float32], NDArray[np.float32], NDArray[np.float32]], bool]
BANDS = ("0-12", "13-17", "18-24", "25+")


def rates(samples: list[Sample], weights: NDArray[np.float32], rule: Rule) -> dict[str, float]:
    out = {}
    for name in BANDS:
        group = [s for s in samples if band(s.age) == name]
        flagged = sum(
            s.plain is not None and s.mirror is not None and rule(s.plain, s.mirror, weights)
            for s in group
        )
        out[name] = flagged / len(group) if group else float("nan")
    return out


def meets(r: dict[str, float]) -> bool:
    return r["0-12"] >= 0.95 and r["13-17"] >= 0.80 and r["25+"] <= 0.03


def rules() -> dict[str, Rule]:
    table: dict[str, Rule] = {}

    def exp(p: NDArray[np.float32], w: NDArray[np.float32]) -> float:
        return float(p @ w)

    def below(p: NDArray[np.float32], w: NDArray[np.float32], age: float) -> float:
        return float(p[w < age].sum())

    for t in np.arange(22.0, 26.01, 0.25):
        table[f"youngest < {t:g}"] = lambda p, m, w, t=t: min(exp(p, w), exp(m, w)) < t
        table[f"mean(plain,mirror) < {t:g}"] = lambda p, m, w, t=t: (exp(p, w) + exp(m, w)) / 2 < t
        table[f"averaged distribution median < {t:g}"] = lambda p, m, w, t=t: (
            below((p + m) / 2, w, t) >= 0.5
        )
    for t in np.arange(23.5, 24.76, 0.25):
        # As the product runs it: mirror aged only within 8 years of the threshold;
        # P(<18) >= 0.5 as a second trigger.
        table[f"product: mean < {t:g} (mirror band 8) or P(<18) >= 0.5"] = lambda p, m, w, t=t: (
            (exp(p, w) if abs(exp(p, w) - t) > 8 else (exp(p, w) + exp(m, w)) / 2) < t
            or below(p if abs(exp(p, w) - t) > 8 else (p + m) / 2, w, 18.0) >= 0.5
        )
    for cut in (16.0, 18.0, 20.0, 22.0):
        for q in np.arange(0.2, 0.71, 0.05):
            table[f"P(age<{cut:g}) >= {q:.2f}"] = lambda p, m, w, c=cut, q=q: (
                below((p + m) / 2, w, c) >= q
            )
    for t1 in (20.0, 21.0, 22.0, 23.0):
        for t2 in (24.0, 25.0, 26.0, 27.0, 28.0):
            for q in (0.1, 0.15, 0.2, 0.25, 0.3):
                table[f"youngest < {t1:g} or (youngest < {t2:g} and P(<18) >= {q:g})"] = (
                    lambda p, m, w, t1=t1, t2=t2, q=q: (
                        (y := min(exp(p, w), exp(m, w))) < t1
                        or (y < t2 and below((p + m) / 2, w, 18.0) >= q)
                    )
                )
    return table


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--seed", type=int, default=3, help="canvas seed (as eval_faces.py)")
    parser.add_argument("--split-seed", type=int, default=11)
    parser.add_argument("--show", default="", help="comma-separated rule names to print")
    args = parser.parse_args(None if argv is None else list(argv))
    if args.rebuild or not CACHE.exists():
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        built, weights = build(args.seed)
        rows = [(s.age, s.plain, s.mirror) for s in built]  # plain data: loadable anywhere
        CACHE.write_bytes(pickle.dumps((rows, weights)))
    rows, weights = pickle.loads(CACHE.read_bytes())
    samples = [Sample(age, plain, mirror) for age, plain, mirror in rows]
    order = list(range(len(samples)))
    random.Random(args.split_seed).shuffle(order)
    half_a = [samples[i] for i in order[: len(order) // 2]]
    half_b = [samples[i] for i in order[len(order) // 2 :]]
    print(f"{len(samples)} images, {sum(s.plain is not None for s in samples)} found")

    def fmt(r: dict[str, float]) -> str:
        return " / ".join(f"{100 * r[b]:5.1f}" for b in BANDS)

    print("rule | all: 0-12 / 13-17 / 18-24 / 25+ | half A | half B | meets (all, A, B)")
    for name, rule in rules().items():
        whole, ra, rb = (rates(s, weights, rule) for s in (samples, half_a, half_b))
        if meets(whole) or meets(ra) or name in args.show.split(","):
            print(
                f"{name} | {fmt(whole)} | {fmt(ra)} | {fmt(rb)} | "
                f"{meets(whole)}, {meets(ra)}, {meets(rb)}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
