"""The marker segments of a JPEG header, up to the start of scan, as (marker, start, end).

Several readers need a quick look at the segments (where EXIF starts, the SOF size, the
JFXX/MPF/Photoshop thumbnails) without the container reader's full parse. Lengths come
from the file, so the walk stops at the first segment that does not fit.
"""

from __future__ import annotations

from collections.abc import Iterator

MAX_SEGMENTS = 4096


def jpeg_segments(data: bytes) -> Iterator[tuple[int, int, int]]:
    """(marker, body start, body end) of each segment before SOS; nothing for non-JPEG."""
    if data[:2] != b"\xff\xd8":
        return
    pos, end = 2, len(data)
    for _ in range(MAX_SEGMENTS):
        if pos + 4 > end or data[pos] != 0xFF:
            return
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length field
            pos += 2
            continue
        if marker in (0xDA, 0xD9):  # start of scan / end of image
            return
        length = (data[pos + 2] << 8) | data[pos + 3]
        if length < 2 or pos + 2 + length > end:
            return
        yield marker, pos + 4, pos + 2 + length
        pos += 2 + length
