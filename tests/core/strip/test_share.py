"""Share-safe copies with a stub face detector: what is hidden, resized, renamed, refused."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from photoscan.errors import CorruptFile
from photoscan.model import ChildLevel, Face, ImageFormat
from photoscan.share import Blur, ShareOptions, hide_faces, share
from photoscan.strip import StripOptions, StripStatus, strip_bytes
from tests.core.strip import fixtures

pytestmark = pytest.mark.filterwarnings("ignore:Image appears to be a malformed MPO")
CHILD = Face(box=(4, 4, 20, 20), age=6.0, child=True)
ADULT = Face(box=(40, 20, 58, 40), age=40.0, child=False)


def _stub(*faces: Face) -> Callable[[bytes], tuple[Face, ...]]:
    return lambda data: faces


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    # No orientation: the stub's boxes are in the stored (= displayed) orientation.
    (src / "IMG_20240501_Springfield.jpg").write_bytes(fixtures.dirty_jpeg(orientation=None))
    return src


def _region(img: Image.Image, face: Face) -> Image.Image:
    return img.crop(face.box)


def test_children_hidden_adults_kept_metadata_gone(photo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    detect = _stub(CHILD, ADULT)
    (result,) = share([photo], out, ShareOptions(), detect=detect)
    assert result.status is StripStatus.REENCODED
    assert result.faces_found == 2 and result.faces_hidden == 1
    assert result.output is not None
    data = Path(result.output).read_bytes()
    for secret in (fixtures.ARTIST.encode(), b"Springfield", b"MOTION-PHOTO"):
        assert secret not in data
    original = Image.open(photo / "IMG_20240501_Springfield.jpg").convert("RGB")
    shared = Image.open(io.BytesIO(data)).convert("RGB")
    assert max(ImageStat.Stat(_region(shared, CHILD)).stddev) < 3  # flat: nothing to recognise
    assert max(ImageStat.Stat(_region(original, CHILD)).stddev) > 20
    diff = [
        abs(a - b)
        for a, b in zip(
            _region(shared, ADULT).tobytes(), _region(original, ADULT).tobytes(), strict=True
        )
    ]
    assert sum(diff) / len(diff) < 4  # only re-encoding noise on the adult


def test_possible_children_are_hidden_by_default(photo: Path, tmp_path: Path) -> None:
    possible = Face(CHILD.box, 25.0, True, ChildLevel.POSSIBLE_CHILD)
    (result,) = share([photo], tmp_path / "out", ShareOptions(), detect=_stub(possible, ADULT))
    assert result.faces_found == 2 and result.faces_hidden == 1
    assert result.output is not None
    shared = Image.open(result.output).convert("RGB")
    assert max(ImageStat.Stat(_region(shared, possible)).stddev) < 3


def test_blur_faces_hides_everyone(photo: Path, tmp_path: Path) -> None:
    options = ShareOptions(blur=Blur.FACES)
    (result,) = share([photo], tmp_path / "out", options, detect=_stub(CHILD, ADULT))
    assert result.faces_hidden == 2
    assert result.output is not None
    shared = Image.open(result.output).convert("RGB")
    assert max(ImageStat.Stat(_region(shared, ADULT)).stddev) < 3


def test_no_faces_no_resize_is_a_lossless_strip(photo: Path, tmp_path: Path) -> None:
    (result,) = share([photo], tmp_path / "out", ShareOptions(), detect=_stub())
    assert result.status is StripStatus.STRIPPED
    assert result.faces_found == 0
    original = (photo / "IMG_20240501_Springfield.jpg").read_bytes()
    assert result.output is not None
    expected = strip_bytes(original, ImageFormat.JPEG, StripOptions()).data
    assert Path(result.output).read_bytes() == expected


def test_rename_and_max_size(photo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    options = ShareOptions(blur=Blur.NONE, max_size=32, rename=True)
    (result,) = share([photo], out, options, detect=_stub(CHILD))
    assert result.output == str(out / "photo-0001.jpg")
    assert result.faces_found is None  # not looked for
    assert max(Image.open(result.output).size) == 32
    assert sorted(p.name for p in out.iterdir()) == ["photo-0001.jpg", "photoscan-names.csv"]
    mapping = (out / "photoscan-names.csv").read_text().splitlines()
    assert mapping == ["copy,original", f"photo-0001.jpg,{photo}/IMG_20240501_Springfield.jpg"]


def test_undecodable_faces_fail_closed(photo: Path, tmp_path: Path) -> None:
    def broken(data: bytes) -> tuple[Face, ...]:
        raise CorruptFile("cannot decode")

    (result,) = share([photo], tmp_path / "out", ShareOptions(), detect=broken)
    assert result.status is StripStatus.FAILED
    assert not (tmp_path / "out").exists()


def test_only_regular_files_are_read(photo: Path, tmp_path: Path) -> None:
    """A FIFO (which used to block share forever) and a link to /dev/zero (read without
    any cap) are refused from the opened descriptor's type, unread; the photo is shared."""
    os.mkfifo(photo / "pipe.jpg")
    (photo / "zero.jpg").symlink_to("/dev/zero")
    (photo / "gone.jpg").symlink_to(tmp_path / "missing.jpg")
    results = {
        Path(r.path).name: r
        for r in share([photo], tmp_path / "out", ShareOptions(), detect=_stub())
    }
    for name in ("pipe.jpg", "zero.jpg"):
        assert results[name].status is StripStatus.REFUSED, results[name]
        assert "not a regular file" in results[name].reason
    assert results["gone.jpg"].status is StripStatus.REFUSED
    assert results["gone.jpg"].reason == "broken symbolic link; not copied"
    assert results["IMG_20240501_Springfield.jpg"].status is StripStatus.STRIPPED
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["IMG_20240501_Springfield.jpg"]


def test_hide_faces_clamps_boxes_to_the_image() -> None:
    img = fixtures.picture()
    assert hide_faces(img, [Face((-10, -10, 5, 5), 3.0, True), Face((70, 70, 90, 90), 3.0, True)])
    assert img.size == (64, 48)


def test_animations_are_not_shared_when_faces_must_be_checked(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    frames = [fixtures.picture(), fixtures.picture().rotate(180)]
    frames[0].save(src / "anim.gif", save_all=True, append_images=frames[1:])
    (result,) = share([src], tmp_path / "out", ShareOptions(), detect=_stub())
    assert result.status is StripStatus.REFUSED
    assert "animated" in result.reason
    (plain,) = share([src], tmp_path / "out2", ShareOptions(blur=Blur.NONE), detect=_stub())
    assert plain.status is StripStatus.ALREADY_CLEAN  # nothing to check or remove


def test_heif_collection_shares_the_primary_image_only(tmp_path: Path) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    src = tmp_path / "src"
    src.mkdir()
    try:
        fixtures.picture().save(
            src / "burst.heic", "HEIF", save_all=True, append_images=[fixtures.picture()]
        )
    except (OSError, ValueError) as exc:
        pytest.skip(f"cannot write HEIF here: {exc}")
    assert len(pillow_heif.open_heif(src / "burst.heic")) == 2
    (result,) = share([src], tmp_path / "out", ShareOptions(), detect=_stub())
    assert result.status is StripStatus.REENCODED
    assert "primary image only" in result.reason
    assert result.output is not None and result.output.endswith(".jpg")
