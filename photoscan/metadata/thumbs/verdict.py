"""What the stale-thumbnail check decides, and the measured thresholds it decides by.

Shared by the header half (``thumbcompare``) and the pixel half (``thumbpixels``): both
import this, and only the header half imports the pixel half (when pixels are needed).
"""

from __future__ import annotations

from photoscan.tuples import NamedTuple

MIN_CORRELATION = 0.60  # tuned on d_metadata + b_group_photos (see tests/core/metadata)
MIN_SQUEEZED_CORRELATION = 0.92  # a whole picture resampled to another shape, not a crop
MIN_PART_CORRELATION = 0.85  # a thumbnail of the photo's middle shows nothing the photo hides
MAX_ASPECT_DIFF = 0.06  # |ln(aspect ratio)| difference; a 6 % change is a crop
MAX_MAIN_PIXELS = 50_000_000  # below Pillow's decompression-bomb limit


class Verdict(NamedTuple):
    mismatch: bool
    reason: str = ""
    correlation: float = 1.0
    aspect_diff: float = 0.0
