"""``photoscan restore BACKUP_DIR``: undo an in-place strip from its backup folder.

Each original goes back only when its backup still hashes to what the strip saved and the
file in the library is still what the strip wrote; a file changed since is not overwritten
unless ``--force`` (which keeps the changed file in the backup folder first). ``--dry-run``
checks everything and writes nothing; ``--json`` writes the results as a document with a top
level ``files`` list, like ``strip``. Exit codes as for ``strip``: 0 done (per-file problems
listed), 2 not a backup folder, 130 cancelled.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from photoscan.cancel import CancelToken, ctrl_c_cancels
from photoscan.cli.strip import emit
from photoscan.errors import UsageError
from photoscan.metadata.base import clean_text
from photoscan.printable import printable_path
from photoscan.strip.restore import RestoreResult, plan_restore, restore

NAME = "restore"
HELP = "Put the originals back from an in-place strip's backup folder (verified by hash)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "backup_dir", type=Path, metavar="BACKUP_DIR", help="the --backup-dir of the strip"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="also replace files changed since the strip (each is kept in BACKUP_DIR/replaced/)",
    )
    parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
    parser.add_argument("--json", metavar="PATH|-", help="write results as JSON ('-': stdout)")


def result_to_dict(result: RestoreResult) -> dict[str, Any]:
    """One ``files[]`` entry; paths as in ``strip``'s document (``\\xNN`` escapes)."""
    return {
        "path": printable_path(result.path),
        "status": result.status.value,
        "reason": printable_path(result.reason),
        "backup": printable_path(result.backup),
        "kept": None if result.kept is None else printable_path(result.kept),
    }


def print_human(result: RestoreResult, out: TextIO) -> None:
    line = f"{result.status.value:<16} {clean_text(printable_path(result.path), 200)}"
    if result.reason:
        line += f"  ({clean_text(printable_path(result.reason), 300)})"
    if result.kept:
        line += f"  the changed file is kept as {clean_text(printable_path(result.kept), 200)}"
    print(line, file=out, flush=True)


def run(args: argparse.Namespace) -> int:
    try:
        the_plan = plan_restore(args.backup_dir)
    except UsageError as exc:
        print(f"photoscan restore: {exc}", file=sys.stderr)
        return 2
    if the_plan.unreadable_lines:
        print(
            f"photoscan restore: warning: {the_plan.unreadable_lines} line(s) of the manifest "
            "could not be read (an interrupted strip); their files are not listed",
            file=sys.stderr,
        )
    cancel = CancelToken()
    results = restore(the_plan, force=args.force, dry_run=args.dry_run, cancel=cancel)
    header = {
        "backup_dir": printable_path(str(the_plan.folder)),
        "dry_run": bool(args.dry_run),
        "force": bool(args.force),
    }
    with ctrl_c_cancels(cancel):
        return emit(
            results,
            args.json,
            header,
            total=len(the_plan.entries),
            phase=NAME,
            cancel=cancel,
            as_dict=result_to_dict,
            show=print_human,
        )
