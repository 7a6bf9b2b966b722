"""FlashPix streams in JPEG APP2 "FPXR" segments, and the preview images they carry.

Kodak, Hewlett-Packard and some Fujifilm cameras wrote FlashPix extension data into APP2
(EXIF 2.x allows it): a "contents list" segment names the streams and their sizes, then
"stream data" segments carry each stream's bytes, split at the 64 KB segment limit. The
"Screen Nail" stream is a preview JPEG of the photo (after a 28-byte stream header), and
some Fujifilm models store a "Preview" JPEG the same way or, with no contents list at all,
in segments of index 512 with a 47-byte header. The layout is ExifTool's (FlashPix.pm,
``ProcessFPXR``): after "FPXR\\0", a version byte and a type byte; type 1 holds a 16-bit
entry count, then per entry a 32-bit size, a default byte and a NUL-terminated UTF-16LE
path starting with "/" (and a 16-byte class id when the size is 0xFFFFFFFF: a storage, not a
stream); type 2 holds a 16-bit entry index and a 32-bit offset into that stream, then data.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

FPXR_HEADER = b"FPXR\x00"
MAX_ENTRIES = 256
MAX_STREAM_BYTES = 16 << 20
_STORAGE = 0xFFFFFFFF
_FUJI_INDEX = 512
_FUJI_HEADER = 47
_SOI = b"\xff\xd8\xff"


def preview_jpegs(payloads: Iterable[bytes]) -> list[bytes]:
    """The preview JPEGs of a JPEG's FPXR segment payloads (each from "FPXR\\0" on)."""
    names: list[tuple[str, int]] = []
    streams: dict[int, bytearray] = {}
    fuji = bytearray()
    for payload in payloads:
        if len(payload) < 13 or not payload.startswith(FPXR_HEADER):
            continue
        kind = payload[6]
        if kind == 1:
            names, streams = _contents(payload), {}
        elif kind == 2:
            index, offset = struct.unpack_from(">HI", payload, 7)
            if index < len(names):
                _append(streams.setdefault(index, bytearray()), payload, offset)
            elif index == _FUJI_INDEX and len(fuji) < MAX_STREAM_BYTES:
                piece = payload[13 + _FUJI_HEADER :]
                if fuji or piece.startswith(_SOI):
                    fuji += piece
    out = []
    for index, stream in streams.items():
        name, size = names[index]
        if "Screen Nail" in name or name == "Preview":
            start = stream.find(_SOI, 0, 256)  # after the stream's own header
            if start >= 0:
                out.append(bytes(stream[start:size]))
    if fuji:
        out.append(bytes(fuji))
    return out


def _append(stream: bytearray, payload: bytes, offset: int) -> None:
    """A stream's first segment starts it whatever its offset says (ExifTool's convention:
    cameras do not always write 0); later ones overlap what is there by ``len - offset``."""
    if len(stream) >= MAX_STREAM_BYTES:
        return
    if not stream:
        stream += payload[13:]
        return
    overlap = len(stream) - offset
    if 0 <= overlap <= len(payload) - 13:
        stream += payload[13 + overlap :]


def _contents(payload: bytes) -> list[tuple[str, int]]:
    """(name, size) of each entry of a contents list; the path's folders are dropped."""
    (count,) = struct.unpack_from(">H", payload, 7)
    pos = 9
    out: list[tuple[str, int]] = []
    for _ in range(min(count, MAX_ENTRIES)):
        if pos + 7 > len(payload) or payload[pos + 5 : pos + 7] != b"/\x00":
            break
        (size,) = struct.unpack_from(">I", payload, pos)
        end = pos + 5
        while end + 2 <= len(payload) and payload[end : end + 2] != b"\x00\x00":
            end += 2
        if end + 2 > len(payload):
            break
        name = payload[pos + 5 : end].decode("utf-16-le", "replace").rpartition("/")[2]
        pos = end + 2 + (16 if size == _STORAGE else 0)
        out.append((name, min(size, MAX_STREAM_BYTES)))
    return out
