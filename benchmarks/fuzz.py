"""Long mutation-fuzzing runs over ../shared/testdata/d_metadata (issue 10's bar).

The engine and its oracles are the test suite's (``tests/robustness/fuzzing.py``: the suite
runs a small seeded budget of the same thing on every run). Each mutant goes through the
scan's metadata readers and through ``strip`` (copies, in place with a backup, location
only); a run reports crashes, hangs (per-mutant timeout), lost files, GPS leaks and the
workers' peak RSS, and lists each failure by seed and mutant index — enough to rebuild it
in code (``mutations.make_mutant``) as a regression test. Nothing is written but scratch
files in the temporary folder and the summary in benchmarks/out/fuzz/ (gitignored).

Usage (long runs: nice them, they hold every worker's CPU):

  nice -n 19 uv run python benchmarks/fuzz.py --mutants 100000 --seed 1 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import asdict
from pathlib import Path

from photoscan import __version__
from tests.robustness import fuzzing

HERE = Path(__file__).resolve().parent
TESTDATA = Path(os.environ.get("PHOTOSCAN_TESTDATA", HERE.parents[1] / "shared" / "testdata"))
OUT = HERE / "out" / "fuzz"


def main() -> int:
    parser = argparse.ArgumentParser(description="mutation fuzzing of scan readers and strip")
    parser.add_argument("--mutants", type=int, default=100_000)
    parser.add_argument("--seed", default="1")
    parser.add_argument("--start", type=int, default=0, help="first mutant index (resume)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per mutant")
    parser.add_argument("--max-bytes", type=int, help="leave out corpus files above this size")
    parser.add_argument("--corpus", type=Path, default=TESTDATA / "d_metadata")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    began = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    summary = fuzzing.run(
        args.corpus,
        seed=args.seed,
        mutants=args.mutants,
        start=args.start,
        workers=args.workers,
        timeout=args.timeout,
        max_bytes=args.max_bytes,
        progress=True,
    )
    OUT.mkdir(parents=True, exist_ok=True)
    result = {
        "started": began,
        "photoscan": __version__,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "load_average_at_end": os.getloadavg(),
        **asdict(summary),
    }
    target = OUT / f"fuzz-seed{args.seed}-{args.start}-{args.start + args.mutants}.json"
    target.write_text(json.dumps(result, indent=1))
    rate = summary.mutants / max(summary.elapsed_s, 0.1)
    print(
        f"{summary.mutants} mutants of {summary.corpus_files} files, seed {summary.seed}, "
        f"{summary.workers} workers, {summary.elapsed_s:.0f} s ({rate:.0f}/s)\n"
        + "".join(f"  {kind:<9} {n}\n" for kind, n in summary.counts.items())
        + f"  peak RSS  {summary.peak_rss_mb:.0f} MB (a worker)\n"
        f"  statuses  {json.dumps(summary.statuses)}\n"
        f"  readers caught and reported {json.dumps(summary.guarded)}\n"
        f"summary: {target}"
    )
    for failure in summary.failures[:20]:
        print(f"  {failure['mutant']}: {failure['problems']}")
    return 0 if summary.clean else 1


if __name__ == "__main__":
    sys.exit(main())
