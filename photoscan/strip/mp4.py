"""Plan a lossless strip of an MP4/MOV/M4V/3GP/3G2 file: neutralise boxes where they are.

A box is neutralised by retyping it ``free`` and zeroing its payload (its size field stays,
so no parent size and no chunk offset changes; every player skips ``free``). What goes:

* full strip: ``udta``, ``meta`` and metadata ``uuid`` boxes at movie and track level and at
  the top level (with Samsung's ``sefd``: ``strip.mp4top``); the sample data of
  timed-metadata tracks (faces, GPS, sensors: zeroed in ``mdat``, the track itself stays so
  every offset still holds); the stale bytes of ``free`` boxes inside ``moov``; and the
  creation/modification times of ``mvhd``/``tkhd``/``mdhd`` unless the dates are kept;
* ``--only location``: the location atoms (``©xyz``, ``loci``), location keys, XMP location
  properties (the packet rewritten to the same length, or neutralised whole when it cannot
  be), and the samples of timed tracks that may hold GPS.

Everything else survives byte for byte: edit lists, display matrix, ``tapt``/``sdtp``/
``cslg``/``hvc1`` and unknown boxes, and every audio and video sample. The plan refuses a
file where zeroing metadata samples could touch picture or sound (overlapping extents, samples
inside ``moov``) and fragmented files with timed metadata (their samples are described in
``moof`` boxes this planner does not rewrite).
"""

from __future__ import annotations

from photoscan.containers.bmff import Box, Reader
from photoscan.containers.movie import Layout, Node, header_times, read_layout
from photoscan.containers.samples import (
    Extent,
    chunk_extents,
    chunk_tables,
    merged,
    overlaps,
    spans_of,
)
from photoscan.errors import UnsupportedFormat
from photoscan.metadata.base import Collector
from photoscan.metadata.video.context import Context
from photoscan.metadata.video.keys import is_location_key, key_names
from photoscan.metadata.video.quicktime import (
    METADATA_UUIDS,
    XMP_UUID,
    TrackParts,
    container_of,
    track_parts,
)
from photoscan.metadata.video.udta import GPS_ATOMS
from photoscan.model import ImageFormat
from photoscan.strip.mp4top import FREE, GPS_UUIDS, plan_top_level, xmp_same_size
from photoscan.strip.types import Refused, StripOptions
from photoscan.strip.videoplan import Patch, VideoStripPlan, make_plan

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from photoscan.containers.samples import Tables

_GPS_CODECS = frozenset({b"gpmd", b"camm", b"gps "})


class _Media:
    """Where the picture and sound chunks lie (never touched): ``spans`` of the tracks with
    a chunk before the movie box's end, ``later`` the checked tables of those whose chunks
    all start after it — they cannot reach into it, so they only matter (and their chunks
    are only listed) when a metadata track's samples are to be zeroed."""

    __slots__ = ("later", "spans")

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []
        self.later: list[Tables] = []


class _Moov:
    """The moov copy being patched, with the names of what was neutralised."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.base = layout.moov.box.start
        self.data = bytearray(layout.moov_data)
        self.blocks: list[str] = []

    def neutralise(self, box: Box, label: str) -> None:
        start = box.start - self.base
        self.data[start + 4 : start + 8] = FREE
        keep = box.size_field
        self.data[start + keep : box.end - self.base] = bytes(box.size - keep)
        self.blocks.append(label)

    def replace_payload(self, box: Box, payload: bytes, label: str) -> None:
        start = box.body - self.base
        assert len(payload) == box.end - box.body
        self.data[start : start + len(payload)] = payload
        self.blocks.append(label)

    def zero_times(self, box: Box) -> None:
        times = header_times(self.layout, box)
        if times is None or not (times.created or times.modified):
            return
        start = times.created_at - self.base
        self.data[start : start + 2 * times.width] = bytes(2 * times.width)
        self.blocks.append(f"{box.type.decode('latin-1')} dates")

    def zero_at(self, offset: int, length: int, label: str) -> None:
        start = offset - self.base
        if any(self.data[start : start + length]):
            self.data[start : start + length] = bytes(length)
            self.blocks.append(label)

    def wipe_free(self, box: Box) -> None:
        start, end = box.body - self.base, box.end - self.base
        if any(self.data[start:end]):
            self.data[start:end] = bytes(end - start)


def plan_bmff(reader: Reader, name: str, options: StripOptions) -> VideoStripPlan:
    """The patches that strip the file ``reader`` reads. Raises ``Refused`` (with a
    reason) or ``CorruptFile``."""
    return plan_movie(read_layout(reader, name), reader, options)


def plan_movie(
    layout: Layout,
    reader: Reader,
    options: StripOptions,
    *,
    media: bool = True,
    parts: dict[int, TrackParts] | None = None,
) -> VideoStripPlan:
    """``plan_bmff`` of a layout already read (its findings were read from it too: ``parts``
    holds its tracks' ``track_parts`` then, by ``trak`` offset, as ``read_movie`` left them).

    ``media=False`` leaves out where the picture and sound samples lie (every chunk of every
    track, most of a plan's work): for a read-back of a file this planner has planned
    before, whose sample tables its patches never change, so they lie where they were
    checked to lie (clear of the zeroed samples and of ``moov``)."""
    try:
        container = container_of(layout)
    except UnsupportedFormat:
        raise Refused("an image in an ISO box file, not a video") from None
    moov = _Moov(layout)
    zero: list[Extent] = []
    top_patches: list[Patch] = []
    plan_top_level(layout, reader, options, top_patches, zero, moov.blocks)
    _movie(moov, layout.moov, options)
    samples = _Media() if media else None
    for trak in layout.moov.children(b"trak"):
        known = parts.get(trak.box.start) if parts else None
        _track(moov, trak, known or track_parts(layout, trak), options, zero, samples, reader)
    _check_extents(layout, zero, samples or _Media())
    patches = list(top_patches)
    if moov.data != layout.moov_data:  # a bytearray compares with bytes as it is
        patches.append(Patch(moov.base, bytes(moov.data)))
    return make_plan(container, layout.size, patches, zero, moov.blocks, layout.name)


def _movie(moov: _Moov, node: Node, options: StripOptions) -> None:
    _metadata_children(moov, node, options, "movie")
    if not options.only_location and not options.keep_datetime:
        mvhd = node.child(b"mvhd")
        if mvhd is not None:
            moov.zero_times(mvhd.box)
    if not options.only_location:
        for box in moov.layout.frees:  # every free box of the tree: the tracks' too
            moov.wipe_free(box)


def _metadata_children(moov: _Moov, node: Node, options: StripOptions, where: str) -> None:
    for kid in node.kids:
        if kid.type == b"udta":
            if options.only_location:
                _udta_location(moov, kid, where)
            else:
                moov.neutralise(kid.box, f"{where} udta")
        elif kid.type == b"meta":
            if options.only_location:
                _meta_location(moov, kid, where)
            else:
                moov.neutralise(kid.box, f"{where} meta")
        elif kid.type == b"uuid" and kid.box.uuid in METADATA_UUIDS:
            if kid.box.uuid == XMP_UUID and options.only_location:
                _xmp_location(moov, kid.box, f"{where} XMP")
            elif not options.only_location or kid.box.uuid in GPS_UUIDS:
                moov.neutralise(kid.box, f"{where} uuid {METADATA_UUIDS[kid.box.uuid]}")


def _udta_location(moov: _Moov, udta: Node, where: str) -> None:
    for kid in udta.kids:
        if kid.type in GPS_ATOMS:
            moov.neutralise(kid.box, f"{where} udta {kid.box.name}")
        elif kid.type == b"XMP_":
            _xmp_location(moov, kid.box, f"{where} XMP")
        elif kid.type == b"meta":
            _meta_location(moov, kid, where)
    if moov.layout.is_damaged(udta.box):
        moov.neutralise(udta.box, f"{where} udta (damaged)")


def _meta_location(moov: _Moov, meta: Node, where: str) -> None:
    if moov.layout.is_damaged(meta.box):
        moov.neutralise(meta.box, f"{where} meta (damaged)")
        return
    ilst = meta.child(b"ilst")
    if ilst is None:
        return
    if moov.layout.is_damaged(ilst.box):
        moov.neutralise(meta.box, f"{where} meta (damaged)")
        return
    keys = meta.child(b"keys")
    if keys is not None:
        ctx = Context(moov.layout, Collector(ImageFormat.MP4), [], [])
        names = key_names(ctx, keys)
        for item in ilst.kids:
            index = int.from_bytes(item.box.type, "big")
            if 1 <= index <= len(names) and is_location_key(names[index - 1]):
                moov.neutralise(item.box, f"{where} location key")
        return
    for item in ilst.kids:
        if item.type == b"\xa9xyz":
            moov.neutralise(item.box, f"{where} item list ©xyz")


def _xmp_location(moov: _Moov, box: Box, label: str) -> None:
    payload = moov.layout.payload(box)
    new = xmp_same_size(payload)
    if new is None:
        return
    if new == b"":
        moov.neutralise(box, label)
    else:
        moov.replace_payload(box, new, label + " location")


def _track(
    moov: _Moov,
    trak: Node,
    parts: TrackParts,
    options: StripOptions,
    zero: list[Extent],
    media: _Media | None,
    reader: Reader,
) -> None:
    """Plan one track; its picture or sound samples go to ``media`` (``None``: not
    wanted, see ``plan_movie``)."""
    layout = moov.layout
    where = f"track {parts.track_id}"
    _metadata_children(moov, trak, options, where)
    if not options.only_location and not options.keep_datetime:
        for path in ((b"tkhd",), (b"mdia", b"mdhd")):
            node = trak.path(*path)
            if node is not None:
                moov.zero_times(node.box)
    if not options.only_location:  # its free boxes were wiped with the movie's (_movie)
        for offset, _field in parts.vendors:
            moov.zero_at(offset, 4, "vendor codes")
    stbl = trak.path(b"mdia", b"minf", b"stbl")
    wanted = parts.timed and (
        not options.only_location or _may_hold_location(parts.codec, parts.keys)
    )
    if not wanted:
        if media is not None and stbl is not None:  # picture, sound, kept metadata: untouched
            tables = chunk_tables(layout, stbl)  # checked now, in track order, as before
            if tables is not None and min(tables[0]) >= layout.moov.box.end:
                media.later.append(tables)
            elif tables is not None:
                media.spans.extend(spans_of(tables, layout.name))
        return
    extents = chunk_extents(layout, stbl) if stbl is not None else []
    if extents and layout.fragmented:
        raise Refused(
            "this fragmented MP4 has a timed metadata track; photoscan cannot empty it "
            "without rewriting the file"
        )
    if not _any_data(reader, extents):
        return  # already empty (stripped before): nothing to write
    moov.blocks.append(f"{where} timed metadata ({parts.codec.decode('latin-1')}) samples")
    zero.extend(extents)


def _any_data(reader: Reader, extents: list[Extent]) -> bool:
    for ext in extents:
        pos = ext.offset
        while pos < ext.end:
            chunk = reader.read_at(pos, min(1 << 20, ext.end - pos))
            if not chunk:
                return False
            if chunk.strip(b"\0"):
                return True
            pos += len(chunk)
    return False


def _may_hold_location(codec: bytes, keys: tuple[str, ...]) -> bool:
    if codec == b"mebx":
        return any("location" in k.lower() or "gps" in k.lower() for k in keys)
    return True  # gpmd, camm, unknown per-frame formats: fail towards removing


def _check_extents(layout: Layout, zero: list[Extent], media: _Media) -> None:
    """Zeroing must never reach a picture or sound byte, nor the movie box itself."""
    zero_m = merged(zero)
    spans = media.spans
    if zero_m and media.later:
        spans = spans + [span for tables in media.later for span in spans_of(tables, layout.name)]
    media_m = merged(spans)
    if overlaps(zero_m, media_m):
        raise Refused(
            "the samples of a metadata track overlap picture or sound samples; photoscan "
            "will not zero them"
        )
    moov = [Extent(layout.moov.box.start, layout.moov.box.size)]
    if overlaps(zero_m, moov) or overlaps(media_m, moov):
        raise Refused("a track's samples lie inside the movie box; the file is not stripped")
    for ext in zero_m:
        if ext.end > layout.size:
            raise Refused("a metadata track's samples lie past the end of the file (truncated)")
