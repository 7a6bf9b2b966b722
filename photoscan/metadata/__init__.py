"""Metadata of one image: ``extract(source) -> Extraction``; ``.xmp`` sidecars too.

The readers live in ``photoscan.metadata.readers`` and are loaded on first use of these
names: importing a submodule (``metadata.base``, ``metadata.video``) must not load every
image reader and exifread (~0.25 s of start-up that a video strip never uses).
"""

from __future__ import annotations

from photoscan.lazy import import_module

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)

if TYPE_CHECKING:
    from photoscan.metadata.base import Source
    from photoscan.metadata.readers import READERS, extract, extract_kinds, read_sidecar_xmp

__all__ = ["READERS", "Source", "extract", "extract_kinds", "read_sidecar_xmp"]

_HOME = {
    "Source": "photoscan.metadata.base",
    "READERS": "photoscan.metadata.readers",
    "extract": "photoscan.metadata.readers",
    "extract_kinds": "photoscan.metadata.readers",
    "read_sidecar_xmp": "photoscan.metadata.readers",
}


def __getattr__(name: str) -> object:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value
