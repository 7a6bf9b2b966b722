"""HEIC/HEIF/AVIF: remove the Exif, XMP and thumbnail items without re-encoding a pixel.

In an ISO-BMFF image the metadata are items like the image tiles: an ``infe`` entry in
``iinf``, a location in ``iloc``, references in ``iref`` (``cdsc`` for metadata, ``thmb`` for
thumbnails) and, for images, property associations in ``ipma``. We delete those entries, zero
the removed items' bytes where they lie (``mdat`` or ``idat``), and put a ``free`` box of the
same size right after the shrunken ``meta`` box, so no other byte of the file moves and every
absolute offset in ``iloc`` stays valid. Orientation (``irot``/``imir``) and colour (``colr``)
are item properties of the primary image and are kept, except that an ICC profile in a
``colr`` box (``prof``/``rICC``) that describes one display (Apple's ``mmod``, ``ndin``,
``vcgt``) is written back without those tags, as in every other format (``strip.icc``), and a
damaged one becomes an empty ``free`` box (the property keeps its index in ``ipco``). Vendor
top-level boxes (Samsung ``sefd``) are blanked into ``free`` boxes of the same size.

``--only location`` edits the Exif item in place (GPS IFD cut) and rewrites XMP into its own
space (refusing when the rewrite would not fit).

Either way, metadata left anywhere but in the items written back (a second EXIF copy in a
duplicated box, an Exif item whose offsets point at something else) makes the file damaged:
nothing of it is copied (``strip.residue``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from photoscan.containers.bmff import Box, make_box, uint
from photoscan.errors import CorruptFile
from photoscan.strip import icc, location, residue
from photoscan.strip.exif import build_exif, read_kept
from photoscan.strip.heifbox import (
    Item,
    boxes,
    infe_id,
    infe_kind,
    ipma_without,
    iref_without,
    parse_iloc,
    refs,
)
from photoscan.strip.types import Refused, StripOptions, Stripped

_KNOWN_TOP = {b"ftyp", b"meta", b"mdat", b"moov", b"free", b"skip", b"idat"}
Region = Callable[[Item, tuple[int, int]], tuple[int, int]]


def _blank_unknown(data: bytes, top: list[Box]) -> tuple[bytes, list[str]]:
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
    top = boxes(data, 0, len(data))
    data, vendor_blocks = _blank_unknown(data, top)
    result = _strip_items(data, top, options)
    return Stripped(result.data, tuple(vendor_blocks) + result.blocks)


def _thumbnails(data: bytes, iref: Box | None) -> set[int]:
    """Thumbnail items, with the tiles of a thumbnail grid that nothing else uses."""
    if iref is None:
        return set()
    references = refs(data, iref)
    thumbs = {src for kind, src, _ in references if kind == b"thmb"}
    tiles = {t for kind, src, to in references if kind == b"dimg" and src in thumbs for t in to}
    used = {t for kind, src, to in references if src not in thumbs for t in to}
    return thumbs | (tiles - used)


def _strip_items(data: bytes, top: list[Box], options: StripOptions) -> Stripped:
    metas = [b for b in top if b.type == b"meta"]
    if len(metas) != 1:
        raise Refused("HEIF file without a single top-level meta box")
    meta = metas[0]
    children = boxes(data, meta.body + 4, meta.end)
    by_type = {c.type: c for c in children}
    if b"iinf" not in by_type or b"iloc" not in by_type:
        raise Refused("HEIF meta box without iinf/iloc")
    iinf = by_type[b"iinf"]
    iinf_version = data[iinf.body]
    infes = boxes(data, iinf.body + 4 + (2 if iinf_version == 0 else 4), iinf.end)
    kinds = {k[0]: k[1] for b in infes if b.type == b"infe" and (k := infe_kind(data, b))}
    iloc_header, items = parse_iloc(data, by_type[b"iloc"])
    located = {item.item_id: item for item in items}
    idat = by_type.get(b"idat")

    def region(item: Item, extent: tuple[int, int]) -> tuple[int, int]:
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

    _check_image_data(data, infes, located)
    # The meta box is parsed through (its item infos name "Exif" items): only what its idat
    # holds is searched for left-over metadata, with the rest of the file.
    skip = [(meta.start, (idat.body if idat else meta.end) - meta.start)]
    if idat is not None:
        skip.append((idat.end, meta.end - idat.end))
    out = bytearray(data)
    if options.only_location:
        # The metadata items are edited in place; anything like them elsewhere is left over.
        edited = _only_location(out, kinds, located, region)
        _check_residue(
            edited.data, skip + [region(i, e) for i in _items(kinds, located) for e in i.extents]
        )
        return edited
    labels = {i: f"HEIF {k} item" for i, k in kinds.items()}
    labels.update({i: "HEIF thumbnail" for i in _thumbnails(data, by_type.get(b"iref"))})
    profile_blocks: list[str] = []
    profiles = _clean_profiles(data, by_type.get(b"iprp"), profile_blocks)
    if not labels and not profiles:
        _check_residue(data, skip)
        return Stripped(data)
    rewritten = _rewrite_exif(out, kinds, located, region, options)
    removed = set(labels) - rewritten
    for item in (located[i] for i in removed if i in located):
        for extent in item.extents:
            offset, length = region(item, extent)
            out[offset : offset + length] = bytes(length)
    _check_residue(
        out, skip + [region(i, e) for i in _items(rewritten, located) for e in i.extents]
    )
    new_children = bytearray()
    for child in children:
        raw = bytes(out[child.start : child.end])
        if child.type == b"iinf":
            kept = [data[b.start : b.end] for b in infes if infe_id(data, b) not in removed]
            count = len(kept).to_bytes(2 if iinf_version == 0 else 4, "big")
            raw = make_box(b"iinf", data[iinf.body : iinf.body + 4] + count + b"".join(kept))
        elif child.type == b"iloc":
            kept = [i.raw for i in items if i.item_id not in removed]
            count_size = 2 if data[child.body] < 2 else 4
            head = iloc_header[child.header : len(iloc_header) - count_size]
            raw = make_box(b"iloc", head + len(kept).to_bytes(count_size, "big") + b"".join(kept))
        elif child.type == b"iref":
            raw = iref_without(data, child, removed)
        elif child.type == b"iprp":
            raw = _iprp_without(data, child, removed, profiles)
        new_children += raw
    new_meta = make_box(b"meta", data[meta.body : meta.body + 4] + bytes(new_children))
    delta = (meta.end - meta.start) - len(new_meta)
    if delta < 8 and delta != 0:
        raise Refused("HEIF metadata too small to remove without moving data")
    filler = make_box(b"free", bytes(delta - 8)) if delta else b""
    result = bytes(out[: meta.start]) + new_meta + filler + bytes(out[meta.end :])
    blocks = [*(labels[i] for i in sorted(labels)), *profile_blocks]
    return Stripped(result, tuple(dict.fromkeys(blocks)))


def _items(ids: Iterable[int], located: dict[int, Item]) -> list[Item]:
    return [located[i] for i in ids if i in located]


def _check_residue(data: bytes | bytearray, kept: list[tuple[int, int]]) -> None:
    """Refuse the file as damaged (``CorruptFile``: not re-encoded either, its structure is
    not what it says) when EXIF, XMP or IPTC is left in the bytes outside ``kept``: a second
    copy that ``iloc`` does not point at (a duplicated box, offsets gone wrong), which no
    reader shows but a carving tool finds. The removed items are zeroed by then; ``kept``
    are the (offset, length) regions of the items written back and of the parsed meta box."""
    pos = 0
    for offset, length in [*sorted(kept), (len(data), 0)]:
        if kind := residue.metadata_in(data, pos, offset):
            raise CorruptFile(residue.refusal(kind, "outside the HEIF's metadata items"))
        pos = max(pos, offset + length)


def _rewrite_exif(
    out: bytearray,
    kinds: dict[int, str],
    located: dict[int, Item],
    region: Region,
    options: StripOptions,
) -> set[int]:
    """Viewers that honour EXIF Orientation in a HEIF without ``irot`` (and ExifTool) turn
    the picture by it: the first Exif item is rewritten in its own place to a minimal EXIF
    holding only the kept values (zero padded), so the copy displays as the original did.
    Returns the item kept (none when nothing is kept or the item is fragmented)."""
    for item_id, kind in kinds.items():
        item = located.get(item_id)
        if kind != "Exif" or item is None or len(item.extents) != 1:
            continue
        offset, length = region(item, item.extents[0])
        payload = bytes(out[offset : offset + length])
        try:
            skip = 4 + uint(payload, 0, 4)
            kept = read_kept(payload[skip:], options.keep_orientation, options.keep_datetime)
        except (CorruptFile, IndexError, ValueError):
            return set()
        exif = build_exif(kept)
        if exif is None or 4 + len(exif) > length:
            return set()
        out[offset : offset + length] = (bytes(4) + exif).ljust(length, b"\0")
        return {item_id}
    return set()


# Item types that carry no data of their own (ISO/IEC 23008-12: an identity-derived image;
# HEIF's metadata items are removed or checked where they are read).
_DATALESS_TYPES = {b"iden"}


def _check_image_data(data: bytes, infes: list[Box], located: dict[int, Item]) -> None:
    """Every image item must have a place in ``iloc`` with data: a file where one has none
    (libheif: "Item has no data") is damaged, and a copy of it would be as well."""
    for box in infes:
        if box.type != b"infe" or data[box.body] < 2:
            continue
        id_size = 2 if data[box.body] == 2 else 4
        kind = data[box.body + 6 + id_size : box.body + 10 + id_size]
        item_id = infe_id(data, box)
        item = located.get(item_id)
        if kind not in _DATALESS_TYPES and (item is None or not item.extents):
            raise CorruptFile(f"HEIF item {item_id} has no data")


_ICC_COLOURS = (b"prof", b"rICC")  # colr colour types that carry an ICC profile


def _clean_profiles(data: bytes, iprp: Box | None, blocks: list[str]) -> dict[int, bytes]:
    """The new bytes of every ``colr`` property whose profile changes, by the box's start:
    the profile without a display's tags, or an empty ``free`` box for a damaged one."""
    out: dict[int, bytes] = {}
    for ipco in boxes(data, iprp.body, iprp.end) if iprp is not None else []:
        if ipco.type != b"ipco":
            continue
        for prop in boxes(data, ipco.body, ipco.end):
            colour = data[prop.body : prop.body + 4]
            if prop.type != b"colr" or colour not in _ICC_COLOURS:
                continue
            profile = data[prop.body + 4 : prop.end]
            kept = icc.kept_profile(profile, blocks)
            if kept is None:
                out[prop.start] = make_box(b"free", b"")
            elif kept is not profile:
                out[prop.start] = make_box(b"colr", colour + kept)
    return out


def _iprp_without(data: bytes, box: Box, removed: set[int], profiles: dict[int, bytes]) -> bytes:
    parts = []
    for child in boxes(data, box.body, box.end):
        if child.type == b"ipma":
            parts.append(ipma_without(data, child, removed))
        elif child.type == b"ipco" and profiles:
            props = boxes(data, child.body, child.end)
            body = b"".join(profiles.get(p.start, data[p.start : p.end]) for p in props)
            parts.append(make_box(b"ipco", body))
        else:
            parts.append(data[child.start : child.end])
    return make_box(b"iprp", b"".join(parts))


def _only_location(
    out: bytearray, kinds: dict[int, str], located: dict[int, Item], region: Region
) -> Stripped:
    blocks: list[str] = []
    for item_id, kind in kinds.items():
        item = located.get(item_id)
        if item is None or len(item.extents) != 1:
            raise Refused("fragmented HEIF metadata item")
        offset, length = region(item, item.extents[0])
        payload = bytes(out[offset : offset + length])
        if kind == "Exif":
            skip = 4 + uint(payload, 0, 4)
            try:
                cut = location.tiff_without_location(payload[skip:])
            except CorruptFile:
                # Not EXIF where iloc says (offsets gone wrong): what holds the GPS is not
                # known, so it is not copied (the full strip zeroes the item either way).
                raise CorruptFile("the Exif item does not parse as EXIF") from None
            if cut is not None:
                out[offset + skip : offset + length] = cut[0]
                blocks.extend(cut[1])
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
