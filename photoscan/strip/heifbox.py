"""HEIF items for the stripper: item infos, item locations, references, property links.

The boxes are walked by ``containers.bmff``, strictly: a size that does not fit its parent
raises ``CorruptFile``; the stripper never rewrites a file it could not parse completely.
What is HEIF's own (``iinf``/``infe``, ``iloc``, ``iref``, ``ipma``) is parsed here, and
rewritten without the removed items.
"""

from __future__ import annotations

from dataclasses import dataclass

from photoscan.containers.bmff import Box, Budget, make_box, uint, walk
from photoscan.errors import CorruptFile
from photoscan.strip.types import Refused

MAX_ITEMS = 65536


def boxes(data: bytes, pos: int, end: int) -> list[Box]:
    """The boxes of ``data[pos:end]``, strictly (``containers.bmff``): damage raises."""
    return list(walk(data, pos, end, budget=Budget(MAX_ITEMS)))


@dataclass(frozen=True, slots=True)
class Item:
    item_id: int
    method: int
    extents: tuple[tuple[int, int], ...]  # (offset, length), absolute or idat-relative
    raw: bytes  # the iloc entry bytes


def infe_kind(data: bytes, box: Box) -> tuple[int, str] | None:
    """(item id, "Exif"|"XMP") for a metadata infe box, else None."""
    version = data[box.body]
    if version < 2:
        return None
    pos = box.body + 4
    id_size = 2 if version == 2 else 4
    item_id = uint(data, pos, id_size)
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


def parse_iloc(data: bytes, box: Box) -> tuple[bytes, list[Item]]:
    """The iloc header (up to and including the item count) and its items."""
    version = data[box.body]
    if version > 2:
        raise Refused(f"unknown iloc version {version}")
    pos = box.body + 4
    offset_size, length_size = data[pos] >> 4, data[pos] & 15
    base_size, index_size = data[pos + 1] >> 4, (data[pos + 1] & 15 if version else 0)
    pos += 2
    count_size = 2 if version < 2 else 4
    count = uint(data, pos, count_size)
    if count > MAX_ITEMS:
        raise CorruptFile("too many items")
    pos += count_size
    header = data[box.start : pos]
    items = []
    for _ in range(count):
        start = pos
        id_size = 2 if version < 2 else 4
        item_id = uint(data, pos, id_size)
        pos += id_size
        method = uint(data, pos, 2) & 15 if version else 0
        pos += 2 if version else 0
        pos += 2  # data_reference_index
        base = uint(data, pos, base_size)
        pos += base_size
        extent_count = uint(data, pos, 2)
        pos += 2
        extents = []
        for _ in range(extent_count):
            pos += index_size
            offset = uint(data, pos, offset_size)
            length = uint(data, pos + offset_size, length_size)
            pos += offset_size + length_size
            extents.append((base + offset, length))
        items.append(Item(item_id, method, tuple(extents), data[start:pos]))
    if pos > box.end:
        raise CorruptFile("truncated iloc")
    return header, items


def infe_id(data: bytes, box: Box) -> int:
    version = data[box.body]
    return uint(data, box.body + 4, 4 if version >= 3 else 2)


def refs(data: bytes, box: Box) -> list[tuple[bytes, int, list[int]]]:
    """(reference type, from item, to items) of an ``iref`` box."""
    id_size = 2 if data[box.body] == 0 else 4
    found = []
    for ref in boxes(data, box.body + 4, box.end):
        pos = ref.body
        from_id = uint(data, pos, id_size)
        count = uint(data, pos + id_size, 2)
        targets = [uint(data, pos + id_size + 2 + i * id_size, id_size) for i in range(count)]
        found.append((ref.type, from_id, targets))
    return found


def iref_without(data: bytes, box: Box, removed: set[int]) -> bytes:
    id_size = 2 if data[box.body] == 0 else 4
    out = bytearray()
    for kind, from_id, targets in refs(data, box):
        targets = [t for t in targets if t not in removed]
        if from_id in removed or not targets:
            continue
        payload = from_id.to_bytes(id_size, "big") + len(targets).to_bytes(2, "big")
        payload += b"".join(t.to_bytes(id_size, "big") for t in targets)
        out += make_box(kind, payload)
    return make_box(b"iref", data[box.body : box.body + 4] + bytes(out))


def ipma_without(data: bytes, box: Box, removed: set[int]) -> bytes:
    """An ``ipma`` box without the property associations of removed items."""
    version, flags = data[box.body], uint(data, box.body + 1, 3)
    id_size = 2 if version < 1 else 4
    assoc_size = 2 if flags & 1 else 1
    count = uint(data, box.body + 4, 4)
    pos = box.body + 8
    kept = []
    for _ in range(min(count, MAX_ITEMS)):
        item_id = uint(data, pos, id_size)
        n = uint(data, pos + id_size, 1)
        end = pos + id_size + 1 + n * assoc_size
        if end > box.end:
            raise CorruptFile("truncated ipma")
        if item_id not in removed:
            kept.append(data[pos:end])
        pos = end
    head = data[box.body : box.body + 4] + len(kept).to_bytes(4, "big")
    return make_box(b"ipma", head + b"".join(kept))
