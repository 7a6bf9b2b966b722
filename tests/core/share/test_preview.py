"""The share dialog's preview: exactly the copy ``share`` would write, made without writing."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from photoscan.model import Face
from photoscan.share import Blur, ShareOptions, share
from photoscan.share.preview import preview
from photoscan.strip import StripStatus
from tests.core.strip import fixtures
from tests.core.strip.test_exports import write_zip

pytestmark = pytest.mark.filterwarnings("ignore:Image appears to be a malformed MPO")
CHILD = Face(box=(4, 4, 20, 20), age=6.0, child=True)
ADULT = Face(box=(40, 20, 58, 40), age=40.0, child=False)


def _stub(*faces: Face) -> Callable[[bytes], tuple[Face, ...]]:
    return lambda data: faces


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    path = src / "IMG_20240501_Springfield.jpg"
    path.write_bytes(fixtures.dirty_jpeg(orientation=None))
    return path


def test_the_preview_is_the_copy_and_writes_nothing(photo: Path, tmp_path: Path) -> None:
    options = ShareOptions(max_size=32, rename=True)
    before = sorted(tmp_path.rglob("*"))
    shown = preview(photo, options, index=7, detect=_stub(CHILD, ADULT))
    assert sorted(tmp_path.rglob("*")) == before
    assert shown.result.status is StripStatus.REENCODED
    assert shown.result.faces_found == 2 and shown.result.faces_hidden == 1
    assert shown.name == "photo-0007.jpg"
    assert (shown.width, shown.height) == (32, 24)
    assert shown.data is not None and fixtures.ARTIST.encode() not in shown.data
    (written,) = share([photo], tmp_path / "out", options, detect=_stub(CHILD, ADULT))
    assert written.output is not None
    assert Path(written.output).read_bytes() == shown.data


def test_the_preview_shows_the_child_covered(photo: Path) -> None:
    shown = preview(photo, ShareOptions(), detect=_stub(CHILD))
    assert shown.data is not None and shown.name == photo.name
    img = Image.open(io.BytesIO(shown.data)).convert("RGB")
    assert max(ImageStat.Stat(img.crop(CHILD.box)).stddev) < 3


def test_a_photo_that_cannot_be_shared_previews_its_reason(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    shown = preview(notes, ShareOptions(blur=Blur.NONE), detect=_stub())
    assert shown.data is None and shown.result.status is StripStatus.REFUSED
    assert shown.result.reason and shown.name == ""


def test_a_zip_member_is_previewed_in_place(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "x.zip", {"a/b.jpg": fixtures.dirty_jpeg(orientation=None)})
    shown = preview(path, ShareOptions(), member="a/b.jpg", detect=_stub())
    assert shown.result.status is StripStatus.STRIPPED and shown.name == "b.jpg"
    assert (shown.width, shown.height) == (64, 48)
