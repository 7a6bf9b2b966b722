"""How a lenient container walk reports damage: one rule for every container.

A reader wants what is intact before the damage (a cut-off download still shows its EXIF),
so a walk given a ``warn`` callback reports damage through it and stops; but damage before
anything was read means the file is not what it claims, and raises ``CorruptFile``. A walk
without ``warn`` is strict (the strippers): any damage raises.
"""

from __future__ import annotations

from photoscan.errors import CorruptFile

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:  # collections.abc imports the collections package: start-up time too
    from collections.abc import Callable

    Warn = Callable[[str], None]  # for annotations only: import it under TYPE_CHECKING


def damaged(found: int, warn: Warn | None, reason: str) -> None:
    """Raise ``CorruptFile(reason)`` when strict or nothing was ``found`` yet, else warn."""
    if warn is None or found == 0:
        raise CorruptFile(reason)
    warn(reason)
