"""Command-line entry point: ``photoscan [gui] [FOLDER]`` and the subcommands.

Each subcommand lives in its own module of ``photoscan.cli`` exposing
``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``; ``COMMANDS`` is the
explicit registry. Exit codes: 0 done (per-file problems listed), 2 usage error or
unreadable root, 130 cancelled.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:  # collections.abc imports the collections package: start-up time too
    import argparse
    from collections.abc import Sequence
    from types import ModuleType

COMMANDS: tuple[str, ...] = (
    "photoscan.cli.gui",
    "photoscan.cli.report",
    "photoscan.cli.restore",
    "photoscan.cli.scan",
    "photoscan.cli.share",
    "photoscan.cli.strip",
)

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_CANCELLED = 130


def _load_commands(wanted: str | None = None) -> list[ModuleType]:
    """Import the command named ``wanted`` only (module ``photoscan.cli.<NAME>``), or
    all of them for help and the default command: start-up stays fast when one command
    is run, however heavy the others' imports are."""
    picked = [name for name in COMMANDS if name.rsplit(".", 1)[-1] == wanted]
    from photoscan.lazy import import_module  # importlib's, without importlib (start-up time)

    return [import_module(name) for name in picked or COMMANDS]


def build_parser(commands: Sequence[ModuleType]) -> argparse.ArgumentParser:
    import argparse  # here, not at the top: ``quick`` paths never need it (~10 ms with re)

    parser = argparse.ArgumentParser(
        prog="photoscan",
        description="Shows what your photos give away — faces, children, locations, names, "
        "device ids — and strips it before you share. Runs offline.",
    )
    parser.add_argument(
        "--version",
        action="store_true",
        help="show the version, the licence and every model with its licence, and exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in commands:
        sp = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(sp)
        sp.set_defaults(_run=module.run)
    return parser


# Start-up allocates tens of thousands of objects that live as long as the process (code,
# functions, tables); at Python's default of 700 new objects per young collection the
# collector walks them again and again, ~2% of a strip of small videos. Garbage with cycles
# is still collected, a little later.
YOUNG_GC_THRESHOLD = 20_000


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command in ``argv`` (default: this process's arguments) and return its exit
    code. Called without ``argv`` it is the process (the console script, ``python -m``):
    the objects its command's imports make are frozen (``gc.freeze``), as they live as long
    as the process, so no collection walks them again — nor the full one at exit, which was
    ~3% of a strip of small videos; what the command itself makes is collected as usual.
    When the command is done, everything is frozen: the interpreter's collection at exit
    would walk every object still tracked (~2% more) for memory the system takes back
    anyway; photoscan closes every file it writes and never leaves that to a collection."""
    import gc

    gc.set_threshold(YOUNG_GC_THRESHOLD, *gc.get_threshold()[1:])
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["--version"]:  # argparse's version action would rewrap the lines
        from photoscan.cli.about import version_text

        sys.stdout.write(version_text())
        return EXIT_OK
    freeze = argv is None and gc.isenabled()  # a caller in-process keeps its collector as is
    if freeze:
        gc.disable()  # start-up makes no garbage worth a collection
    commands = _load_commands(args_list[0] if args_list else None)
    if not freeze:
        return _run(commands, args_list)
    gc.freeze()
    gc.enable()
    try:
        return _run(commands, args_list)
    finally:
        gc.freeze()  # the process ends: the collection at exit has nothing left to walk


def _run(commands: list[ModuleType], args_list: list[str]) -> int:
    quick = getattr(commands[0], "quick", None) if len(commands) == 1 else None
    if quick is not None:  # a command's fast path for plain arguments (scan: a cached rescan)
        try:
            done: int | None = quick(args_list[1:])
        except KeyboardInterrupt:
            print("photoscan: cancelled", file=sys.stderr)
            return EXIT_CANCELLED
        if done is not None:
            return done
    parser = build_parser(commands)
    names = {m.NAME for m in commands}
    if not args_list or (args_list[0] not in names and not args_list[0].startswith("-")):
        if "photoscan.cli.gui" in COMMANDS:
            args_list = ["gui", *args_list]
        else:
            parser.print_help()
            return EXIT_OK if not args_list else EXIT_USAGE
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if getattr(args, "version", False):
        from photoscan.cli.about import version_text

        sys.stdout.write(version_text())
        return EXIT_OK
    if getattr(args, "_run", None) is None:
        parser.print_help()
        return EXIT_OK
    try:
        return int(args._run(args))
    except KeyboardInterrupt:
        print("photoscan: cancelled", file=sys.stderr)
        return EXIT_CANCELLED
