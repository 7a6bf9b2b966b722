"""Why a photo is flagged: per face, the evidence behind its level (issue 11).

    uv run python benchmarks/explain_faces.py                  # b_group adult-only photos
    uv run python benchmarks/explain_faces.py --all            # every b_group photo
    uv run python benchmarks/explain_faces.py --dump OUT.json  # also store the numbers

Per face: the four chips' age estimates (plain chip, padding 0.1, mirror, padding 0.3) and
their P(age < 18), the face's size in the pixels its chip is cut from (``face px``: the full
photo or the working copy, as ``faces.chips`` decides; ``chip px``: its box in the crop),
YuNet's score, the quarter turn, a sharpness (mean absolute Laplacian of the face's pixels),
the level ``levels.level_of`` gives and which trigger fired (``age<child``, ``P>=child``,
``age<possible``, ``P>=possible``). Numbers only: nothing of the photos is written.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import numpy as np

from benchmarks.eval_faces import TESTDATA, read_manifest
from photoscan.faces import chips, finder
from photoscan.faces.analyse import decode_photo, load_models
from photoscan.faces.levels import LevelSettings
from photoscan.faces.settings import MINOR_AGE, FaceSettings


def trigger(estimate: float, p_minor: float, levels: LevelSettings) -> str:
    """The first rule of ``levels.level_of`` that fires ("" for an adult)."""
    if estimate < levels.child_below:
        return "age<child"
    if p_minor >= levels.child_probability:
        return "P>=child"
    if estimate < levels.possible_below:
        return "age<possible"
    if p_minor >= levels.possible_probability:
        return "P>=possible"
    return ""


def faces_of(data: bytes, settings: FaceSettings) -> list[dict[str, object]]:
    """Per face of one photo: the evidence of all four chips (``tta_band`` wide open) and
    what the pipeline would use of it."""
    models = load_models()
    padded = models.age._padded
    weights = models.age._weights
    assert padded is not None and weights is not None
    config = settings.yunet
    decoded = decode_photo(data, "", settings, keep_full=True)
    found = finder.find(decoded, settings)
    crops = [chips.crop(f, decoded.pixels, decoded.full, config.chips) for f in found]
    wide = replace(settings, tta_band=1000.0, tta_near=1000.0)
    rows = padded.probability_rows(crops, wide)
    full_w = decoded.full.size[0] if decoded.full is not None else decoded.pixels.shape[1]
    out = []
    for face, (pixels, rect), probs in zip(found, crops, rows, strict=True):
        ages = [float(a) for a in probs @ weights]
        p_minor = [float(p) for p in probs[:, weights < MINOR_AGE].sum(axis=1)]
        width = face.box[2] - face.box[0]
        small = width < config.chips.full_below
        source = full_w / decoded.pixels.shape[1] if small or decoded.full else 1.0
        out.append(
            {
                "box": finder.to_photo(face.box, decoded),
                "ages": ages,
                "p_minor": p_minor,
                "chip_px": round(float(rect[2] - rect[0]), 1),
                "face_px": round(width * source, 1),
                "score": round(float(face.score), 3),
                "quarter": face.quarter,
                "sharpness": sharpness(pixels, rect),
            }
        )
    return out


def sharpness(pixels: np.ndarray, rect: tuple[int, int, int, int]) -> float:
    """Mean absolute Laplacian of the face's grey pixels (0-255 scale), per pixel."""
    left, top, right, bottom = rect
    grey = pixels[max(0, top) : bottom, max(0, left) : right].astype(np.float32).mean(axis=2)
    if grey.shape[0] < 3 or grey.shape[1] < 3:
        return 0.0
    lap = grey[1:-1, :-2] + grey[1:-1, 2:] + grey[:-2, 1:-1] + grey[2:, 1:-1] - 4 * grey[1:-1, 1:-1]
    return round(float(np.abs(lap).mean()), 2)


def level(face: dict[str, object], settings: FaceSettings) -> tuple[float, float, str]:
    """(estimate, P(age < 18), trigger) as the pipeline decides (``age._Padded``: the 0.1
    padding near the lines, the other two chips when the first two are nearer still)."""
    ages: list[float] = face["ages"]  # type: ignore[assignment]
    p_minor: list[float] = face["p_minor"]  # type: ignore[assignment]
    levels = settings.levels
    used = 1
    if (
        levels.child_below - settings.tta_band
        <= ages[0]
        <= levels.possible_below + settings.tta_band
    ):
        used = 2
        two, p_two = sum(ages[:2]) / 2, sum(p_minor[:2]) / 2
        near = (
            levels.child_below - settings.tta_near
            <= two
            <= levels.possible_below + settings.tta_near
        )
        if near or p_two >= settings.tta_near_probability:
            used = len(ages)
    estimate, p = sum(ages[:used]) / used, sum(p_minor[:used]) / used
    return estimate, p, trigger(round(estimate, 2), p, levels)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="every photo, not only adult-only")
    parser.add_argument("--dump", type=Path, help="store the per-face numbers as JSON")
    args = parser.parse_args(None if argv is None else list(argv))
    settings = FaceSettings()
    folder = TESTDATA / "b_group_photos"
    dump = []
    for name, label in read_manifest(folder):
        counts = {k: int(v) for k, v in re.findall(r"(children|adults)=~?(\d+)", label)}
        children = counts.get("children", 0)
        if children and not args.all:
            continue
        faces = faces_of((folder / name).read_bytes(), settings)
        dump.append({"name": name, "children": children, "faces": faces})
        decided = [level(face, settings) for face in faces]
        flagged = sum(bool(t) for _e, _p, t in decided)
        print(f"{name}: {len(faces)} faces, {flagged} treated as children ({label[:40]})")
        for face, (estimate, p, why) in zip(faces, decided, strict=True):
            if not why and not args.all:
                continue
            ages = " ".join(f"{a:5.1f}" for a in face["ages"])  # type: ignore[attr-defined]
            print(
                f"    age {estimate:5.1f} P<18 {p:.2f} [{ages}] face {face['face_px']:6.1f}px "
                f"chip {face['chip_px']:6.1f}px score {face['score']:.3f} q{face['quarter']} "
                f"sharp {face['sharpness']:5.2f} {why or 'adult'}"
            )
    if args.dump:
        args.dump.write_text(json.dumps(dump))
    return 0


if __name__ == "__main__":
    sys.exit(main())
