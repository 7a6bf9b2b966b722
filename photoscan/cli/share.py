"""``photoscan share``: share-safe copies — stripped, faces hidden, optionally smaller.

Children's faces are hidden by default (``--blur faces`` hides every face, ``none`` none);
``--max-size`` downscales; ``--rename`` gives neutral names (``photo-0001.jpg``) and writes
which copy came from which photo to ``photoscan-names.csv`` beside the copies (private; it
identifies the originals). Output and exit codes follow ``strip``; results say how many faces
were found and hidden per photo. A ``.zip`` export is read in place.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from photoscan.cancel import CancelToken, ctrl_c_cancels
from photoscan.cli.strip import emit
from photoscan.errors import UsageError
from photoscan.metadata.base import clean_text
from photoscan.printable import printable_path
from photoscan.share import Blur, ShareOptions, share_plan
from photoscan.share.names import NamesFile, mapping_path
from photoscan.strip.plan import plan

NAME = "share"
HELP = "Make share-safe copies: metadata stripped, children's faces hidden, neutral names."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="photos or folders")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="copies go here")
    parser.add_argument(
        "--blur",
        choices=[b.value for b in Blur],
        default=Blur.CHILDREN.value,
        help="whose faces to hide with a solid fill (default: children)",
    )
    parser.add_argument("--max-size", type=int, metavar="PX", help="longest side in pixels")
    parser.add_argument(
        "--rename",
        action="store_true",
        help="name copies photo-0001.jpg, ... (the mapping to the originals goes to "
        "photoscan-names.csv beside them: keep it private)",
    )
    parser.add_argument("--json", metavar="PATH|-", help="write results as JSON ('-': stdout)")


def run(args: argparse.Namespace) -> int:
    if args.max_size is not None and args.max_size < 16:
        print("photoscan share: --max-size must be at least 16 pixels", file=sys.stderr)
        return 2
    options = ShareOptions(blur=Blur(args.blur), max_size=args.max_size, rename=args.rename)
    try:
        the_plan = plan(args.paths, out=args.out)
    except UsageError as exc:
        print(f"photoscan share: {exc}", file=sys.stderr)
        return 2
    cancel = CancelToken()
    names = NamesFile(args.out, mapping_path(args.out) if options.rename else None)
    results = share_plan(the_plan, args.out, options, cancel=cancel, names=names)
    header: dict[str, object] = {
        "blur": options.blur.value,
        "max_size": options.max_size,
        "rename": options.rename,
    }
    if names.path is not None:
        header["names_file"] = printable_path(str(names.path))
    with ctrl_c_cancels(cancel):
        total = len(the_plan.jobs)
        return emit(
            results,
            args.json,
            header,
            total=total,
            phase=NAME,
            cancel=cancel,
            footer=lambda _done: names_note(names),
        )


def names_note(names: NamesFile) -> str:
    """Where ``--rename``'s mapping went (it is written once the last copy is)."""
    if names.written and names.path is not None:
        return (
            f"Names: {clean_text(str(names.path), 300)} lists which copy came from which "
            "photo. It identifies the originals: keep it, and do not share it with the copies."
        )
    if names.error:
        return f"Names: the list of which copy is which photo could not be written: {names.error}"
    return ""
