"""XMP value spellings → numbers and pictures: GPS coordinates, altitudes, thumbnails.

XMP writes a coordinate as ``"DDD,MM,SSk"`` or ``"DDD,MM.mmk"`` (k = N/S/E/W, XMP spec
part 2, §1.2.7.4); writers in the wild also put a plain decimal (with or without a letter
or sign), a letter first, spaces instead of commas, degree and minute marks, or a separate
``GPSLatitudeRef``. ExifTool takes the numbers out of whatever surrounds them
(``GPS::ToDegrees``); so does this, but only from text made of numbers, separators and
direction words, and only with minutes and seconds below 60: anything else (garbage, NaN,
absurd values) gives ``None`` rather than a position.

XMP thumbnails (``xmp:Thumbnails``, ``xmpGImg:image``) are base64 JPEGs; one counts only
when it decodes to a complete JPEG with a size.
"""

from __future__ import annotations

import math

from photoscan.lazy import TYPE_CHECKING, LazyModule

if TYPE_CHECKING:
    import re
else:
    re = LazyModule("re")  # imported when a pattern is first needed

MAX_THUMBNAIL_BASE64 = 4 << 20

# Patterns are compiled on first use (``re``'s cache): compiling all of them costs ~2 ms at
# every start, and most packets hold no coordinate at all.
_REF_END = r"(?<![a-z])(north|south|east|west|[nsew])\s*$"  # re.IGNORECASE
_REF_START = r"^\s*(north|south|east|west|[nsew])(?![a-z])"  # re.IGNORECASE
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_DEGREE_WORDS = r"\b(deg(rees?)?|min(utes?)?|sec(onds?)?)\b"  # re.IGNORECASE
_SEPARATORS = r"^[\s,;:°º˚'’′\"”″]*$"
_RATIONAL = r"^\s*([+-]?\d+(?:\.\d+)?)(?:\s*/\s*(\d+(?:\.\d+)?))?\s*$"


def parse_coordinate(text: str, ref: str = "") -> float | None:
    """Decimal degrees from an XMP GPSLatitude/GPSLongitude value, or None. ``ref`` is a
    separate GPSLatitudeRef/GPSLongitudeRef, used when the value carries no letter."""
    text = text[:64].strip()
    if not text:  # an absent property (most packets): nothing to parse, no pattern compiled
        return None
    letter = ""
    for pattern in (_REF_END, _REF_START):
        match = re.search(pattern, text, re.IGNORECASE)
        if match:
            letter = match.group(1)[0].upper()
            text = text[: match.start()] + text[match.end() :]
            break
    text = re.sub(_DEGREE_WORDS, " ", text, flags=re.IGNORECASE)
    numbers = re.findall(_NUMBER, text)
    if not 1 <= len(numbers) <= 3 or not re.match(_SEPARATORS, re.sub(_NUMBER, " ", text)):
        return None
    values = [float(n) for n in numbers]
    if any(not math.isfinite(v) for v in values) or any(not 0 <= v < 60 for v in values[1:]):
        return None
    degrees: float = abs(values[0]) + sum(v / 60.0**i for i, v in enumerate(values[1:], start=1))
    letter = letter or ref.strip()[:1].upper()
    negative = numbers[0].startswith("-") or letter in ("S", "W")
    return -degrees if negative else degrees


def parse_altitude(text: str, ref: str = "") -> float | None:
    """Metres from an XMP GPSAltitude rational ("1234/10"); GPSAltitudeRef 1 = below sea."""
    match = re.match(_RATIONAL, text[:64])
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


def thumbnail_size(encoded: str) -> tuple[int, tuple[int, int]] | None:
    """(bytes, (width, height)) of a base64 XMP thumbnail that is a whole JPEG, else None
    (not base64, not a JPEG, cut short, or no size in its header)."""
    if not encoded or len(encoded) > MAX_THUMBNAIL_BASE64:
        return None
    import base64  # late, as the JPEG header reader: only a packet with a thumbnail needs them
    import binascii

    from photoscan.metadata.thumbs.thumbcompare import jpeg_size

    compact = re.sub(r"\s+|&#x[aAdD];", "", encoded)
    try:
        blob = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return None
    if blob[:2] != b"\xff\xd8" or b"\xff\xd9" not in blob[-16:]:
        return None
    size = jpeg_size(blob)
    return (len(blob), size) if size is not None else None
