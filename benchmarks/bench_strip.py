"""Strip speed: photoscan vs ExifTool vs mat2 on the same >= 1,000 JPEGs, alternating.

The corpus is the test data's JPEGs (d_metadata, b_group_photos, c_noface) replicated as hard
links under benchmarks/out/strip/corpus/ (gitignored) until it holds ``--files`` photos. Each
round runs every tool once over the whole corpus into a fresh output folder, in rotating
order, so machine load hits all tools alike. Each tool is one command over all files (its own
batch mode), startup included:

  photoscan: python -m photoscan strip CORPUS --out OUT
  exiftool:  exiftool -q -q -all= -tagsfromfile @ -icc_profile -orientation -o OUT/%f.%e CORPUS
  mat2:      mat2 -L FILE... (writes FILE.cleaned.jpg beside each input; removed afterwards)

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

from photoscan.formats import sniff

HERE = Path(__file__).resolve().parent
TESTDATA = Path(os.environ.get("PHOTOSCAN_TESTDATA", HERE.parents[1] / "shared" / "testdata"))
CORPUS = HERE / "out" / "strip" / "corpus"  # gitignored; not in benchmarks/corpus (scanned)
OUT = HERE / "out" / "strip"
SOURCES = ("d_metadata", "b_group_photos", "c_noface")


def _strippable_jpegs() -> list[Path]:
    from photoscan.model import ImageFormat
    from photoscan.strip import StripOptions, strip_bytes

    found = []
    for name in SOURCES:
        for path in sorted((TESTDATA / name).glob("*")):
            data = path.read_bytes() if path.is_file() else b""
            if sniff(data[:4096], path.name).format is not ImageFormat.JPEG:
                continue
            try:
                strip_bytes(data, ImageFormat.JPEG, StripOptions())
            except Exception:  # damaged files: not a fair speed sample for anyone
                continue
            found.append(path)
    return found


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
    subprocess.run(cmd, check=check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
        return _run(["mat2", "-L", *map(str, files)])
    finally:
        for cleaned in CORPUS.glob("*.cleaned.*"):
            cleaned.unlink()


TOOLS = {"photoscan": run_photoscan, "exiftool": run_exiftool, "mat2": run_mat2}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument(
        "--mat2-rounds", type=int, default=1, help="mat2 is slow (one exiftool per file)"
    )
    args = parser.parse_args()
    tools = [t for t in args.tools.split(",") if t]
    missing = [t for t in tools if t != "photoscan" and shutil.which(t) is None]
    if missing:
        sys.exit(f"not installed: {', '.join(missing)}")
    files = build_corpus(args.files)
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    print(f"corpus: {len(files)} JPEGs, {size_mb:.0f} MB, cores: {os.cpu_count()}")
    times: dict[str, list[float]] = {t: [] for t in tools}
    for rnd in range(args.rounds):
        order = tools[rnd % len(tools) :] + tools[: rnd % len(tools)]
        for tool in order:
            if tool == "mat2" and rnd >= args.mat2_rounds:
                continue
            out = OUT / f"{tool}-{rnd}"
            if out.exists():
                shutil.rmtree(out)
            seconds = TOOLS[tool](files, out)
            times[tool].append(seconds)
            rate = len(files) / seconds
            print(f"round {rnd + 1} {tool:<10} {seconds:7.2f} s  {rate:8.1f} files/s")
            shutil.rmtree(out, ignore_errors=True)
    print("\nmedian over rounds:")
    base = len(files) / statistics.median(times["photoscan"]) if "photoscan" in times else None
    for tool in tools:
        rate = len(files) / statistics.median(times[tool])
        ratio = f"  (photoscan is {base / rate:.1f}x)" if base and tool != "photoscan" else ""
        print(f"  {tool:<10} {rate:8.1f} files/s{ratio}")


if __name__ == "__main__":
    main()
