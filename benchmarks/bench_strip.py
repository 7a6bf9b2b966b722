"""Strip speed: photoscan vs ExifTool vs mat2 on the same >= 1,000 JPEGs, alternating.

The corpus is the test data's JPEGs (d_metadata, b_group_photos, c_noface) replicated as hard
links under benchmarks/out/strip/corpus/ (gitignored) until it holds ``--files`` photos. Each
round runs every tool once over the whole corpus into a fresh output folder, in rotating
order, so machine load hits all tools alike. Each tool is one command over all files (its own
batch mode), startup included:

  photoscan: python -m photoscan strip CORPUS --out OUT
  exiftool:  exiftool -q -q -all= -tagsfromfile @ -icc_profile -orientation -o OUT/%f.%e CORPUS
  mat2:      mat2 -L FILE... (writes FILE.cleaned.jpg beside each input; removed afterwards)

mat2 cleans a JPEG by starting one exiftool process per file (about 1 file/s here), so it runs
once, on the first ``--mat2-files`` photos of the same corpus: enough for a sound rate without
holding a shared machine's CPUs for an hour.

Usage: uv run python benchmarks/bench_strip.py [--files 1000] [--rounds 3] [--mat2-rounds 1]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.toolenv import tool_env
from photoscan.source.sniff import sniff

HERE = Path(__file__).resolve().parent
TESTDATA = Path(os.environ.get("PHOTOSCAN_TESTDATA", HERE.parents[1] / "shared" / "testdata"))
CORPUS = HERE / "out" / "strip" / "corpus"  # gitignored; not in benchmarks/corpus (scanned)
OUT = HERE / "out" / "strip"
SOURCES = ("d_metadata", "b_group_photos", "c_noface")


def _strips(path: Path) -> bool:
    """A JPEG photoscan can strip (damaged files are not a fair speed sample for anyone)."""
    from photoscan.errors import CorruptFile
    from photoscan.model import ImageFormat
    from photoscan.strip import StripOptions, strip_bytes

    data = path.read_bytes() if path.is_file() else b""
    if sniff(data[:4096], path.name).format is not ImageFormat.JPEG:
        return False
    try:
        strip_bytes(data, ImageFormat.JPEG, StripOptions())
    except CorruptFile:
        return False
    return True


def _strippable_jpegs() -> list[Path]:
    return [p for name in SOURCES for p in sorted((TESTDATA / name).glob("*")) if _strips(p)]


def build_corpus(files: int) -> list[Path]:
    sources = _strippable_jpegs()
    if not sources:
        sys.exit(f"no JPEGs found under {TESTDATA}")
    if CORPUS.exists():
        shutil.rmtree(CORPUS)
    CORPUS.mkdir(parents=True)
    made = []
    for i in range(files):
        src = sources[i % len(sources)]
        dest = CORPUS / f"{i:05d}_{src.stem}.jpg"
        try:
            os.link(src, dest)
        except OSError:
            shutil.copyfile(src, dest)
        made.append(dest)
    return made


def _run(cmd: list[str], check: bool = True) -> float:
    start = time.perf_counter()
    subprocess.run(
        cmd, check=check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=tool_env()
    )
    return time.perf_counter() - start


def run_photoscan(files: list[Path], out: Path) -> float:
    return _run([sys.executable, "-m", "photoscan", "strip", str(CORPUS), "--out", str(out)])


def run_exiftool(files: list[Path], out: Path) -> float:
    out.mkdir(parents=True)
    cmd = ["exiftool", "-q", "-q", "-all=", "-tagsfromfile", "@", "-icc_profile", "-orientation"]
    # exit status 1 when any file fails (the damaged JPEGs in the corpus): not an abort
    return _run([*cmd, "-o", f"{out}/%f.%e", str(CORPUS)], check=False)


def run_mat2(files: list[Path], out: Path) -> float:
    try:
        return _run(["mat2", "-L", *map(str, files)], check=False)
    finally:
        for cleaned in CORPUS.glob("*.cleaned.*"):
            cleaned.unlink()


TOOLS = {"photoscan": run_photoscan, "exiftool": run_exiftool, "mat2": run_mat2}
STARTUP = {
    "photoscan": [sys.executable, "-m", "photoscan", "strip", "--help"],
    "exiftool": ["exiftool", "-ver"],
    "mat2": ["mat2", "--version"],
}


def startup_seconds(tool: str) -> float:
    """The fixed cost of one invocation (interpreter and imports), median of three."""
    return statistics.median(_run(STARTUP[tool]) for _ in range(3))


def phases(files: list[Path]) -> None:
    """Where photoscan's time goes per file, in one process (no pool, no start-up)."""
    from photoscan.metadata import extract, extract_kinds
    from photoscan.metadata.base import Source
    from photoscan.model import ImageFormat
    from photoscan.strip import StripOptions, restrip, strip_bytes
    from photoscan.strip.jpeg import undecodable_copy
    from photoscan.strip.safety import FileMeta, write_new

    out = OUT / "phases"
    shutil.rmtree(out, ignore_errors=True)
    spent = dict.fromkeys(("read", "strip", "re-read output", "re-read removed", "write"), 0.0)
    options = StripOptions()
    warm = files[0].read_bytes()  # first use of the readers loads Pillow's plugins: not per file
    extract(Source("warm-up", undecodable_copy(warm), ImageFormat.JPEG))
    for i, path in enumerate(files):
        t0 = time.perf_counter()
        data = path.read_bytes()
        meta = FileMeta.of(path.stat())
        t1 = time.perf_counter()
        result = strip_bytes(data, ImageFormat.JPEG, options)
        t2 = time.perf_counter()
        extract(Source(path.name, result.data, ImageFormat.JPEG))
        restrip(result.data, ImageFormat.JPEG, options)
        t3 = time.perf_counter()
        removed = result.evidence if result.evidence is not None else undecodable_copy(data)
        extract_kinds(Source(path.name, removed, ImageFormat.JPEG))
        t4 = time.perf_counter()
        write_new(out / f"{i}.jpg", result.data, meta, durable=False)
        t5 = time.perf_counter()
        for key, seconds in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True):
            spent[key] += seconds
    shutil.rmtree(out, ignore_errors=True)
    total = sum(spent.values())
    per_file = 1000 * total / len(files)
    print(f"\nphotoscan per file, one process ({len(files)} files): {per_file:.2f} ms")
    for key, seconds in spent.items():
        print(f"  {key:<17} {1000 * seconds / len(files):6.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument(
        "--mat2-rounds", type=int, default=1, help="mat2 is slow (one exiftool per file)"
    )
    parser.add_argument("--mat2-files", type=int, default=200, help="photos mat2 cleans")
    parser.add_argument(
        "--phases", type=int, default=0, metavar="N", help="only break down photoscan's time"
    )
    args = parser.parse_args()
    tools = [t for t in args.tools.split(",") if t]
    missing = [t for t in tools if t != "photoscan" and shutil.which(t) is None]
    if missing:
        sys.exit(f"not installed: {', '.join(missing)}")
    files = build_corpus(args.files)
    if args.phases:
        phases(files[: args.phases])
        return
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    print(f"corpus: {len(files)} JPEGs, {size_mb:.0f} MB, cores: {os.cpu_count()}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    warm = OUT / "warm"  # warm-up: photoscan's byte-code cache, every tool's start
    shutil.rmtree(warm, ignore_errors=True)
    _run([sys.executable, "-m", "photoscan", "strip", *map(str, files[:40]), "--out", str(warm)])
    shutil.rmtree(warm, ignore_errors=True)
    for tool in tools:
        _run(STARTUP[tool])
    times: dict[str, list[float]] = {t: [] for t in tools}
    for rnd in range(args.rounds):
        order = tools[rnd % len(tools) :] + tools[: rnd % len(tools)]
        for tool in order:
            if tool == "mat2" and rnd >= args.mat2_rounds:
                continue
            out = OUT / f"{tool}-{rnd}"
            if out.exists():
                shutil.rmtree(out)
            batch = files[: args.mat2_files] if tool == "mat2" else files
            seconds = TOOLS[tool](batch, out)
            times[tool].append(seconds / len(batch))
            rate = len(batch) / seconds
            print(
                f"round {rnd + 1} {tool:<10} {len(batch):5} files {seconds:7.2f} s"
                f"  {rate:8.1f} files/s"
            )
            shutil.rmtree(out, ignore_errors=True)
    print("\nmedian over rounds (start-up included):")
    base = 1 / statistics.median(times["photoscan"]) if "photoscan" in times else None
    for tool in tools:
        rate = 1 / statistics.median(times[tool])
        ratio = f"  (photoscan is {base / rate:.1f}x)" if base and tool != "photoscan" else ""
        print(f"  {tool:<10} {rate:8.1f} files/s{ratio}")
    print("\nstart-up of one invocation (median of 3):")
    for tool in tools:
        print(f"  {tool:<10} {startup_seconds(tool):6.2f} s")


if __name__ == "__main__":
    main()
