"""Share-safe copies of camera RAW photos are made from the camera's embedded preview."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageStat

from photoscan.model import Face
from photoscan.share import Blur, ShareOptions, share
from photoscan.strip import StripStatus
from tests.core.metadata.exif.exif_fixtures import ascii_tag, short_tag, with_thumbnail

CHILD = Face(box=(100, 100, 300, 300), age=5.0, child=True)


def _raw(preview: Image.Image, orientation: int | None = None) -> bytes:
    """A TIFF-based RAW (NEF-like): camera and owner in IFD0, the preview JPEG in IFD1."""
    buf = io.BytesIO()
    preview.save(buf, "JPEG", quality=90)
    ifd0 = [ascii_tag(0x010F, "NIKON CORPORATION"), ascii_tag(0x013B, "Jane Doe")]
    if orientation is not None:
        ifd0.append(short_tag(0x0112, orientation))
    return with_thumbnail(ifd0, buf.getvalue(), []) + b"\x00" * 64


def _textured(size: tuple[int, int]) -> Image.Image:
    return Image.effect_noise(size, 60).convert("RGB")


def test_raw_is_shared_from_its_upright_preview_with_faces_hidden(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    stored = _textured((800, 1000))  # the camera keeps it sideways: Orientation 6
    (src / "DSC_0001.NEF").write_bytes(_raw(stored, orientation=6))
    seen: list[tuple[int, int]] = []

    def detect(data: bytes) -> tuple[Face, ...]:
        with Image.open(io.BytesIO(data)) as img:
            seen.append(img.size)
        return (CHILD,)

    (result,) = share([src], out, ShareOptions(blur=Blur.CHILDREN), detect=detect)
    assert result.status is StripStatus.REENCODED, result.reason
    assert "embedded preview (1000x800)" in result.reason
    assert seen == [(1000, 800)]  # faces looked for in the upright preview, not a thumbnail
    assert result.output is not None and result.output.endswith(".jpg")
    data = Path(result.output).read_bytes()
    assert b"Jane Doe" not in data and b"NIKON" not in data
    with Image.open(io.BytesIO(data)) as shared:
        assert shared.size == (1000, 800)
        assert max(ImageStat.Stat(shared.convert("RGB").crop(CHILD.box)).stddev) < 3
    assert {"camera", "person"} <= set(result.removed)


def test_raw_without_a_large_preview_is_refused(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "DSC_0002.NEF").write_bytes(_raw(_textured((160, 120))))
    (result,) = share([src], out, ShareOptions(), detect=lambda data: ())
    assert result.status is StripStatus.REFUSED
    assert "export a JPEG from your RAW editor" in result.reason
    assert not out.exists() or not any(out.iterdir())


def test_upright_preview_with_nothing_to_hide_is_shared_without_re_encoding(
    tmp_path: Path,
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    preview = _textured((900, 600))
    (src / "DSC_0003.NEF").write_bytes(_raw(preview))  # no Orientation anywhere
    (result,) = share([src], out, ShareOptions(), detect=lambda data: ())
    assert result.status is StripStatus.REENCODED, result.reason
    assert "embedded preview (900x600)" in result.reason
    assert result.output is not None
    buf = io.BytesIO()
    preview.save(buf, "JPEG", quality=90)
    with (
        Image.open(io.BytesIO(Path(result.output).read_bytes())) as shared,
        Image.open(buf) as made,
    ):
        assert shared.tobytes() == made.tobytes()  # the camera's JPEG, stripped: same pixels
