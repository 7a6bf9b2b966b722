"""Face throughput on 12-megapixel photos: photoscan's FacePool vs face_recognition's CLI.

    uv run python benchmarks/bench_faces.py            # build the corpus if needed, 2 rounds
    uv run python benchmarks/bench_faces.py --rounds 1 --workers 2
    uv run python benchmarks/bench_faces.py --cpu        # CPU per photo and stage, one process

``--folder ../shared/testdata/b_group_photos --rounds 1`` compares the face counts photo by
photo on the group photos as they are. The corpus is built once into benchmarks/out/faces_12mp/
(gitignored) by upscaling real photos (every other photo of b_group_photos plus the first
JPEGs of c_noface, sorted by name) to about 12 MP (4000x3000 for 4:3). Both tools run as fresh
subprocesses, alternately, on the same folder with the same number of CPUs, so interpreter
start, imports and model loading count for both. Faces are counted for both, photo by photo:
each prints one line per face.
"""

from __future__ import annotations

import argparse
import math
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

from benchmarks.toolenv import tool_env

if TYPE_CHECKING:
    from photoscan.faces.settings import FaceSettings
    from photoscan.images.decode import Decoded

TESTDATA = Path(__file__).resolve().parents[2] / "shared" / "testdata"
OUT = Path(__file__).resolve().parent / "out" / "faces_12mp"
TARGET_PIXELS = 12_000_000


def sources(count: int = 24) -> list[Path]:
    """The first 24 are the original set (every other group photo, 10 without faces); larger
    sets add the other group photos, then more photos without faces — all distinct files."""
    all_groups = sorted((TESTDATA / "b_group_photos").glob("*.jpg"))
    all_noface = sorted((TESTDATA / "c_noface").glob("*.jpg"))
    first = all_groups[::2] + all_noface[:10]
    more = all_groups[1::2] + all_noface[10:]
    return (first + more)[:count]


def build_corpus(count: int = 24) -> Path:
    folder = OUT if count == 24 else OUT.with_name(f"{OUT.name}_{count}")
    folder.mkdir(parents=True, exist_ok=True)
    for source in sources(count):
        target = folder / f"{source.parent.name[:1]}_{source.name}"
        if target.exists():
            continue
        with Image.open(source) as image:
            from PIL import ImageOps

            upright = ImageOps.exif_transpose(image).convert("RGB")
            scale = math.sqrt(TARGET_PIXELS / (upright.width * upright.height))
            size = (round(upright.width * scale), round(upright.height * scale))
            upright.resize(size, Image.Resampling.BICUBIC).save(target, "JPEG", quality=90)
    return folder


def settings_for(thorough: bool, size: int | None) -> FaceSettings:
    """The default face settings, or with YuNet's working size (and first pass) at ``size``."""
    from dataclasses import replace

    from photoscan.faces.settings import FaceSettings

    settings = FaceSettings(thorough=thorough)
    if size:
        first, *rest = settings.yunet.passes
        passes = (replace(first, long_side=size), *rest)
        settings = replace(
            settings, yunet=replace(settings.yunet, working_size=size, passes=passes)
        )
    return settings


def run_ours(folder: Path, workers: int, thorough: bool, size: int | None = None) -> None:
    """Child-process mode: print one line per face, like the peer."""
    from photoscan.faces.pool import FacePool

    jobs = [(p.name, p) for p in sorted(folder.glob("*.jpg"))]
    with FacePool(workers, settings_for(thorough, size)) as pool:
        for key, result in pool.run(jobs):
            if isinstance(result, tuple):
                for face in result:
                    print(f"{key},{face.box},{face.age},{face.child}")
            else:
                print(f"ERROR {key}: {result.reason}", file=sys.stderr)


def cpu_profile(folder: Path, size: int | None = None) -> None:
    """CPU seconds per photo, in this process: our stages on every photo, the peer's
    load_image_file + face_locations on every 4th photo (it is slow)."""
    import face_recognition

    from photoscan.faces import chips, finder
    from photoscan.faces.analyse import load_models
    from photoscan.images.decode import decode

    settings, models = settings_for(False, size), load_models()
    config = settings.yunet
    finder.find(_tiny(), settings)  # load YuNet before timing
    photos = sorted(folder.glob("*.jpg"))
    stages = {"decode": 0.0, "detect": 0.0, "chips": 0.0, "age": 0.0}
    faces = 0
    for path in photos:
        data = path.read_bytes()
        start = time.process_time()
        decoded = decode(
            data,
            config.working_size,
            settings.max_upscale,
            draft_floor=config.draft_floor,
            keep_full=True,
        )
        t_decoded = time.process_time()
        found = finder.find(decoded, settings)
        t_found = time.process_time()
        crops = [chips.crop(f, decoded.pixels, decoded.full, config.chips) for f in found]
        t_chips = time.process_time()
        models.age.ages_of(crops, settings)
        stages["decode"] += t_decoded - start
        stages["detect"] += t_found - t_decoded
        stages["chips"] += t_chips - t_found
        stages["age"] += time.process_time() - t_chips
        faces += len(found)
    ours = sum(stages.values()) / len(photos)
    parts = ", ".join(f"{k} {v / len(photos):.3f}" for k, v in stages.items())
    print(f"photoscan: {ours:.3f} CPU-s per photo ({parts}; {faces} faces)")
    sample = photos[::4]
    start = time.process_time()
    for path in sample:
        image = face_recognition.load_image_file(str(path))
        face_recognition.face_locations(image, number_of_times_to_upsample=0, model="hog")
    peer = (time.process_time() - start) / len(sample)
    print(
        f"face_recognition: {peer:.3f} CPU-s per photo ({len(sample)} photos); {peer / ours:.1f}x"
    )


def _tiny() -> Decoded:
    import numpy as np

    from photoscan.images.decode import Decoded

    return Decoded(np.zeros((64, 64, 3), np.uint8), 64, 64)


def per_photo(lines: list[str]) -> dict[str, int]:
    """Faces per photo from either tool's output (one ``path,...`` line per face)."""
    counts: dict[str, int] = {}
    for line in lines:
        name = Path(line.split(",", 1)[0]).name
        counts[name] = counts.get(name, 0) + 1
    return counts


def timed(command: list[str]) -> tuple[float, list[str]]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=tool_env())
    elapsed = time.perf_counter() - start
    return elapsed, [line for line in done.stdout.splitlines() if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--thorough", action="store_true")
    parser.add_argument("--working-size", type=int, help="YuNet's working size (default 2048)")
    parser.add_argument("--cpu", action="store_true", help="CPU per photo, in-process, per stage")
    parser.add_argument(
        "--photos",
        type=int,
        default=24,
        help="distinct 12-MP photos (24 by default; more amortise both tools' start-up, "
        "as on a real library)",
    )
    parser.add_argument(
        "--folder", type=Path, help="run both tools on this folder instead of the 12 MP corpus"
    )
    parser.add_argument("--ours-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cpu:
        cpu_profile(build_corpus(args.photos), args.working_size)
        return 0
    if args.ours_only:
        run_ours(args.ours_only, args.workers, args.thorough, args.working_size)
        return 0
    folder = args.folder or build_corpus(args.photos)
    photos = len(list(folder.glob("*.jpg")))

    def peer_on(where: Path) -> list[str]:
        cli = [sys.executable, "-m", "face_recognition.face_detection_cli"]
        return [*cli, "--cpus", str(args.workers), str(where)]

    def ours_on(where: Path) -> list[str]:
        command = [sys.executable, __file__, "--ours-only", str(where)]
        command += ["--workers", str(args.workers)]
        if args.working_size:
            command += ["--working-size", str(args.working_size)]
        return command + (["--thorough"] if args.thorough else [])

    # Warm-up on one photo: byte-code caches, and photoscan's stored face detector (built
    # once per installation, as on a user's machine after the first scan).
    warm = build_corpus(1)
    timed(peer_on(warm))
    timed(ours_on(warm))
    peer, ours = peer_on(folder), ours_on(folder)
    results: dict[str, list[tuple[float, int]]] = {"face_detection CLI": [], "photoscan": []}
    outputs: dict[str, list[str]] = {}
    for round_no in range(args.rounds):
        for name, command in (("face_detection CLI", peer), ("photoscan", ours)):
            elapsed, lines = timed(command)
            faces = len(lines)
            outputs[name] = lines
            results[name].append((elapsed, faces))
            print(
                f"round {round_no + 1} {name}: {photos} photos in {elapsed:.1f}s "
                f"= {photos / elapsed:.2f} photos/s, {faces} faces"
            )
    # Rounds alternate, so each round's pair saw about the same machine load: the median of
    # the per-round ratios is the robust number on a shared machine.
    ratios = [e_peer / e_ours for (e_peer, _), (e_ours, _) in zip(*results.values(), strict=True)]
    rates = {k: statistics.median(photos / e for e, _ in v) for k, v in results.items()}
    peer_faces = results["face_detection CLI"][-1][1]
    our_faces = results["photoscan"][-1][1]
    print(
        f"per-round ratios {', '.join(f'{r:.1f}x' for r in ratios)}; median "
        f"{statistics.median(ratios):.1f}x (median rates: photoscan {rates['photoscan']:.2f} "
        f"vs face_detection {rates['face_detection CLI']:.2f} photos/s); "
        f"faces {our_faces} vs {peer_faces} ({args.workers} CPUs, {photos} photos of ~12 MP)"
    )
    theirs, mine = per_photo(outputs["face_detection CLI"]), per_photo(outputs["photoscan"])
    fewer = {k: (mine.get(k, 0), v) for k, v in theirs.items() if mine.get(k, 0) < v}
    print(
        f"photos where photoscan finds fewer faces than the CLI: {len(fewer)} of {photos}"
        + "".join(f"\n    {k}: {a} vs {b}" for k, (a, b) in sorted(fewer.items()))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
