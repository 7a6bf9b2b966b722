"""A strip carries the parent's decisions over to the stripped photo's new content hash."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from photoscan.library.content import hash_bytes
from photoscan.library.store import Library
from photoscan.model import FaceMark, Mark
from photoscan.strip.batch import apply, plan
from photoscan.strip.carry import to_stored
from photoscan.strip.types import StripOptions, StripStatus

BOX = (10, 20, 40, 60)  # in the upright picture: 120 wide, 200 high (stored 200x120, turned)


def _turned_jpeg(path: Path) -> bytes:
    img = Image.new("RGB", (200, 120), (200, 100, 50))
    exif = Image.Exif()
    exif[0x0112] = 6  # shown turned 90° clockwise
    exif[0x013B] = "Jane Example"  # Artist: something to strip
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif.tobytes())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())
    return buf.getvalue()


@pytest.mark.parametrize("orientation", range(1, 9))
def test_to_stored_inverts_each_orientation(orientation: int) -> None:
    stored = Image.new("L", (200, 120), 0)
    stored.paste(255, (30, 10, 50, 40))  # a white box in the stored pixels
    from PIL import ImageOps

    exif = Image.Exif()
    exif[0x0112] = orientation
    stored.info["exif"] = exif.tobytes()
    shown = ImageOps.exif_transpose(stored)
    bbox = shown.getbbox()
    assert bbox is not None
    assert to_stored(bbox, orientation, shown.size) == (30, 10, 50, 40)


def test_a_copy_and_an_in_place_strip_keep_the_decisions(tmp_path: Path) -> None:
    original = _turned_jpeg(tmp_path / "in" / "a.jpg")
    with Library() as library:
        library.mark_face(hash_bytes(original), BOX, Mark.CHILD)
        library.set_reviewed(hash_bytes(original))
    results = list(apply(plan([tmp_path / "in"], out=tmp_path / "out"), StripOptions()))
    assert results[0].status is StripStatus.STRIPPED
    copy = (tmp_path / "out" / "a.jpg").read_bytes()
    assert copy != original
    with Library() as library:
        carried = library.decisions(hash_bytes(copy))
    assert carried.marks == (FaceMark(BOX, Mark.CHILD),) and carried.reviewed

    in_place = plan([tmp_path / "in"], backup_dir=tmp_path / "backup")
    [done] = apply(in_place, StripOptions())
    assert done.status is StripStatus.STRIPPED
    stripped = (tmp_path / "in" / "a.jpg").read_bytes()
    with Library() as library:
        assert library.decisions(hash_bytes(stripped)).marks == (FaceMark(BOX, Mark.CHILD),)
        assert library.decisions(hash_bytes(original)).reviewed  # the backup's, kept too


def test_boxes_turn_with_the_picture_when_its_orientation_is_dropped(tmp_path: Path) -> None:
    original = _turned_jpeg(tmp_path / "in" / "a.jpg")
    with Library() as library:
        library.add_face(hash_bytes(original), BOX)
    options = StripOptions(keep_orientation=False)
    [done] = apply(plan([tmp_path / "in"], out=tmp_path / "out"), options)
    assert done.output
    copy = (tmp_path / "out" / "a.jpg").read_bytes()
    with Image.open(io.BytesIO(copy)) as img:
        assert img.getexif().get(0x0112) in (None, 1) and img.size == (200, 120)
    with Library() as library:
        added = library.decisions(hash_bytes(copy)).added
    assert added == (to_stored(BOX, 6, (120, 200)),)
    assert added == ((20, 80, 60, 110),)


def test_a_dry_run_and_a_library_without_decisions_carry_nothing(tmp_path: Path) -> None:
    _turned_jpeg(tmp_path / "in" / "a.jpg")
    list(apply(plan([tmp_path / "in"], out=tmp_path / "out"), StripOptions(), dry_run=True))
    list(apply(plan([tmp_path / "in"], out=tmp_path / "out2"), StripOptions()))
    with Library(create=False) as library:
        assert library.count() == 0
