"""MP4/MOV/M4V/3GP/3G2 → ``VideoExtraction``: every place a phone or camera hides metadata.

Reads the top level by headers, ``moov`` in memory (``containers.movie``), then: movie,
track and media header dates; ``udta`` atoms (``udta``); ``meta`` keys and item lists
(``keys``); XMP from ``udta/XMP_`` and the XMP ``uuid`` box (handed to photoscan's XMP
reader); vendor ``uuid`` boxes; and timed-metadata tracks (``timed``). Only the first
samples of timed-metadata tracks are read from the media data; picture and sound are never
touched.
"""

from __future__ import annotations

from photoscan.containers.bmff import Box, Reader, walk
from photoscan.containers.movie import (
    Layout,
    Node,
    handler_of,
    header_times,
    read_layout,
    rotation,
    track_geometry,
    track_id,
)
from photoscan.containers.samples import chunk_extents
from photoscan.errors import CorruptFile, UnsupportedFormat
from photoscan.metadata.base import Collector
from photoscan.metadata.video import timed, values
from photoscan.metadata.video.context import Context
from photoscan.metadata.video.keys import read_meta
from photoscan.metadata.video.samsung import read_sef
from photoscan.metadata.video.types import ThumbnailInfo, TrackInfo, VideoExtraction
from photoscan.metadata.video.udta import read_udta
from photoscan.model import FindingKind, ImageFormat, Severity
from photoscan.printable import decode_text
from photoscan.source.sniff import brand_format
from photoscan.tuples import NamedTuple

K = FindingKind
S = Severity
XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")
MAX_XMP_BYTES = 16 * 1024 * 1024
SAMSUNG_BOX = b"sefd"  # Samsung's SEF trailer as a top-level box (metadata.video.samsung)
# Vendor uuid boxes that carry metadata (ExifTool's QuickTime tables); others are kept as they
# are by the stripper and not reported.
METADATA_UUIDS: dict[bytes, str] = {
    XMP_UUID: "XMP",
    bytes.fromhex("5553 4d54 21d2 4fce bb88 695c fac9 c740"): "UUID-USMT",
    bytes.fromhex("85c0 b687 820f 11e0 8111 f4ce 462b 6a48"): "UUID-Canon",
    bytes.fromhex("9b63 0f8d 6374 40ec 8204 bc5f f509 1728"): "GarminGPS",
    bytes.fromhex("656e 6369 a88c 11d4 8197 0090 2708 7703"): "EncoderInfo",  # KDDI "enci"
    bytes.fromhex("6d76 6d6c a88c 11d4 8197 0090 2708 7703"): "MovieInfo",  # KDDI "mvml"
    bytes.fromhex("6370 6764 a88c 11d4 8197 0090 2708 7703"): "CopyGuard",  # KDDI "cpgd"
}
# Who wrote a track (hdlr manufacturer, sample description vendor): ExifTool's vendor names.
VENDORS: dict[bytes, str] = {
    b"appl": "Apple",
    b"FFMP": "FFmpeg",
    b"GIC ": "General Imaging Co.",
    b"kdak": "Kodak",
    b" KD ": "Kodak",
    b"KMPI": "Konica-Minolta",
    b"leic": "Leica",
    b"mino": "Minolta",
    b"niko": "Nikon",
    b"NIKO": "Nikon",
    b"olym": "Olympus",
    b"fe20": "Olympus",
    b"pr01": "Olympus",
    b"pana": "Panasonic",
    b"pent": "Pentax",
    b"sany": "Sanyo",
    b"SMI ": "Sorenson Media Inc.",
    b"ZORA": "Zoran Corporation",
    b"AR.D": "Parrot AR.Drone",
}
TIMED_HANDLERS = frozenset({b"meta", b"camm"})
TIMED_CODECS = frozenset({b"mebx", b"gpmd", b"camm", b"rtmd", b"gps "})
MAX_TIMED_KEYS = 64


class TrackParts(NamedTuple):
    """The boxes of one ``trak`` the reader and the stripper both need."""

    trak: Node
    track_id: int
    handler: bytes
    codec: bytes
    keys: tuple[str, ...]
    timed: bool
    vendors: tuple[tuple[int, str], ...]  # (file offset of a 4-byte vendor code, field name)


def track_parts(layout: Layout, trak: Node) -> TrackParts:
    tkhd = trak.child(b"tkhd")
    mdia = trak.child(b"mdia")
    hdlr = mdia.child(b"hdlr") if mdia else None
    stsd = trak.path(b"mdia", b"minf", b"stbl", b"stsd")
    codec: bytes = b""
    keys: tuple[str, ...] = ()
    if stsd is not None:
        codec, keys = _sample_entry(layout, stsd.box)
    handler = handler_of(layout, hdlr.box if hdlr else None)
    timed_track = handler in TIMED_HANDLERS or codec in TIMED_CODECS
    tid = track_id(layout, tkhd.box) if tkhd else 0
    vendors = _vendor_fields(trak, stsd, handler)
    return TrackParts(trak, tid, handler, codec, keys, timed_track, vendors)


def _vendor_fields(trak: Node, stsd: Node | None, handler: bytes) -> tuple[tuple[int, str], ...]:
    """Where the manufacturer codes of a track are: each ``hdlr`` (after version, component
    type and subtype) and, for picture and sound, the first sample description."""
    found = []
    for path in ((b"mdia", b"hdlr"), (b"mdia", b"minf", b"hdlr")):
        hdlr = trak.path(*path)
        if hdlr is not None and hdlr.box.payload_size >= 16:
            found.append((hdlr.box.body + 12, "HandlerVendorID"))
    if stsd is not None and handler in (b"vide", b"soun") and stsd.box.payload_size >= 8 + 20:
        found.append((stsd.box.body + 8 + 20, "VendorID"))
    return tuple(found)


def vendor_code(layout: Layout, offset: int) -> bytes:
    base = layout.moov.box.start
    return layout.moov_data[offset - base : offset - base + 4]


def _sample_entry(layout: Layout, stsd: Box) -> tuple[bytes, tuple[str, ...]]:
    """The first sample entry's type and, for ``mebx``, the names of its keys."""
    data = layout.payload(stsd)
    if len(data) < 16:
        return b"", ()
    codec = data[12:16]
    if codec != b"mebx":
        return codec, ()
    memory, what = layout.moov_reader(), layout.name
    entry = next(walk(memory, stsd.body + 8, stsd.end, what=what), None)
    names: list[str] = []
    if entry is None:
        return codec, ()
    for box in walk(memory, entry.body + 8, entry.end, what=what):
        if box.type != b"keys":
            continue
        for key in walk(memory, box.body, box.end, what=what):
            for part in walk(memory, key.body, key.end, what=what):
                if part.type == b"keyd":
                    names.append(decode_text(layout.payload(part)[4:256]))
                if len(names) >= MAX_TIMED_KEYS:
                    return codec, tuple(names)
    return codec, tuple(names)


def read_bmff(reader: Reader, name: str) -> VideoExtraction:
    """Everything the metadata of an MP4-family file gives away. Raises ``CorruptFile``
    naming the file when its structure is broken."""
    return read_movie(read_layout(reader, name), reader)


def container_of(layout: Layout) -> ImageFormat:
    """The container a layout's ``ftyp`` names (MOV without one); ``UnsupportedFormat`` for
    an image brand."""
    container = brand_format(layout.brand, layout.compatible) if layout.brand else ImageFormat.MOV
    if container is None:
        raise UnsupportedFormat(f"{layout.name}: an image in an ISO box file, not a video")
    return container


def read_movie(
    layout: Layout, reader: Reader, parts: dict[int, TrackParts] | None = None
) -> VideoExtraction:
    """``read_bmff`` of a layout already read (a strip reads a file's layout once, for its
    findings and its plan); ``reader`` reads the file's timed-metadata samples. ``parts``
    gets each track's ``track_parts`` by the offset of its ``trak`` (the planner's, then)."""
    container = container_of(layout)
    col = Collector(container)
    ctx = Context(layout, col, [], [])
    if layout.truncated:
        col.warn(f"the file is cut short after the movie box ({layout.truncated})")
    for _offset, reason in layout.damaged:
        col.warn(f"a metadata box could not be read whole ({reason})")
    _top_level(ctx, reader)
    duration = _movie_header(ctx)
    _metadata_boxes(ctx, layout.moov)
    movie_dates = _movie_dates(layout)  # once: every track's dates are compared with them
    known = {} if parts is None else parts
    tracks = [
        _track(ctx, reader, trak, movie_dates, known) for trak in layout.moov.children(b"trak")
    ]
    for packet in ctx.xmp:
        values.read_xmp_packet(packet, col)
    video = next((t for t in tracks if t.handler == "vide" and t.width), None)
    if video is not None and video.width and video.height:
        turned = video.rotation in (90, 270)
        col.width, col.height = (
            (video.height, video.width) if turned else (video.width, video.height)
        )
    return VideoExtraction(
        col.build(),
        container,
        duration,
        tuple(tracks),
        tuple(ctx.thumbnails),
        video.rotation if video else 0,
    )


def _metadata_boxes(ctx: Context, parent: Node) -> None:
    """The user data, metadata and vendor uuid boxes of the movie or of one track."""
    for node in parent.kids:
        if node.type == b"udta":
            read_udta(ctx, node)
        elif node.type == b"meta":
            read_meta(ctx, node)
        elif node.type == b"uuid":
            _uuid(ctx, node.box, ctx.layout.payload(node.box))


def _top_level(ctx: Context, reader: Reader) -> None:
    for box in ctx.layout.top:
        if box.type == b"uuid" and box.uuid in METADATA_UUIDS:
            if box.payload_size > MAX_XMP_BYTES:
                ctx.col.warn(f"a {METADATA_UUIDS[box.uuid]} box is too large to read")
                continue
            _uuid(ctx, box, reader.read_at(box.body, box.payload_size))
        elif box.type == SAMSUNG_BOX and box.payload_size <= MAX_XMP_BYTES:
            read_sef(ctx.col, reader.read_at(box.body, box.payload_size))
        elif box.type in (b"udta", b"meta", SAMSUNG_BOX) and box.payload_size > 8:
            # Outside moov: rare, not walked, but reported (and removed by a strip).
            ctx.col.add(
                K.TEXT,
                f"QuickTime:{box.name}",
                f"{box.payload_size} bytes of metadata outside the movie box",
                S.LOW,
            )


def _uuid(ctx: Context, box: Box, payload: bytes) -> None:
    label = METADATA_UUIDS.get(box.uuid or b"")
    if label is None or not payload.strip(b"\0"):
        return
    if label == "XMP":
        ctx.xmp.append(payload)
        return
    runs = values.printable_runs(payload, minimum=4, limit=3)
    if runs:
        ctx.col.add(K.CAMERA, f"QuickTime:{label}", " ".join(runs), S.INFO)


def _movie_header(ctx: Context) -> float | None:
    mvhd = ctx.layout.moov.child(b"mvhd")
    if mvhd is None:
        ctx.col.warn("the movie has no header (mvhd)")
        return None
    times = header_times(ctx.layout, mvhd.box)
    if times is None:
        return None
    _dates(ctx.col, "QuickTime", "", times.created, times.modified, ())
    if times.timescale:
        return round(times.duration / times.timescale, 3)
    return None


def _dates(
    col: Collector, group: str, prefix: str, created: int, modified: int, seen: tuple[str, ...]
) -> tuple[str, ...]:
    out = []
    for label, seconds in (("CreateDate", created), ("ModifyDate", modified)):
        text = values.qt_date(seconds)
        if text is None:
            continue
        out.append(text)
        if text not in seen:
            col.add(K.DATETIME, f"{group}:{prefix}{label}", text, S.INFO)
    return tuple(out)


def _track(
    ctx: Context,
    reader: Reader,
    trak: Node,
    movie_dates: tuple[str, ...],
    known: dict[int, TrackParts],
) -> TrackInfo:
    layout = ctx.layout
    parts = known[trak.box.start] = track_parts(layout, trak)
    group = f"Track{parts.track_id}"
    tkhd = trak.child(b"tkhd")
    width = height = None
    turn = 0
    if tkhd is not None:
        times = header_times(layout, tkhd.box)
        if times is not None:
            _dates(ctx.col, group, "Track", times.created, times.modified, movie_dates)
        geometry = track_geometry(layout, tkhd.box)
        if geometry is not None:
            matrix, w, h = geometry
            turn = rotation(matrix)
            width, height = (round(w) or None), (round(h) or None)
    mdhd = trak.path(b"mdia", b"mdhd")
    duration = None
    if mdhd is not None:
        times = header_times(layout, mdhd.box)
        if times is not None:
            _dates(ctx.col, group, "Media", times.created, times.modified, movie_dates)
            if times.timescale:
                duration = round(times.duration / times.timescale, 3)
    _metadata_boxes(ctx, trak)
    for offset, field in parts.vendors:
        code = vendor_code(layout, offset)
        if code.strip(b"\0 "):
            who = VENDORS.get(code, code.decode("latin-1"))
            ctx.col.add(K.CAMERA, f"{group}:{field}", who, S.INFO)
    if parts.timed:
        stbl = trak.path(b"mdia", b"minf", b"stbl")
        try:
            extents = chunk_extents(layout, stbl) if stbl is not None else []
        except CorruptFile as exc:
            ctx.col.warn(f"timed metadata track {parts.track_id}: {exc}")
            extents = []
        data = timed.probe(reader, extents)
        codec = parts.codec.decode("latin-1").strip()
        timed.describe(ctx.col, f"{group}:MetaFormat", codec, parts.keys, data)
    return TrackInfo(
        parts.track_id,
        parts.handler.decode("latin-1"),
        parts.codec.decode("latin-1"),
        width,
        height,
        duration,
        turn,
        parts.timed,
        parts.keys,
    )


def _movie_dates(layout: Layout) -> tuple[str, ...]:
    mvhd = layout.moov.child(b"mvhd")
    times = header_times(layout, mvhd.box) if mvhd else None
    if times is None:
        return ()
    return tuple(t for t in (values.qt_date(times.created), values.qt_date(times.modified)) if t)


__all__ = ["METADATA_UUIDS", "SAMSUNG_BOX", "XMP_UUID", "ThumbnailInfo", "read_bmff", "track_parts"]
