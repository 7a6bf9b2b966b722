"""The ICC profile a strip keeps: the same colours, without the tags of one display.

Shared by the per-format strippers (JPEG APP2 chunks, PNG ``iCCP``, WebP ``ICCP``, TIFF tag
34675): ``containers.icc`` rebuilds a profile without ``mmod``/``ndin``/``vcgt``, which a
colour engine never reads for an embedded profile, so the output converts exactly as the
original did. A profile whose tag table does not parse is no profile a colour engine uses
either, and may hide anything: it is dropped (fail closed).
"""

from __future__ import annotations

from photoscan.containers import icc
from photoscan.errors import CorruptFile

LABEL = "ICC display device tags"
DAMAGED = "ICC profile (damaged)"


def kept_profile(profile: bytes, blocks: list[str]) -> bytes | None:
    """The profile to write back (None: drop it); ``blocks`` gets what was removed."""
    try:
        clean = icc.without_device_tags(profile)
    except CorruptFile:
        _note(blocks, DAMAGED)
        return None
    if clean is None:
        return profile
    _note(blocks, LABEL)
    return clean


def _note(blocks: list[str], label: str) -> None:
    if label not in blocks:
        blocks.append(label)
