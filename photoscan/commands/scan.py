"""``photoscan scan FOLDER``: scan a photo folder and say what it gives away.

Without ``--json`` a short human summary goes to stdout; ``--json -`` writes only the JSON
document (architecture §4) to stdout; ``--json PATH`` writes the document to a private file
and the summary to stdout. Progress with an ETA goes to stderr when it is a terminal.
Ctrl-C cancels cleanly: the partial result is still written, flagged ``"cancelled": true``,
and the exit code is 130. Face detection (numpy, dlib) is only imported when faces are on.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, TextIO

from photoscan import jsonio
from photoscan.cancel import CancelToken
from photoscan.errors import UsageError
from photoscan.model import FindingKind, PhotoRecord, RiskLevel
from photoscan.progress import ProgressBar
from photoscan.scan import (
    FilesDiscovered,
    Progress,
    ScanFinished,
    ScanOptions,
    ScanResult,
    scan,
)
from photoscan.scanworker import XMP_FORMAT

if TYPE_CHECKING:
    from photoscan.faces import FaceSettings

NAME = "scan"
HELP = "scan a photo folder and report faces, children, locations, names and device ids"

EXIT_OK, EXIT_USAGE, EXIT_CANCELLED = 0, 2, 130
TOP_PHOTOS = 10
EXAMPLES_PER_REASON = 3
MAX_REASONS = 8

_KIND_WORDS: dict[FindingKind, str] = {
    FindingKind.LOCATION: "location (GPS, place names)",
    FindingKind.PERSON: "people's names",
    FindingKind.MINOR: "says a child is shown",
    FindingKind.DEVICE: "device serials / unique ids",
    FindingKind.THUMBNAIL: "hidden preview images",
    FindingKind.FACE_REGION: "face regions in metadata",
    FindingKind.VISIBILITY: "export visibility / licence",
    FindingKind.TEXT: "free text (captions, keywords)",
    FindingKind.DATETIME: "date and time",
    FindingKind.CAMERA: "camera make / model",
    FindingKind.SOFTWARE: "software",
    FindingKind.HISTORY: "edit history / document ids",
}


def _workers(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path, help="the folder to scan (recursively)")
    parser.add_argument(
        "--json",
        metavar="PATH|-",
        help="write the full result as JSON to PATH, or to stdout with '-' (then nothing else)",
    )
    parser.add_argument("--no-faces", action="store_true", help="skip face detection")
    parser.add_argument(
        "--workers", type=_workers, metavar="N", help="worker processes (default: CPU count)"
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="neither use nor update the results cache"
    )
    parser.add_argument(
        "--include-hidden",
        action="store_true",
        help="also scan hidden and system folders (.git, @eaDir, $RECYCLE.BIN...)",
    )
    parser.add_argument(
        "--places",
        action="store_true",
        help="name places offline and find the places you return to (adds a few seconds)",
    )
    parser.add_argument(
        "--thorough",
        action="store_true",
        help="look harder for small faces in large group photos (slower)",
    )


def _face_settings(thorough: bool) -> FaceSettings | None:
    if not thorough:
        return None
    from photoscan.faces import FaceSettings

    return FaceSettings(thorough=True)


@contextmanager
def _ctrl_c_cancels(cancel: CancelToken) -> Iterator[None]:
    """The first Ctrl-C cancels the scan (partial result kept); a second one aborts."""

    def handler(signum: int, frame: FrameType | None) -> None:
        cancel.cancel()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def run(args: argparse.Namespace) -> int:
    root: Path = args.folder
    if not root.is_dir():
        what = "does not exist" if not root.exists() else "is not a folder"
        print(f"photoscan scan: {_show(root)} {what}", file=sys.stderr)
        return EXIT_USAGE
    options = ScanOptions(
        faces=not args.no_faces,
        workers=args.workers,
        use_cache=not args.no_cache,
        include_hidden=args.include_hidden,
        places=args.places,
        face_settings=_face_settings(args.thorough) if not args.no_faces else None,
    )
    cancel = CancelToken()
    bar = ProgressBar(sys.stderr)
    started = time.monotonic()
    result: ScanResult | None = None
    try:
        with _ctrl_c_cancels(cancel):
            bar.message("looking for photos…")
            for event in scan(root, options, cancel):
                if isinstance(event, Progress):
                    bar.update(event.phase, event.done, event.total)
                elif isinstance(event, FilesDiscovered):
                    bar.update("metadata", 0, event.total)
                elif isinstance(event, ScanFinished):
                    result = event.result
    except UsageError as exc:
        bar.close()
        print(f"photoscan scan: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        bar.close()
    assert result is not None
    elapsed = time.monotonic() - started
    if args.json and args.json != "-":
        try:
            _write_private_json(result, Path(args.json))
        except OSError as exc:
            print(f"photoscan scan: cannot write {args.json}: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE
    try:
        if args.json == "-":
            jsonio.write_document(result, sys.stdout)
        else:
            print_summary(result, elapsed, sys.stdout, json_path=args.json)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (`| head`): stop writing, quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    for warning in result.warnings:
        print(f"photoscan scan: warning: {warning}", file=sys.stderr)
    return EXIT_CANCELLED if result.cancelled else EXIT_OK


def _write_private_json(result: ScanResult, path: Path) -> None:
    """Atomically, 0600: the document lists what every photo gives away."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=".photoscan-", suffix=".json", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            jsonio.write_document(result, out)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- the human summary ----------------------------------------------------------------------


# Control characters, bidi overrides and zero-width marks (what metadata.base.clean_text
# strips; not imported from there because photoscan.metadata loads every reader).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _show(text: object, limit: int = 120) -> str:
    """Paths and values are hostile: no control characters or escape sequences on a terminal."""
    shown = _UNPRINTABLE.sub("?", jsonio.printable_path(str(text)))
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _short(path: str, limit: int = 56) -> str:
    """A long path as its first folder, an ellipsis and the file name (cut in the middle
    only when the name itself is too long)."""
    text = _show(path)
    if len(text) <= limit:
        return text
    head, _, name = text.rpartition("/")
    top = head.split("/", 1)[0]
    if head and len(top) + len(name) + 3 <= limit:
        return f"{top}/…/{name}" if top != head else f"{top}/{name}"
    keep = limit - 1
    return text[: keep // 3] + "…" + text[-(keep - keep // 3) :]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def print_summary(
    result: ScanResult, elapsed: float, out: TextIO, json_path: str | None = None
) -> None:
    photos = result.photos
    images = [p for p in photos if p.format != XMP_FORMAT]
    head = "Scan cancelled — partial result" if result.cancelled else "Scanned"
    print(
        f"{head}: {_show(result.root)}\n"
        f"  {_count(len(images), 'photo')}"
        + (f", {len(photos) - len(images)} standalone XMP" if len(photos) > len(images) else "")
        + f", {len(result.errors)} not scanned, in {elapsed:.1f} s",
        file=out,
    )
    if not photos and not result.errors:
        print("  No files found.", file=out)
        return
    _print_overview(photos, out)
    _print_places(result.places, out)
    _print_kinds(photos, out)
    _print_top(photos, out)
    _print_errors(result, out)
    if json_path and json_path != "-":
        print(f"\nFull result written to {_show(json_path)}", file=out)
    else:
        print("\nDetails per photo:  photoscan scan FOLDER --json result.json", file=out)
    if any(p.findings for p in photos):
        print("Clean copies:       photoscan strip FOLDER --out CLEAN (pixels untouched)", file=out)


def _print_overview(photos: tuple[PhotoRecord, ...], out: TextIO) -> None:
    levels = Counter(p.risk.level for p in photos if p.risk is not None)
    with_faces = [p for p in photos if p.faces]
    children = [p for p in photos if any(f.child for f in p.faces)]
    minors = [p for p in photos if any(f.kind is FindingKind.MINOR for f in p.findings)]
    scanned = sum(1 for p in photos if p.faces_scanned)
    print("", file=out)
    risk_line = " · ".join(
        f"{level.value} {levels.get(level, 0)}"
        for level in (RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW, RiskLevel.NONE)
    )
    print(f"  Risk:       {risk_line}", file=out)
    unchecked = sum(1 for p in photos if p.face_error)
    if scanned:
        failed = f"; {unchecked} could not be checked" if unchecked else ""
        print(
            f"  Faces:      {_count(len(with_faces), 'photo')} with faces, "
            f"{len(children)} with children (of {scanned} checked{failed})",
            file=out,
        )
    else:
        print("  Faces:      not checked (--no-faces)", file=out)
    if minors:
        print(f"  Children:   {_count(len(minors), 'photo')} whose metadata says so", file=out)
    located = sum(1 for p in photos if p.gps is not None)
    print(f"  Location:   {_count(located, 'photo')} with GPS coordinates", file=out)
    sidecars = sum(len(p.sidecars) for p in photos)
    if sidecars:
        print(
            f"  Sidecars:   {_count(sidecars, 'file')} describing photos (listed in JSON)", file=out
        )


def _print_places(places: tuple[object, ...], out: TextIO) -> None:
    """Place names from ``--places`` (photoscan.places.PlaceGroup), most photos first."""
    if not places:
        return
    shown = []
    for group in places[:5]:
        name = _show(f"{getattr(group, 'name', '?')} {getattr(group, 'country', '')}".strip())
        again = " — a place you return to" if getattr(group, "repeated", False) else ""
        shown.append(f"{name} ({getattr(group, 'photos', 0)}){again}")
    more = f" and {len(places) - 5} more" if len(places) > 5 else ""
    print(f"  Places:     {'; '.join(shown)}{more}", file=out)


def _print_kinds(photos: tuple[PhotoRecord, ...], out: TextIO) -> None:
    per_kind: Counter[FindingKind] = Counter()
    fields: dict[FindingKind, Counter[str]] = {}
    for p in photos:
        kinds = {f.kind for f in p.findings}
        per_kind.update(kinds)
        for f in p.findings:
            fields.setdefault(f.kind, Counter())[f.field] += 1
    if not per_kind:
        print("\n  No identifying metadata found.", file=out)
        return
    print("\nWhat the metadata gives away (photos per kind, most common fields):", file=out)
    for kind, words in _KIND_WORDS.items():
        n = per_kind.get(kind, 0)
        if not n:
            continue
        top = ", ".join(_show(name) for name, _ in fields[kind].most_common(3))
        print(f"  {n:>6}  {words:<32} {top}", file=out)


def _print_top(photos: tuple[PhotoRecord, ...], out: TextIO) -> None:
    risky = sorted(
        (p for p in photos if p.risk is not None and p.risk.score > 0),
        key=lambda p: (-(p.risk.score if p.risk else 0), p.path),
    )[:TOP_PHOTOS]
    if not risky:
        return
    print(f"\nHighest risk ({len(risky)} of {len(photos)}):", file=out)
    for p in risky:
        assert p.risk is not None
        reason = "; ".join(p.risk.reasons[:2])
        level = p.risk.level.value.upper()
        print(f"  {level:<6} {p.risk.score:>3}  {_short(p.path, 70)}", file=out)
        if reason:
            print(f"              {_show(reason)}", file=out)


def _print_errors(result: ScanResult, out: TextIO) -> None:
    if result.errors:
        by_reason: dict[str, list[str]] = {}
        for e in result.errors:
            by_reason.setdefault(e.reason, []).append(e.path)
        print(f"\nNot scanned ({len(result.errors)}):", file=out)
        groups = sorted(by_reason.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        for reason, paths in groups[:MAX_REASONS]:
            examples = ", ".join(_short(p) for p in paths[:EXAMPLES_PER_REASON])
            more = f" (+{len(paths) - EXAMPLES_PER_REASON} more)" if len(paths) > 3 else ""
            print(f"  {len(paths):>4}  {_show(reason)}", file=out)
            print(f"        {examples}{more}", file=out)
        if len(groups) > MAX_REASONS:
            rest = sum(len(paths) for _, paths in groups[MAX_REASONS:])
            others = len(groups) - MAX_REASONS
            print(f"  {rest:>4}  more, for {others} other reasons (see --json)", file=out)
    if result.skipped:
        print(
            f"\nSkipped {_count(len(result.skipped), 'hidden or system item')} "
            "(use --include-hidden to scan them).",
            file=out,
        )
