"""Seeded mutants of real files: bit flips, byte sets, truncations, duplicated or dropped
segments, edited length fields and splices between files.

Mutant ``i`` of seed ``s`` comes from its own ``random.Random(f"{s}:{i}")``, so any one of
them is rebuilt from ``(seed, index)`` alone, without running the others — that is how a
failure found in a long run becomes a regression test (the bytes are remade in code, never
committed: the corpus is real people's photos). Structure-aware operations find the units
of a file — JPEG segments, PNG chunks, RIFF chunks, ISO-BMFF boxes (one level into the
containers HEIF/AVIF/CR3/JP2 keep their metadata in), TIFF/EXIF IFD entries — so length
fields and whole segments are hit far more often than blind byte edits would. Nothing here
imports photoscan.
"""

from __future__ import annotations

import functools
import random
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

STRUCTURE = 4096  # most of a file's structure is in its first bytes: edits favour them
INTERESTING_BYTES = (0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF)
_CONTAINER_BOXES = frozenset(
    {b"meta", b"moov", b"trak", b"mdia", b"minf", b"stbl", b"udta", b"iprp", b"ipco", b"jp2h"}
)
_FULL_BOXES = frozenset({b"meta"})  # 4 bytes of version and flags before their children


class Corpus:
    """The source files, by name, in a fixed order (the seed's meaning depends on it).

    Bytes are read on demand and only the last few files are kept, so a worker's memory is
    what photoscan uses on its mutants, not the whole corpus (80 MB for d_metadata)."""

    def __init__(self, names: tuple[str, ...], read: Callable[[str], bytes]) -> None:
        self.names = names
        self.data = functools.lru_cache(maxsize=8)(read)

    @classmethod
    def load(cls, folder: Path, max_bytes: int | None = None) -> Corpus:
        picked = []
        for path in sorted(folder.iterdir()):
            if not path.is_file() or path.suffix.lower() in (".tsv", ".md"):
                continue
            if max_bytes is not None and path.stat().st_size > max_bytes:
                continue
            picked.append(path.name)
        return cls(tuple(picked), lambda name: (folder / name).read_bytes())

    @classmethod
    def of(cls, files: dict[str, bytes]) -> Corpus:
        return cls(tuple(files), files.__getitem__)


@dataclass(frozen=True, slots=True)
class Mutant:
    seed: str
    index: int
    source: str  # the corpus file it was made from
    ops: tuple[str, ...]  # what was done, in order, in plain words
    data: bytes

    @property
    def name(self) -> str:
        """A file name keeping the source's extension (sidecars and RAW labels go by it)."""
        return f"m{self.index:07d}_{self.source}"

    def describe(self) -> str:
        return f"seed {self.seed} mutant {self.index} ({self.source}: {'; '.join(self.ops)})"


@dataclass(frozen=True, slots=True)
class Unit:
    """One segment/chunk/box/entry: where it is and where its length field is."""

    start: int
    end: int
    length_at: int
    length_size: int  # 2, 4 or 8 bytes
    order: str  # struct byte order: ">" or "<"


Op = Callable[[bytearray, random.Random, Corpus, str], str]


def make_mutant(corpus: Corpus, seed: str | int, index: int) -> Mutant:
    rng = random.Random(f"{seed}:{index}")
    source = corpus.names[rng.randrange(len(corpus.names))]
    data = bytearray(corpus.data(source))
    ops = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        op = rng.choice(OPS)
        ops.append(op(data, rng, corpus, source))
    return Mutant(str(seed), index, source, tuple(ops), bytes(data))


def _position(data: bytearray, rng: random.Random) -> int:
    if not data:
        return 0
    if rng.random() < 0.7:
        return rng.randrange(min(len(data), STRUCTURE))
    return rng.randrange(len(data))


def bit_flips(data: bytearray, rng: random.Random, corpus: Corpus, source: str) -> str:
    if not data:
        return "bit flips (empty)"
    count = rng.randint(1, 8)
    for _ in range(count):
        pos = _position(data, rng)
        data[pos] ^= 1 << rng.randrange(8)
    return f"{count} bit flips"


def byte_sets(data: bytearray, rng: random.Random, corpus: Corpus, source: str) -> str:
    if not data:
        return "byte sets (empty)"
    count = rng.randint(1, 8)
    for _ in range(count):
        value = rng.choice(INTERESTING_BYTES) if rng.random() < 0.6 else rng.randrange(256)
        data[_position(data, rng)] = value
    return f"{count} bytes set"


def truncation(data: bytearray, rng: random.Random, corpus: Corpus, source: str) -> str:
    cut = _position(data, rng) if rng.random() < 0.5 else rng.randrange(len(data) + 1)
    del data[cut:]
    return f"truncated at {cut}"


def duplicate_unit(data: bytearray, rng: random.Random, corpus: Corpus, source: str) -> str:
    found = units(bytes(data))
    if found:
        unit = rng.choice(found)
        copies = rng.choice((1, 1, 2, 8))
        data[unit.end : unit.end] = bytes(data[unit.start : unit.end]) * copies
        return f"unit at {unit.start} ({unit.end - unit.start} bytes) duplicated x{copies}"
    start = _position(data, rng)
    piece = bytes(data[start : start + rng.randint(1, 4096)])
    data[start:start] = piece
    return f"{len(piece)} bytes at {start} duplicated"


def drop_unit(data: bytearray, rng: random.Random, corpus: Corpus, source: str) -> str:
    found = units(bytes(data))
    if not found:
        return truncation(data, rng, corpus, source)
    unit = rng.choice(found)
    del data[unit.start : unit.end]
    return f"unit at {unit.start} ({unit.end - unit.start} bytes) dropped"


def length_edit(data: bytearray, rng: random.Random, corpus: Corpus, source: str) -> str:
    found = units(bytes(data))
    if found:
        unit = rng.choice(found)
        at, size, order = unit.length_at, unit.length_size, unit.order
    else:
        size, order = rng.choice((2, 4)), rng.choice("<>")
        at = _position(data, rng)
    if at + size > len(data):
        return bit_flips(data, rng, corpus, source)
    code = {2: "H", 4: "I", 8: "Q"}[size]
    (old,) = struct.unpack_from(order + code, data, at)
    top = (1 << (8 * size)) - 1
    new = rng.choice(
        (0, 1, old - 1, old + 1, old * 2, old // 2, top, top >> 1, len(data), rng.randrange(top))
    )
    struct.pack_into(order + code, data, at, new & top)
    return f"length field at {at} ({size} bytes) {old} -> {new & top}"


def splice(data: bytearray, rng: random.Random, corpus: Corpus, source: str) -> str:
    suffix = Path(source).suffix.lower()
    same = [n for n in corpus.names if Path(n).suffix.lower() == suffix and n != source]
    name = rng.choice(same or list(corpus.names))
    other = corpus.data(name)
    cut, join = _position(data, rng), rng.randrange(len(other) + 1) if other else 0
    data[cut:] = other[join:]
    return f"spliced at {cut} with {name} from {join}"


OPS: tuple[Op, ...] = (
    bit_flips,
    byte_sets,
    truncation,
    duplicate_unit,
    drop_unit,
    length_edit,
    length_edit,
    splice,
)


# --- structure ------------------------------------------------------------------------------


def units(data: bytes) -> list[Unit]:
    """The units found by the file's magic (plus the IFD entries of any TIFF structure in
    its first 64 KB, which is where EXIF lives in a JPEG, PNG, WebP or HEIF)."""
    found: list[Unit] = []
    if data[:2] == b"\xff\xd8":
        found = _jpeg(data)
    elif data[:8] == b"\x89PNG\r\n\x1a\n":
        found = _chunks(data, 8, ">", header=8, crc=4)
    elif data[:4] == b"RIFF":
        found = _chunks(data, 12, "<", header=8, crc=0, fourcc_first=True)
    elif data[4:8] in (b"ftyp", b"jP  ", b"JXL "):  # ISO-BMFF: HEIF, AVIF, CR3, JP2, JXL
        found = _boxes(data, 0, len(data), depth=0)
    found += _tiff_entries(data)
    return found


def _jpeg(data: bytes) -> list[Unit]:
    out, pos = [], 2
    while pos + 4 <= len(data) and data[pos] == 0xFF and len(out) < 512:
        marker = data[pos + 1]
        if marker in (0xD8, 0xD9, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        (length,) = struct.unpack_from(">H", data, pos + 2)
        end = min(len(data), pos + 2 + length)
        out.append(Unit(pos, end, pos + 2, 2, ">"))
        if marker == 0xDA or length < 2:
            break  # entropy-coded data follows the scan header
        pos = end
    return out


def _chunks(
    data: bytes, pos: int, order: str, *, header: int, crc: int, fourcc_first: bool = False
) -> list[Unit]:
    out = []
    while pos + header <= len(data) and len(out) < 512:
        length_at = pos + 4 if fourcc_first else pos
        (length,) = struct.unpack_from(order + "I", data, length_at)
        end = pos + header + length + crc + (length & 1 if fourcc_first else 0)
        if end > len(data):
            break
        out.append(Unit(pos, end, length_at, 4, order))
        pos = end
    return out


def _boxes(data: bytes, pos: int, limit: int, depth: int) -> list[Unit]:
    out: list[Unit] = []
    while pos + 8 <= limit and len(out) < 512:
        (size,) = struct.unpack_from(">I", data, pos)
        kind = data[pos + 4 : pos + 8]
        header, length_at, length_size = 8, pos, 4
        if size == 1 and pos + 16 <= limit:
            (size,) = struct.unpack_from(">Q", data, pos + 8)
            header, length_at, length_size = 16, pos + 8, 8
        elif size == 0:
            size = limit - pos
        if size < header or pos + size > limit:
            break
        out.append(Unit(pos, pos + size, length_at, length_size, ">"))
        if kind in _CONTAINER_BOXES and depth < 3:
            skip = 4 if kind in _FULL_BOXES else 0
            out += _boxes(data, pos + header + skip, pos + size, depth + 1)
        pos += size
    return out


def _tiff_entries(data: bytes) -> list[Unit]:
    """The first IFD's entries of the first TIFF header in the first 64 KB: each entry's
    count field is its length field."""
    head = data[:65536]
    for magic, order in ((b"II*\x00", "<"), (b"MM\x00*", ">")):
        base = head.find(magic)
        if base < 0:
            continue
        try:
            (offset,) = struct.unpack_from(order + "I", data, base + 4)
            (count,) = struct.unpack_from(order + "H", data, base + offset)
        except struct.error:
            return []
        first = base + offset + 2
        entries = min(count, 256, max(0, (len(data) - first) // 12))
        return [
            Unit(first + 12 * i, first + 12 * i + 12, first + 12 * i + 4, 4, order)
            for i in range(entries)
        ]
    return []
