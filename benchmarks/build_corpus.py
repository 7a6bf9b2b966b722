"""Build the scan benchmark corpus: ../shared/testdata/d_metadata replicated to >= 3,000 files.

    uv run python benchmarks/build_corpus.py              # -> benchmarks/corpus/ (gitignored)
    uv run python benchmarks/build_corpus.py --files 5000

Every file is a real copy (not a hardlink or symlink): each copy is its own inode with its
own path, so the scanner and its cache see distinct files and do real reads. d_metadata holds
309 files (~80 MB), so 10 copies make 3,090 files and ~800 MB. Copies keep the folder's
mix as it is — including the MANIFEST and the formats photoscan reports as unsupported —
because a real library is not clean either. The corpus is rebuilt only when missing or of
the wrong size; it is never committed (it contains the test files).
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parents[1] / "shared" / "testdata" / "d_metadata"
CORPUS = HERE / "corpus"


def build(source: Path, target: Path, min_files: int) -> int:
    files = sorted(p for p in source.rglob("*") if p.is_file())
    if not files:
        raise SystemExit(f"no files in {source}")
    copies = math.ceil(min_files / len(files))
    expected = copies * len(files)
    if target.is_dir() and sum(1 for p in target.rglob("*") if p.is_file()) == expected:
        print(f"{target}: already {expected} files", file=sys.stderr)
        return expected
    if target.exists():
        shutil.rmtree(target)
    for i in range(copies):
        for path in files:
            dest = target / f"copy{i:02}" / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
            shutil.copystat(path, dest)
    print(f"{target}: {expected} files ({copies} copies of {len(files)})", file=sys.stderr)
    return expected


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=3000, help="at least this many files")
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=CORPUS)
    args = parser.parse_args()
    build(args.source, args.out, args.files)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
