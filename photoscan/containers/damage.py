"""How a lenient container walk reports damage: one rule for every container.

A reader wants what is intact before the damage (a cut-off download still shows its EXIF),
so a walk given a ``warn`` callback reports damage through it and stops; but damage before
anything was read means the file is not what it claims, and raises ``CorruptFile``. A walk
without ``warn`` is strict (the strippers): any damage raises.
"""

from __future__ import annotations

from collections.abc import Callable

from photoscan.errors import CorruptFile

Warn = Callable[[str], None]


def damaged(found: int, warn: Warn | None, reason: str) -> None:
    """Raise ``CorruptFile(reason)`` when strict or nothing was ``found`` yet, else warn."""
    if warn is None or found == 0:
        raise CorruptFile(reason)
    warn(reason)
