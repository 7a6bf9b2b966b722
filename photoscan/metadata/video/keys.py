"""QuickTime ``meta`` boxes: Apple ``mdta`` keys and iTunes-style item lists → findings.

An iPhone writes what it knows about a video as keys (``keys`` box: a numbered list of names
such as ``com.apple.quicktime.location.ISO6709``) and values (``ilst``: items whose type is the
key's number, each holding a ``data`` atom). iTunes-style lists (handler ``mdir``, also written
by FFmpeg and Android) use four-character item types (``©ART``, ``covr``) instead. Both are
found in ``moov/meta``, ``udta/meta`` and ``trak/meta``. Fields are ``Keys:<Name>`` and
``ItemList:<Name>`` as ExifTool prints them.
"""

from __future__ import annotations

import struct

from photoscan.containers.bmff import type_name
from photoscan.containers.movie import Node, handler_of
from photoscan.metadata.video import values
from photoscan.metadata.video.context import Context, add_iso6709, add_thumbnail
from photoscan.model import FindingKind, Severity
from photoscan.printable import decode_text
from photoscan.tuples import NamedTuple

K = FindingKind
S = Severity
MAX_KEYS = 4096
APPLE_PREFIX = "com.apple.quicktime."


class Tag(NamedTuple):
    name: str
    kind: FindingKind
    severity: Severity


def _t(name: str, kind: FindingKind, severity: Severity) -> Tag:
    return Tag(name, kind, severity)


# Key names without the "com.apple.quicktime." prefix, as in ExifTool's Keys table.
KEYS: dict[str, Tag] = {
    "location.ISO6709": _t("GPSCoordinates", K.LOCATION, S.HIGH),
    "location.name": _t("LocationName", K.LOCATION, S.HIGH),
    "location.body": _t("LocationBody", K.LOCATION, S.MEDIUM),
    "location.note": _t("LocationNote", K.LOCATION, S.MEDIUM),
    "location.role": _t("LocationRole", K.LOCATION, S.INFO),
    "location.date": _t("LocationDate", K.DATETIME, S.INFO),
    "location.accuracy.horizontal": _t("LocationAccuracyHorizontal", K.LOCATION, S.INFO),
    "direction.facing": _t("CameraDirection", K.LOCATION, S.LOW),
    "direction.motion": _t("CameraMotion", K.LOCATION, S.LOW),
    "author": _t("Author", K.PERSON, S.HIGH),
    "artist": _t("Artist", K.PERSON, S.HIGH),
    "displayname": _t("DisplayName", K.PERSON, S.HIGH),
    "copyright": _t("Copyright", K.PERSON, S.LOW),
    "director": _t("Director", K.PERSON, S.LOW),
    "producer": _t("Producer", K.PERSON, S.LOW),
    "publisher": _t("Publisher", K.PERSON, S.LOW),
    "title": _t("Title", K.TEXT, S.LOW),
    "description": _t("Description", K.TEXT, S.LOW),
    "comment": _t("Comment", K.TEXT, S.LOW),
    "information": _t("Information", K.TEXT, S.LOW),
    "keywords": _t("Keywords", K.TEXT, S.LOW),
    "album": _t("Album", K.TEXT, S.LOW),
    "genre": _t("Genre", K.TEXT, S.INFO),
    "collection.user": _t("UserCollection", K.TEXT, S.LOW),
    "rating.user": _t("UserRating", K.TEXT, S.INFO),
    "make": _t("Make", K.CAMERA, S.INFO),
    "model": _t("Model", K.CAMERA, S.INFO),
    "software": _t("Software", K.SOFTWARE, S.INFO),
    "encoder": _t("Encoder", K.SOFTWARE, S.INFO),
    "camera.identifier": _t("CameraIdentifier", K.CAMERA, S.INFO),
    "camera.lens_model": _t("LensModel", K.CAMERA, S.INFO),
    "creationdate": _t("CreationDate", K.DATETIME, S.INFO),
    "year": _t("Year", K.DATETIME, S.INFO),
    "content.identifier": _t("ContentIdentifier", K.DEVICE, S.LOW),
    "com.android.version": _t("AndroidVersion", K.SOFTWARE, S.INFO),
    "com.android.manufacturer": _t("AndroidMake", K.CAMERA, S.INFO),
    "com.android.model": _t("AndroidModel", K.CAMERA, S.INFO),
    "samsung.android.utc_offset": _t("AndroidTimeZone", K.DATETIME, S.INFO),
    "xiaomi.exifInfo.videoinfo": _t("XiaomiExifInfo", K.CAMERA, S.INFO),
}
HARMLESS_KEYS = frozenset(
    {
        "com.android.capture.fps",
        "full-frame-rate-playback-intent",
        "live-photo.auto",
        "live-photo.vitality-score",
        "live-photo.vitality-scoring-version",
        "apple.photos.variation-identifier",
        "major_brand",
        "minor_version",
        "compatible_brands",
    }
)

# iTunes-style items (handler "mdir") by atom type, as in ExifTool's ItemList table.
ITEMS: dict[bytes, Tag] = {
    b"\xa9ART": _t("Artist", K.PERSON, S.HIGH),
    b"aART": _t("AlbumArtist", K.PERSON, S.MEDIUM),
    b"\xa9aut": _t("Author", K.PERSON, S.HIGH),
    b"ownr": _t("Owner", K.PERSON, S.HIGH),
    b"apID": _t("AppleStoreAccount", K.PERSON, S.HIGH),
    b"\xa9wrt": _t("Composer", K.PERSON, S.LOW),
    b"cprt": _t("Copyright", K.PERSON, S.LOW),
    b"\xa9cpy": _t("Copyright", K.PERSON, S.LOW),
    b"\xa9nam": _t("Title", K.TEXT, S.LOW),
    b"\xa9cmt": _t("Comment", K.TEXT, S.LOW),
    b"desc": _t("Description", K.TEXT, S.LOW),
    b"\xa9des": _t("Description", K.TEXT, S.LOW),
    b"ldes": _t("LongDescription", K.TEXT, S.LOW),
    b"\xa9lyr": _t("Lyrics", K.TEXT, S.LOW),
    b"\xa9alb": _t("Album", K.TEXT, S.LOW),
    b"\xa9grp": _t("Grouping", K.TEXT, S.LOW),
    b"keyw": _t("Keyword", K.TEXT, S.LOW),
    b"\xa9gen": _t("Genre", K.TEXT, S.INFO),
    b"\xa9day": _t("ContentCreateDate", K.DATETIME, S.INFO),
    b"purd": _t("PurchaseDate", K.DATETIME, S.INFO),
    b"\xa9too": _t("Encoder", K.SOFTWARE, S.INFO),
    b"\xa9swr": _t("SoftwareVersion", K.SOFTWARE, S.INFO),
    b"\xa9mak": _t("Make", K.CAMERA, S.INFO),
    b"\xa9mod": _t("Model", K.CAMERA, S.INFO),
}
HARMLESS_ITEMS = frozenset(
    {b"trkn", b"disk", b"tmpo", b"cpil", b"pgap", b"stik", b"rtng", b"gnre", b"hdvd",
     b"pcst", b"tves", b"tvsn", b"akID", b"sfID", b"cnID", b"atID", b"plID", b"geID",
     b"free"}
)  # fmt: skip


def read_meta(ctx: Context, meta: Node) -> None:
    """One ``meta`` box: Apple keys when its handler is ``mdta``, else an iTunes list."""
    hdlr = meta.child(b"hdlr")
    handler = handler_of(ctx.layout, hdlr.box if hdlr else None)
    ilst = meta.child(b"ilst")
    if ilst is None:
        return
    keys_node = meta.child(b"keys")
    if handler == b"mdta" or keys_node is not None:
        names = key_names(ctx, keys_node) if keys_node is not None else []
        for item in ilst.kids:
            index = int.from_bytes(item.box.type, "big")
            name = names[index - 1] if 1 <= index <= len(names) else ""
            _key_item(ctx, name, item)
        return
    for item in ilst.kids:
        _itunes_item(ctx, item)


def key_names(ctx: Context, keys: Node) -> list[str]:
    """The names of a ``keys`` box, in order (item type N means name N)."""
    data = ctx.layout.payload(keys.box)
    if len(data) < 8:
        return []
    count = min(struct.unpack_from(">I", data, 4)[0], MAX_KEYS)
    names = []
    pos = 8
    for _ in range(count):
        if pos + 8 > len(data):
            ctx.col.warn("the list of metadata keys is truncated")
            break
        size = struct.unpack_from(">I", data, pos)[0]
        if size < 8 or pos + size > len(data):
            ctx.col.warn("the list of metadata keys is damaged")
            break
        names.append(decode_text(data[pos + 8 : pos + size]))
        pos += size
    return names


def short_key(name: str) -> str:
    return name[len(APPLE_PREFIX) :] if name.startswith(APPLE_PREFIX) else name


def is_location_key(name: str) -> bool:
    short = short_key(name)
    return short.startswith("location.") or short.startswith("direction.") or "gps" in short


def _values(ctx: Context, item: Node) -> list[tuple[int, bytes, int]]:
    """(type, value, offset of the value in the file) of each ``data`` atom of an item."""
    out = []
    for atom in item.children(b"data"):
        parsed = values.data_value(ctx.layout.payload(atom.box))
        if parsed is not None:
            out.append((parsed[0], parsed[1], atom.box.body + 8))
    return out


def _key_item(ctx: Context, name: str, item: Node) -> None:
    short = short_key(name)
    if short in HARMLESS_KEYS or not name:
        return
    tag = KEYS.get(short)
    field = f"Keys:{tag.name if tag else _camel(short)}"
    for kind, value, offset in _values(ctx, item):
        if short == "location.ISO6709":
            add_iso6709(ctx.col, field, value)
            continue
        if short == "artwork" or kind in (13, 14, 27):
            add_thumbnail(ctx, "Keys:Artwork" if short == "artwork" else field, offset, value)
            continue
        text = values.data_text(kind, value)
        if text is None or not text.strip():
            continue
        if tag is not None:
            ctx.col.add(tag.kind, field, text, tag.severity)
        else:
            unknown = K.LOCATION if is_location_key(name) else K.TEXT
            ctx.col.add(unknown, field, text, S.INFO)


def _itunes_item(ctx: Context, item: Node) -> None:
    kind = item.box.type
    if kind in HARMLESS_ITEMS:
        return
    if kind == b"----":
        _custom_item(ctx, item)
        return
    for data_kind, value, offset in _values(ctx, item):
        if kind == b"covr" or data_kind in (13, 14, 27):
            add_thumbnail(ctx, "ItemList:CoverArt", offset, value)
            continue
        if kind == b"\xa9xyz":
            add_iso6709(ctx.col, "ItemList:GPSCoordinates", value)
            continue
        text = values.data_text(data_kind, value)
        if text is None or not text.strip():
            continue
        tag = ITEMS.get(kind)
        if tag is not None:
            ctx.col.add(tag.kind, f"ItemList:{tag.name}", text, tag.severity)
        else:
            ctx.col.add(K.TEXT, f"ItemList:{type_name(kind)}", text, S.INFO)


def _custom_item(ctx: Context, item: Node) -> None:
    """iTunes ``----`` items: ``mean`` (a reverse domain), ``name``, then the value."""
    name_atom = item.child(b"name")
    name = ""
    if name_atom is not None:
        name = decode_text(ctx.layout.payload(name_atom.box)[4:200])
    for data_kind, value, _offset in _values(ctx, item):
        text = values.data_text(data_kind, value)
        if text and text.strip():
            ctx.col.add(K.TEXT, f"iTunes:{_camel(name) or 'Custom'}", text, S.INFO)


def _camel(name: str) -> str:
    """``location.accuracy.horizontal`` → ``LocationAccuracyHorizontal`` (ExifTool's style)."""
    parts = [p for p in name.replace("-", ".").replace("_", ".").split(".") if p]
    return "".join(p[:1].upper() + p[1:] for p in parts)[:60]
