"""images.pillow: Pillow prepared once, one pixel cap for every decode."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from photoscan.errors import FileTooLarge
from photoscan.images import pillow
from photoscan.limits import MAX_PIXELS


def _png(size: tuple[int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, "white").save(buf, "PNG")
    return buf.getvalue()


def test_the_pixel_cap_is_checked_from_the_header() -> None:
    data = _png((40, 30))
    with pillow.open_image(data) as image:
        assert image.size == (40, 30)
    with pytest.raises(
        FileTooLarge, match=r"40x30 pixels \(0.0012 megapixels\) is over the 0.001-"
    ):
        pillow.open_image(data, max_pixels=1000)
    assert Image.MAX_IMAGE_PIXELS == MAX_PIXELS  # set here, once, for the whole process


def test_a_bomb_past_pillows_own_limit_gets_the_same_words() -> None:
    """Past twice the cap Pillow refuses it itself (DecompressionBombError) as it opens the
    header; that is the same refusal, in photoscan's words, not an undecodable file."""
    from tests.robustness.hostile_files import bomb_png

    with pytest.raises(FileTooLarge) as refused:
        pillow.open_image(bomb_png())
    assert str(refused.value) == (
        "picture too large: 900 megapixels is over the 200-megapixel limit; refused from its "
        "header, nothing decoded"
    )


def test_upright_prefers_the_image_own_orientation() -> None:
    image = Image.new("RGB", (4, 2))
    turned, applied = pillow.upright(image, 6)  # no EXIF of its own: the fallback applies
    assert (turned.size, applied) == ((2, 4), 6)
    same, applied = pillow.upright(image, 1)
    assert same is image and applied == 1


def _decode_error(data: bytes) -> str:
    from photoscan.errors import CorruptFile
    from photoscan.images.decode import decode

    with pytest.raises(CorruptFile) as failed:
        decode(data, 64)
    return str(failed.value)


def test_decode_failures_are_worded_for_a_parent() -> None:
    """Not Pillow's words ("Truncated File Read", "MAX_TEXT_CHUNK", "cannot identify image
    file <_io.BytesIO object at 0x...>"): what happened to the picture, in the file's terms."""
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(buf, "JPEG")
    cut = _decode_error(buf.getvalue()[:400])
    assert (
        cut
        == "the picture could not be decoded: the file ends before the picture does (cut short?)"
    )
    text = io.BytesIO()
    big = Image.new("RGB", (4, 4))
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "x" * (PngImagePlugin.MAX_TEXT_CHUNK + 1), zip=True)
    big.save(text, "PNG", pnginfo=info)
    assert _decode_error(text.getvalue()) == (
        "the picture could not be decoded: it holds a text block larger than photoscan reads"
    )
    assert _decode_error(b"\x00" * 64) == pillow.UNDECODABLE
    for words in (cut, pillow.UNDECODABLE):
        assert "Pillow" not in words and "0x" not in words
