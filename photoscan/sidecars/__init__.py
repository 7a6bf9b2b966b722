"""Export sidecars: Google Takeout and Flickr JSON, XMP sidecars, Picasa's ``.picasa.ini``.

``pair_sidecars`` decides by name which sidecar describes which photo; ``read_sidecar`` turns
one into findings (location, people, dates, visibility/licence) and a GPS fix; ``apply_sidecar``
merges that into a ``PhotoRecord`` (sidecar GPS only fills a photo without its own).
No Qt, no file access except through the bytes callers hand in — the same code reads a
folder and a ``.zip`` export (``photoscan.ziparchive``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from photoscan.sidecars.pairing import (
    SidecarIndex,
    SidecarKind,
    SidecarRef,
    flickr_id,
    is_sidecar_name,
    media_keys,
    pair_sidecars,
    takeout_key,
)

if TYPE_CHECKING:
    from photoscan.sidecars.readers import SidecarInfo, apply_sidecar, read_sidecar

_LAZY = frozenset({"SidecarInfo", "apply_sidecar", "read_sidecar"})


def __getattr__(name: str) -> object:
    """The readers load on first use: they pull in photoscan.metadata (Pillow, numpy), which
    discovery (pairing only) and a fully cached rescan must not pay for."""
    if name in _LAZY:
        from photoscan.sidecars import readers

        return getattr(readers, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "SidecarIndex",
    "SidecarInfo",
    "SidecarKind",
    "SidecarRef",
    "apply_sidecar",
    "flickr_id",
    "is_sidecar_name",
    "media_keys",
    "pair_sidecars",
    "read_sidecar",
    "takeout_key",
]
