"""The layout of one MP4/MOV/M4V/3GP/3G2 file: top-level boxes, the ``moov`` tree, its tracks.

Reader and stripper both start here, so they agree on what the file is, and a strip reads it
once: ``read_layout`` walks the top level by box headers (``bmff.walk`` over a
``FileReader``: ``mdat`` and fragments are known by their headers alone, never read) and
reads only ``moov`` (the index: a few KB to a few MB even for an hour of video, capped at
``MAX_MOOV_BYTES``) into memory, where its tree is walked with the offsets it has in the
file. A file without a readable ``moov`` is refused whole: a player could not play it
either. A top-level box cut short after ``moov`` (a recording that stopped) is noted, not
fatal; damage inside a metadata container (``udta``, ``meta``, ``ilst``) costs that container
(read as an opaque leaf, removed whole by a strip), anything else is a ``CorruptFile`` naming
the file and the offset.
"""

from __future__ import annotations

import struct

from photoscan.containers.bmff import Box, Budget, MemoryReader, Reader, new_record, walk
from photoscan.errors import CorruptFile
from photoscan.tuples import NamedTuple

MAX_MOOV_BYTES = 64 * 1024 * 1024  # 16 million samples' tables: days of video
MAX_BOXES = 200_000  # top level and moov tree together

# Boxes whose payload is nothing but boxes (inside moov). ``meta`` is handled apart: QuickTime
# writes it as a plain container, ISO as a full box (4 bytes of version and flags first).
CONTAINERS = frozenset(
    {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"udta", b"edts", b"dinf", b"mvex",
     b"tref", b"tapt", b"gmhd", b"clip", b"matt", b"ilst", b"meco"}
)  # fmt: skip
# Containers of metadata only: damage inside them costs their contents, not the file.
_METADATA_CONTAINERS = frozenset({b"udta", b"meta", b"ilst"})
_ITEM_CHILDREN = frozenset({b"data", b"mean", b"name", b"itif"})
FREE_TYPES = frozenset({b"free", b"skip"})  # padding: a strip zeroes what is left in it


class Node(NamedTuple):
    """A box and, for containers, the boxes inside it."""

    box: Box
    kids: tuple[Node, ...] = ()

    @property
    def type(self) -> bytes:
        return self.box.type

    def child(self, kind: bytes) -> Node | None:
        for kid in self.kids:  # a loop, not next(generator): the strip's most called line
            if kid.box.type == kind:
                return kid
        return None

    def children(self, kind: bytes) -> list[Node]:
        return [k for k in self.kids if k.box.type == kind]

    def path(self, *kinds: bytes) -> Node | None:
        node: Node | None = self
        for kind in kinds:
            node = node.child(kind) if node is not None else None
        return node


class Layout(NamedTuple):
    """What a file is made of: its top-level boxes and its movie box."""

    name: str
    size: int
    top: tuple[Box, ...]
    brand: bytes  # the ftyp major brand, b"" for old QuickTime files without ftyp
    compatible: tuple[bytes, ...]
    moov: Node
    moov_data: bytes  # the moov box, header included, as read
    fragmented: bool
    truncated: str = ""  # a top-level box cut short after moov (a recording cut off)
    # Metadata boxes (udta, meta, ilst) whose insides could not be walked, by offset, with
    # the reason: read as opaque leaves (a warning) and removed whole by a strip.
    damaged: tuple[tuple[int, str], ...] = ()
    frees: tuple[Box, ...] = ()  # the free and skip boxes of the moov tree (as ``_kids`` says)

    def moov_reader(self) -> MemoryReader:
        return MemoryReader(self.moov_data, self.moov.box.start)

    def bytes_of(self, box: Box) -> bytes:
        """The bytes of a box inside moov (header included)."""
        base = self.moov.box.start
        return self.moov_data[box.start - base : box.end - base]

    def payload(self, box: Box) -> bytes:
        base = self.moov.box.start
        return self.moov_data[box.body - base : box.end - base]

    def is_damaged(self, box: Box) -> bool:
        return any(start == box.start for start, _ in self.damaged)


def read_layout(reader: Reader, name: str) -> Layout:
    """Walk the top level of the file ``reader`` reads and its ``moov`` tree (``name`` for
    messages). Raises ``CorruptFile`` naming the file."""
    budget = Budget(MAX_BOXES)
    top: list[Box] = []
    truncated = ""
    try:
        top.extend(walk(reader, what=name, budget=budget, uuid=True))
    except CorruptFile as exc:
        if not any(b.type == b"moov" for b in top):
            raise
        truncated = str(exc).removeprefix(f"{name}: ")
    moovs = [b for b in top if b.type == b"moov"]
    if not moovs:
        raise CorruptFile(f"{name}: no movie box ('moov'): not a playable MP4/MOV file")
    if len(moovs) > 1:
        raise CorruptFile(f"{name}: more than one movie box ('moov'); not read")
    moov = moovs[0]
    if moov.size > MAX_MOOV_BYTES:
        raise CorruptFile(
            f"{name}: the movie box claims {moov.size} bytes, more than the "
            f"{MAX_MOOV_BYTES >> 20} MB photoscan reads"
        )
    data = reader.read_at(moov.start, moov.size)
    if len(data) != moov.size:
        raise CorruptFile(f"{name}: the movie box is truncated")
    damaged: list[tuple[int, str]] = []
    frees: list[Box] = []
    memory = MemoryReader(data, moov.start)
    tree = Node(moov, _kids(memory, moov, 1, damaged, name, budget, frees))
    brand = b""
    compatible: tuple[bytes, ...] = ()
    ftyp = next((b for b in top if b.type == b"ftyp"), None)
    if ftyp is not None and ftyp.payload_size >= 8:
        raw = reader.read_at(ftyp.body, min(ftyp.payload_size, 4096))
        brand = raw[:4]
        compatible = tuple(raw[i : i + 4] for i in range(8, len(raw) - 3, 4))
    fragmented = any(b.type == b"moof" for b in top) or tree.child(b"mvex") is not None
    return Layout(
        name, reader.size, tuple(top), brand, compatible, tree, data, fragmented, truncated,
        tuple(damaged), tuple(frees),
    )  # fmt: skip


def _kids(
    memory: MemoryReader,
    box: Box,
    depth: int,
    damaged: list[tuple[int, str]],
    name: str,
    budget: Budget,
    frees: list[Box],
) -> tuple[Node, ...]:
    """The boxes inside ``box``; its ``free``/``skip`` leaves, at any depth, go to ``frees``
    (not those of a container that could not be walked: it is a leaf itself)."""
    start = box.body + (_meta_offset(memory, box) if box.type == b"meta" else 0)
    boxes = walk(memory, start, box.end, what=name, budget=budget, uuid=True, depth=depth)
    out = []
    in_ilst = box.type == b"ilst"  # its children are items
    for child in boxes:
        kind = child.type
        if kind in CONTAINERS or kind == b"meta":
            if kind in _METADATA_CONTAINERS:
                inside: list[Box] = []
                try:
                    kids = _kids(memory, child, depth + 1, damaged, name, budget, inside)
                except CorruptFile as exc:
                    damaged.append((child.start, str(exc)))
                    out.append(Node(child))
                else:
                    out.append(Node(child, kids))
                    frees.extend(inside)
            else:
                out.append(
                    Node(child, _kids(memory, child, depth + 1, damaged, name, budget, frees))
                )
        elif in_ilst:
            if kind in FREE_TYPES:  # padding among the items
                frees.append(child)
            try:
                items = _item_kids(memory, child, depth + 1, name, budget)
            except CorruptFile as exc:
                damaged.append((child.start, str(exc)))
                out.append(Node(child))
            else:
                out.append(Node(child, items))
                frees.extend(item.box for item in items if item.box.type in FREE_TYPES)
        else:
            if kind in FREE_TYPES:
                frees.append(child)
            out.append(new_record(Node, (child, ())))  # a leaf: Node(child)
    return tuple(out)


def _item_kids(
    memory: MemoryReader, item: Box, depth: int, name: str, budget: Budget
) -> tuple[Node, ...]:
    """An ``ilst`` item holds ``data`` (and ``mean``/``name``) atoms; anything else is kept
    as an opaque leaf rather than guessed at."""
    head = memory.read_at(item.body, 8)
    if len(head) < 8 or head[4:8] not in _ITEM_CHILDREN:
        return ()
    boxes = walk(memory, item.body, item.end, what=name, budget=budget, depth=depth)
    return tuple(Node(b) for b in boxes)


def _meta_offset(memory: MemoryReader, box: Box) -> int:
    """0 for a QuickTime ``meta`` (boxes at once), 4 for an ISO full box."""
    head = memory.read_at(box.body, 12)
    kinds = (b"hdlr", b"keys", b"ilst", b"free", b"uuid")
    if len(head) >= 8 and head[4:8] in kinds and struct.unpack_from(">I", head)[0] >= 8:
        return 0
    return 4


class Times(NamedTuple):
    """Creation and modification times (seconds since 1904), time scale and duration."""

    created: int
    modified: int
    timescale: int
    duration: int
    created_at: int  # offset of the creation field in the file (modification follows)
    width: int  # bytes per time field: 4 (version 0) or 8 (version 1)


def header_times(layout: Layout, box: Box) -> Times | None:
    """Times of an ``mvhd``, ``tkhd`` or ``mdhd`` box (None when too short to hold them)."""
    data = layout.payload(box)
    if len(data) < 4:  # not even a full box's version and flags
        return None
    n = 8 if data[0] == 1 else 4
    fmt = ">Q" if n == 8 else ">I"
    if len(data) < 4 + 2 * n + 4 + n + 4:
        return None
    created = struct.unpack_from(fmt, data, 4)[0]
    modified = struct.unpack_from(fmt, data, 4 + n)[0]
    pos = 4 + 2 * n
    if box.type == b"tkhd":
        timescale = 0
        duration = struct.unpack_from(fmt, data, pos + 8)[0]
    else:
        timescale = struct.unpack_from(">I", data, pos)[0]
        duration = struct.unpack_from(fmt, data, pos + 4)[0]
    return Times(created, modified, timescale, duration, box.body + 4, n)


def track_id(layout: Layout, tkhd: Box) -> int:
    data = layout.payload(tkhd)
    n = 8 if data[:1] == b"\x01" else 4
    if len(data) < 4 + 2 * n + 4:
        return 0
    return int(struct.unpack_from(">I", data, 4 + 2 * n)[0])


def track_geometry(layout: Layout, tkhd: Box) -> tuple[tuple[int, ...], float, float] | None:
    """(matrix a b u c d v x y w, width, height) of a ``tkhd``."""
    data = layout.payload(tkhd)
    n = 8 if data[:1] == b"\x01" else 4
    pos = 4 + 2 * n + 4 + 4 + n + 8 + 8
    if len(data) < pos + 36 + 8:
        return None
    matrix = struct.unpack_from(">9i", data, pos)
    width, height = struct.unpack_from(">II", data, pos + 36)
    return matrix, width / 65536.0, height / 65536.0


def rotation(matrix: tuple[int, ...]) -> int:
    """Clockwise display rotation (0, 90, 180, 270) of a 16.16 display matrix."""
    a, b, _u, c, d = matrix[:5]
    one = 1 << 16
    if (a, b, c, d) == (0, one, -one, 0):
        return 90
    if (a, b, c, d) == (-one, 0, 0, -one):
        return 180
    if (a, b, c, d) == (0, -one, one, 0):
        return 270
    return 0


def handler_of(layout: Layout, hdlr: Box | None) -> bytes:
    if hdlr is None:
        return b""
    data = layout.payload(hdlr)
    return data[8:12] if len(data) >= 12 else b""
