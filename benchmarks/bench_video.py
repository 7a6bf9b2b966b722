"""Video strip bars (issue 13): files/s against ExifTool, a 1 GB copy against ``cp``, peak memory.

(a) the BMFF videos of ../shared/testdata/f_video (MP4/MOV/M4V/3GP/3G2), hard-linked into
    benchmarks/out/video/corpus/, stripped by one command each round, alternating order:
      photoscan: photoscan strip CORPUS --out OUT  (the console script, as the README runs it;
                 ``python -m photoscan`` when the environment has none)
      exiftool:  exiftool -q -q -all= -o OUT/%f.%e CORPUS
(b) a 1 GB video (an ffmpeg clip with metadata, moov before mdat, then a 1 GB mdat of random
    bytes) stripped to a copy, against ``cp`` of the same file into the same folder:
      photoscan: photoscan strip SRC --out DIR (as in (a))    cp: cp SRC DIR/cp.mp4
    Timed: each whole process, fork to reaped exit (wall; CPU = user + sys from ``wait4``).
    Before every timed run, untimed: both outputs removed, ``sync`` (no tool is billed for
    the writeback or discard of an earlier output), the source read through so the page
    cache holds all of it for either tool (``--cold``: dropped from it instead, this file
    only). After each run ``sync`` again, outside the timing (its time is printed: the
    writeback neither tool waits for, as neither fsyncs a copy). One untimed run of each,
    then ``--rounds`` rounds in alternating order; medians, and the median of the rounds'
    own strip/cp ratios.
(c) peak memory of the strip of a 2 GB sparse video to a copy: the strip process's own
    high-water RSS (``VmHWM``, read as it ends; see ``peak_memory``).
(d) frames: CPU seconds (user + sys, one process pinned to one core) of sampling + the face
    pass (``faces.video.video_faces``, the scan's defaults) per 1080p H.264 video: ffmpeg
    makes 20 s clips (a photo of ../shared/testdata/b_group_photos looped, slowly panned, and
    ``testsrc2``), models are loaded and warmed on one video first, then each is timed.

Every photoscan command runs with Python's byte-code cache on (``toolenv.tool_env``) after a
warm-up run, as an installed program has it.

Usage: uv run python benchmarks/bench_video.py [--rounds 3] [--skip-big] [--cold]
       [--skip-frames | --frames-only | --strip-only | --copy-only]
(--copy-only: (b) and (c) alone.)
"""

from __future__ import annotations

import argparse
import os
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
# The console script beside this interpreter (what a user runs: no runpy, whose imports cost
# ~2M instructions of a run of small videos), else ``python -m photoscan``.
SCRIPT = Path(sys.executable).with_name("photoscan")
STRIP = [str(SCRIPT), "strip"] if SCRIPT.is_file() else [sys.executable, "-m", "photoscan", "strip"]


def _timed(cmd: list[str], *, check: bool = True) -> float:
    """Wall time of ``cmd``; ExifTool exits 1 when it cannot write some file (counted as done)."""
    start = time.perf_counter()
    subprocess.run(cmd, check=check, capture_output=True, env=tool_env())
    return time.perf_counter() - start


def _fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def _corpus(copies: int = 1) -> Path:
    """The BMFF files of f_video, hard-linked; ``copies`` > 1 links each that many times
    (``name-2.mp4``, ...), as bench_strip.py replicates its photos: a throughput that is not
    mostly the two tools' start-up."""
    corpus = _fresh(OUT / "corpus")
    for p in sorted(TESTDATA.iterdir()):
        if p.is_file() and sniff_video(p.read_bytes()[:1024]) in BMFF_FORMATS:
            for i in range(1, copies + 1):
                os.link(p, corpus / (p.name if i == 1 else f"{p.stem}-{i}{p.suffix}"))
    return corpus


def files_per_second(rounds: int, copies: int = 1) -> None:
    corpus = _corpus(copies)
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


def _drop_cache(path: Path) -> None:
    """``path``'s pages out of the page cache (clean after a sync; this file only)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def _read_through(path: Path) -> None:
    """Every page of ``path`` in the page cache (read whole, 16 MB at a time)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        while os.read(fd, 16 * 1024 * 1024):
            pass
    finally:
        os.close(fd)


def _prepare(src: Path, outputs: list[Path], *, cold: bool) -> None:
    """The same state before every timed run: no tool's output on disk, everything written
    so far flushed (``sync``: nobody pays for an earlier output's writeback or discard),
    the source warm (read through) or, ``cold``, not cached at all."""
    for dest in outputs:
        if dest.is_dir():
            shutil.rmtree(dest)
        dest.unlink(missing_ok=True)
    os.sync()
    if cold:
        _drop_cache(src)
    else:
        _read_through(src)


def _run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds of ``cmd``, fork to reaped exit, and its CPU seconds (user + sys)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=tool_env())
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    with proc.stderr or open(os.devnull, "rb") as pipe:  # read after exit: under 64 KB here
        err = pipe.read()
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, cmd, stderr=err)
    return wall, usage.ru_utime + usage.ru_stime


def copy_ratio(rounds: int, *, cold: bool = False) -> None:
    """(b): ``cp SRC DEST`` against ``photoscan strip SRC --out DIR`` (``STRIP``), the same
    1 GB file, same folder and file system. Each timed run is one whole process, start to
    exit (``_run``: wall time from before the fork to the reaped exit; CPU from
    ``wait4``), after ``_prepare``; after it, ``sync`` runs outside the timing and how
    long it took (the output's writeback, which neither tool waits for: neither
    fsyncs a copy) is printed beside it. One untimed run of each first; then rounds, the
    order alternating; medians."""
    work = _fresh(OUT / "big")
    src = _big(work / "one_gb.mp4", 1024**3, sparse=False)
    dests = {"cp": work / "cp.mp4", "strip": work / "out"}
    cmds = {
        "cp": ["cp", str(src), str(dests["cp"])],
        "strip": [*STRIP, str(src), "--out", str(dests["strip"])],
    }
    outputs = list(dests.values())
    for tool in cmds:  # warm-up: byte-code cache, both programs' files in the page cache
        _prepare(src, outputs, cold=cold)
        _run(cmds[tool])
    wall: dict[str, list[float]] = {t: [] for t in cmds}
    cpu: dict[str, list[float]] = {t: [] for t in cmds}
    flush: dict[str, list[float]] = {t: [] for t in cmds}
    order = list(cmds)
    for r in range(rounds):
        for tool in order[r % 2 :] + order[: r % 2]:
            _prepare(src, outputs, cold=cold)
            w, c = _run(cmds[tool])
            start = time.perf_counter()
            os.sync()
            flush[tool].append(time.perf_counter() - start)
            wall[tool].append(w)
            cpu[tool].append(c)
            out = dests[tool] / src.name if tool == "strip" else dests[tool]
            if out.stat().st_size != src.stat().st_size:
                raise SystemExit(f"(b) {tool}'s copy has another size than the original")
    med = {t: statistics.median(v) for t, v in wall.items()}
    cpu_med = {t: statistics.median(v) for t, v in cpu.items()}
    paired = statistics.median(s / c for s, c in zip(wall["strip"], wall["cp"], strict=True))
    cache = "cold (dropped) for both" if cold else "warm (read through) for both"
    print(f"(b) 1 GB, {rounds} rounds, page cache {cache}, synced before each run:")
    for t in cmds:
        runs = " ".join(f"{x:.2f}" for x in wall[t])
        print(
            f"    {t:5s} wall median {med[t]:.3f} s (runs {runs}), CPU median"
            f" {cpu_med[t]:.3f} s, sync after it median {statistics.median(flush[t]):.2f} s"
        )
    print(
        f"    strip / cp = {med['strip'] / med['cp']:.2f}x (medians), {paired:.2f}x (median"
        f" of the rounds' ratios); CPU {cpu_med['strip'] / cpu_med['cp']:.2f}x"
    )


PEAK_CHILD = """
import runpy, sys
sys.argv = ["photoscan", *sys.argv[1:]]
try:
    runpy.run_module("photoscan", run_name="__main__", alter_sys=True)
finally:
    with open("/proc/self/status") as f:
        sys.stderr.write(next(line for line in f if line.startswith("VmHWM:")))
"""


def peak_memory() -> None:
    """(c): the peak RSS of the strip process itself: ``VmHWM`` of its own memory, read as it
    ends. Not ``ru_maxrss`` (of ``wait4`` or ``RUSAGE_CHILDREN``): a child spawned by this
    process starts as a copy of it, so its ``ru_maxrss`` is at least this process's RSS, and
    ``RUSAGE_CHILDREN`` is the largest of all children so far (ffmpeg's ~58 MB, making the
    clip, was what this bar reported until 2026-12-06)."""
    work = _fresh(OUT / "sparse")
    src = _big(work / "two_gb.mp4", 2 * 1024**3, sparse=True)
    cmd = [sys.executable, "-c", PEAK_CHILD, "strip", str(src), "--out", str(work / "out")]
    err = subprocess.run(cmd, check=True, capture_output=True, text=True, env=tool_env()).stderr
    peak = int(err.rsplit("VmHWM:", 1)[1].split()[0]) / 1024
    print(f"(c) 2 GB sparse video strip: peak {peak:.0f} MB (VmHWM of the strip process)")


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
    parser.add_argument(
        "--copies", type=int, default=1, help="(a) with each f_video file linked N times"
    )
    parser.add_argument("--skip-big", action="store_true")
    parser.add_argument("--skip-frames", action="store_true")
    parser.add_argument("--cold", action="store_true", help="(b) with the source not cached")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--frames-only", action="store_true", help="(d) alone")
    only.add_argument("--strip-only", action="store_true", help="(a) alone: files/s")
    only.add_argument("--copy-only", action="store_true", help="(b) and (c) alone")
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()}")
    if not (args.frames_only or args.copy_only):
        files_per_second(args.rounds, args.copies)
    if not (args.skip_big or args.frames_only or args.strip_only):
        copy_ratio(args.rounds, cold=args.cold)
        peak_memory()
    if not (args.skip_frames or args.strip_only or args.copy_only):
        frames_cpu(args.rounds)
    shutil.rmtree(OUT, ignore_errors=True)
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
