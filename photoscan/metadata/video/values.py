"""Decoding the value formats of QuickTime and 3GPP metadata atoms.

Each function takes the payload bytes of one atom and returns plain Python values or None
when the bytes do not have the promised shape (hostile input: nothing here raises on bad
data). Text goes through ``clean_text`` later, in the collector.

No regular expressions: ``re`` (with ``enum``, ~15M instructions) would be imported by the
first movie with a position, a few per cent of a strip of small videos. ``iso6709`` and
``printable_runs`` find what ``re.search`` and ``re.findall`` of the patterns in their
docstrings find (``tests/core/metadata/video/test_values_patterns.py`` holds them to it).
"""

from __future__ import annotations

import struct
import time

from photoscan.printable import decode_text

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from photoscan.metadata.base import Collector

_EPOCH_1904 = -2_082_844_800  # 1904-01-01 00:00 UTC in Unix time
# What the functions below find, as patterns (for the reader and the tests; never compiled).
ISO6709_PATTERN = rb"([+-]\d+(?:\.\d*)?)([+-]\d+(?:\.\d*)?)([+-]\d+(?:\.\d*)?)?"
PRINTABLE_RUN = rb"[\x20-\x7e]{%d,}"
_SIGNS = frozenset(b"+-")
_DIGITS = frozenset(b"0123456789")
# Printable ASCII (0x20-0x7e) as it is, every other byte a NUL: runs are what split(NUL) gives.
_PRINTABLE_OR_NUL = bytes(b if 0x20 <= b <= 0x7E else 0 for b in range(256))
MAX_TEXT = 4096


def qt_date(seconds: int) -> str | None:
    """A 1904-epoch time as ExifTool prints it (UTC); None for 0 (unset) or absurd values."""
    if seconds <= 0:
        return None
    try:  # time.gmtime, not datetime: the same calendar, without datetime's import at start-up
        when = time.gmtime(_EPOCH_1904 + seconds)
    except (OverflowError, OSError, ValueError):
        return None
    if when.tm_year > 2200:
        return None
    return time.strftime("%Y:%m:%d %H:%M:%S", when)


def _sexagesimal(text: bytes, degree_digits: int) -> float:
    """ISO 6709 ±DD.D, ±DDMM.M or ±DDMMSS.S (longitude: one more degree digit)."""
    sign = -1.0 if text[:1] == b"-" else 1.0
    body = text[1:].decode("ascii")
    whole, _, frac = body.partition(".")
    frac = "." + frac if frac else ""
    if len(whole) <= degree_digits:
        return sign * float(whole + frac)
    if len(whole) <= degree_digits + 2:
        return sign * (int(whole[:degree_digits]) + float(whole[degree_digits:] + frac) / 60)
    minutes = int(whole[degree_digits : degree_digits + 2])
    seconds = float(whole[degree_digits + 2 :] + frac)
    return sign * (int(whole[:degree_digits]) + minutes / 60 + seconds / 3600)


def _number_end(raw: bytes, pos: int) -> int:
    """Where one number of ``ISO6709_PATTERN`` (a sign, digits, maybe a point and digits)
    starting at ``pos`` ends, or -1. Taking the longest is what the pattern does: a shorter
    one would be followed by a digit or a point, never by the sign the next one needs."""
    end = len(raw)
    if pos >= end or raw[pos] not in _SIGNS:
        return -1
    i = pos + 1
    while i < end and raw[i] in _DIGITS:
        i += 1
    if i == pos + 1:
        return -1
    if i < end and raw[i] == 0x2E:  # "."
        i += 1
        while i < end and raw[i] in _DIGITS:
            i += 1
    return i


def iso6709_numbers(raw: bytes) -> tuple[bytes, bytes, bytes | None] | None:
    """The groups of ``re.search(ISO6709_PATTERN, raw)``: the first latitude, longitude and
    (optional) altitude, as written; None when there is none."""
    start = -1
    while True:
        plus, minus = raw.find(b"+", start + 1), raw.find(b"-", start + 1)
        start = min(plus, minus) if plus >= 0 and minus >= 0 else max(plus, minus)
        if start < 0:
            return None
        lat_end = _number_end(raw, start)
        lon_end = _number_end(raw, lat_end) if lat_end > 0 else -1
        if lon_end > 0:
            alt_end = _number_end(raw, lon_end)
            alt = raw[lon_end:alt_end] if alt_end > 0 else None
            return raw[start:lat_end], raw[lat_end:lon_end], alt


def iso6709(raw: bytes) -> tuple[float, float, float | None] | None:
    """(lat, lon, altitude) from an ISO 6709 string such as ``+51.4169-000.0806+012.3/``."""
    found = iso6709_numbers(raw[:200])
    if found is None:
        return None
    try:
        lat = _sexagesimal(found[0], 2)
        lon = _sexagesimal(found[1], 3)
        alt = float(found[2]) if found[2] else None
    except ValueError:
        return None
    return lat, lon, alt


def intl_strings(payload: bytes) -> list[str]:
    """A QuickTime ``©xxx`` user-data atom: (16-bit length, 16-bit language, text)*."""
    out: list[str] = []
    pos = 0
    while pos + 4 <= len(payload) and len(out) < 16:
        length, lang = struct.unpack_from(">HH", payload, pos)
        if length > len(payload) - pos - 4 or (length == 0 and pos == 0):
            if out:
                break
            # Not the counted form: some writers store the text bare.
            return [_text(payload)] if payload.strip(b"\0") else []
        raw = payload[pos + 4 : pos + 4 + min(length, MAX_TEXT)]
        if raw[:2] in (b"\xfe\xff", b"\xff\xfe") or lang == 0x7FFF:
            out.append(_utf16(raw))
        elif lang < 0x400:
            out.append(_mac_text(raw))  # a Macintosh language code: Mac Roman text
        else:
            out.append(_text(raw))
        pos += 4 + length
    return [t for t in out if t]


def _text(raw: bytes) -> str:
    return decode_text(raw[:MAX_TEXT].split(b"\0", 1)[0])


def _mac_text(raw: bytes) -> str:
    raw = raw[:MAX_TEXT].split(b"\0", 1)[0]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("mac_roman")


def _utf16(raw: bytes) -> str:
    try:
        return raw[:MAX_TEXT].decode("utf-16").split("\0", 1)[0]
    except UnicodeDecodeError:
        return ""


def counted_or_bare(payload: bytes) -> str:
    """A string atom that may or may not carry the QuickTime length/language prefix."""
    strings = intl_strings(payload)
    return strings[0] if strings else ""


def text_3gpp(payload: bytes) -> str:
    """3GPP ``auth``/``titl``/``dscp``/``cprt``...: full box, 2 bytes of language, string."""
    return _string_at(payload, 6)[0]


def _string_at(payload: bytes, pos: int) -> tuple[str, int]:
    """A null-terminated UTF-8 or BOM-led UTF-16 string at ``pos``; (text, next position)."""
    raw = payload[pos:]
    if raw[:2] == b"\xfe\xff":
        end = 2
        while end + 1 < len(raw) and raw[end : end + 2] != b"\0\0":
            end += 2
        return _utf16(raw[:end]), pos + end + 2
    end = raw.find(b"\0")
    end = len(raw) if end < 0 else end
    return decode_text(raw[: min(end, MAX_TEXT)]), pos + end + 1


def loci(payload: bytes) -> tuple[str, float, float, float] | None:
    """3GPP location: (place name, lat, lon, alt) from fixed-point 16.16 values."""
    name, pos = _string_at(payload, 6)
    if pos + 13 > len(payload):
        return None
    lon, lat, alt = struct.unpack_from(">iii", payload, pos + 1)
    return name, lat / 65536.0, lon / 65536.0, alt / 65536.0


def data_value(payload: bytes) -> tuple[int, bytes] | None:
    """(well-known type, value bytes) of an iTunes/Keys ``data`` atom payload."""
    if len(payload) < 8:
        return None
    kind = int.from_bytes(payload[1:4], "big")
    return kind, payload[8:]


def data_text(kind: int, value: bytes) -> str | None:
    """The value of a ``data`` atom as text: strings, numbers; None for binary data."""
    if kind in (1, 4):
        return decode_text(value[:MAX_TEXT])
    if kind in (2, 5):
        try:
            return value[:MAX_TEXT].decode("utf-16-be")
        except UnicodeDecodeError:
            return None
    if kind in (21, 22) and len(value) in (1, 2, 4, 8):
        return str(int.from_bytes(value, "big", signed=kind == 21))
    if kind == 23 and len(value) == 4:
        return f"{struct.unpack('>f', value)[0]:g}"
    if kind == 24 and len(value) == 8:
        return f"{struct.unpack('>d', value)[0]:g}"
    return None


def image_format(value: bytes) -> str:
    if value[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if value[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if value[:2] == b"BM":
        return "BMP"
    return ""


def printable_runs(raw: bytes, minimum: int = 4, limit: int = 4) -> list[str]:
    """Runs of printable ASCII in a binary maker-data block (its make, model, firmware): the
    first ``limit`` of ``re.findall(PRINTABLE_RUN % minimum, raw[:65536])`` (``minimum`` at
    least 1), stripped, those with nothing left dropped."""
    runs: list[bytes] = []
    if limit > 0:
        for run in raw[:65536].translate(_PRINTABLE_OR_NUL).split(b"\0"):
            if len(run) >= max(minimum, 1):
                runs.append(run)
                if len(runs) == limit:
                    break
    return [r.decode("ascii").strip() for r in runs if r.strip()]


def read_xmp_packet(packet: bytes, col: Collector) -> None:
    """Read one XMP packet found in a video into ``col``; a bad packet costs a warning.

    The XMP reader (its expat tree, the thumbnail size checks) is imported here, on the first
    packet: most videos carry none, and a strip of one should not load it at start-up.
    """
    from photoscan.metadata.xmp import xmp as xmp_reader
    from photoscan.metadata.xmp.rdf import XmpError

    try:
        xmp_reader.read_xmp(packet, col)
    except XmpError as exc:
        col.warn(str(exc))
    except RecursionError:
        col.warn("XMP packet is nested too deeply; not read")
