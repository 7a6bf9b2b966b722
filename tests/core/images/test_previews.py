"""Faces in RAW and DNG photos, found in their largest embedded JPEG preview.

The RAW-like files are built here: a TIFF-based RAW (named .nef, as the scan names it) or
a CR3 whose preview JPEG is a grey scene with a real face from the test data pasted in at
test time (no face image, crop or RAW is stored in the repo).
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from PIL import Image

from benchmarks.eval_faces import centre_in, read_manifest
from photoscan.errors import CorruptFile, FileTooLarge, UnsupportedFormat
from photoscan.faces.analyse import decode_photo, detect_faces
from photoscan.faces.pool import _work
from photoscan.faces.settings import FaceSettings
from photoscan.images import pillow, previews
from photoscan.metadata import Source, extract
from photoscan.model import FileError, ImageFormat
from photoscan.source.fileref import FileRef
from tests.conftest import testdata_dir as _testdata_dir
from tests.core.metadata.exif.exif_fixtures import (
    ascii_tag,
    build_tiff,
    long_tag,
    short_tag,
    with_thumbnail,
)
from tests.core.metadata.raw import raw_fixtures as rf

SETTINGS = FaceSettings()
Box = tuple[int, int, int, int]


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _scene(size: tuple[int, int], age: int, at: Box) -> Image.Image:
    """A grey scene with a real face of the given age pasted over ``at``."""
    folder = _testdata_dir("a_age_faces")
    name = next(n for n, label in read_manifest(folder) if int(label) == age)
    scene = Image.new("RGB", size, (128, 120, 110))
    with Image.open(folder / name) as face:
        scene.paste(face.convert("RGB").resize((at[2] - at[0], at[3] - at[1])), at[:2])
    return scene


def nef_with_preview(
    preview: bytes, stored: tuple[int, int], orientation: int | None = None
) -> bytes:
    """A TIFF-based RAW: IFD0 (camera, orientation), an Exif IFD with the developed size
    and IFD1 pointing at the preview JPEG; a few placeholder bytes of "sensor data"."""
    ifd0 = [ascii_tag(0x010F, "NIKON CORPORATION"), ascii_tag(0x0110, "NIKON D9")]
    if orientation is not None:
        ifd0.append(short_tag(0x0112, orientation))
    exif = [long_tag(0xA002, stored[0]), long_tag(0xA003, stored[1])]
    return with_thumbnail(ifd0, preview, exif) + b"\x00" * 64


def test_face_in_preview_maps_to_the_raw_with_orientation_6() -> None:
    upright = _scene((900, 700), 30, (560, 160, 780, 380))
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # the camera keeps it sideways
    data = nef_with_preview(_jpeg(stored), (2800, 3600), orientation=6)  # the photo: 4x the preview
    record = extract(Source("p.nef", data, ImageFormat.RAW))
    assert (record.width, record.height) == (2800, 3600)
    faces = detect_faces(data, SETTINGS, "dir/p.nef", previews=True)
    assert len(faces) == 1
    truth = (4 * 560, 4 * 160, 4 * 780, 4 * 380)  # displayed: 3600x2800, landscape
    assert centre_in(truth, faces[0].box)
    left, top, right, bottom = faces[0].box
    assert 0 <= left < right <= 3600 and 0 <= top < bottom <= 2800
    assert abs((right - left) - 4 * 220) < 4 * 90
    # Named as a TIFF, Pillow finds no image in IFD0: the preview is still looked at.
    assert decode_photo(data, "p.tif", SETTINGS).width == 3600


def test_without_previews_boxes_stay_in_pillows_pixels() -> None:
    """``share`` hides faces in the pixels Pillow decodes: it must not get preview boxes."""
    data = nef_with_preview(_jpeg(Image.new("RGB", (900, 700))), (2800, 3600), orientation=6)
    with pytest.raises(CorruptFile):
        detect_faces(data, SETTINGS, "p.nef")  # IFD0 holds no image Pillow can decode
    with pytest.raises(CorruptFile, match=pillow.UNDECODABLE):
        detect_faces(rf.cr3(preview=_jpeg(Image.new("RGB", (1500, 1000)))), SETTINGS)


def test_child_in_a_cr3_preview_is_flagged() -> None:
    at = (700, 200, 1000, 500)
    preview = _jpeg(_scene((1500, 1000), 4, at))
    data = rf.cr3(preview=preview)  # CMT1 says the photo is 6000x4000, no orientation
    faces = detect_faces(data, SETTINGS, "IMG_0001.CR3", previews=True)
    assert len(faces) == 1
    assert faces[0].child
    assert centre_in(tuple(4 * v for v in at), faces[0].box)  # type: ignore[arg-type]


def test_largest_preview_is_chosen() -> None:
    big, small = _jpeg(Image.new("RGB", (1620, 1080))), _jpeg(Image.new("RGB", (160, 120)))
    preview = previews.choose(rf.cr3(thumb=small, preview=big), ImageFormat.RAW, "x.cr3")
    assert (preview.field, preview.size, preview.photo_size) == (
        "CR3:PreviewImage",
        (1620, 1080),
        (6000, 4000),
    )
    raf = rf.raf(jpeg=big)
    assert previews.choose(raf, ImageFormat.RAW, "x.raf").size == (1620, 1080)
    x3f = rf.x3f(sections=[(b"IMA2", rf.x3f_image(big, (1620, 1080)))])
    assert previews.choose(x3f, ImageFormat.RAW, "x.x3f").size == (1620, 1080)
    crw = rf.crw([(0x2007, big), (0x2008, small)])
    assert previews.choose(crw, ImageFormat.RAW, "x.crw").size == (1620, 1080)


def test_orientation_is_read_from_ifd0_and_cr3() -> None:
    assert previews.orientation(nef_with_preview(b"", (10, 10), orientation=8)) == 8
    assert previews.orientation(nef_with_preview(b"", (10, 10))) == 1
    cmts = rf.cmt_blocks()
    cmts[b"CMT1"] = build_tiff([short_tag(0x0112, 6), long_tag(0x0100, 6000)])
    assert previews.orientation(rf.cr3(cmts=cmts)) == 6


def test_only_a_small_preview_gives_a_plain_reason(tmp_path: Path) -> None:
    data = nef_with_preview(_jpeg(Image.new("RGB", (320, 240), (90, 90, 90))), (3200, 2400))
    with pytest.raises(UnsupportedFormat, match=r"only a small embedded preview \(320×240\)"):
        decode_photo(data, "p.nef", SETTINGS)
    result = _work("p.nef", _file(tmp_path, data, "p.nef"))
    assert isinstance(result, FileError)
    assert "faces not checked" in result.reason


@pytest.mark.parametrize("label", sorted(rf.BUILDERS))
def test_fixture_raws_with_tiny_previews_give_the_plain_reason(label: str) -> None:
    with pytest.raises(UnsupportedFormat, match=r"only a small embedded preview|no embedded"):
        decode_photo(rf.BUILDERS[label](), f"x.{label.lower()}", SETTINGS)


def test_raw_without_preview_is_not_checked() -> None:
    with pytest.raises(UnsupportedFormat, match="no embedded JPEG preview"):
        decode_photo(build_tiff([ascii_tag(0x010F, "NIKON")]), "p.nef", SETTINGS)


def test_truncated_preview_is_an_error_not_a_crash(tmp_path: Path) -> None:
    jpeg = _jpeg(_scene((900, 700), 30, (560, 160, 780, 380)))
    data = nef_with_preview(jpeg, (900, 700))
    cut = data[: len(data) - 64 - len(jpeg) // 2]  # the file ends in the middle of the JPEG
    with pytest.raises(CorruptFile):
        decode_photo(cut, "p.nef", SETTINGS)
    result = _work("p.nef", _file(tmp_path, cut, "p.nef"))
    assert isinstance(result, FileError)


def test_preview_declaring_a_huge_size_is_refused(tmp_path: Path) -> None:
    jpeg = bytearray(_jpeg(Image.new("RGB", (800, 600), (10, 20, 30))))
    sof = jpeg.index(b"\xff\xc0")
    jpeg[sof + 5 : sof + 9] = struct.pack(">HH", 60000, 60000)  # height, width
    data = nef_with_preview(bytes(jpeg), (6000, 4000))
    with pytest.raises((FileTooLarge, CorruptFile)):
        decode_photo(data, "p.nef", SETTINGS)
    result = _work("p.nef", _file(tmp_path, data, "p.nef"))
    assert isinstance(result, FileError)


def test_photo_frame_keeps_the_preview_shape_when_cropped() -> None:
    assert previews.photo_frame((1620, 1080), (6000, 4000), False) == (6000, 4000)
    assert previews.photo_frame((1080, 1620), (6000, 4000), True) == (4000, 6000)
    # 16:9 preview of a 3:2 photo: scaled on the long side, its own shape kept
    assert previews.photo_frame((1920, 1080), (6000, 4000), False) == (6000, 3375)
    assert previews.photo_frame((1620, 1080), None, False) == (1620, 1080)


def test_real_cr3_preview_maps_to_the_record_size() -> None:
    path = _testdata_dir("d_metadata") / "exiv2_Canon-R6-pruned.CR3"
    decoded = decode_photo(path.read_bytes(), path.name, SETTINGS)
    assert (decoded.width, decoded.height) == (3408, 2272)  # as the scan record says
    assert max(decoded.pixels.shape[:2]) == SETTINGS.detection()[0]


def _file(folder: Path, data: bytes, name: str) -> FileRef:
    (folder / name).write_bytes(data)
    return FileRef.of(folder / name)


def _with_preview(label: str) -> bytes:
    big = _jpeg(Image.new("RGB", (800, 600), (40, 90, 140)))
    builders = {
        "CR3": lambda: rf.cr3(preview=big),
        "CRW": lambda: rf.crw([(0x2007, big)]),
        "RAF": lambda: rf.raf(jpeg=big),
        "X3F": lambda: rf.x3f(sections=[(b"IMA2", rf.x3f_image(big, (800, 600)))]),
        "NEF": lambda: nef_with_preview(big, (4000, 3000), orientation=6),
    }
    return builders[label]()


@pytest.mark.parametrize("label", ["CR3", "CRW", "NEF", "RAF", "X3F"])
def test_cut_or_damaged_raws_never_raise_past_the_reason(label: str) -> None:
    """Previews are located in hostile bytes: any cut or damage ends in a reason or a choice."""
    data = _with_preview(label)
    assert previews.choose(data, ImageFormat.RAW, f"x.{label.lower()}").size == (800, 600)
    variants = [data[:cut] for cut in range(0, len(data), max(1, len(data) // 97))]
    for at in range(0, len(data), max(1, len(data) // 61)):
        damaged = bytearray(data)
        damaged[at : at + 4] = b"\xff\xff\xff\x7f"
        variants.append(bytes(damaged))
    for variant in variants:
        try:
            previews.orientation(variant)
            previews.choose(variant, ImageFormat.RAW, f"x.{label.lower()}")
        except UnsupportedFormat:
            pass
