"""Timed metadata tracks: per-frame data that is neither picture nor sound.

iPhones record detected faces, orientation and Live Photo timing in ``mebx`` tracks; GoPros
write GPS, accelerometer and gyro readings in ``gpmd`` tracks (GPMF); Google's ``camm`` carries
positions and motion for 360° cameras. None of it shows in a player, and a remux keeps it. Each
such track is reported as "per-frame data: may hold GPS or face positions"; where the format is
known (GPMF ``GPS5``, CAMM types 5 and 6) the first position is decoded so it counts as GPS.

A track whose samples are all zero (what photoscan's stripper leaves) is reported as nothing:
the data is gone, only its empty frame remains. Reads are bounded to the first samples.
"""

from __future__ import annotations

import struct

from photoscan.containers.bmff import Reader
from photoscan.containers.samples import Extent
from photoscan.metadata.base import Collector
from photoscan.model import FindingKind, Severity

K = FindingKind
S = Severity
MAX_PROBE_BYTES = 1 << 20
MAX_GPMF_DEPTH = 8
WORDS = "per-frame data: may hold GPS or face positions"


def probe(reader: Reader, extents: list[Extent]) -> bytes:
    """The first samples of a track, up to ``MAX_PROBE_BYTES``."""
    out = bytearray()
    for ext in extents:
        if len(out) >= MAX_PROBE_BYTES:
            break
        out += reader.read_at(ext.offset, min(ext.length, MAX_PROBE_BYTES - len(out)))
    return bytes(out)


def describe(
    col: Collector,
    field: str,
    codec: str,
    keys: tuple[str, ...],
    data: bytes,
) -> None:
    """Findings for one timed-metadata track whose first samples are ``data``."""
    if not data.strip(b"\0"):
        return
    lowered = " ".join(keys).lower()
    faces = "face" in lowered
    # As the stripper's ``--only location`` rule: an Apple track may hold a position only when
    # one of its keys says so; any other per-frame format may (GoPro, CAMM, unknown).
    location = codec != "mebx" or "location" in lowered or "gps" in lowered
    what = {
        "gpmd": "GoPro GPMF sensor track (GPS, motion)",
        "camm": "camera motion metadata track (CAMM: GPS, motion)",
        "mebx": "Apple timed metadata track",
    }.get(codec, f"timed metadata track ({codec or 'unknown format'})")
    if keys:
        shown = ", ".join(k.removeprefix("com.apple.quicktime.") for k in keys[:6])
        what += f" [{shown}]"
    value = f"{what}: {WORDS}"
    if faces:
        col.add(K.FACE_REGION, field, value, S.MEDIUM)
    if location:
        col.add(K.LOCATION, field, value, S.MEDIUM)
    if not (faces or location):
        col.add(K.TEXT, field, value, S.LOW)
    if codec == "gpmd":
        _gpmf_gps(data, col, field)
    elif codec == "camm":
        _camm_gps(data, col, field)


def _gpmf_gps(data: bytes, col: Collector, field: str) -> None:
    found = _gpmf_first_gps5(data, 0, len(data), 0)
    if found is not None:
        lat, lon, alt = found
        if col.add_gps(lat, lon, "gpmd", alt, field):
            col.add(K.LOCATION, _gps_field(field), f"{lat:.6f}, {lon:.6f}", S.HIGH)


def _gpmf_first_gps5(
    data: bytes, pos: int, end: int, depth: int
) -> tuple[float, float, float] | None:
    """GPMF is KLV: 4-byte key, type, struct size, repeat, then data padded to 4 bytes.
    ``SCAL`` before ``GPS5`` in the same stream gives the divisors of lat, lon, alt."""
    if depth > MAX_GPMF_DEPTH:
        return None
    scale: tuple[int, ...] = ()
    while pos + 8 <= end:
        key = data[pos : pos + 4]
        kind = data[pos + 4]
        size = data[pos + 5]
        repeat = struct.unpack_from(">H", data, pos + 6)[0]
        length = size * repeat
        body = pos + 8
        nxt = body + ((length + 3) & ~3)
        if nxt > end:
            return None
        if kind == 0:  # nested
            found = _gpmf_first_gps5(data, body, body + length, depth + 1)
            if found is not None:
                return found
        elif key == b"SCAL" and kind in (ord("l"), ord("L"), ord("s"), ord("S")) and size:
            code = {"l": "i", "L": "I", "s": "h", "S": "H"}[chr(kind)]
            count = length // struct.calcsize(code)
            scale = struct.unpack_from(f">{count}{code}", data, body)
        elif key == b"GPS5" and kind == ord("l") and size >= 12 and repeat:
            lat, lon, alt = struct.unpack_from(">3i", data, body)
            s = [*scale, 1, 1, 1] if scale else [1, 1, 1]
            if len(scale) == 1:
                s = [scale[0]] * 3
            if s[0] and s[1] and s[2]:
                return lat / s[0], lon / s[1], alt / s[2]
        pos = nxt
    return None


def _camm_gps(data: bytes, col: Collector, field: str) -> None:
    """CAMM samples: 2 reserved bytes, 2-byte type; type 5 lat/lon/alt doubles, type 6 a
    GPS fix (time, fix type, lat, lon, ...), all little-endian."""
    pos = 0
    sizes = {0: 12, 1: 8, 2: 12, 3: 12, 4: 12, 5: 24, 6: 60, 7: 12}
    while pos + 4 <= len(data):
        kind = struct.unpack_from("<H", data, pos + 2)[0]
        if kind not in sizes or pos + 4 + sizes[kind] > len(data):
            return
        if kind == 5:
            lat, lon, alt = struct.unpack_from("<3d", data, pos + 4)
        elif kind == 6:
            lat, lon = struct.unpack_from("<2d", data, pos + 4 + 12)
            alt = struct.unpack_from("<f", data, pos + 4 + 28)[0]
        else:
            pos += 4 + sizes[kind]
            continue
        if col.add_gps(lat, lon, "camm", alt, field):
            col.add(K.LOCATION, _gps_field(field), f"{lat:.6f}, {lon:.6f}", S.HIGH)
        return


def _gps_field(field: str) -> str:
    """``Track3:MetaFormat`` → ``Track3:GPSCoordinates`` (the track's decoded position)."""
    return field.split(":", 1)[0] + ":GPSCoordinates"
