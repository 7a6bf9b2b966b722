"""The top level of an MP4/MOV file in a lossless strip (``strip.mp4`` plans the movie box).

Boxes beside ``moov`` and ``mdat`` that carry metadata are neutralised where they are
(retyped ``free``, the rest zeroed: nothing points into a top-level box): ``udta`` and
``meta`` (a file-level ``meta`` whose ``iloc`` places items elsewhere is refused), metadata
``uuid`` boxes (XMP, vendors), Samsung's SEF trailer (``sefd``), and the stale bytes of
``free``/``skip``. With ``--only location``: the XMP packet's location properties, GPS
``uuid`` boxes and a Samsung trailer naming the mobile network's country.
"""

from __future__ import annotations

from photoscan.containers.bmff import Box, Reader, walk
from photoscan.containers.movie import Layout
from photoscan.containers.samples import Extent
from photoscan.errors import CorruptFile
from photoscan.metadata.video.quicktime import METADATA_UUIDS, SAMSUNG_BOX, XMP_UUID
from photoscan.strip.types import Refused, StripOptions
from photoscan.strip.videoplan import Patch

FREE = b"free"
MAX_TOP_LEVEL_READ = 16 * 1024 * 1024
GPS_UUIDS = frozenset({bytes.fromhex("9b630f8d637440ec8204bc5ff5091728")})  # Garmin GPS


def plan_top_level(
    layout: Layout,
    reader: Reader,
    options: StripOptions,
    patches: list[Patch],
    zero: list[Extent],
    blocks: list[str],
) -> None:
    for box in layout.top:
        if box.type == b"uuid" and box.uuid in METADATA_UUIDS:
            label = METADATA_UUIDS[box.uuid]
            if box.uuid == XMP_UUID and options.only_location:
                payload = reader.read_at(box.body, min(box.payload_size, MAX_TOP_LEVEL_READ))
                new = xmp_same_size(payload)
                if new is None:
                    continue
                if new != b"":
                    patches.append(Patch(box.body, new))
                    blocks.append("XMP location")
                    continue
            elif options.only_location and box.uuid not in GPS_UUIDS:
                continue
            _neutralise_top(box, patches, zero)
            blocks.append(f"uuid {label}")
        elif box.type in (b"udta", b"meta") and not options.only_location:
            if box.type == b"meta" and _has_item_locations(layout, reader, box):
                raise Refused(
                    "the file-level 'meta' box places items elsewhere in the file; photoscan "
                    "cannot remove them without rewriting the file"
                )
            _neutralise_top(box, patches, zero)
            blocks.append(f"top-level {box.name}")
        elif box.type == SAMSUNG_BOX and (
            not options.only_location or _names_a_country(reader, box)
        ):
            _neutralise_top(box, patches, zero)
            blocks.append("Samsung trailer (sefd)")
        elif box.type in (FREE, b"skip") and not options.only_location and _stale(reader, box):
            zero.append(Extent(box.body, box.payload_size))
            blocks.append("stale bytes in free space")


def _names_a_country(reader: Reader, box: Box) -> bool:
    """Whether a Samsung trailer holds the mobile network's country (or is too large to
    tell: then it goes)."""
    if box.payload_size > MAX_TOP_LEVEL_READ:
        return True
    return b"MCC_Data" in reader.read_at(box.body, box.payload_size)


def _stale(reader: Reader, box: Box) -> bool:
    """A top-level ``free`` box still holding bytes (editors leave old metadata there)."""
    if not 0 < box.payload_size <= MAX_TOP_LEVEL_READ:
        return False
    return bool(reader.read_at(box.body, box.payload_size).strip(b"\0"))


def _neutralise_top(box: Box, patches: list[Patch], zero: list[Extent]) -> None:
    """Retype a top-level box and zero the rest (a uuid's extended type included)."""
    patches.append(Patch(box.start + 4, FREE))
    zero.append(Extent(box.start + box.size_field, box.size - box.size_field))


def _has_item_locations(layout: Layout, reader: Reader, box: Box) -> bool:
    """Whether a file-level ``meta`` has an ``iloc``: its items may live in ``mdat``."""
    try:
        kids = list(walk(reader, box.body + 4, box.end, what=layout.name))
    except CorruptFile:
        return True
    return any(kid.type == b"iloc" for kid in kids)


def xmp_same_size(payload: bytes) -> bytes | None:
    """The packet without location padded to its old length; b"" to drop it whole; None when
    it held no location."""
    from photoscan.strip.location import xmp_without_location  # late: --only location alone

    try:
        new = xmp_without_location(payload)
    except ValueError:
        return b""
    if new is None:
        return None
    if len(new) > len(payload):
        return b""
    return new + b" " * (len(payload) - len(new))
