"""Strip an AVI losslessly: metadata chunks retyped ``JUNK`` and zeroed where they are.

Every AVI reader skips ``JUNK``: retyping a metadata chunk (``LIST INFO``, ``IDIT``,
``_PMX`` XMP, maker lists, maker stream data, stale ``JUNK`` text) as ``JUNK`` and zeroing
its payload removes it without moving a byte, so the frame index (``idx1``/``indx``) stays
valid. ``--only location`` rewrites the XMP packet to the same length without location.
"""

from __future__ import annotations

from photoscan.containers.bmff import Reader
from photoscan.containers.riff import AviChunk, avi_chunks
from photoscan.containers.samples import Extent
from photoscan.metadata.video.avi import JUNK, MAKER_LISTS, chunk_payload, maker_stream_data
from photoscan.model import ImageFormat
from photoscan.strip.location import xmp_without_location
from photoscan.strip.types import StripOptions
from photoscan.strip.videoplan import Patch, VideoStripPlan, make_plan


def plan_avi(reader: Reader, name: str, options: StripOptions) -> VideoStripPlan:
    """Retype metadata chunks ``JUNK`` and zero them (location only: rewrite XMP)."""
    chunks = avi_chunks(reader, name)
    size = reader.size
    patches: list[Patch] = []
    zero: list[Extent] = []
    blocks: list[str] = []
    removed: list[Extent] = []
    for chunk in chunks:
        if chunk.end > size or any(r.offset <= chunk.start < r.end for r in removed):
            continue  # cut short, or inside a list already removed whole
        label = chunk.kind.decode("latin-1")
        if chunk.kind == b"_PMX" and options.only_location:
            payload = chunk_payload(reader, chunk)
            new = _same_size_xmp(payload)
            if new is not None:
                patches.append(Patch(chunk.body, new))
                blocks.append("XMP location")
            continue
        if options.only_location:
            continue
        if _removable(chunk, reader, options):
            _neutralise(chunk, patches, zero)
            removed.append(Extent(chunk.start, chunk.end - chunk.start))
            blocks.append(f"LIST {label}" if chunk.is_list else label)
    return make_plan(ImageFormat.AVI, size, patches, zero, blocks, name)


def _removable(chunk: AviChunk, reader: Reader, options: StripOptions) -> bool:
    kind = chunk.kind
    if chunk.is_list:
        if kind == b"INFO":
            return not options.keep_datetime
        return kind in MAKER_LISTS
    if chunk.parent == b"INFO":
        return options.keep_datetime and kind != b"ICRD"
    if kind == b"IDIT":
        return not options.keep_datetime
    if kind == b"_PMX":
        return True
    if kind == b"strd":
        return maker_stream_data(chunk_payload(reader, chunk))
    if kind == JUNK:
        return bool(chunk_payload(reader, chunk).strip(b"\0"))
    return False


def _neutralise(chunk: AviChunk, patches: list[Patch], zero: list[Extent]) -> None:
    if chunk.kind != JUNK or chunk.is_list:
        patches.append(Patch(chunk.start, JUNK))
    zero.append(Extent(chunk.start + 8, chunk.size))


def _same_size_xmp(payload: bytes) -> bytes | None:
    try:
        new = xmp_without_location(payload)
    except ValueError:
        return bytes(len(payload))
    if new is None:
        return None
    if len(new) > len(payload):
        return bytes(len(payload))
    return new + b" " * (len(payload) - len(new))
