"""Reading a command's plain arguments without argparse, exactly as argparse would.

Importing argparse and building a parser (gettext's look-ups for every help text, ``shutil``
for the terminal width) costs a cached rescan a third of its time and a strip of a few small
videos a tenth. ``scan.quick_args`` and ``strip.quick_args`` read the plain forms with these
helpers and leave everything else (``None``) to argparse; tests hold both to its reading.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Iterator


def option_value(it: Iterator[str]) -> str | None:
    """The next argument as an option's value, or ``None`` where argparse would say
    "expected one argument": there is none, or it looks like an option (``-`` alone is a
    value)."""
    value = next(it, None)
    if value is None or (value.startswith("-") and value != "-"):
        return None
    return value


def workers_value(it: Iterator[str]) -> int | None:
    """The next argument as a ``--workers`` count (digits, not zero), else ``None``."""
    value = option_value(it)
    return int(value) if value is not None and value.isdigit() and int(value) else None
