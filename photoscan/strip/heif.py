"""HEIC/HEIF/AVIF: remove the Exif and XMP items without re-encoding a pixel.

In an ISO-BMFF image the metadata are items like the image tiles: an ``infe`` entry in
``iinf``, a location in ``iloc`` and a ``cdsc`` reference in ``iref``. We delete those entries,
zero the metadata bytes where they lie (``mdat`` or ``idat``), and put a ``free`` box of the
same size right after the shrunken ``meta`` box, so no other byte of the file moves and every
absolute offset in ``iloc`` stays valid. Orientation (``irot``/``imir``) and colour (``colr``)
are item properties and are untouched.

``--only location`` edits the Exif item in place (GPS IFD cut) and rewrites XMP into its own
space (or drops it when the rewrite would not fit).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass

from photoscan.errors import CorruptFile
from photoscan.strip import location, tiffio
from photoscan.strip.types import Refused, StripOptions, Stripped

MAX_ITEMS = 65536


@dataclass(frozen=True, slots=True)
class _Box:
    type: bytes
    start: int  # position of the size field
    header: int  # header length (8 or 16)
    end: int

    @property
    def body(self) -> int:
        return self.start + self.header


def _boxes(data: bytes, pos: int, end: int) -> list[_Box]:
    out = []
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:
            if pos + 16 > end:
                raise CorruptFile("truncated box header")
            size = struct.unpack_from(">Q", data, pos + 8)[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise CorruptFile(f"bad size for box {kind!r}")
        out.append(_Box(kind, pos, header, pos + size))
        pos += size
    return out


def _uint(data: bytes, pos: int, size: int) -> int:
    if size == 0:
        return 0
    if pos + size > len(data):
        raise CorruptFile("truncated box")
    return int.from_bytes(data[pos : pos + size], "big")


@dataclass(frozen=True, slots=True)
class _Item:
    item_id: int
    method: int
    extents: tuple[tuple[int, int], ...]  # (offset, length), absolute or idat-relative
    raw: bytes  # the iloc entry bytes


def _infe_kind(data: bytes, box: _Box) -> tuple[int, str] | None:
    """(item id, "Exif"|"XMP") for a metadata infe box, else None."""
    version = data[box.body]
    if version < 2:
        return None
    pos = box.body + 4
    id_size = 2 if version == 2 else 4
    item_id = _uint(data, pos, id_size)
    item_type = data[pos + id_size + 2 : pos + id_size + 6]
    if item_type == b"Exif":
        return item_id, "Exif"
    if item_type == b"mime":
        rest = data[pos + id_size + 6 : box.end]
        _name, _, rest = rest.partition(b"\0")
        content_type = rest.partition(b"\0")[0]
        if content_type.strip().lower() == b"application/rdf+xml":
            return item_id, "XMP"
    return None


def _parse_iloc(data: bytes, box: _Box) -> tuple[bytes, list[_Item]]:
    """The iloc header (up to and including the item count) and its items."""
    version = data[box.body]
    if version > 2:
        raise Refused(f"unknown iloc version {version}")
    pos = box.body + 4
    offset_size, length_size = data[pos] >> 4, data[pos] & 15
    base_size, index_size = data[pos + 1] >> 4, (data[pos + 1] & 15 if version else 0)
    pos += 2
    count_size = 2 if version < 2 else 4
    count = _uint(data, pos, count_size)
    if count > MAX_ITEMS:
        raise CorruptFile("too many items")
    pos += count_size
    header = data[box.start : pos]
    items = []
    for _ in range(count):
        start = pos
        id_size = 2 if version < 2 else 4
        item_id = _uint(data, pos, id_size)
        pos += id_size
        method = _uint(data, pos, 2) & 15 if version else 0
        pos += 2 if version else 0
        pos += 2  # data_reference_index
        base = _uint(data, pos, base_size)
        pos += base_size
        extent_count = _uint(data, pos, 2)
        pos += 2
        extents = []
        for _ in range(extent_count):
            pos += index_size
            offset = _uint(data, pos, offset_size)
            length = _uint(data, pos + offset_size, length_size)
            pos += offset_size + length_size
            extents.append((base + offset, length))
        items.append(_Item(item_id, method, tuple(extents), data[start:pos]))
    if pos > box.end:
        raise CorruptFile("truncated iloc")
    return header, items


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


_KNOWN_TOP = {b"ftyp", b"meta", b"mdat", b"moov", b"free", b"skip", b"idat"}


def _blank_unknown(data: bytes, top: list[_Box]) -> tuple[bytes, list[str]]:
    """Vendor boxes (Samsung ``sefd``: country code, timestamps...) become ``free`` boxes of
    the same size, so no offset moves."""
    out = bytearray(data)
    blocks = []
    for box in top:
        if box.type in _KNOWN_TOP:
            continue
        blocks.append("box " + box.type.decode("latin-1", "replace"))
        out[box.start + 4 : box.start + 8] = b"free"
        out[box.body : box.end] = bytes(box.end - box.body)
    return bytes(out), blocks


def strip_heif(data: bytes, options: StripOptions) -> Stripped:
    top = _boxes(data, 0, len(data))
    data, vendor_blocks = _blank_unknown(data, top)
    result = _strip_items(data, top, options)
    return Stripped(result.data, tuple(vendor_blocks) + result.blocks)


def _strip_items(data: bytes, top: list[_Box], options: StripOptions) -> Stripped:
    metas = [b for b in top if b.type == b"meta"]
    if len(metas) != 1:
        raise Refused("HEIF file without a single top-level meta box")
    meta = metas[0]
    children = _boxes(data, meta.body + 4, meta.end)
    by_type = {c.type: c for c in children}
    if b"iinf" not in by_type or b"iloc" not in by_type:
        raise Refused("HEIF meta box without iinf/iloc")
    iinf = by_type[b"iinf"]
    iinf_version = data[iinf.body]
    entries_at = iinf.body + 4 + (2 if iinf_version == 0 else 4)
    infes = _boxes(data, entries_at, iinf.end)
    kinds = {k[0]: k[1] for b in infes if b.type == b"infe" and (k := _infe_kind(data, b))}
    if not kinds:
        return Stripped(data)
    iloc_header, items = _parse_iloc(data, by_type[b"iloc"])
    located = {item.item_id: item for item in items}
    idat = by_type.get(b"idat")
    out = bytearray(data)

    def region(item: _Item, extent: tuple[int, int]) -> tuple[int, int]:
        offset, length = extent
        if item.method == 1:
            if idat is None:
                raise CorruptFile("idat item without idat box")
            offset += idat.body
        elif item.method != 0:
            raise Refused("HEIF item stored by reference")
        if offset + length > len(data):
            raise CorruptFile("item data out of range")
        return offset, length

    if options.only_location:
        return _only_location(out, kinds, located, region)
    blocks = []
    for item_id, kind in kinds.items():
        blocks.append(f"HEIF {kind} item")
        item = located.get(item_id)
        if item is None:
            continue
        for extent in item.extents:
            offset, length = region(item, extent)
            out[offset : offset + length] = bytes(length)
    removed = set(kinds)
    removed_infes = {
        b.start
        for b in infes
        if b.type == b"infe"
        and _infe_kind(data, b)
        and (_infe_kind(data, b) or (0, ""))[0] in removed
    }
    new_children = bytearray()
    for child in children:
        raw = bytes(out[child.start : child.end])
        if child.type == b"iinf":
            kept = [data[b.start : b.end] for b in infes if b.start not in removed_infes]
            count = struct.pack(">H" if iinf_version == 0 else ">I", len(kept))
            raw = _box(b"iinf", data[iinf.body : iinf.body + 4] + count + b"".join(kept))
        elif child.type == b"iloc":
            kept_items = [i.raw for i in items if i.item_id not in removed]
            count_size = 2 if data[child.body] < 2 else 4
            head = iloc_header[child.header : len(iloc_header) - count_size]
            raw = _box(
                b"iloc", head + len(kept_items).to_bytes(count_size, "big") + b"".join(kept_items)
            )
        elif child.type == b"iref":
            raw = _iref_without(data, child, removed)
        new_children += raw
    new_meta = _box(b"meta", data[meta.body : meta.body + 4] + bytes(new_children))
    delta = (meta.end - meta.start) - len(new_meta)
    if delta < 8 and delta != 0:
        raise Refused("HEIF metadata too small to remove without moving data")
    filler = _box(b"free", bytes(delta - 8)) if delta else b""
    result = bytes(out[: meta.start]) + new_meta + filler + bytes(out[meta.end :])
    return Stripped(result, tuple(dict.fromkeys(blocks)))


def _iref_without(data: bytes, box: _Box, removed: set[int]) -> bytes:
    version = data[box.body]
    id_size = 2 if version == 0 else 4
    refs = bytearray()
    for ref in _boxes(data, box.body + 4, box.end):
        pos = ref.body
        from_id = _uint(data, pos, id_size)
        count = _uint(data, pos + id_size, 2)
        targets = [_uint(data, pos + id_size + 2 + i * id_size, id_size) for i in range(count)]
        targets = [t for t in targets if t not in removed]
        if from_id in removed or not targets:
            continue
        payload = from_id.to_bytes(id_size, "big") + len(targets).to_bytes(2, "big")
        payload += b"".join(t.to_bytes(id_size, "big") for t in targets)
        refs += _box(ref.type, payload)
    return _box(b"iref", data[box.body : box.body + 4] + bytes(refs))


def _only_location(
    out: bytearray,
    kinds: dict[int, str],
    located: dict[int, _Item],
    region: Callable[[_Item, tuple[int, int]], tuple[int, int]],
) -> Stripped:
    blocks = []
    for item_id, kind in kinds.items():
        item = located.get(item_id)
        if item is None or len(item.extents) != 1:
            raise Refused("fragmented HEIF metadata item")
        offset, length = region(item, item.extents[0])
        payload = bytes(out[offset : offset + length])
        if kind == "Exif":
            skip = 4 + _uint(payload, 0, 4)
            try:
                cut = tiffio.drop_gps_ifd(payload[skip:])
            except CorruptFile:
                cut = None
            if cut is not None:
                out[offset + skip : offset + length] = cut
                blocks.append("EXIF GPS")
        else:
            try:
                new = location.xmp_without_location(payload)
            except ValueError:
                new = b""
            if new is not None:
                if len(new) > length:
                    raise Refused("rewritten XMP does not fit in place")
                out[offset : offset + length] = new.ljust(length, b" ")
                blocks.append("XMP location")
    return Stripped(bytes(out), tuple(blocks))
