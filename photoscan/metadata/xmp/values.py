"""XMP value spellings → numbers: GPS coordinates and altitudes.

XMP writes a coordinate as ``"DDD,MM,SSk"`` or ``"DDD,MM.mmk"`` (k = N/S/E/W, XMP spec
part 2, §1.2.7.4); some writers put a plain decimal instead, with or without a letter or a
sign. Anything else (garbage, NaN, absurd values) gives ``None`` rather than a position.
"""

from __future__ import annotations

import math
import re

_COORD = re.compile(
    r"^\s*([+-]?\d{1,3}(?:\.\d+)?)(?:\s*,\s*(\d{1,2}(?:\.\d+)?))?"
    r"(?:\s*,\s*(\d{1,2}(?:\.\d+)?))?\s*([NSEWnsew])?\s*$"
)
_RATIONAL = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)(?:\s*/\s*(\d+(?:\.\d+)?))?\s*$")


def parse_coordinate(text: str) -> float | None:
    """Decimal degrees from an XMP GPSLatitude/GPSLongitude value, or None."""
    match = _COORD.match(text[:64])
    if not match:
        return None
    degrees_text, minutes, seconds, ref = match.groups()
    degrees = float(degrees_text)
    sign = -1.0 if degrees_text.startswith("-") else 1.0
    value = abs(degrees) + float(minutes or 0) / 60 + float(seconds or 0) / 3600
    if ref and ref.upper() in "SW":
        sign = -1.0
    result = sign * value
    return result if math.isfinite(result) else None


def parse_altitude(text: str, ref: str = "") -> float | None:
    """Metres from an XMP GPSAltitude rational ("1234/10"); GPSAltitudeRef 1 = below sea."""
    match = _RATIONAL.match(text[:64])
    if not match:
        return None
    numerator = float(match.group(1))
    denominator = float(match.group(2) or 1)
    if denominator == 0:
        return None
    value = numerator / denominator
    if ref.strip() == "1":
        value = -value
    return round(value, 2) if math.isfinite(value) else None
