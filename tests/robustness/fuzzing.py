"""Seeded mutation fuzzing of the scan's metadata readers and of strip, with its oracles.

Each mutant (``mutations.make_mutant``) goes through the scan's metadata pass for one file
and through ``strip`` — a copy for most, in place with a backup for every fourth, only the
location for every other — in this process, through ``core_adapter``. What counts:

* **crash**: an exception escaping other than the designed ``PhotoscanError`` tree (strip
  never raises by design: every problem is a result);
* **lost**: an original changed by a copy, changed in place without a byte-identical
  backup, or gone; a result saying written with no output, or an output left beside a
  failure;
* **gps leak**: an output that still has a position per photoscan's own reader, or per
  ExifTool (the project's oracle) when ``hostile_files.gps_in_bytes`` — GPS tags in text, a
  GPS IFD pointer in any TIFF structure, found without parsing the container — sees one;
* **gps bytes**: GPS structures still in the output's bytes that neither reader finds
  (an orphaned EXIF copy in a HEIF's media data, EXIF swallowed by a segment strip keeps,
  XMP text inside JPEG entropy-coded data): nothing reads them as metadata, but a carving
  tool would, so they are counted apart;
* **hang**: a mutant that takes longer than the per-file timeout (its worker is killed;
  those over 10 s are listed as slow either way);
* **memory**: a mutant that lifts its worker's peak RSS (or a child's: the HEIF re-encode)
  over ``MEMORY_BAR_MB``.

Workers are forked processes fed one mutant index at a time, so a hang or a hard crash
costs one mutant, not the run. ``python -m tests.robustness.fuzzing`` runs a budget and
prints a JSON summary; ``benchmarks/fuzz.py`` is the long-run front end; the test suite runs
a small seeded budget.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from tests.robustness import core_adapter as core
from tests.robustness.hostile_files import gps_in_bytes
from tests.robustness.mutations import Corpus, Mutant, make_mutant

MEMORY_BAR_MB = 300.0
ADDRESS_SPACE = 4 << 30  # a worker reading without bound meets MemoryError, not the OOM killer
KINDS = ("crash", "lost", "gps_leak", "gps_bytes", "hang", "memory")
SLOW_S = 10.0
_GUARDED = re.compile(r"could not be read \((\w+)\)")


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str
    detail: str


@dataclass(frozen=True, slots=True)
class Checked:
    """One mutant's verdict."""

    index: int
    fmt: str | None
    status: str
    problems: tuple[Problem, ...] = ()
    guarded: tuple[str, ...] = ()  # exception types the readers caught and turned into warnings


def check(mutant: Mutant, work: Path) -> Checked:
    """Run one mutant through the scan's reader and strip and judge the outcome."""
    problems: list[Problem] = []
    fmt: str | None = None
    guarded: tuple[str, ...] = ()
    try:
        meta = core.read_metadata(mutant.name, mutant.data)
        fmt = meta.fmt
        guarded = tuple(m[1] for w in meta.warnings if (m := _GUARDED.search(w)))
    except core.DESIGNED_ERRORS:
        pass
    except Exception as exc:  # anything else escaping a reader is a crash
        problems.append(Problem("crash", f"scan: {type(exc).__name__}: {exc}"[:400]))
    status, found = _strip(mutant, work)
    return Checked(mutant.index, fmt, status, tuple(problems + found), guarded)


def _strip(mutant: Mutant, work: Path) -> tuple[str, list[Problem]]:
    in_place, only_location = mutant.index % 4 == 3, mutant.index % 2 == 1
    source = work / "in" / mutant.name
    dest, backup = work / "out" / mutant.name, work / "backup" / mutant.name
    source.write_bytes(mutant.data)
    try:
        outcome = core.strip_one(
            source,
            dest=None if in_place else dest,
            backup=backup if in_place else None,
            only_location=only_location,
        )
    except Exception as exc:  # strip never raises by design
        return "crash", [Problem("crash", f"strip: {type(exc).__name__}: {exc}"[:400])]
    finally:
        now = source.read_bytes() if source.exists() else None
        kept = backup.read_bytes() if backup.exists() else None
        out = dest.read_bytes() if dest.exists() else None
        for path in (source, dest, backup):
            path.unlink(missing_ok=True)
    problems = _judge(mutant, outcome, in_place, now, kept, out)
    return outcome.status, problems


def _judge(
    mutant: Mutant,
    outcome: core.StripOutcome,
    in_place: bool,
    now: bytes | None,
    kept: bytes | None,
    out: bytes | None,
) -> list[Problem]:
    status, original = outcome.status, mutant.data
    problems = []
    if status not in core.STRIP_STATUSES:
        problems.append(Problem("crash", f"strip: unknown status {status!r}"))
    done = status in core.WRITTEN or status == core.UNCHANGED
    if now is None:
        problems.append(Problem("lost", "the original is gone"))
    elif in_place:
        if now != original and kept != original:
            problems.append(Problem("lost", f"replaced in place ({status}) without its backup"))
        if now == original and status in core.WRITTEN:
            problems.append(Problem("lost", f"said {status} in place but the file is unchanged"))
        out = now if done else None
    else:
        if now != original:
            problems.append(Problem("lost", "a copy strip changed the original"))
        if done and out is None:
            problems.append(Problem("lost", f"said {status} but wrote no output"))
        if not done and out is not None:
            problems.append(Problem("lost", f"an output was left beside a {status} result"))
        if status == core.UNCHANGED and out is not None and out != original:
            problems.append(Problem("lost", "said already clean but the copy differs"))
    if done and out is not None:
        if core.gps_per_reader(mutant.name, out):
            problems.append(Problem("gps_leak", f"{status}: photoscan's reader finds a location"))
        if signs := gps_in_bytes(out):
            seen = exiftool_gps(out, mutant.name)
            kind, who = ("gps_leak", f"; ExifTool reads {seen}") if seen else ("gps_bytes", "")
            problems.append(Problem(kind, f"{status}: in the bytes: {'; '.join(signs)}{who}"))
    return problems


def exiftool_gps(data: bytes, name: str) -> list[str]:
    """The GPS tags ExifTool reads in ``data`` (empty when it is not installed)."""
    if shutil.which("exiftool") is None:
        return []
    with tempfile.TemporaryDirectory(prefix="photoscan-fuzz-oracle-") as folder:
        path = Path(folder) / f"out{Path(name).suffix}"
        path.write_bytes(data)
        done = subprocess.run(
            ["exiftool", "-j", "-a", "-G1", "-gps:all", "-xmp:all", str(path)],
            capture_output=True,
            check=False,
            timeout=60,
        )
    try:
        tags = json.loads(done.stdout or b"[{}]")[0]
    except (ValueError, IndexError):
        return []
    return sorted(k for k in tags if "GPSLatitude" in k or "GPSLongitude" in k)


# --- running a budget -----------------------------------------------------------------------


@dataclass(slots=True)
class Summary:
    seed: str
    mutants: int
    corpus_files: int
    workers: int
    timeout_s: float
    elapsed_s: float = 0.0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    peak_rss_mb: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)
    formats: dict[str, int] = field(default_factory=dict)
    guarded: dict[str, int] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)  # the first MAX_FAILURES
    slow: int = 0  # mutants over SLOW_S (hangs included)
    slowest: list[tuple[float, str]] = field(default_factory=list)  # the MAX_SLOWEST slowest

    MAX_FAILURES = 100
    MAX_SLOWEST = 10

    def add(self, mutant: Mutant, checked: Checked, seconds: float = 0.0) -> None:
        if seconds > SLOW_S:
            self.slow += 1
        if len(self.slowest) < self.MAX_SLOWEST or seconds > self.slowest[-1][0]:
            entry = (round(seconds, 2), f"{mutant.describe()} -> {checked.status}")
            self.slowest = sorted([*self.slowest, entry], reverse=True)[: self.MAX_SLOWEST]
        self.statuses[checked.status] = self.statuses.get(checked.status, 0) + 1
        fmt = checked.fmt or "not a photo"
        self.formats[fmt] = self.formats.get(fmt, 0) + 1
        for name in checked.guarded:
            self.guarded[name] = self.guarded.get(name, 0) + 1
        for kind in {p.kind for p in checked.problems}:
            self.counts[kind] += 1
        if checked.problems and len(self.failures) < self.MAX_FAILURES:
            self.failures.append(
                {
                    "mutant": mutant.describe(),
                    "seed": mutant.seed,
                    "index": mutant.index,
                    "problems": [asdict(p) for p in checked.problems],
                }
            )

    @property
    def clean(self) -> bool:
        return not any(self.counts.values())


def run(
    corpus_dir: Path,
    *,
    seed: str,
    mutants: int,
    start: int = 0,
    workers: int = 1,
    timeout: float = 10.0,
    max_bytes: int | None = None,
    work: Path | None = None,
    progress: bool = False,
) -> Summary:
    corpus = Corpus.load(corpus_dir, max_bytes)
    summary = Summary(seed, mutants, len(corpus.names), workers, timeout)
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="photoscan-fuzz-", dir=work) as scratch:
        pool = _Pool(corpus, seed, Path(scratch), workers)
        try:
            for index, outcome, rss, seconds in pool.results(
                range(start, start + mutants), timeout
            ):
                mutant = make_mutant(corpus, seed, index)
                checked = outcome if isinstance(outcome, Checked) else _failed(index, outcome)
                if rss > MEMORY_BAR_MB and not any(p.kind == "memory" for p in checked.problems):
                    extra = Problem("memory", f"worker peak RSS {rss:.0f} MB after it")
                    checked = Checked(
                        index, checked.fmt, checked.status, (*checked.problems, extra)
                    )
                summary.add(mutant, checked, seconds)
                summary.peak_rss_mb = max(summary.peak_rss_mb, rss)
                done = index - start + 1
                if progress and done % 1000 == 0:
                    rate = done / (time.monotonic() - began)
                    print(f"{done}/{mutants} ({rate:.0f}/s) {summary.counts}", file=sys.stderr)
        finally:
            pool.close()
    summary.elapsed_s = round(time.monotonic() - began, 1)
    return summary


def _failed(index: int, what: str) -> Checked:
    kind = "hang" if what.startswith("hang") else "crash"
    return Checked(index, None, kind, (Problem(kind, what),))


class _Pool:
    """Forked workers fed one index at a time; a worker past its deadline is killed (a
    hang) and one that dies (a hard crash) is replaced, and the run goes on."""

    def __init__(self, corpus: Corpus, seed: str, scratch: Path, workers: int) -> None:
        self._corpus, self._seed, self._scratch = corpus, seed, scratch
        self._context = multiprocessing.get_context("fork")
        self._workers = [self._start(n) for n in range(max(1, workers))]

    def _start(self, number: int) -> tuple[Any, Connection]:
        work = self._scratch / f"w{number}"
        for sub in ("in", "out", "backup"):
            (work / sub).mkdir(parents=True, exist_ok=True)
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker, args=(child, self._corpus, self._seed, work), daemon=True
        )
        process.start()
        child.close()
        return process, parent

    def results(self, indices: range, timeout: float) -> Any:
        todo = iter(indices)
        busy: dict[int, tuple[int, float]] = {}  # worker number -> (index, deadline)
        for number in range(len(self._workers)):
            self._feed(number, todo, busy, timeout)
        while busy:
            conns = {self._workers[n][1]: n for n in busy}
            soonest = min(deadline for _, deadline in busy.values())
            ready = wait(list(conns), timeout=max(0.0, soonest - time.monotonic()))
            for conn in ready:
                number = conns[conn]  # type: ignore[index]
                index, _ = busy.pop(number)
                try:
                    _, outcome, rss, seconds = conn.recv()  # type: ignore[union-attr]
                except (EOFError, OSError):
                    code = self._workers[number][0].exitcode
                    yield index, f"worker died (exit code {code})", 0.0, 0.0
                    self._replace(number)
                else:
                    yield index, outcome, rss, seconds
                    if rss > MEMORY_BAR_MB:
                        self._replace(number)  # measure the next mutants afresh
                self._feed(number, todo, busy, timeout)
            now = time.monotonic()
            for number, (index, deadline) in list(busy.items()):
                if now >= deadline:
                    busy.pop(number)
                    yield index, f"hang: no result within {timeout:.0f} s", 0.0, timeout
                    self._replace(number)
                    self._feed(number, todo, busy, timeout)

    def _feed(self, number: int, todo: Any, busy: dict[int, tuple[int, float]], t: float) -> None:
        index = next(todo, None)
        if index is not None:
            self._workers[number][1].send(index)
            busy[number] = (index, time.monotonic() + t)

    def _replace(self, number: int) -> None:
        process, conn = self._workers[number]
        process.kill()
        process.join()
        conn.close()
        shutil.rmtree(self._scratch / f"w{number}", ignore_errors=True)
        self._workers[number] = self._start(number)

    def close(self) -> None:
        for _, conn in self._workers:
            with contextlib.suppress(OSError):
                conn.send(None)
            conn.close()
        for process, _ in self._workers:
            process.join(5)
            if process.is_alive():
                process.kill()
                process.join()


def _worker(conn: Connection, corpus: Corpus, seed: str, work: Path) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    while (index := conn.recv()) is not None:
        began = time.monotonic()
        mutant = make_mutant(corpus, seed, index)
        try:
            outcome: Checked | str = check(mutant, work)
        except Exception as exc:  # the harness itself (a full disk): reported, not hidden
            outcome = f"harness error: {type(exc).__name__}: {exc}"
        rss = _peak_rss_mb()
        conn.send((index, outcome, rss, time.monotonic() - began))


def _peak_rss_mb() -> float:
    """The worker's peak RSS, or that of a child it ran (strip's HEIF re-encode runs in a
    child interpreter), whichever is larger."""
    return max(
        resource.getrusage(who).ru_maxrss / 1024
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--seed", default="20261210")
    parser.add_argument("--mutants", type=int, default=2000)
    parser.add_argument("--start", type=int, default=0, help="first mutant index")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per mutant")
    parser.add_argument("--max-bytes", type=int, help="leave out corpus files above this size")
    parser.add_argument("--work", type=Path, help="scratch folder (default: the temp folder)")
    parser.add_argument("--progress", action="store_true")
    args = parser.parse_args(argv)
    summary = run(
        args.corpus,
        seed=args.seed,
        mutants=args.mutants,
        start=args.start,
        workers=args.workers,
        timeout=args.timeout,
        max_bytes=args.max_bytes,
        work=args.work,
        progress=args.progress,
    )
    print(json.dumps(asdict(summary), indent=1))
    return 0 if summary.clean else 1


if __name__ == "__main__":
    sys.exit(main())
