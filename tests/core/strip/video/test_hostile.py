"""Hostile and broken box structures: a clear error naming the file, no hang, nothing written."""

from __future__ import annotations

import io
import struct
from pathlib import Path
from typing import Any

import pytest

from photoscan.containers import bmff
from photoscan.errors import CorruptFile
from photoscan.metadata.video.read import read_video
from photoscan.strip.types import Refused, StripOptions
from tests import videos as fx

HEAD = fx.ftyp(b"isom")


def _moov(*boxes: bytes) -> bytes:
    return fx.box(b"moov", fx.mvhd() + b"".join(boxes))


CASES = {
    "size smaller than its header": HEAD + struct.pack(">I4s", 4, b"moov") + bytes(64),
    "64-bit size smaller than its header": HEAD + struct.pack(">I4sQ", 1, b"moov", 8) + bytes(64),
    "64-bit size of zero": HEAD + struct.pack(">I4sQ", 1, b"free", 0) + _moov(),
    "moov claiming 1 GB": HEAD + struct.pack(">I4s", 1 << 30, b"moov") + fx.mvhd() + bytes(3000),
    "child past its parent": HEAD
    + fx.box(b"moov", fx.mvhd() + struct.pack(">I4s", 500, b"trak") + bytes(16)),
    "no movie box": HEAD + fx.box(b"mdat", bytes(100)),
    "two movie boxes": HEAD + _moov() + _moov(),
    "uuid too short for its type": HEAD + fx.box(b"uuid", bytes(8)) + _moov(),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_structure_is_a_clear_error_naming_the_file(case: str, tmp_path: Path) -> None:
    data = CASES[case]
    with pytest.raises(CorruptFile) as caught:
        read_video(io.BytesIO(data), "holiday.mp4")
    assert str(caught.value).startswith("holiday.mp4: ")
    source = tmp_path / "holiday.mp4"
    source.write_bytes(data)
    out = tmp_path / "out" / "holiday.mp4"
    with pytest.raises(CorruptFile):
        fx.strip_to(source, out, StripOptions())
    assert not out.exists()
    assert not list((tmp_path / "out").glob(".photoscan-*")) if out.parent.exists() else True


def test_nesting_and_box_count_are_capped() -> None:
    deep = fx.box(b"free")
    for _ in range(40):
        deep = fx.box(b"trak", deep)
    with pytest.raises(CorruptFile, match="nested more than"):
        read_video(io.BytesIO(HEAD + _moov(deep)), "deep.mov")
    many = fx.box(b"free") * 250_000
    with pytest.raises(CorruptFile, match=r"many\.mov: too many boxes \(more than 200000\)"):
        read_video(io.BytesIO(HEAD + _moov(fx.box(b"trak", many))), "many.mov")
    # Inside user data the damage costs that box only: a warning, and a strip removes it whole.
    video = read_video(io.BytesIO(HEAD + _moov(fx.box(b"udta", many))), "many.mov")
    assert any("too many boxes" in w for w in video.extraction.warnings)


def test_walker_sizes_64_bit_size_zero_and_uuid() -> None:
    uuid = bytes(range(16))
    data = fx.box64(b"free", b"abcd") + fx.box(b"uuid", uuid + b"xy") + b"\0\0\0\0skip" + b"tail"
    reader = bmff.MemoryReader(data, 0)
    first, second, third = bmff.walk(reader, what="w.mp4", uuid=True)
    assert (first.type, first.header, first.size) == (b"free", 16, 20)
    assert (second.type, second.uuid, second.header, second.payload_size) == (b"uuid", uuid, 24, 2)
    assert (third.type, third.start, third.end) == (b"skip", 46, len(data))  # size 0: to the end


def test_truncated_stco_is_refused_by_the_stripper(tmp_path: Path) -> None:
    clip = fx.make_clip(tmp_path / "v.mp4", metadata={"artist": "Ben"})
    data = bytearray(clip.read_bytes())
    at = data.find(b"stco")
    struct.pack_into(">I", data, at + 8, 100_000)  # claims far more entries than it holds
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(bytes(data))
    with pytest.raises(CorruptFile, match=r"broken\.mp4: 'stco' lists 100000 entries"):
        fx.strip_to(broken, tmp_path / "out.mp4", StripOptions())
    assert not (tmp_path / "out.mp4").exists()


class _Counting(io.RawIOBase):
    """A file that counts the bytes read from it."""

    def __init__(self, path: Path) -> None:
        self._fh = open(path, "rb")  # noqa: SIM115
        self.read_bytes = 0

    def readinto(self, buffer: Any) -> int:
        n = self._fh.readinto(buffer)
        self.read_bytes += n or 0
        return n or 0

    def seek(self, pos: int, whence: int = 0) -> int:
        return self._fh.seek(pos, whence)

    def tell(self) -> int:
        return self._fh.tell()

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def close(self) -> None:
        self._fh.close()
        super().close()


def test_a_2_gb_sparse_video_is_planned_from_its_headers_alone(tmp_path: Path) -> None:
    clip = fx.make_clip(
        tmp_path / "v.mp4", metadata={"artist": "Ben"}, extra=("-movflags", "+faststart")
    )
    big = tmp_path / "big.mp4"
    hole = 2 * 1024**3
    with open(big, "wb") as fh:
        fh.write(clip.read_bytes())
        fh.write(struct.pack(">I4sQ", 1, b"mdat", 16 + hole))
        fh.truncate(fh.tell() + hole)  # a sparse mdat: no disk used
    assert big.stat().st_size > hole
    counting = _Counting(big)
    with io.BufferedReader(counting, buffer_size=4096) as fh:
        video = read_video(fh, big.name)  # type: ignore[arg-type]
        plan = fx.plan_of(fh, big.name, StripOptions())  # type: ignore[arg-type]
    assert video.extraction.findings and plan.changed
    assert plan.size == big.stat().st_size
    assert counting.read_bytes < 1024 * 1024


def _planned_moov(data: bytes, options: StripOptions) -> bytes:
    plan = fx.plan_of(io.BytesIO(data), "pad.mp4", options)
    return b"".join(p.data for p in plan.patches)


def test_stale_bytes_in_free_boxes_are_wiped_at_every_depth_but_not_in_damaged_boxes() -> None:
    """Padding keeps old metadata: every free/skip box of the movie tree is zeroed (in a
    track, in an item list), but not inside a container that could not be walked (it is read
    as one opaque box)."""
    broken_udta = fx.box(b"udta", fx.box(b"free", b"KEEPME") + struct.pack(">I4s", 500, b"XYZW"))
    item = fx.box(b"\xa9nam", fx.box(b"data", bytes(8) + b"x") + fx.box(b"free", b"INNER"))
    ilst = fx.box(b"ilst", fx.box(b"free", b"ITEMPAD") + item)
    meta = fx.box(b"meta", bytes(4) + fx.box(b"hdlr", bytes(24)) + ilst)
    mdia = fx.box(b"mdia", fx.box(b"free", b"OLDNAME") + broken_udta + fx.box(b"skip", b"GONE"))
    trak = fx.box(b"trak", mdia + fx.box(b"minf", meta))
    moov = _planned_moov(HEAD + _moov(trak, fx.box(b"free", b"TOP")), StripOptions())
    for wiped in (b"OLDNAME", b"GONE", b"ITEMPAD", b"INNER", b"TOP"):
        assert wiped not in moov
    assert b"KEEPME" in moov


def _offsets(data: bytes) -> list[tuple[int, list[int]]]:
    """(position of the first entry, entries) of every ``stco`` of a clip, in track order."""
    found = []
    at = data.find(b"stco")
    while at > 0:
        count = struct.unpack_from(">I", data, at + 8)[0]
        found.append((at + 12, list(struct.unpack_from(f">{count}I", data, at + 12))))
        at = data.find(b"stco", at + 4)
    return found


@pytest.mark.parametrize("faststart", [False, True], ids=["moov last", "moov first"])
def test_picture_chunks_inside_moov_or_on_metadata_samples_are_refused(
    faststart: bool, tmp_path: Path
) -> None:
    """Whether the movie box comes first (the picture then lies after it) or last, a picture
    chunk moved into ``moov``, or onto the samples of the GPS track that a strip zeroes,
    makes the planner refuse the file rather than zero picture bytes."""
    extra = ("-movflags", "+faststart") if faststart else ()
    clip = fx.make_clip(tmp_path / "g.mov", gpmd=fx.gpmf_gps(47.6, -122.3, 56.0), extra=extra)
    data = clip.read_bytes()
    (video_at, _), *_rest, (_, gps) = _offsets(data)
    moov = data.find(b"moov") - 4
    for target, reason in ((moov + 8, "inside the movie box"), (gps[0], "overlap picture")):
        broken = bytearray(data)
        struct.pack_into(">I", broken, video_at, target)
        with pytest.raises(Refused, match=reason):
            fx.plan_of(io.BytesIO(bytes(broken)), "g.mov", StripOptions())
    assert fx.plan_of(io.BytesIO(data), "g.mov", StripOptions()).zero  # as made: planned
