"""ISO base media file format boxes (ISO/IEC 14496-12), the one walk for every box format.

HEIF/HEIC and AVIF, JPEG 2000 (whose boxes, ISO/IEC 15444-1, are the same shape), JPEG XL
containers, Canon CR3 and MP4/MOV/QuickTime are all runs of boxes: a 32-bit big-endian size
(0: up to the end of the parent, 1: a 64-bit size follows), a four-character type, for
``uuid`` boxes a 16-byte extended type, then the contents, which may be boxes again.

``walk`` yields the boxes between two offsets as positions, never copies (a codestream or
``mdat`` box can be gigabytes). It walks bytes in memory (a photo) or a ``Reader``: a video
file read header by header (``FileReader``: a 4 GB ``mdat`` costs one 32-byte read) or one
box of it held in memory at its place in the file (``MemoryReader``: ``moov``), so offsets
are always the file's. Every size is checked against the parent: a box can never reach past
it, shrink below its own header or make the walk go backwards, so a walk always ends; a
``budget`` caps how many boxes a file may make its readers visit in all, nested walks
included, and ``depth`` (the nesting level a caller is at) is capped at ``MAX_DEPTH``. Two
ways to meet damage:

- **strict** (no ``warn``): the HEIF and video strippers and the video layout, which never
  rewrite or trust a file they could not parse completely. Any damage raises
  ``CorruptFile`` saying what and where (``what`` names the file): a size smaller than its
  header, a box reaching past its parent, a file cut short (told apart from a lying size).
- **lenient** (``warn``): the photo readers, which want what is intact before the damage. A
  box whose size runs past its parent is handed on cut at the parent's end and the walk
  stops there; damage before any box was read is a corrupt file (``damage.damaged``), later
  damage a warning. Stray non-zero bytes after the last box are a warning too.
"""

from __future__ import annotations

import os
import struct

from photoscan.containers.damage import damaged
from photoscan.errors import CorruptFile
from photoscan.tuples import NamedTuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)

MAX_BOXES = 10_000  # per walk unless a budget is shared; a real photo has tens, a film thousands
MAX_DEPTH = 24  # nesting levels (a movie's deepest metadata sits ~10 down)
_HEAD = 32  # size + type + 64-bit size + uuid: all a header can need


if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import BinaryIO, Protocol

    from photoscan.containers.damage import Warn

    class Reader(Protocol):
        """Positioned reads at absolute file offsets (never past ``size``)."""

        @property
        def size(self) -> int: ...

        def read_at(self, pos: int, length: int) -> bytes: ...

else:

    class Reader:
        """Only a name at run time (``typing.Protocol`` would cost ``typing``'s import at
        start-up): readers are duck-typed, never checked with ``isinstance``."""


class FileReader:
    """A file read where asked: ``os.pread`` on its descriptor when it has one (no seek; a
    file object's position is left alone), else seek and read (``BytesIO``, a zip member).
    ``size`` is the file's when the reader is made."""

    __slots__ = ("_fd", "_fh", "size")

    def __init__(self, source: BinaryIO | int, size: int | None = None) -> None:
        self._fh: BinaryIO | None = None
        self._fd: int | None = None
        if isinstance(source, int):
            self._fd = source
        else:
            self._fh = source
            try:
                self._fd = source.fileno()
            except (AttributeError, OSError, ValueError):  # BytesIO, ZipExtFile
                self._fd = None
        if size is None and self._fd is not None:
            size = os.fstat(self._fd).st_size
        if size is None:
            assert self._fh is not None
            size = self._fh.seek(0, os.SEEK_END)
        self.size = size

    def read_at(self, pos: int, length: int) -> bytes:
        length = min(length, self.size - pos)
        if pos < 0 or length <= 0:
            return b""
        if self._fd is not None:
            return os.pread(self._fd, length, pos)
        assert self._fh is not None
        self._fh.seek(pos)
        return self._fh.read(length)


class MemoryReader:
    """The bytes of one box read whole, at the absolute offset ``base`` they have in the file."""

    __slots__ = ("base", "data")

    def __init__(self, data: bytes, base: int) -> None:
        self.data = data
        self.base = base

    @property
    def size(self) -> int:
        return self.base + len(self.data)

    def read_at(self, pos: int, length: int) -> bytes:
        start = pos - self.base
        if start < 0 or length <= 0:
            return b""
        return self.data[start : start + length]


class Box(NamedTuple):
    type: bytes
    start: int  # the first byte of the box (its size field)
    body: int  # the first byte of the contents (after the uuid of a ``uuid`` box, if read)
    end: int  # one past the last byte (the parent's end when a lenient walk cut the box)
    uuid: bytes = b""  # the extended type of a ``uuid`` box, when the walk reads it

    @property
    def header(self) -> int:
        return self.body - self.start

    @property
    def size(self) -> int:
        return self.end - self.start

    @property
    def payload_size(self) -> int:
        return self.end - self.body

    @property
    def size_field(self) -> int:
        """Bytes of size and type (16 with a 64-bit size): what a box retyped ``free``
        keeps; a ``uuid``'s extended type is payload then."""
        return self.header - len(self.uuid)

    @property
    def name(self) -> str:
        return type_name(self.type)


new_record = tuple.__new__  # new_record(Box, (every field)): a hot loop's Box(...)


def type_name(kind: bytes) -> str:
    """A box type for messages and field names: printable characters only (it comes from the
    file); QuickTime's byte 0xA9 reads as the copyright sign, as in ``©xyz``."""
    return "".join(c if c.isprintable() else "?" for c in kind.decode("latin-1"))


class Budget:
    """How many more boxes the walks of one file may visit (shared by nested walks)."""

    __slots__ = ("left", "limit")

    def __init__(self, boxes: int = MAX_BOXES) -> None:
        self.left = self.limit = boxes


def walk(
    data: bytes | Reader,
    start: int = 0,
    end: int | None = None,
    *,
    warn: Warn | None = None,
    what: str = "ISO-BMFF",
    found: int = 0,
    budget: Budget | None = None,
    uuid: bool = False,
    depth: int = 0,
) -> Iterator[Box]:
    """The boxes of ``data[start:end]`` in order; strict without ``warn``, lenient with it
    (see the module docstring). ``found``: boxes the caller already read (a nested walk's
    damage is then a warning); ``what`` names the format, or the file, in messages;
    ``uuid``: read the extended type of ``uuid`` boxes into ``Box.uuid`` (their ``body``
    then follows it); ``depth``: how deep this walk is nested."""
    buf: bytes
    reader: Reader | None
    shift = 0  # the file offset of buf[0]
    if isinstance(data, (bytes, bytearray, memoryview)):  # a tuple: faster than a union
        buf, reader, total = data, None, len(data)
    elif isinstance(data, MemoryReader) and start >= data.base:  # moov: its bytes, not reads
        buf, reader, total, shift = data.data, None, data.size, data.base
    else:
        buf, reader, total = b"", data, data.size
    stop = total if end is None else min(end, total)
    budget = budget or Budget()
    if depth > MAX_DEPTH and start + 8 <= stop:
        damaged(found, warn, f"{what}: boxes nested more than {MAX_DEPTH} deep at {start}")
        return
    pos = start
    index = found
    unpack = struct.unpack_from
    while pos + 8 <= stop:
        budget.left -= 1
        if budget.left < 0:
            if warn is None:
                raise CorruptFile(f"{what}: too many boxes (more than {budget.limit})")
            warn(f"{what}: too many boxes; the rest were not read")
            return
        if reader is None:
            head, at = buf, pos - shift
        else:
            head, at = reader.read_at(pos, _HEAD), 0
            if len(head) < 8:
                damaged(index, warn, f"{what}: the file is truncated at offset {pos}")
                return
        size, kind = unpack(">I4s", head, at)
        header = 8
        if size == 1:
            if pos + 16 > stop or len(head) < at + 16:
                reason = f"{what} file is truncated in a box header"
                damaged(index, warn, reason if warn else f"{reason} at offset {pos}")
                return
            (size,) = unpack(">Q", head, at + 8)
            header = 16
        elif size == 0:
            size = stop - pos
        extended = b""
        if uuid and kind == b"uuid":
            extended = bytes(head[at + header : at + header + 16])
            header += len(extended)
        end_at = pos + size
        if size < header or end_at > stop:
            box = Box(kind, pos, min(pos + header, stop), min(end_at, stop), extended)
            if warn is None:
                raise CorruptFile(_strict_reason(what, box, size, header, end is None, stop))
            if size < header:
                damaged(index, warn, f"{what}: the {box.name!r} box has an impossible length")
                return
            damaged(index, warn, f"{what} file is truncated inside its {box.name!r} box")
            yield box  # lenient: what there is of it
            return
        # Inside the parent: no min(); built as namedtuple's _make builds it (no __new__ frame)
        yield new_record(Box, (kind, pos, pos + header, end_at, extended))
        index += 1
        pos = end_at
    if warn is not None and pos < stop:
        tail = (
            buf[pos - shift : stop - shift] if reader is None else reader.read_at(pos, stop - pos)
        )
        if any(tail):
            warn(f"{what}: {stop - pos} stray bytes after the last box")


def _strict_reason(what: str, box: Box, size: int, header: int, whole: bool, stop: int) -> str:
    where = f"{what}: box {box.name!r} at offset {box.start}"
    if size < header:
        return f"{where} claims {size} bytes, less than its own header"
    if whole:
        return (
            f"{where} claims {size} bytes but the file ends {stop - box.start} bytes after "
            "it starts (truncated)"
        )
    return f"{where} claims {size} bytes, past the end of the box holding it"


def uint(data: bytes, pos: int, size: int) -> int:
    """A big-endian unsigned integer of ``size`` bytes (0 for size 0); ``CorruptFile`` if
    it does not fit."""
    if size == 0:
        return 0
    if pos < 0 or pos + size > len(data):
        raise CorruptFile("truncated box")
    return int.from_bytes(data[pos : pos + size], "big")


def full_box(data: bytes, offset: int = 0) -> tuple[int, int]:
    """(version, flags) of a full box whose contents start at ``offset`` of ``data``."""
    return uint(data, offset, 1), uint(data, offset + 1, 3)


def make_box(kind: bytes, payload: bytes) -> bytes:
    """A box with a 32-bit size (``CorruptFile`` if the payload is too large for one)."""
    if len(payload) + 8 > 0xFFFFFFFF:
        raise CorruptFile("box too large to write")
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def is_xmp(body: bytes) -> bool:
    """An ``xml `` box may hold XMP or any other XML (GML, a JPX label): XMP only, please."""
    head = body[:4096]
    return b"xmpmeta" in head or b"<rdf:RDF" in head or b"<?xpacket" in head
