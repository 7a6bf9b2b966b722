"""``photoscan report FOLDER -o FILE``: scan a folder and write the shareable summary.

The format comes from ``--format`` or else from the file's extension (``.html``, ``.pdf``,
``.csv``, ``.json``; HTML when neither says). The report is redacted by default (relative
paths, no coordinates, no thumbnails, no people's names, no towns: countries only);
``--places`` names towns, ``--include-locations`` adds them, coordinates and the full folder
path. ``--details`` adds the per-photo table to the HTML and PDF summary.
It is written atomically and readable only by you (0600) — share it deliberately.
Progress goes to stderr on a terminal; Ctrl-C exits 130.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from photoscan import report
from photoscan.cli.scan import add_scan_options, scan_with_progress
from photoscan.errors import UsageError
from photoscan.metadata.base import clean_text
from photoscan.scan.jobs import ScanOptions
from photoscan.source.fileref import is_export

NAME = "report"
HELP = "scan a folder and write a shareable summary (HTML, PDF, CSV or JSON), redacted"
EXIT_OK, EXIT_USAGE, EXIT_CANCELLED = 0, 2, 130


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "folder", type=Path, help="the folder or .zip export (Flickr, Google Takeout) to report on"
    )
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE", help="where to write the report"
    )
    parser.add_argument(
        "--format",
        choices=report.FORMATS,
        help="html, pdf, csv or json (default: from FILE's extension, else html)",
    )
    parser.add_argument(
        "--include-locations",
        action="store_true",
        help="include coordinates and the full folder path (not redacted)",
    )
    parser.add_argument(
        "--places",
        action="store_true",
        help="name towns and neighbourhoods (by default only countries are named)",
    )
    parser.add_argument(
        "--details",
        action="store_true",
        help="add the table of every photo and list every photo of every action (HTML, PDF)",
    )
    add_scan_options(parser)


def output_format(path: Path, explicit: str | None) -> str:
    if explicit:
        return explicit
    suffix = path.suffix.lower().lstrip(".")
    return {"htm": "html"}.get(suffix, suffix) if suffix in (*report.FORMATS, "htm") else "html"


def run(args: argparse.Namespace) -> int:
    root: Path = args.folder
    if not root.exists():
        print(f"photoscan report: {clean_text(root)} does not exist", file=sys.stderr)
        return EXIT_USAGE
    if not (root.is_dir() or is_export(root)):  # a summary of one photo: `scan PHOTO` says it
        print(
            f"photoscan report: {clean_text(root)} is not a folder or a .zip export "
            "(for one photo: photoscan scan PHOTO)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    fmt = output_format(args.output, args.format)
    options = ScanOptions(
        faces=not args.no_faces,
        workers=args.workers,
        use_cache=not args.no_cache,
        places=True,  # the report always names places and finds the ones you return to
    )
    try:
        result = scan_with_progress(root, options)
    except UsageError as exc:
        print(f"photoscan report: {exc}", file=sys.stderr)
        return EXIT_USAGE
    summary = report.summarize(
        result.root,
        result.photos,
        result.errors,
        result.places,
        include_locations=args.include_locations,
        include_places=args.places,
        details=args.details,
        cancelled=result.cancelled,
    )
    try:
        if fmt == "pdf":
            from photoscan.gui.actions.report_pdf import write_pdf_report  # Qt, only for PDFs

            write_pdf_report(args.output, summary)
        else:
            report.write_text(args.output, summary, fmt)
    except OSError as exc:
        print(
            f"photoscan report: cannot write {clean_text(args.output)}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    files = summary.nouns[0] if summary.total != 1 else summary.nouns[1].lower()
    print(f"Report ({fmt}) on {summary.total} {files} written to {clean_text(args.output)}")
    return EXIT_CANCELLED if result.cancelled else EXIT_OK
