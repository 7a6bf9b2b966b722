"""Holding a command's quick argument reader to argparse's reading of the same arguments."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any


def reads_like_argparse(
    command: ModuleType, quick_args: Callable[[list[str]], Any], argv: list[str]
) -> bool:
    """Whether ``quick_args`` read ``argv`` (``None``: left to argparse, whatever it makes
    of it); when it did, every field it has must equal argparse's for ``command``."""
    from photoscan.cli import main as cli

    quick = quick_args(argv)
    if quick is None:
        return False
    parsed = cli.build_parser([command]).parse_args([command.NAME, *argv])
    got = {name: getattr(quick, name) for name in quick.__slots__}
    want = {name: getattr(parsed, name) for name in quick.__slots__}
    assert got == want, (argv, got, want)
    return True
