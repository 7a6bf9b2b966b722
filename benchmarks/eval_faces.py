"""Measure face finding and the child decision on the real test data (issue 3).

    uv run python benchmarks/eval_faces.py                 # everything, default settings
    uv run python benchmarks/eval_faces.py --limit 60      # a quick stratified subset
    uv run python benchmarks/eval_faces.py --sets a --grid # tune the child rule on a_age_faces
    uv run python benchmarks/eval_faces.py --sets a --small-faces 24  # small faces (issue 11)

- a_age_faces: each UTKFace crop (age label in MANIFEST) is pasted, resized, at a seeded random
  position onto a larger neutral or textured canvas, so the detector sees a face in context.
  A face is *found* when a detected box contains the centre of the pasted face.
- c_noface: share of photos with any face reported (hard negatives included).
- b_group_photos: faces found vs MANIFEST counts; recall against FACE_BOXES.tsv where a truth
  box counts as found when a detected box has IoU >= 0.3 with it OR contains its centre;
  photos labelled children>0 flagged as showing a child.

Nothing is written to disk; the test data is only read.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from photoscan.faces.age import decide
from photoscan.faces.analyse import analyse_faces, load_models
from photoscan.faces.settings import FaceAnalysis, FaceSettings
from photoscan.model import ChildLevel

TESTDATA = Path(__file__).resolve().parents[2] / "shared" / "testdata"
Box = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class AgeCase:
    name: str
    age: int
    truth: Box  # where the face was pasted on the canvas
    faces: tuple[FaceAnalysis, ...]

    def match(self) -> FaceAnalysis | None:
        """The detected face that contains the pasted face's centre (largest IoU first)."""
        hits = [f for f in self.faces if centre_in(self.truth, f.box)]
        return max(hits, key=lambda f: iou(f.box, self.truth)) if hits else None


def read_manifest(folder: Path) -> list[tuple[str, str]]:
    with (folder / "MANIFEST.tsv").open(newline="", encoding="utf-8") as handle:
        return [(row["file"], row["label"]) for row in csv.DictReader(handle, delimiter="\t")]


def iou(a: Box, b: Box) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def centre_in(truth: Box, box: Box) -> bool:
    cx, cy = (truth[0] + truth[2]) / 2, (truth[1] + truth[3]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def canvas_for(face: Image.Image, rng: random.Random, small: int = 0) -> tuple[bytes, Box]:
    """Paste ``face`` resized (110-320 px) at a random spot of a 1.6-4x larger canvas; the
    canvas is flat grey-ish, a colour gradient or blurred noise texture. ``small``: instead,
    the face at ``small`` px (downscaled with LANCZOS, as a camera's optics and sensor would)
    on a 640x480 canvas, as a small face in a web-sized group photo."""
    if small:
        side, width, height = small, 640, 480
        face = face.convert("RGB").resize((side, side), Image.Resampling.LANCZOS)
    else:
        side = rng.randint(110, 320)
        face = face.convert("RGB").resize((side, side), Image.Resampling.BICUBIC)
        width = int(side * rng.uniform(1.6, 4.0))
        height = int(side * rng.uniform(1.4, 3.0))
    kind = rng.choice(("flat", "gradient", "texture"))
    np_rng = np.random.default_rng(rng.randrange(1 << 30))
    if kind == "flat":
        colour = tuple(rng.randint(60, 200) for _ in range(3))
        canvas = Image.new("RGB", (width, height), colour)
    elif kind == "gradient":
        ramp = np.linspace(0, 1, width, dtype=np.float32)[None, :, None]
        lo = np.array([rng.randint(0, 255) for _ in range(3)], dtype=np.float32)
        hi = np.array([rng.randint(0, 255) for _ in range(3)], dtype=np.float32)
        pixels = lo + (hi - lo) * np.repeat(ramp, height, axis=0)
        canvas = Image.fromarray(pixels.astype(np.uint8))
    else:
        noise = np_rng.integers(0, 256, (height // 8 + 1, width // 8 + 1, 3), dtype=np.uint8)
        canvas = Image.fromarray(noise).resize((width, height), Image.Resampling.BICUBIC)
        canvas = canvas.filter(ImageFilter.GaussianBlur(2))
    x, y = rng.randint(0, width - side), rng.randint(0, height - side)
    canvas.paste(face, (x, y))
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=90)
    return out.getvalue(), (x, y, x + side, y + side)


def subset(items: Sequence[tuple[str, str]], limit: int | None) -> list[tuple[str, str]]:
    if not limit or limit >= len(items):
        return list(items)
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def run_age_faces(
    settings: FaceSettings, limit: int | None, seed: int, small: int = 0
) -> list[AgeCase]:
    folder = TESTDATA / "a_age_faces"
    rng = random.Random(seed)
    cases = []
    rows = sorted(read_manifest(folder), key=lambda r: int(r[1]))  # stratify by age
    for name, label in subset(rows, limit):
        with Image.open(folder / name) as face:
            data, truth = canvas_for(face, rng, small)
        cases.append(AgeCase(name, int(label), truth, analyse_faces(data, settings)))
    return cases


def band(age: int) -> str:
    if age <= 12:
        return "0-12"
    if age <= 17:
        return "13-17"
    if age <= 24:
        return "18-24"
    return "25+"


def report_levels(cases: list[AgeCase], settings: FaceSettings) -> dict[str, tuple[int, int, int]]:
    """Per band: (images, confidently child, treated as a child = child or possible child);
    25-39 and 40+ are printed on their own as well (issue 11)."""
    groups = {
        "0-12": lambda a: a <= 12,
        "13-17": lambda a: 13 <= a <= 17,
        "18-24": lambda a: 18 <= a <= 24,
        "25+": lambda a: a >= 25,
        "25-39": lambda a: 25 <= a <= 39,
        "40+": lambda a: a >= 40,
    }
    found = sum(c.match() is not None for c in cases)
    print(f"  faces found {found}/{len(cases)} ({100 * found / max(1, len(cases)):.1f}%)")
    out: dict[str, tuple[int, int, int]] = {}
    for name, test in groups.items():
        group = [c for c in cases if test(c.age)]
        if not group:
            continue
        levels = []
        for case in group:
            face = case.match()
            levels.append(None if face is None else decide(face, settings).level)
        child = sum(level is ChildLevel.CHILD for level in levels)
        possible = sum(level is ChildLevel.POSSIBLE_CHILD for level in levels)
        out[name] = (len(group), child, child + possible)
        print(
            f"  {name:>5}: {len(group):3} images, child {child} ({100 * child / len(group):.1f}%),"
            f" possible {possible}, treated as child {child + possible} "
            f"({100 * (child + possible) / len(group):.1f}%), not found "
            f"{sum(level is None for level in levels)}"
        )
    return out


Rule = Callable[[FaceAnalysis], bool]


def report_age(cases: list[AgeCase], rule: Rule, title: str) -> dict[str, float]:
    found = sum(c.match() is not None for c in cases)
    rates: dict[str, float] = {"found": found / len(cases)}
    parts = [f"found {found}/{len(cases)} ({100 * rates['found']:.1f}%)"]
    for name in ("0-12", "13-17", "18-24", "25+"):
        group = [c for c in cases if band(c.age) == name]
        if not group:
            continue
        flagged = seen = 0
        for case in group:
            face = case.match()
            seen += face is not None
            flagged += face is not None and rule(face)
        rates[name] = flagged / len(group)
        parts.append(
            f"{name} flagged {flagged}/{len(group)} ({100 * rates[name]:.1f}%; "
            f"{flagged}/{seen} of found)"
        )
    print(f"  {title}: " + "; ".join(parts))
    return rates


def grid(cases: list[AgeCase]) -> None:
    """Compare child rules on the same detections: no TTA vs TTA, mean vs distribution."""
    print("child-rule grid (flag rates among found faces):")
    for threshold in (18.0, 20.0, 22.0, 23.0, 24.0, 26.0):
        report_age(cases, lambda f, t=threshold: f.ages[0] < t, f"plain mean < {threshold:g}")
        report_age(cases, lambda f, t=threshold: min(f.ages) < t, f"youngest TTA < {threshold:g}")
        report_age(
            cases, lambda f, t=threshold: sum(f.ages) / len(f.ages) < t, f"mean TTA < {threshold:g}"
        )
    if len(cases[0].faces[0].ages if cases[0].faces else ()) == 4:  # margins 1.0,1.3 + mirror
        for threshold in (20.0, 22.0, 23.0, 24.0):
            report_age(
                cases,
                lambda f, t=threshold: min(f.ages[0], f.ages[2]) < t,
                f"youngest of plain+mirror < {threshold:g}",
            )
            report_age(
                cases,
                lambda f, t=threshold: min(f.ages[0], f.ages[1]) < t,
                f"youngest of margins 1.0,1.3 < {threshold:g}",
            )
    for prob in (0.2, 0.3, 0.4, 0.5):
        report_age(cases, lambda f, p=prob: f.p_minor >= p, f"P(<18) >= {prob:g}")
    for threshold in (20.0, 22.0, 24.0):
        for prob in (0.3, 0.5):
            report_age(
                cases,
                lambda f, t=threshold, p=prob: min(f.ages) < t or f.p_minor >= p,
                f"youngest < {threshold:g} or P(<18) >= {prob:g}",
            )


def run_noface(settings: FaceSettings, limit: int | None) -> None:
    folder = TESTDATA / "c_noface"
    rows = subset(read_manifest(folder), limit)
    hits = []
    for name, label in rows:
        faces = analyse_faces((folder / name).read_bytes(), settings)
        if faces:
            hits.append(f"{name} ({len(faces)}; {label})")
    share = len(hits) / len(rows)
    print(f"c_noface: photos with any face {len(hits)}/{len(rows)} ({100 * share:.1f}%)")
    for hit in hits:
        print(f"    false positive: {hit}")


def truth_boxes(folder: Path) -> dict[str, list[Box]]:
    boxes: dict[str, list[Box]] = {}
    with (folder / "FACE_BOXES.tsv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            x, y, w, h = (int(row[k]) for k in ("box_x", "box_y", "box_w", "box_h"))
            boxes.setdefault(row["file"], []).append((x, y, x + w, y + h))
    return boxes


def run_groups(settings: FaceSettings, limit: int | None) -> None:
    folder = TESTDATA / "b_group_photos"
    truths = truth_boxes(folder)
    expected_total = found_total = 0
    recall_hit = recall_all = 0
    child_photos = child_flagged = adult_photos = adult_flagged = 0
    flagged_faces = possible_faces = adult_faces = 0
    print("b_group_photos: file, faces found / labelled, children flagged / labelled")
    for name, label in subset(read_manifest(folder), limit):
        start = time.perf_counter()
        faces = [decide(a, settings) for a in analyse_faces((folder / name).read_bytes(), settings)]
        elapsed = time.perf_counter() - start
        counts = {k: int(v) for k, v in re.findall(r"(children|adults)=~?(\d+)", label)}
        expected = counts.get("children", 0) + counts.get("adults", 0)
        children = counts.get("children", 0)
        flagged = sum(f.child for f in faces)
        possible = sum(f.level is ChildLevel.POSSIBLE_CHILD for f in faces)
        expected_total += expected
        found_total += min(len(faces), expected)
        if children:
            child_photos += 1
            child_flagged += flagged > 0
        else:
            adult_photos += 1
            adult_flagged += flagged > 0
            adult_faces += len(faces)
            flagged_faces += flagged
            possible_faces += possible
        for truth in truths.get(name, []):
            recall_all += 1
            recall_hit += any(iou(truth, f.box) >= 0.3 or centre_in(truth, f.box) for f in faces)
        verdict = "" if not children else ("  CHILD FLAGGED" if flagged else "  CHILD MISSED")
        print(
            f"    {name}: {len(faces)}/{expected} faces, {flagged}/{children} children "
            f"({possible} possible; {elapsed:.2f}s){verdict}"
        )
    print(
        f"  faces found (capped per photo at the label) {found_total}/{expected_total} "
        f"({100 * found_total / max(1, expected_total):.1f}%)"
    )
    print(
        f"  FACE_BOXES recall (IoU>=0.3 or centre-in-box) {recall_hit}/{recall_all} "
        f"({100 * recall_hit / max(1, recall_all):.1f}%)"
    )
    print(f"  photos with children flagged as showing a child: {child_flagged}/{child_photos}")
    print(
        f"  adult-only photos with a face treated as a child: {adult_flagged}/{adult_photos} "
        f"({flagged_faces} of their {adult_faces} faces, {possible_faces} of them possible)"
    )


def parse(argv: Iterable[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="abc", help="which of a, b, c to run (default abc)")
    parser.add_argument("--limit", type=int, help="stratified subset of this many per set")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument(
        "--small-faces", type=int, default=0, help="a_age faces at this many px on 640x480"
    )
    parser.add_argument("--grid", action="store_true", help="compare child rules on a_age_faces")
    parser.add_argument("--working-size", type=int)
    parser.add_argument("--upsample", type=int)
    parser.add_argument("--threshold", type=float)
    parser.add_argument("--probability", type=float)
    parser.add_argument("--margins", help="TTA crop margins, comma separated, e.g. 1.0,1.3")
    parser.add_argument("--no-mirror", action="store_true")
    parser.add_argument(
        "--rgb-hog", action="store_true", help="HOG on the colour image (default: grey)"
    )
    parser.add_argument("--gray-hog", action="store_true", help=argparse.SUPPRESS)  # default
    parser.add_argument("--mirror-band", type=float, help="age the mirror only this near")
    parser.add_argument("--hog-threshold", type=float, help="dlib adjust_threshold")
    parser.add_argument("--thorough", action="store_true")
    parser.add_argument("--hog", action="store_true", help="the HOG detector (before issue 11)")
    parser.add_argument("--yunet-box", action="store_true", help="age chips on YuNet's box")
    parser.add_argument("--yunet-size", type=int, help="YuNet's working size and first pass")
    return parser.parse_args(None if argv is None else list(argv))


def settings_from(args: argparse.Namespace) -> FaceSettings:
    settings = FaceSettings(thorough=args.thorough, tta_mirror=not args.no_mirror)
    if args.hog:
        settings = replace(settings, detector="hog")
    if args.yunet_size:
        first, *rest = settings.yunet.passes
        passes = (replace(first, long_side=args.yunet_size), *rest)
        yunet = replace(settings.yunet, working_size=args.yunet_size, passes=passes)
        settings = replace(settings, yunet=yunet)
    if args.yunet_box:
        chips = replace(settings.yunet.chips, dlib_box=False)
        settings = replace(settings, yunet=replace(settings.yunet, chips=chips))
    if args.rgb_hog:
        settings = replace(settings, hog_gray=False)
    if args.working_size:
        settings = replace(settings, working_size=args.working_size)
    if args.upsample is not None:
        settings = replace(settings, upsample=args.upsample)
    if args.threshold is not None:
        settings = replace(settings, child_age_threshold=args.threshold)
    if args.probability is not None:
        settings = replace(settings, child_min_probability=args.probability)
    if args.mirror_band is not None:
        settings = replace(settings, tta_mirror_band=args.mirror_band)
    if args.hog_threshold is not None:
        settings = replace(settings, hog_threshold=args.hog_threshold)
    if args.margins:
        settings = replace(settings, tta_margins=tuple(float(m) for m in args.margins.split(",")))
    return settings


def main(argv: Iterable[str] | None = None) -> int:
    args = parse(argv)
    settings = settings_from(args)
    print(f"settings: {settings}")
    load_models()
    start = time.perf_counter()
    if "a" in args.sets:
        cases = run_age_faces(settings, args.limit, args.seed, args.small_faces)
        size = f", faces at {args.small_faces} px" if args.small_faces else ""
        print(f"a_age_faces (UTKFace crops on seeded canvases{size}):")
        if settings.detector == "yunet":
            report_levels(cases, settings)
        else:
            report_age(cases, lambda f: decide(f, settings).child, "default rule")
        if args.grid:
            grid(cases)
    if "c" in args.sets:
        run_noface(settings, args.limit)
    if "b" in args.sets:
        run_groups(settings, args.limit)
    print(f"elapsed {time.perf_counter() - start:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
