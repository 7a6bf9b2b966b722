"""How exposed an export says a photo already is: the words the readers and the risk share.

A Flickr or Takeout sidecar says who could see the photo and under which licence; the
readers turn that into ``visibility`` findings and the risk weighs them, so both read the
same words from here (a photo under an open licence is exactly what was scraped into
YFCC100M and MegaFace).
"""

from __future__ import annotations

LINK_SHARED = "shared by link"  # the value the readers give Takeout's "protected" albums
_OPEN_LICENCE_WORDS = (
    "creative commons",
    "cc by",
    "cc-by",
    "cc0",
    "attribution",
    "public domain",
    "no known copyright",
)


def is_open_licence(value: str) -> bool:
    """The licence text lets anyone reuse the photo (Creative Commons and the like)."""
    low = value.lower()
    return any(word in low for word in _OPEN_LICENCE_WORDS)
