"""Samsung's ``sefd`` box: the SEF trailer a Galaxy phone appends to its videos, as a box.

SEF is a list of named blocks read from the end: the payload ends with the directory's length
and ``SEFT``; the directory (``SEFH``, version, count, then 12 bytes per block: type, offset
back from the directory, size) points at blocks that each hold a name (``MCC_Data``,
``Image_UTC_Data``, ``MotionPhoto_Data``...) and a value. ExifTool reads it as
``SamsungTrailer``. What it can give away: the mobile network's country (``MCC_Data``), when
it was recorded, embedded pictures and videos, and edit data. Each block is reported; the
stripper neutralises the whole box (it is top-level: nothing points into it).
"""

from __future__ import annotations

import struct

from photoscan.metadata.base import Collector
from photoscan.model import FindingKind, Severity
from photoscan.printable import decode_text

K = FindingKind
S = Severity
GROUP = "Samsung"
MAX_BLOCKS = 256
MAX_NAME = 256
# Block names whose value is a picture, a video or sound: said by name and size, not shown.
_EMBEDDED = ("Image", "Video", "Shot", "DepthMap", "Motion", "Sound", "Audio")


def read_sef(col: Collector, payload: bytes) -> None:
    """Findings for each block of one SEF payload; one finding for an unreadable one."""
    blocks = sef_blocks(payload)
    if blocks is None:
        col.add(K.TEXT, f"{GROUP}:Trailer", f"{len(payload)} bytes of Samsung data", S.LOW)
        return
    for name, value in blocks:
        _block(col, name, value)


def sef_blocks(payload: bytes) -> list[tuple[str, bytes]] | None:
    """(name, value) of every block, or ``None`` when the directory cannot be read."""
    if len(payload) < 8 or payload[-4:] != b"SEFT":
        return None
    size = struct.unpack_from("<I", payload, len(payload) - 8)[0]
    directory = len(payload) - 8 - size
    if size < 12 or directory < 0 or payload[directory : directory + 4] != b"SEFH":
        return None
    count = struct.unpack_from("<I", payload, directory + 8)[0]
    if count > MAX_BLOCKS or 12 + 12 * count > size:
        return None
    out = []
    for index in range(count):
        entry = directory + 12 + 12 * index
        back, length = struct.unpack_from("<II", payload, entry + 4)
        start = directory - back
        if back > directory or length < 8 or start + length > directory:
            return None
        name_len = struct.unpack_from("<I", payload, start + 4)[0]
        if name_len > min(MAX_NAME, length - 8):
            return None
        name = decode_text(payload[start + 8 : start + 8 + name_len])
        out.append((name, payload[start + 8 + name_len : start + length]))
    return out


def _block(col: Collector, name: str, value: bytes) -> None:
    field = f"{GROUP}:{name or 'Block'}"
    text = decode_text(value[:200]).strip() if value.isascii() else ""
    if name == "MCC_Data":
        where = f"mobile network country code {text}" if text else "mobile network country"
        col.add(K.LOCATION, field, where, S.LOW)
    elif name == "Image_UTC_Data":
        col.add(K.DATETIME, field, text or f"{len(value)} bytes", S.INFO)
    elif any(word in name for word in _EMBEDDED):
        col.add(K.THUMBNAIL, field, f"embedded data ({len(value)} bytes)", S.MEDIUM)
    else:
        col.add(K.TEXT, field, text or f"{len(value)} bytes", S.LOW)
