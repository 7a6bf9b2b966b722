"""containers.png, .riff, .gif, .ciff: one walk each, strict for strippers, lenient for readers."""

from __future__ import annotations

import struct

import pytest

from photoscan.containers import ciff, gif, png, riff
from photoscan.errors import CorruptFile

IHDR = png.make_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
PNG = png.SIGNATURE + IHDR + png.make_chunk(b"tEXt", b"a\0b") + png.make_chunk(b"IEND", b"")


def test_png_chunks_up_to_iend() -> None:
    chunks = list(png.walk(PNG + b"trailer"))
    assert [c.type for c in chunks] == [b"IHDR", b"tEXt", b"IEND"]
    assert PNG[chunks[1].body : chunks[1].end] == b"a\0b" and chunks[-1].stop == len(PNG)


def test_png_damage() -> None:
    cut = PNG[: len(png.SIGNATURE) + len(IHDR) + 10]
    with pytest.raises(CorruptFile, match="truncated PNG chunk"):
        list(png.walk(cut))
    with pytest.raises(CorruptFile, match="no IEND"):
        list(png.walk(PNG[: len(png.SIGNATURE) + len(IHDR)]))
    warnings: list[str] = []
    assert [c.type for c in png.walk(cut, warn=warnings.append)] == [b"IHDR"]
    assert warnings == ["PNG file is truncated inside a chunk"]
    with pytest.raises(CorruptFile):  # nothing read before the damage
        list(png.walk(png.SIGNATURE + b"\0\0\0\x20IHDR", warn=warnings.append))
    with pytest.raises(CorruptFile, match="not a PNG"):
        list(png.walk(b"GIF89a"))


def test_png_inflate_is_capped() -> None:
    import zlib

    assert png.inflate(zlib.compress(b"x" * 100)) == b"x" * 100
    with pytest.raises(ValueError, match="inflates beyond"):
        png.inflate(zlib.compress(b"\0" * (2 << 20)), limit=1 << 20)
    with pytest.raises(ValueError, match="damaged"):
        png.inflate(b"not zlib")
    assert png.raw_profile(b"\nexif\n  4\n45786966ffff\n") == b"Exif"


def _webp(*chunks: bytes, declared: int | None = None) -> bytes:
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body) if declared is None else declared) + body


def test_webp_chunks_padded_and_bounded_by_the_riff_size() -> None:
    data = _webp(riff.make_chunk(b"VP8X", b"\0" * 10), riff.make_chunk(b"EXIF", b"odd")) + b"junk"
    chunks = list(riff.walk(data))
    assert [c.fourcc for c in chunks] == [b"VP8X", b"EXIF"]
    assert data[chunks[1].body : chunks[1].end] == b"odd"
    tiny = _webp(riff.make_chunk(b"VP8L", b"12345"), declared=4)  # a writer's bug: file length
    assert [c.fourcc for c in riff.walk(tiny)] == [b"VP8L"]


def test_webp_damage() -> None:
    data = _webp(riff.make_chunk(b"VP8X", b"\0" * 10), riff.make_chunk(b"EXIF", b"x" * 30))
    with pytest.raises(CorruptFile, match="truncated WebP chunk"):
        list(riff.walk(data[:-10]))
    warnings: list[str] = []
    assert [c.fourcc for c in riff.walk(data[:-10], warn=warnings.append)] == [b"VP8X"]
    assert warnings == ["WebP file is truncated inside a chunk"]
    with pytest.raises(CorruptFile, match="not a WebP"):
        list(riff.walk(b"RIFF\0\0\0\0AVI "))
    with pytest.raises(CorruptFile, match="no chunks"):
        list(riff.walk(b"RIFF\0\0\0\0WEBP", warn=warnings.append))


def test_ciff_heaps_are_bounded_even_when_they_point_at_each_other() -> None:
    # a heap whose one entry is a sub-heap (type 0x2800) spanning the whole heap again
    entries = struct.pack("<H", 1) + struct.pack("<HII", 0x2805, 22, 0)
    heap = b"\0" * 8 + entries + struct.pack("<I", 8)
    data = b"II" + struct.pack("<I", 14) + ciff.CRW_SIGNATURE + heap
    found = ciff.header(data, ciff.CRW_SIGNATURE)
    assert found == ("<", 14)
    assert list(ciff.heap_values(data, 14, len(data), "<")) == []  # depth-capped, no values
    assert ciff.header(b"II\0\0\0\0HEAPJPGM", ciff.CRW_SIGNATURE) is None


def _gif(*blocks: bytes) -> bytes:
    return b"GIF89a" + struct.pack("<HHBBB", 2, 1, 0, 0, 0) + b"".join(blocks)


COMMENT = b"\x21\xfe\x05hello\x00"
IMAGE = b"\x2c" + struct.pack("<HHHHB", 0, 0, 2, 1, 0) + b"\x02\x02\x4c\x01\x00"


def test_gif_blocks_up_to_the_trailer() -> None:
    data = _gif(COMMENT, IMAGE, b";") + b"junk"
    walk = gif.Walk(data)
    found = list(walk)
    assert [(b.introducer, b.label) for b in found] == [(0x21, 0xFE), (0x2C, 0)]
    assert data[found[0].body : found[0].end] == b"\x05hello\x00"
    assert walk.complete and data[walk.end :] == b"junk"


def test_gif_damage() -> None:
    with pytest.raises(CorruptFile, match="truncated GIF"):
        list(gif.Walk(_gif(COMMENT, IMAGE[:-3])))
    with pytest.raises(CorruptFile, match="unknown GIF block"):
        list(gif.Walk(_gif(COMMENT, b"\x99")))
    warnings: list[str] = []
    assert len(list(gif.Walk(_gif(COMMENT, IMAGE[:-3]), warn=warnings.append))) == 1
    assert warnings == ["GIF file is truncated"]
    with pytest.raises(CorruptFile, match="not a GIF"):
        gif.Walk(b"GIF89a")
