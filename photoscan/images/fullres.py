"""The photo at full resolution, kept as a Pillow image; only regions become arrays.

Age chips are cut from the photo's own pixels, not from the working copy the detector sees
(``photoscan.faces.chips``): in a 12 MP group photo the smallest faces are ~10 px wide in a
2048 px copy but ~20 px in the photo. Memory stays bounded: a JPEG decoded for detection at
a reduced DCT scale (``Image.draft``) is decoded at full size again only when a chip needs
it (``load``, on first use), and only the area around each face is ever turned into an
array, never the whole photo (a 12 MP array is 36 MB).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from PIL import Image

Rect = tuple[int, int, int, int]  # (left, top, right, bottom)


class FullRes:
    """The upright photo at full resolution (``size``): at hand already (``image``) or
    decoded on first use by ``load``."""

    def __init__(
        self,
        size: tuple[int, int],
        *,
        image: Image.Image | None = None,
        load: Callable[[], Image.Image] | None = None,
    ) -> None:
        self.size = size
        self._image = image
        self._load = load

    @property
    def at_hand(self) -> bool:
        """Decoded already: cutting from it costs nothing more."""
        return self._image is not None

    def region(self, box: Rect) -> NDArray[np.uint8]:
        """The pixels of ``box`` (inside ``size``), as an RGB array."""
        if self._image is None:
            if self._load is None:
                raise ValueError("no full-resolution pixels")
            self._image = self._load()
            self._load = None
        return np.asarray(self._image.crop(box), dtype=np.uint8)

    def release(self) -> None:
        """Drop the pixels (the chips are cut)."""
        self._image = None
        self._load = None
