"""ICC colour profiles: the tag table, and a profile rebuilt without the tags of one device.

A profile is a 128-byte header, a tag count and a table of (signature, offset, size), then the
tag data (tags may share one data element). Most tags describe colour; three Apple writes
into display profiles describe the one screen that was calibrated: ``mmod`` (the display's
maker, model and serial number), ``ndin`` (its native primaries and gamma, measured) and
``vcgt`` (the video card's calibration curves for it). A colour engine converting an
embedded profile reads none of them (``vcgt`` is loaded into the graphics card only for the
system's own display profile), so the same profile without them converts colours exactly
as before. ``without_device_tags`` builds that profile: the other tags' data copied byte for
byte, the size updated, and the profile ID (an MD5 of the profile, ICC.1 7.2.18) recomputed
when the original had one.

Profiles are hostile input: every offset is checked against the profile's bytes, and a table
that does not fit raises ``CorruptFile``.
"""

from __future__ import annotations

import hashlib
import struct
from typing import NamedTuple

from photoscan.errors import CorruptFile

HEADER_SIZE = 128
MAX_TAGS = 1024
# tag signature -> ExifTool's name (ICC_Profile group)
DEVICE_TAGS = {b"mmod": "MakeAndModel", b"ndin": "NativeDisplayInfo", b"vcgt": "VideoCardGamma"}


class Tag(NamedTuple):
    signature: bytes
    offset: int
    size: int


def tags(profile: bytes) -> list[Tag]:
    """The tag table of ``profile``; ``CorruptFile`` when it does not fit the bytes."""
    if len(profile) < HEADER_SIZE + 4 or profile[36:40] != b"acsp":
        raise CorruptFile("not an ICC profile")
    (count,) = struct.unpack_from(">I", profile, HEADER_SIZE)
    if count > MAX_TAGS or HEADER_SIZE + 4 + 12 * count > len(profile):
        raise CorruptFile("ICC tag table does not fit the profile")
    table = []
    for i in range(count):
        signature, offset, size = struct.unpack_from(">4sII", profile, HEADER_SIZE + 4 + 12 * i)
        if offset + size > len(profile):
            raise CorruptFile("ICC tag data out of range")
        table.append(Tag(signature, offset, size))
    return table


def join_jpeg_chunks(chunks: list[bytes]) -> bytes:
    """One profile from JPEG APP2 chunks (each: sequence number, chunk count, data, after
    ``ICC_PROFILE\\0``), in sequence order whatever order the file holds them in."""
    return b"".join(c[2:] for c in sorted(chunks, key=lambda c: c[:1]))


def device_tags(profile: bytes) -> list[tuple[str, bytes]]:
    """(ExifTool name, data) of the tags that describe one display, in table order."""
    return [
        (DEVICE_TAGS[t.signature], profile[t.offset : t.offset + t.size])
        for t in tags(profile)
        if t.signature in DEVICE_TAGS
    ]


def _padded(data: bytes) -> bytes:
    return data + bytes(-len(data) % 4)


def profile_id(profile: bytes) -> bytes:
    """ICC.1 7.2.18: MD5 of the profile with the flags, rendering intent and ID zeroed."""
    masked = bytearray(profile)
    masked[44:48] = bytes(4)
    masked[64:68] = bytes(4)
    masked[84:100] = bytes(16)
    return hashlib.md5(masked, usedforsecurity=False).digest()


def without_device_tags(profile: bytes) -> bytes | None:
    """``profile`` without ``mmod``/``ndin``/``vcgt`` (None when it has none of them)."""
    table = tags(profile)
    kept = [t for t in table if t.signature not in DEVICE_TAGS]
    if len(kept) == len(table):
        return None
    data_start = HEADER_SIZE + 4 + 12 * len(kept)
    data_start += -data_start % 4
    placed: dict[tuple[int, int], int] = {}  # shared data elements stay shared
    body = bytearray()
    entries = bytearray()
    for tag in kept:
        key = (tag.offset, tag.size)
        if key not in placed:
            placed[key] = data_start + len(body)
            body += _padded(profile[tag.offset : tag.offset + tag.size])
        entries += struct.pack(">4sII", tag.signature, placed[key], tag.size)
    head = bytearray(profile[:HEADER_SIZE])
    out = head + struct.pack(">I", len(kept)) + entries
    out += bytes(data_start - len(out)) + body
    out[0:4] = struct.pack(">I", len(out))
    if any(profile[84:100]):
        out[84:100] = profile_id(bytes(out))
    return bytes(out)
