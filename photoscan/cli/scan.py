"""``photoscan scan FOLDER``: scan a photo folder and say what it gives away.

Without ``--json`` a short human summary goes to stdout; ``--json -`` writes only the JSON
document (architecture §4) to stdout; ``--json PATH`` writes the document to a private file
and the summary to stdout. Progress with an ETA goes to stderr when it is a terminal.
Ctrl-C cancels cleanly: the partial result is still written, flagged ``"cancelled": true``,
and the exit code is 130. Face detection (numpy, dlib) is only imported when faces are on.

A rescan of an unchanged folder serves the last output as it was made (``photoscan.cli.stored``:
fingerprint of every file, the code and the options): nothing of the scanner is imported
then, so this module imports only what that check needs; the rest is imported in ``_scan``.
"""

from __future__ import annotations

import os
import sys
import time

from photoscan import paths
from photoscan.cli import stored
from photoscan.cli.quickargs import option_value, workers_value
from photoscan.io import write_all, write_private

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from photoscan.faces.settings import FaceSettings
    from photoscan.scan.events import ScanResult
    from photoscan.scan.jobs import ScanOptions
    from photoscan.source.discover import Walk

NAME = "scan"
HELP = "scan a photo folder and report faces, children, locations, names and device ids"

EXIT_OK, EXIT_USAGE, EXIT_CANCELLED = 0, 2, 130


def _workers(value: str) -> int:
    import argparse

    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def add_scan_options(parser: argparse.ArgumentParser) -> None:
    """The options every command that scans shares (``scan``, ``report``)."""
    parser.add_argument("--no-faces", action="store_true", help="skip face detection")
    parser.add_argument(
        "--workers", type=_workers, metavar="N", help="worker processes (default: CPU count)"
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="neither use nor update the results cache"
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from pathlib import Path  # not at the top: a cached rescan never needs pathlib (~6 ms)

    parser.add_argument(
        "folder",
        type=Path,
        metavar="PATH",
        help="the folder to scan (recursively), a .zip export, or one photo",
    )
    parser.add_argument(
        "--json",
        metavar="PATH|-",
        help="write the full result as JSON to PATH, or to stdout with '-' (then nothing else)",
    )
    add_scan_options(parser)
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
        help="kept for scripts: the default face pass already finds small and sideways faces",
    )


def _face_settings(thorough: bool) -> FaceSettings | None:
    if not thorough:
        return None
    from photoscan.faces.settings import FaceSettings

    return FaceSettings(thorough=True)


_QUICK_FLAGS = {
    "--no-faces": "no_faces",
    "--include-hidden": "include_hidden",
    "--thorough": "thorough",
}


class QuickArgs:
    """What ``quick_args`` read: the same fields, with the same values, as argparse's
    namespace for those arguments (a test holds the two parsers to that). A plain slotted
    class: importing ``dataclasses`` costs milliseconds a cached rescan does not have."""

    __slots__ = ("folder", "include_hidden", "json", "no_faces", "thorough", "workers")

    def __init__(self) -> None:
        self.folder = ""
        self.json: str | None = None
        self.workers: int | None = None
        self.no_faces = self.include_hidden = self.thorough = False


def quick_args(argv: list[str]) -> QuickArgs | None:
    """The plain arguments of a rescan (a folder, the flags above, ``--json X``, ``--workers
    N``) read without argparse, whose import (with ``re``) is a third of a cached rescan's
    ~50 ms. Anything this does not read exactly as argparse would (``--help``, ``--json=X``,
    an option argparse would take as a missing value, an unknown or repeated option, a
    second folder) is ``None``: argparse then reads it."""
    args = QuickArgs()
    seen: set[str] = set()
    folder: str | None = None
    it = iter(argv)
    for arg in it:
        if arg in _QUICK_FLAGS and _QUICK_FLAGS[arg] not in seen:
            seen.add(_QUICK_FLAGS[arg])
            setattr(args, _QUICK_FLAGS[arg], True)
        elif arg in ("--json", "--workers") and arg[2:] not in seen:
            if arg == "--workers":
                args.workers = workers_value(it)
            else:
                args.json = option_value(it)
            if getattr(args, arg[2:]) is None:
                return None  # argparse: "expected one argument", or not a count
            seen.add(arg[2:])
        elif folder is None and arg and not arg.startswith("-"):
            folder = arg
        else:
            return None
    if folder is None:
        return None
    args.folder = folder
    return args


def quick(argv: list[str]) -> int | None:
    """``cli.main``'s fast path: plain arguments (``quick_args``) and a stored output for
    them → served as it was made. Anything else (a miss, ``--no-cache``, ``--places``,
    arguments ``quick_args`` leaves to argparse) returns ``None``: the normal path runs."""
    started = time.monotonic()
    args = quick_args(argv)
    if args is None or not (os.path.isdir(args.folder) or os.path.isfile(args.folder)):
        return None  # a file: a .zip export (one photo misses: nothing is kept for it)
    root = os.path.abspath(os.path.expanduser(args.folder))  # str: pathlib costs ~6 ms
    key = stored.fingerprint(root, _shape(args.no_faces, args.include_hidden, args.thorough))
    try:
        hit = None if key is None else stored.load(paths.cache_dir_str(), root, key)
    except stored.Damaged as exc:
        _warn_damaged(exc)  # load removed it: the normal path rescans
        return None
    return None if hit is None else _emit(args.json, hit, started)


def _warn_damaged(exc: stored.Damaged) -> None:
    print(f"photoscan scan: warning: {exc} (scan cache); rescanning", file=sys.stderr)


def _shape(no_faces: bool, include_hidden: bool, thorough: bool) -> str:
    """The options that change the output (the key of a stored output has them)."""
    return f"hidden={include_hidden} faces={not no_faces} thorough={thorough}"


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from photoscan.source.fileref import is_export

    started = time.monotonic()
    root: Path = args.folder
    if not root.exists():
        from photoscan.printable import show

        print(f"photoscan scan: {show(root)} does not exist", file=sys.stderr)
        return EXIT_USAGE
    key = None
    # A folder's or a .zip export's output is reused (the key of a Takeout part covers all
    # its parts), not with --places, whose GeoNames table the key does not cover, nor for
    # one photo, whose key would not cover the sidecars beside it (a photo scans quickly).
    if (root.is_dir() or is_export(root)) and not args.no_cache and not args.places:
        root = Path(os.path.abspath(root.expanduser()))
        key = stored.fingerprint(root, _shape(args.no_faces, args.include_hidden, args.thorough))
        try:
            hit = None if key is None else stored.load(paths.cache_dir(), root, key)
        except stored.Damaged as exc:
            _warn_damaged(exc)
            hit = None
        if hit is not None:
            return _emit(args.json, hit, started)
    return _scan(args, root, key, started)


def _emit(json_path: str | None, hit: stored.Hit, started: float) -> int:
    """Serve a stored output: no result is rebuilt, the document is copied as it was made."""
    elapsed = time.monotonic() - started
    return _deliver(json_path, hit, hit, elapsed)


def _deliver(
    json_path: str | None,
    document: bytes | stored.Hit,
    parts: stored.Summary | stored.Hit,
    elapsed: float,
) -> int:
    """The document to ``--json PATH`` or stdout, and the summary (from its parts)."""
    if json_path and json_path != "-":
        try:
            _write_private(document, json_path)
        except OSError as exc:
            print(f"photoscan scan: cannot write {json_path}: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE
    if json_path == "-":
        _write_stdout(document)
    else:
        text = stored.render(parts.head, parts.body, elapsed, json_path)
        _write_stdout(text.encode("utf-8", "backslashreplace"))
    return EXIT_OK


def scan_with_progress(root: Path, options: ScanOptions) -> ScanResult:
    """Run a scan to its end with a progress bar on a terminal's stderr; the first Ctrl-C
    cancels it (the partial result is returned, ``cancelled`` set). Raises ``UsageError``
    for a root that cannot be scanned. Shared by ``scan`` and ``report``."""
    from photoscan.cancel import CancelToken, ctrl_c_cancels
    from photoscan.cli.progress import ProgressBar
    from photoscan.scan.events import FilesDiscovered, Progress, ScanFinished
    from photoscan.scan.run import scan

    cancel = CancelToken()
    bar = ProgressBar(sys.stderr)
    result: ScanResult | None = None
    try:
        with ctrl_c_cancels(cancel):
            bar.message("looking for photos…")
            for event in scan(root, options, cancel):
                if isinstance(event, Progress):
                    bar.update(event.phase, event.done, event.total)
                elif isinstance(event, FilesDiscovered):
                    bar.update("metadata", 0, event.total)
                elif isinstance(event, ScanFinished):
                    result = event.result
    finally:
        bar.close()
    assert result is not None  # a scan always ends with ScanFinished
    return result


def _scan(args: argparse.Namespace, root: Path, key: str | None, started: float) -> int:
    from photoscan.cli import summary
    from photoscan.errors import UsageError
    from photoscan.scan import jsonio
    from photoscan.scan.jobs import ScanOptions

    walked = _walk_for_keys(root, args.include_hidden) if key is not None else None
    options = ScanOptions(
        faces=not args.no_faces,
        workers=args.workers,
        use_cache=not args.no_cache,
        include_hidden=args.include_hidden,
        places=args.places,
        face_settings=_face_settings(args.thorough) if not args.no_faces else None,
    )
    try:
        result = scan_with_progress(root, options)
    except UsageError as exc:
        print(f"photoscan scan: {exc}", file=sys.stderr)
        return EXIT_USAGE
    elapsed = time.monotonic() - started
    document = jsonio.document_text(result).encode("utf-8", "backslashreplace")
    parts = summary.summary_parts(result, no_faces=args.no_faces)
    if key is not None and walked is not None:
        output = stored.StoredScan(document, parts.head, parts.body)
        _keep(result, options, walked, key, output)
    code = _deliver(args.json, document, parts, elapsed)
    if code != EXIT_OK:
        return code
    for warning in result.warnings:
        print(f"photoscan scan: warning: {warning}", file=sys.stderr)
    return EXIT_CANCELLED if result.cancelled else EXIT_OK


def _walk_for_keys(root: Path, include_hidden: bool) -> Walk | None:
    """The files as they are *before* the scan: their cache keys decide whether the
    finished output may be kept (a file changed meanwhile has no matching row)."""
    from photoscan.errors import PhotoscanError
    from photoscan.source import discover, zipwalk

    try:
        if root.is_file():
            return zipwalk.walk_zip(root, include_hidden)
        return discover.walk(root, include_hidden)
    except (OSError, PhotoscanError):  # not a readable zip: the scan says why
        return None


def _keep(
    result: ScanResult, options: ScanOptions, walked: Walk, key: str, output: stored.StoredScan
) -> None:
    """Store the output for the next identical scan, only if nothing of it would be redone."""
    from photoscan.model import ImageFormat
    from photoscan.scan.cache import ScanCache
    from photoscan.scan.run import cache_keys, faces_fingerprint

    if result.cancelled or result.warnings:
        return
    keys = cache_keys(walked)  # as the scan keys its files (a zip member: with its part's)
    face_keys = []
    if options.faces:
        face_keys = [
            keys[p.path] for p in result.photos if p.format != ImageFormat.XMP and p.path in keys
        ]
    settings = faces_fingerprint(options.face_settings)
    with ScanCache() as cache:
        if not cache.covers(keys.values(), face_keys, settings):
            return
    try:
        stored.save(paths.cache_dir(), result.root, key, output)
    except OSError as exc:  # an optimisation, never a failure
        print(f"photoscan scan: warning: could not keep the result: {exc}", file=sys.stderr)


def _copy(data: bytes | stored.Hit, fd: int) -> None:
    if isinstance(data, bytes):
        write_all(fd, data)
    else:
        stored.copy_document(data, fd)


def _write_stdout(data: bytes | stored.Hit) -> None:
    """The whole text straight to the stdout file descriptor (the document is megabytes),
    or through ``sys.stdout`` when it has none (captured in tests, embedded)."""
    try:
        sys.stdout.flush()
        try:
            fd = sys.stdout.fileno()
        except (OSError, ValueError):  # io.UnsupportedOperation: no descriptor
            raw = data if isinstance(data, bytes) else stored.read_document(data)
            sys.stdout.write(raw.decode("utf-8"))
            sys.stdout.flush()
            return
        _copy(data, fd)
    except BrokenPipeError:  # the reader went away (`| head`): stop writing, quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _write_private(data: bytes | stored.Hit, path: str) -> None:
    """Atomically, 0600: the document lists what every photo gives away. Not fsynced: it
    can be made again, and an fsync of megabytes would cost more than a cached rescan."""
    write_private(path, lambda fd: _copy(data, fd), durable=False)
