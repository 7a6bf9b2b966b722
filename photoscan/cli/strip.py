"""``photoscan strip``: remove identifying metadata without re-encoding, safely.

Copies go to a mirrored tree under ``--out``; ``--in-place`` needs ``--backup-dir``. Each file
is reported (what was removed, what remains, or why it was refused); ``--json`` writes the
same as a document with a top-level ``files`` list.

Paths are read as text, spelled as ``str(Path(arg))`` (``pathtext.pure``), by both the quick
parser and argparse: a strip's start-up does not import ``pathlib`` (``strip.plan``).
"""

from __future__ import annotations

import os
import sys

from photoscan import __version__
from photoscan.cancel import CancelToken, ctrl_c_cancels
from photoscan.cli.progress import ProgressBar
from photoscan.cli.quickargs import option_value, workers_value
from photoscan.errors import UsageError
from photoscan.io import write_private
from photoscan.metadata.base import clean_text
from photoscan.pathtext import pure
from photoscan.printable import printable_path
from photoscan.strip import batch
from photoscan.strip.types import FileResult, StripOptions, StripStatus

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Iterable, Sequence
    from enum import StrEnum
    from typing import Any, Protocol, TextIO, TypeVar

    class Outcome(Protocol):
        """A per-file result a command prints and counts (strip, share and restore results)."""

        @property
        def status(self) -> StrEnum: ...

    R = TypeVar("R", bound=Outcome)

NAME = "strip"
HELP = "Remove identifying metadata (GPS, names, serials, thumbnails) without re-encoding."
KEEP_CHOICES = ("orientation", "icc", "datetime")
EXIT_OK, EXIT_USAGE, EXIT_CANCELLED = 0, 2, 130


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="+", type=pure, metavar="PATH", help="photos, videos or folders"
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--out", type=pure, metavar="DIR", help="write stripped copies here")
    where.add_argument("--in-place", action="store_true", help="replace the originals")
    parser.add_argument(
        "--backup-dir", type=pure, metavar="DIR", help="with --in-place: originals go here first"
    )
    parser.add_argument(
        "--only", choices=("location",), help="remove only GPS and place names (default: all)"
    )
    parser.add_argument(
        "--keep",
        default="orientation,icc",
        metavar="LIST",
        help="comma-separated: orientation,icc,datetime (default: orientation,icc; 'none')",
    )
    parser.add_argument("--dry-run", action="store_true", help="show the plan, write nothing")
    parser.add_argument("--reset-dates", action="store_true", help="give outputs new file dates")
    parser.add_argument("--json", metavar="PATH|-", help="write results as JSON ('-': stdout)")
    parser.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes for copies (default: the CPU count; small batches run in-process)",
    )


# ``quick_args``: the options it reads (flags, and options taking one value) and the
# attribute argparse gives each.
_QUICK_FLAGS = {"--in-place": "in_place", "--dry-run": "dry_run", "--reset-dates": "reset_dates"}
_QUICK_VALUES = {
    "--out": "out",
    "--backup-dir": "backup_dir",
    "--only": "only",
    "--keep": "keep",
    "--json": "json",
    "--workers": "workers",
}


class StripArgs:
    """What ``quick_args`` read: the same fields, with the same values, as argparse's
    namespace for those arguments (a test holds the two parsers to that)."""

    __slots__ = (
        "backup_dir",
        "dry_run",
        "in_place",
        "json",
        "keep",
        "only",
        "out",
        "paths",
        "reset_dates",
        "workers",
    )

    def __init__(self) -> None:
        self.paths: list[str] = []  # as str(Path(arg))
        self.out: str | None = None
        self.backup_dir: str | None = None
        self.in_place = self.dry_run = self.reset_dates = False
        self.only: str | None = None
        self.keep = "orientation,icc"
        self.json: str | None = None
        self.workers: int | None = None


def quick_args(argv: list[str]) -> StripArgs | None:
    """The plain arguments of a strip (paths in one run, the options above with their value
    as the next argument) read without argparse (``cli.quickargs``). Anything this does not
    read exactly as argparse would (``--help``, ``--out=D``, an abbreviation, a value that
    looks like an option, a repeated or conflicting option, paths in two runs, a
    ``--workers`` that is not a positive number, an ``--only`` argparse would refuse) is
    ``None``: argparse reads it."""
    args = StripArgs()
    seen: set[str] = set()
    it = iter(argv)
    ended = False  # the run of paths is over: argparse refuses any later path
    for arg in it:
        name = _QUICK_FLAGS.get(arg) or _QUICK_VALUES.get(arg)
        if name is not None:
            if name in seen:
                return None
            seen.add(name)
            ended = bool(args.paths)
            if arg in _QUICK_FLAGS:
                setattr(args, name, True)
                continue
            if name == "workers":
                args.workers = workers_value(it)
                if args.workers is None:
                    return None
                continue
            value = option_value(it)
            if value is None or (name == "only" and value != "location"):
                return None
            setattr(args, name, pure(value) if name in ("out", "backup_dir") else value)
        elif arg and not arg.startswith("-") and not ended:
            args.paths.append(pure(arg))
        else:
            return None
    if not args.paths or {"out", "in_place"} <= seen:
        return None
    return args


def quick(argv: list[str]) -> int | None:
    """``cli.main``'s fast path: plain arguments (``quick_args``) are run without argparse;
    anything else returns ``None`` and the normal path reads it."""
    args = quick_args(argv)
    return None if args is None else run(args)


def parse_keep(value: str) -> set[str]:
    items = {v.strip().lower() for v in value.split(",") if v.strip()}
    items.discard("none")
    unknown = items - set(KEEP_CHOICES)
    if unknown:
        raise UsageError(
            f"--keep: unknown {', '.join(sorted(unknown))} (use {','.join(KEEP_CHOICES)})"
        )
    return items


def options_from_args(args: argparse.Namespace | StripArgs) -> StripOptions:
    keep = parse_keep(args.keep)
    return StripOptions(
        only_location=args.only == "location",
        keep_orientation="orientation" in keep,
        keep_icc="icc" in keep,
        keep_datetime="datetime" in keep,
    )


def result_to_dict(result: FileResult) -> dict[str, Any]:
    """One ``files[]`` entry. Paths are text that survives any file name: bytes that are not
    UTF-8 become ``\\xNN`` escapes, as in the scan's document."""
    return {
        "path": printable_path(result.path),
        "status": result.status.value,
        "removed": list(result.removed),
        "remaining": list(result.remaining),
        "reason": printable_path(result.reason),
        "output": None if result.output is None else printable_path(result.output),
        "blocks": list(result.blocks),
        **({"faces_found": result.faces_found} if result.faces_found is not None else {}),
        **({"faces_hidden": result.faces_hidden} if result.faces_hidden is not None else {}),
        **({"faces_yours": result.faces_yours} if result.faces_yours is not None else {}),
    }


# A dry run's words for what would happen: it writes nothing, so nothing "stripped".
PLANNED = {"stripped": "would strip", "reencoded": "would re-encode"}


def print_planned(result: FileResult, out: TextIO) -> None:
    """A dry run's line: what the strip would do to the file."""
    print_human(result, out, PLANNED.get(result.status.value))


def print_human(result: FileResult, out: TextIO, status: str | None = None) -> None:
    line = f"{status or result.status.value:<13} {clean_text(printable_path(result.path), 200)}"
    if result.removed:
        line += f"  removed: {', '.join(result.removed)}"
    elif result.blocks and result.status.value != "already_clean":
        # Blocks that no reader could make sense of: say so, and name them for the expert.
        line += f"  removed: unreadable metadata ({', '.join(result.blocks)})"
    if result.remaining:
        line += f"  remaining: {', '.join(result.remaining)}"
    if result.faces_found is not None and result.output is not None:
        hidden = result.faces_hidden or 0
        line += f"  faces: {result.faces_found} found, {hidden} hidden"
    if result.reason:
        line += f"  ({clean_text(printable_path(result.reason), 400)})"  # a reason and its advice
    print(line, file=out, flush=True)


def emit(
    results: Iterable[R],
    json_target: str | None,
    header: dict[str, Any],
    total: int = 0,
    phase: str = NAME,
    cancel: CancelToken | None = None,
    *,
    as_dict: Callable[[Any], dict[str, Any]] = result_to_dict,
    show: Callable[[Any, TextIO], None] = print_human,
    footer: Callable[[list[R]], str] | None = None,
    words: dict[str, str] | None = None,
) -> int:
    """Print results as they come (unless JSON goes to stdout) with a progress bar on a
    terminal's stderr; write the JSON at the end. ``as_dict`` and ``show`` render one
    result (strip's by default); ``footer`` may add closing words (how to undo), printed
    after the counts and kept in the JSON as ``"next"``; ``words`` renames statuses in the
    counts (a dry run's "would strip"), never in the JSON.

    Returns the exit code: 130 when the run was interrupted — by ``cancel`` (the first
    Ctrl-C, after which every file already written is still reported) or by a second Ctrl-C
    (KeyboardInterrupt) — 2 when the JSON could not be written, else 0.
    """
    done: list[R] = []
    human = None if json_target == "-" else sys.stdout
    interrupted = False
    bar = ProgressBar(sys.stderr)
    try:
        for result in results:
            done.append(result)
            if human is not None:
                bar.close()
                show(result, human)
            if total:
                bar.update(phase, len(done), total)
    except KeyboardInterrupt:
        interrupted = True
    interrupted = interrupted or (cancel is not None and cancel.is_cancelled)
    bar.close()
    counts: dict[str, int] = {}  # collections.Counter, not imported at start-up
    for r in done:
        counts[r.status.value] = counts.get(r.status.value, 0) + 1
    print(
        ", ".join(f"{n} {(words or {}).get(s, s)}" for s, n in sorted(counts.items()))
        or "no files",
        file=sys.stderr,
    )
    closing = printable_path(footer(done)) if footer is not None else ""
    if closing:
        print(closing, file=human or sys.stderr, flush=True)
    if json_target is not None:
        document = {
            "photoscan_version": __version__,
            **header,
            "cancelled": interrupted,
            **({"next": closing} if closing else {}),
            "files": [as_dict(r) for r in done],
        }
        import json  # late: only a --json run needs it

        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        # Paths are escaped above; a lone surrogate anywhere else still becomes a JSON escape.
        if not _write_json(text.encode("utf-8", "backslashreplace"), json_target, phase):
            return EXIT_USAGE
    return EXIT_CANCELLED if interrupted else EXIT_OK


def _write_json(data: bytes, target: str, command: str) -> bool:
    """The document to stdout (``-``) or to ``target``: atomically, 0600 (it lists what was
    done to every photo, and where the copies are), fsynced — a full disk leaves no partial
    file, only one line saying so. Whether it was written."""
    if target == "-":
        out = getattr(sys.stdout, "buffer", None)  # none when replaced by a StringIO
        try:
            sys.stdout.flush()
            if out is None:
                sys.stdout.write(data.decode("utf-8"))
            else:
                out.write(data)
            sys.stdout.flush()
        except BrokenPipeError:  # the reader went away (`| head`): stop writing, quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return True
    try:
        write_private(target, data)
    except OSError as exc:
        shown = clean_text(printable_path(target), 200)
        print(f"photoscan {command}: cannot write {shown}: {exc.strerror or exc}", file=sys.stderr)
        return False
    return True


def run(args: argparse.Namespace | StripArgs) -> int:
    try:
        options = options_from_args(args)
        if args.in_place and args.backup_dir is None:
            raise UsageError("--in-place needs --backup-dir DIR (originals are backed up there)")
        if args.backup_dir is not None and not args.in_place:
            raise UsageError("--backup-dir only goes with --in-place")
        paths: Sequence[str] = args.paths
        the_plan = batch.plan(paths, out=args.out, backup_dir=args.backup_dir)
    except UsageError as exc:
        print(f"photoscan strip: {exc}", file=sys.stderr)
        return EXIT_USAGE
    workers = args.workers if args.workers is not None else batch.default_workers()
    cancel = CancelToken()
    results = batch.apply(
        the_plan,
        options,
        dry_run=args.dry_run,
        keep_dates=not args.reset_dates,
        cancel=cancel,
        workers=max(1, workers),
    )
    header = {
        "dry_run": bool(args.dry_run),
        "in_place": the_plan.in_place,
        "only": args.only or "all",
        "keep": sorted(parse_keep(args.keep)),
    }
    undo = None if args.dry_run or not the_plan.in_place else args.backup_dir
    with ctrl_c_cancels(cancel):
        return emit(
            results,
            args.json,
            header,
            total=len(the_plan.jobs),
            cancel=cancel,
            footer=lambda done: undo_hint(undo, done) or dry_run_hint(args.dry_run),
            show=print_planned if args.dry_run else print_human,
            words=PLANNED if args.dry_run else None,
        )


def dry_run_hint(dry_run: bool) -> str:
    return (
        "Dry run: nothing was written. Run it again without --dry-run to strip." if dry_run else ""
    )


def undo_hint(backup_dir: str | None, done: Sequence[FileResult]) -> str:
    """How to undo an in-place strip that changed files (empty otherwise)."""
    changed = (StripStatus.STRIPPED, StripStatus.REENCODED)
    if backup_dir is None or not any(r.status in changed for r in done):
        return ""
    import shlex  # late: only an in-place strip that changed something says how to undo it

    return f"To undo: photoscan restore {shlex.quote(str(backup_dir))}"
