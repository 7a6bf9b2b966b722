"""Video strip bars (issue 13): files/s against ExifTool, a 1 GB copy against ``cp``, peak memory.

(a) the BMFF videos of ../shared/testdata/f_video (MP4/MOV/M4V/3GP/3G2), hard-linked into
    benchmarks/out/video/corpus/, stripped by one command each round, alternating order:
      photoscan: python -m photoscan strip CORPUS --out OUT
      exiftool:  exiftool -q -q -all= -o OUT/%f.%e CORPUS
(b) a 1 GB video (an ffmpeg clip with metadata, then a 1 GB mdat of random bytes) stripped to
    a copy by the same command, against ``cp`` of it, alternating, page cache warm for both.
(c) peak memory (the child's ru_maxrss) of the strip of a 2 GB sparse video to a copy.
(d) frames: CPU seconds (user + sys, one process pinned to one core) of sampling + the face
    pass (``faces.video.video_faces``, the scan's defaults) per 1080p H.264 video: ffmpeg
    makes 20 s clips (a photo of ../shared/testdata/b_group_photos looped, slowly panned, and
    ``testsrc2``), models are loaded and warmed on one video first, then each is timed.

Every photoscan command runs with Python's byte-code cache on (``toolenv.tool_env``) after a
warm-up run, as an installed program has it.

Usage: uv run python benchmarks/bench_video.py [--rounds 3] [--skip-big]
       [--skip-frames | --frames-only | --strip-only]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.toolenv import tool_env
from photoscan.source.sniff import BMFF_FORMATS, sniff_video

ROOT = Path(__file__).resolve().parent
OUT = ROOT / "out" / "video"
SHARED = Path(os.environ.get("PHOTOSCAN_TESTDATA", ROOT.parent.parent / "shared" / "testdata"))
TESTDATA = SHARED / "f_video"
GROUP_PHOTOS = TESTDATA.parent / "b_group_photos"
STRIP = [sys.executable, "-m", "photoscan", "strip"]


def _timed(cmd: list[str], *, check: bool = True) -> float:
    """Wall time of ``cmd``; ExifTool exits 1 when it cannot write some file (counted as done)."""
    start = time.perf_counter()
    subprocess.run(cmd, check=check, capture_output=True, env=tool_env())
    return time.perf_counter() - start


def _fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def _corpus() -> Path:
    corpus = _fresh(OUT / "corpus")
    for p in sorted(TESTDATA.iterdir()):
        if p.is_file() and sniff_video(p.read_bytes()[:1024]) in BMFF_FORMATS:
            os.link(p, corpus / p.name)
    return corpus


def files_per_second(rounds: int) -> None:
    corpus = _corpus()
    n = len(list(corpus.iterdir()))
    tools = {
        "photoscan": lambda out: [*STRIP, str(corpus), "--out", str(out)],
        "exiftool": lambda out: [
            "exiftool",
            "-q",
            "-q",
            "-all=",
            "-o",
            f"{out}/%f.%e",
            str(corpus),
        ],
    }
    for tool in tools:  # warm-up: byte-code caches, every tool's start
        _timed(tools[tool](_fresh(OUT / tool)), check=tool != "exiftool")
    times: dict[str, list[float]] = {t: [] for t in tools}
    order = list(tools)
    for r in range(rounds):
        for tool in order[r % 2 :] + order[: r % 2]:
            times[tool].append(_timed(tools[tool](_fresh(OUT / tool)), check=tool != "exiftool"))
    rate = {t: n / statistics.median(v) for t, v in times.items()}
    print(f"(a) {n} files: " + ", ".join(f"{t} {rate[t]:.1f} files/s" for t in rate))
    print(f"    photoscan / exiftool = {rate['photoscan'] / rate['exiftool']:.2f}x")


def _clip(path: Path) -> Path:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
         "-t", "2", "-c:v", "mpeg4", "-metadata", "artist=Ben", "-movflags", "+faststart",
         str(path)],
        check=True,
    )  # fmt: skip
    return path


def _big(path: Path, size: int, *, sparse: bool) -> Path:
    clip = _clip(path.with_suffix(".clip.mp4"))
    with open(path, "wb") as fh:
        fh.write(clip.read_bytes())
        fh.write(struct.pack(">I4sQ", 1, b"mdat", 16 + size))
        if sparse:
            fh.truncate(fh.tell() + size)
        else:
            chunk = os.urandom(16 * 1024 * 1024)
            for _ in range(size // len(chunk)):
                fh.write(chunk)
    return path


def copy_ratio(rounds: int) -> None:
    work = _fresh(OUT / "big")
    src = _big(work / "one_gb.mp4", 1024**3, sparse=False)
    cp: list[float] = []
    strip: list[float] = []
    for r in range(rounds):
        steps = [("cp", work / "cp.mp4"), ("strip", work / "out")]
        for what, dest in steps[r % 2 :] + steps[: r % 2]:
            if dest.is_dir():
                shutil.rmtree(dest)
            dest.unlink(missing_ok=True)
            if what == "cp":
                cp.append(_timed(["cp", str(src), str(dest)]))
            else:
                strip.append(_timed([*STRIP, str(src), "--out", str(dest)]))
    c, s = statistics.median(cp), statistics.median(strip)
    print(f"(b) 1 GB: cp {c:.2f} s, strip to a copy {s:.2f} s, ratio {s / c:.2f}")


def peak_memory() -> None:
    work = _fresh(OUT / "sparse")
    src = _big(work / "two_gb.mp4", 2 * 1024**3, sparse=True)
    cmd = [*STRIP, str(src), "--out", str(work / "out")]
    subprocess.run(cmd, check=True, capture_output=True, env=tool_env())
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"(c) 2 GB sparse video strip: peak {peak:.0f} MB (largest child)")


def _hd_clips(work: Path) -> list[Path]:
    """20 s 1080p H.264 clips (keyframe every 2 s, as phones write them)."""
    x264 = ["-t", "20", "-r", "30", "-c:v", "libx264", "-preset", "veryfast", "-g", "60",
            "-pix_fmt", "yuv420p"]  # fmt: skip
    sources = [
        ["-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30"],
    ]
    photos = sorted(GROUP_PHOTOS.glob("*.jpg"))[:2]
    pan = "scale=2112:1188,crop=1920:1080:'(iw-ow)*t/20':'(ih-oh)*t/20'"
    sources += [["-loop", "1", "-i", str(p), "-vf", pan] for p in photos]
    clips = []
    for i, src in enumerate(sources):
        clip = work / f"hd{i}.mp4"
        subprocess.run(["ffmpeg", "-v", "error", "-y", *src, *x264, str(clip)], check=True)
        clips.append(clip)
    return clips


FRAMES_CHILD = """
import os, sys, time
os.sched_setaffinity(0, {0})
from photoscan.faces.analyse import load_models
from photoscan.faces.settings import FaceSettings
from photoscan.faces.video import video_faces
from photoscan.source.fileref import FileRef
settings = FaceSettings()
load_models()
video_faces(FileRef(sys.argv[1]), settings)  # warm: models, FFmpeg's libraries
for path in sys.argv[1:]:
    start, wall = time.process_time(), time.perf_counter()
    faces = video_faces(FileRef(path), settings)
    cpu, wall = time.process_time() - start, time.perf_counter() - wall
    print(f"{os.path.basename(path)} {cpu:.3f} {wall:.3f} {len(faces)}")
"""


def frames_cpu(rounds: int) -> None:
    work = _fresh(OUT / "frames")
    clips = _hd_clips(work)
    env = {**tool_env(), "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    cpu: dict[str, list[float]] = {}
    for _ in range(rounds):
        cmd = [sys.executable, "-c", FRAMES_CHILD, *map(str, clips)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
        for line in out.splitlines():
            name, seconds, wall, faces = line.split()
            cpu.setdefault(name, []).append(float(seconds))
            print(f"    {name}: CPU {seconds} s, wall {wall} s, {faces} faces")
    worst = max(statistics.median(v) for v in cpu.values())
    print(f"(d) 1080p H.264, sampling + faces, one core: worst median {worst:.2f} s CPU a video")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-big", action="store_true")
    parser.add_argument("--skip-frames", action="store_true")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--frames-only", action="store_true", help="(d) alone")
    only.add_argument("--strip-only", action="store_true", help="(a) alone: files/s")
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()}")
    if not args.frames_only:
        files_per_second(args.rounds)
    if not (args.skip_big or args.frames_only or args.strip_only):
        copy_ratio(args.rounds)
        peak_memory()
    if not (args.skip_frames or args.strip_only):
        frames_cpu(args.rounds)
    shutil.rmtree(OUT, ignore_errors=True)


if __name__ == "__main__":
    main()
