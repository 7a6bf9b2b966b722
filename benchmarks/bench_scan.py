"""Scan speed: photoscan vs ExifTool, and a cached rescan vs a cold scan (issue 2).

    uv run python benchmarks/build_corpus.py
    uv run python benchmarks/bench_scan.py [--rounds 3] [--corpus benchmarks/corpus]
    uv run python benchmarks/bench_scan.py --profile      # where a single-process scan spends

Each round runs, one after the other (so both see the same machine state and page cache):

1. ``photoscan scan CORPUS --no-faces --no-cache --json OUT`` (default workers = CPU count)
2. ``exiftool -r -fast2 -json CORPUS > OUT``
3. ``photoscan scan CORPUS --no-faces --json OUT`` with an empty cache (cold; fills the cache)
4. the same again, ``CACHED_RUNS`` times (cached rescan: served from the stored output,
   ``photoscan.cli.stored``); the round's cached time is their median. The stored output must not
   be rewritten by these runs: if it is (the code or the corpus changed meanwhile — the tree
   is shared), the round is flagged MISS and left out of the cached median.
5. the same once more with the cache in the default location (``PHOTOSCAN_HOME`` unset,
   ``XDG_*_HOME`` in the temporary folder, the cache copied there): as a user runs it, with
   ``platformdirs`` imported to find the cache.

All photoscan runs use the installed entry point (``.venv/bin/photoscan``), not ``uv run``,
whose own start-up is not photoscan's, with Python's byte-code cache on (as any installed
program has it) after one warm-up scan that writes it. Times are wall-clock times of the
whole command, start-up included, as a user sees them; files/s counts every file of the
corpus for both tools. Medians over the rounds are printed with the ratios, and the
interpreter's own start-up (``python -c pass``) for scale. Results go to docs/benchmarks.md
by hand, with the machine line printed here.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.toolenv import tool_env

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
CACHED_RUNS = 5


def _photoscan() -> str:
    script = Path(sys.executable).with_name("photoscan")
    return str(script) if script.exists() else shutil.which("photoscan") or "photoscan"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(
    cmd: Sequence[str], env: dict[str, str], stdout_path: Path | None = None
) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and all its worker processes)."""
    cpu, start = _cpu(), time.perf_counter()
    if stdout_path is None:
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    else:
        with open(stdout_path, "wb") as out:
            # exiftool exits 1 when some files had errors (unsupported, truncated): expected
            subprocess.run(cmd, env=env, check=False, stdout=out, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, _cpu() - cpu


def _stored(cache: Path) -> list[tuple[str, int]]:
    return sorted((p.name, p.stat().st_mtime_ns) for p in (cache / "scans").glob("*.out"))


def _cached(cmd: Sequence[str], env: dict[str, str], cache: Path) -> tuple[float, float]:
    """Median (wall, CPU) of CACHED_RUNS cached rescans; NaN if any was not served from
    the stored output (it was rewritten: a miss)."""
    before = _stored(cache)
    runs = sorted(_timed(cmd, env) for _ in range(CACHED_RUNS))
    if not before or _stored(cache) != before:
        print("  MISS: the cached rescan did not serve the stored output (code or corpus changed?)")
        return float("nan"), float("nan")
    return runs[len(runs) // 2]


def _xdg_env(base: Path, home: Path) -> dict[str, str]:
    """The environment of a user without PHOTOSCAN_HOME, its cache already filled."""
    env = {k: v for k, v in tool_env().items() if k != "PHOTOSCAN_HOME"}
    for name in ("CACHE", "CONFIG", "DATA", "STATE"):
        env[f"XDG_{name}_HOME"] = str(base / name.lower())
    shutil.copytree(home / "cache", base / "cache" / "photoscan", copy_function=shutil.copy)
    return env


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    exiftool = subprocess.run(["exiftool", "-ver"], capture_output=True, text=True).stdout.strip()
    return (
        f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}, ExifTool {exiftool}"
    )


def bench(corpus: Path, rounds: int) -> None:
    files = sum(1 for p in corpus.rglob("*") if p.is_file())
    size_mb = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file()) / 2**20
    print(f"corpus: {corpus} — {files} files, {size_mb:.0f} MB")
    print(f"machine: {machine()}")
    ps = _photoscan()
    names = ("photoscan", "exiftool", "cold", "cached", "cached-xdg")
    wall: dict[str, list[float]] = {k: [] for k in names}
    cpu: dict[str, list[float]] = {k: [] for k in names}
    with tempfile.TemporaryDirectory(prefix="bench-scan-") as tmp:
        out = Path(tmp) / "out.json"
        # Warm-up: photoscan's byte-code cache (a first run writes it, as after an install).
        warm_env = {**tool_env(), "PHOTOSCAN_HOME": str(Path(tmp) / "warm")}
        _timed([ps, "scan", str(corpus), "--no-faces", "--json", str(out)], warm_env)
        for r in range(rounds):
            home = Path(tmp) / f"home{r}"
            env = {**tool_env(), "PHOTOSCAN_HOME": str(home)}
            scan = [ps, "scan", str(corpus), "--no-faces", "--json", str(out)]
            exif_out = Path(tmp) / "exiftool.json"
            commands: dict[str, tuple[list[str], Path | None]] = {
                "photoscan": ([*scan, "--no-cache"], None),
                "exiftool": (["exiftool", "-r", "-fast2", "-json", str(corpus)], exif_out),
                "cold": (scan, None),
                "cached": (scan, None),
            }
            for key, (cmd, stdout_path) in commands.items():
                if key == "cached":
                    w, c = _cached(cmd, env, home / "cache")
                else:
                    w, c = _timed(cmd, env, stdout_path)
                wall[key].append(w)
                cpu[key].append(c)
            xdg = _xdg_env(Path(tmp) / f"xdg{r}", home)
            w, c = _cached(scan, xdg, Path(xdg["XDG_CACHE_HOME"]) / "photoscan")
            wall["cached-xdg"].append(w)
            cpu["cached-xdg"].append(c)
            print(
                f"round {r + 1}: "
                + ", ".join(f"{k} {wall[k][-1]:.3f} s ({cpu[k][-1]:.3f} s CPU)" for k in names),
                flush=True,
            )
        start = [_timed([sys.executable, "-c", "pass"], tool_env()) for _ in range(10)]
    after = sum(1 for p in corpus.rglob("*") if p.is_file())
    if after != files:
        print(f"WARNING: the corpus changed during the run ({files} -> {after} files)")
    print(
        f"python -c pass (start-up of the interpreter alone): {min(w for w, _ in start):.3f} s min"
    )
    wall = {k: [x for x in v if x == x] or [float("nan")] for k, v in wall.items()}  # NaN: MISS
    cpu = {k: [x for x in v if x == x] or [float("nan")] for k, v in cpu.items()}
    med = {k: statistics.median(v) for k, v in wall.items()}
    mcpu = {k: statistics.median(v) for k, v in cpu.items()}
    print(f"\nmedian over {rounds} rounds (wall, CPU = user+sys of all processes):")
    for key in names:
        print(
            f"  {key:<10} {med[key]:7.3f} s  {files / med[key]:7.0f} files/s   "
            f"CPU {mcpu[key]:7.3f} s  {files / mcpu[key]:7.0f} files/CPU-s"
        )
    print(
        f"photoscan / exiftool files/s: {med['exiftool'] / med['photoscan']:.1f}x wall "
        f"(target 5x), {mcpu['exiftool'] / mcpu['photoscan']:.1f}x per CPU second"
    )
    print(
        f"cached rescan vs cold scan:   {med['cold'] / med['cached']:.1f}x faster wall "
        f"(target 50x), {mcpu['cold'] / mcpu['cached']:.1f}x less CPU; with the default "
        f"cache location {med['cold'] / med['cached-xdg']:.1f}x"
    )


def profile(corpus: Path, top: int) -> None:
    """One single-process scan under cProfile: which functions (readers) cost what."""
    os.environ.setdefault("PHOTOSCAN_HOME", tempfile.mkdtemp(prefix="bench-scan-prof-"))
    from photoscan.scan.jobs import ScanOptions
    from photoscan.scan.run import scan_all

    profiler = cProfile.Profile(time.process_time)  # CPU time: robust on a busy machine
    start = time.perf_counter()
    profiler.enable()
    result = scan_all(corpus, ScanOptions(faces=False, workers=1, use_cache=False))
    profiler.disable()
    elapsed = time.perf_counter() - start
    print(
        f"{len(result.photos)} photos, {len(result.errors)} errors in {elapsed:.2f} s (1 process)"
    )
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(r"photoscan|exifread|PIL|pillow_heif", top)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="profile one in-process scan")
    parser.add_argument("--top", type=int, default=40, help="rows of the profile")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print("no corpus: run benchmarks/build_corpus.py first", file=sys.stderr)
        return 2
    if args.profile:
        profile(args.corpus, args.top)
    else:
        bench(args.corpus, max(1, args.rounds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
