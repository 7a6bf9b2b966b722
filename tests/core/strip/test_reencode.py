"""The HEIF re-encode (the strip's last resort): the pixels it encodes are the ones Pillow
decodes, and a 12-MP photo's child stays lean (one decoded buffer, no copies)."""

from __future__ import annotations

import io
import subprocess
import sys
from typing import Any

import pytest
from PIL import Image

from photoscan.strip import reencode
from tests import conftest
from tests.core.strip import fixtures

# The child of a 12-MP HEIC re-encode peaked at ~385-420 MB when the pixels went through
# Pillow (four copies of the 36 MB picture more than now); ~290-325 MB since. x265 itself
# takes ~170-200 MB of that for one 12-MP frame.
PEAK_12MP_MB = 350


def _encoded_pixels(
    data: bytes, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, tuple[int, int], bytes]:
    """(mode, size, rows without their padding) that the re-encode hands to the encoder."""
    import pillow_heif

    seen: dict[str, Any] = {}

    def capture(mode: str, size: tuple[int, int], pixels: Any, fp: Any, **kwargs: Any) -> None:
        seen.update(mode=mode, size=size, pixels=bytes(pixels), stride=kwargs["stride"])
        assert not {"exif", "xmp", "thumbnails", "depth_images"} & set(kwargs)

    monkeypatch.setattr(pillow_heif, "encode", capture)
    outcome, _ = reencode._reencode(data, "HEIF")
    assert outcome == "ok"
    width, height = seen["size"]
    row = len(seen["pixels"]) // height if not seen["stride"] else seen["stride"]
    used = width * len(Image.new(seen["mode"], (1, 1)).tobytes())
    rows = b"".join(seen["pixels"][y * row : y * row + used] for y in range(height))
    return seen["mode"], seen["size"], rows


def _pillow_pixels(data: bytes) -> tuple[str, tuple[int, int], bytes]:
    import pillow_heif

    pillow_heif.register_heif_opener()
    with Image.open(io.BytesIO(data)) as img:
        return img.mode, img.size, img.tobytes()


def _heif(image: Image.Image, **params: Any) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    image.save(out, "HEIF", quality=90, **params)
    return out.getvalue()


def test_the_pixels_encoded_are_the_ones_pillow_decodes(
    heic: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dirty HEIC is stored turned (its EXIF orientation 6 became irot): both decode it
    upright, to the same bytes."""
    assert _encoded_pixels(heic, monkeypatch) == _pillow_pixels(heic)
    assert _pillow_pixels(heic)[1] == (48, 64)  # upright: the 64x48 picture turned


# ``heic`` only for its skip where this build cannot write HEIF.
@pytest.mark.parametrize("mode", ["RGBA", "L"])
def test_alpha_and_grey_pictures_keep_their_pixels(
    mode: str, heic: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    image = fixtures.picture((65, 33)).convert(mode)  # odd sizes: padded rows
    data = _heif(image)
    assert _encoded_pixels(data, monkeypatch) == _pillow_pixels(data)


def test_a_ten_bit_picture_is_encoded_from_the_same_eight_bit_pixels(
    heic: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pillow_heif

    picture = fixtures.picture((40, 30))
    wide = bytes(b for v in picture.tobytes() for b in (v << 8 | v).to_bytes(2, "little"))
    out = io.BytesIO()
    pillow_heif.encode("RGB;16", picture.size, wide, out, quality=90)
    data = out.getvalue()
    assert pillow_heif.open_heif(data, convert_hdr_to_8bit=False).mode != "RGB"
    assert _encoded_pixels(data, monkeypatch) == _pillow_pixels(data)


def test_a_real_iphone_photo_keeps_its_pixels(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 12-MP iPhone HEIC: a grid of 512-px tiles, an ICC profile, a gain map."""
    path = conftest.testdata_dir("d_metadata") / "ianare_heic_mobile_iphone_13_pro_max.HEIC"
    data = path.read_bytes()
    assert _encoded_pixels(data, monkeypatch) == _pillow_pixels(data)


def test_a_12mp_re_encode_child_stays_lean() -> None:
    """The child's own peak, read in a parent that starts only that child."""
    path = conftest.testdata_dir("d_metadata") / "ianare_heic_mobile_iphone_13_pro_max.HEIC"
    code = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from photoscan.model import ImageFormat\n"
        "from photoscan.strip.reencode import reencode_heif\n"
        "done = reencode_heif(Path(sys.argv[1]).read_bytes(), ImageFormat.HEIF, 'test')\n"
        "assert done.reencoded == 'HEIF quality 95'\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    peak_mb = int(done.stdout.split()[-1])
    assert peak_mb < PEAK_12MP_MB, peak_mb
