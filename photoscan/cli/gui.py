"""``photoscan [gui] [FOLDER]``: open the desktop app, optionally on a folder or .zip export.

Qt is imported only when the command runs, so the CLI stays Qt-free for every other command.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "gui"
HELP = "open the desktop app (optionally on FOLDER or a .zip export)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", type=Path, metavar="FOLDER", help="folder to open")
    parser.add_argument("--no-faces", action="store_true", help="skip face detection (much faster)")
    parser.add_argument("--workers", type=int, default=None, help="worker processes for faces")


def run(args: argparse.Namespace) -> int:
    """Open the app. A FOLDER that is not there still opens the window, which says so on
    its first page and offers to open another (a desktop shortcut to a moved folder, a
    disk not connected): a window that never appears tells a double-click user nothing."""
    folder: Path | None = args.folder
    if folder is not None and not (folder.is_dir() or folder.is_file()):
        print(f"photoscan: cannot open {folder}: no such folder or file", file=sys.stderr)
    from photoscan.gui.app import run as run_app  # Qt only when this command runs
    from photoscan.scan.jobs import ScanOptions

    # Places on: the sidebar's "places you return to" and the search by place name need them.
    options = ScanOptions(faces=not args.no_faces, workers=args.workers, places=True)
    return run_app(folder, options)
