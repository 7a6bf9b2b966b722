"""Strip every file of ../shared/testdata/d_metadata and check the result with ExifTool.

ExifTool is the oracle (one process for all outputs): no GPS, XMP, IPTC, maker notes,
serial/owner/artist/creator tags, thumbnails or previews may survive, while Orientation and
the ICC profile must survive wherever the original had them. Decoded pixels of JPEG, PNG,
WebP, GIF, TIFF, HEIF and AVIF outputs must equal the originals'.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pillow_heif
import pytest
from PIL import Image, ImageOps, ImageSequence, PngImagePlugin

from photoscan.strip import StripOptions, StripStatus
from photoscan.strip.batch import apply, plan
from photoscan.strip.types import FileResult
from tests import conftest
from tests.core.strip.conftest import Stripped

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")
FORBIDDEN_GROUPS0 = {"XMP", "IPTC", "MakerNotes", "Photoshop"}
FORBIDDEN_TAG = re.compile(
    r"GPS|Serial|Owner|Artist|Creator|By-line|ThumbnailImage|PreviewImage|ThumbnailOffset"
)
PIXEL_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "TIFF", "HEIF", "AVIF"}


def exiftool_json(paths: list[Path], *args: str) -> dict[str, dict[str, Any]]:
    """ExifTool's ``-a -G0:1 -s`` view (family 1 groups, plus family 0 to name maker notes)."""
    if shutil.which("exiftool") is None:
        pytest.skip("exiftool not installed")
    argfile = "\n".join(str(p) for p in paths)
    out = subprocess.run(
        ["exiftool", "-j", "-a", "-G0:1", "-s", "-q", "-q", *args, "-@", "-"],
        input=argfile,
        capture_output=True,
        text=True,
        check=False,
    )
    return {Path(d["SourceFile"]).name: d for d in json.loads(out.stdout or "[]")}


@pytest.fixture
def stripped(d_metadata_stripped: Stripped) -> tuple[Path, Path, list[FileResult]]:
    shared = d_metadata_stripped
    return shared.source, shared.out, list(shared.results)


def _ok(results: list[FileResult]) -> list[FileResult]:
    return [r for r in results if r.status in (StripStatus.STRIPPED, StripStatus.ALREADY_CLEAN)]


def test_every_supported_image_is_stripped_or_reported(
    stripped: tuple[Path, Path, list[FileResult]],
) -> None:
    _, _, results = stripped
    assert len(_ok(results)) >= 200
    for r in results:
        assert r.status is not StripStatus.REENCODED
        if r.status is StripStatus.FAILED:
            assert r.reason.startswith("damaged"), (r.path, r.reason)
        if r.status is StripStatus.REFUSED:
            assert r.reason and r.output is None
        assert not r.remaining or r.status is StripStatus.FAILED, (r.path, r.remaining)
    refused = {Path(r.path).suffix.lower() for r in results if r.status is StripStatus.REFUSED}
    assert {".cr2", ".dng", ".psd", ".jxl", ".xmp"} <= refused
    assert not refused & {".png", ".webp", ".gif", ".heic", ".avif"}


def test_exiftool_finds_nothing_identifying_after_strip(
    stripped: tuple[Path, Path, list[FileResult]],
) -> None:
    _, _, results = stripped
    outputs = [Path(r.output) for r in _ok(results) if r.output]
    tags = exiftool_json(outputs)
    assert len(tags) == len(outputs)
    leaks = []
    for name, found in tags.items():
        for key in found:
            parts = key.split(":")
            if len(parts) < 3:
                continue
            group0, group1, tag = parts[0], parts[1], parts[-1]
            named = group0 != "ICC_Profile" and FORBIDDEN_TAG.search(tag)
            if group0 in FORBIDDEN_GROUPS0 or group1 == "GPS" or named:
                leaks.append(f"{name}: {key}")
    assert not leaks, "\n".join(leaks[:40])


def test_orientation_and_icc_survive_wherever_they_existed(
    stripped: tuple[Path, Path, list[FileResult]],
) -> None:
    source, _, results = stripped
    done = [r for r in _ok(results) if r.output]
    wanted = ("-n", "-EXIF:Orientation", "-ICC_Profile:ProfileVersion", "-QuickTime:Rotation")
    before = exiftool_json([source / Path(r.path).relative_to(source) for r in done], *wanted)
    after = exiftool_json([Path(r.output) for r in done if r.output], *wanted)
    checked = {"orientation": 0, "icc": 0}
    for name, tags in before.items():
        # HEIF displays by its irot/imir properties (checked as Rotation), not EXIF Orientation
        heif = Path(name).suffix.lower() in {".heic", ".heif", ".hif", ".avif"}
        for key, value in tags.items():
            if key == "EXIF:IFD0:Orientation" and not heif:
                assert after[name].get("EXIF:IFD0:Orientation") == value, name
                checked["orientation"] += 1
            elif key.endswith(":ProfileVersion"):
                assert key in after[name], f"{name} lost its ICC profile"
                checked["icc"] += 1
            elif key.endswith(":Rotation"):
                assert after[name].get(key) == value, f"{name} lost its rotation"
    assert checked["orientation"] >= 50 and checked["icc"] >= 20


def _frames(path: Path) -> list[bytes]:
    with Image.open(path) as img:
        if img.format == "JPEG":  # MPF extra images live in the trailer we drop on purpose
            return [img.tobytes()]
        return [f.tobytes() for f in ImageSequence.Iterator(img)]


def test_outputs_decode_to_exactly_the_same_pixels(
    stripped: tuple[Path, Path, list[FileResult]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source, _, results = stripped
    pillow_heif.register_heif_opener()
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100_000_000)
    monkeypatch.setattr(PngImagePlugin, "MAX_TEXT_CHUNK", 64 * 1024 * 1024)
    compared = {f: 0 for f in PIXEL_FORMATS}
    for r in results:
        if r.status is not StripStatus.STRIPPED or r.output is None:
            continue
        original = source / Path(r.path).relative_to(source)
        try:
            with Image.open(original) as img:
                fmt = img.format or ""
            expected = _frames(original)
        except (OSError, ValueError, SyntaxError, EOFError):
            continue  # Pillow cannot decode the original either
        if fmt not in PIXEL_FORMATS:
            continue
        if fmt in ("HEIF", "AVIF") and original.stat().st_size > 100_000:
            continue  # big HEIF decodes take seconds; the small ones make the point
        assert _frames(Path(r.output)) == expected, r.path
        compared[fmt] += 1
    assert compared["JPEG"] >= 100 and compared["PNG"] >= 5 and compared["WEBP"] >= 3, compared
    assert compared["HEIF"] + compared["AVIF"] >= 4 and compared["TIFF"] >= 5, compared


def test_orientation_6_photo_still_displays_upright(
    stripped: tuple[Path, Path, list[FileResult]],
) -> None:
    source, out, _ = stripped
    name = "ianare_jpg_orientation_portrait_6.jpg"
    if not (source / name).exists():
        pytest.skip(f"{name} not in test data")
    with Image.open(source / name) as before, Image.open(out / name) as after:
        assert before.getexif().get(0x0112) == 6
        assert after.getexif().get(0x0112) == 6
        upright_before = ImageOps.exif_transpose(before)
        upright_after = ImageOps.exif_transpose(after)
        assert upright_after.size == upright_before.size
        assert upright_after.size[1] > upright_after.size[0]  # portrait, as displayed
        assert upright_after.tobytes() == upright_before.tobytes()


LOCATION_TAG = re.compile(
    r"^(GPS|.*Latitude|.*Longitude|City|Sub-?location|Province-?State|State|Country"
    r"|Country-PrimaryLocation|ContentLocation|Location)",
    re.IGNORECASE,
)


# Photos whose maker note names a place (Casio's HometownCity): ``--only location`` cannot
# cut it yet and refuses them rather than call them clean. Follow-up: blank maker-note place
# names in place (strip/location.py, as strip/exif.py does for GPS) and empty this set.
MAKER_NOTE_PLACES = {"exiftool_Casio2.jpg", "ianare_jpg_tests_35-empty.jpg"}


def test_only_location_leaves_no_place_but_keeps_the_rest(
    tmp_path: Path,
) -> None:
    source = conftest.testdata_dir("d_metadata")
    results = list(apply(plan([source], out=tmp_path), StripOptions(only_location=True)))
    done = [r for r in _ok(results) if r.output]
    assert len(done) >= 200
    # Every place photoscan's readers find, the location strip can cut: a file fails only
    # when it is damaged, never because a place survived (IPTC in "AgHg"/"DCSR" resources,
    # plus:Licensor addresses in XMP once did).
    failed = [(r.path, r.reason) for r in results if r.status is StripStatus.FAILED]
    refused = {Path(path).name for path, reason in failed if "MakerNotes:" in reason}
    assert refused == MAKER_NOTE_PLACES, "maker-note places: update MAKER_NOTE_PLACES"
    failed = [(p, r) for p, r in failed if Path(p).name not in MAKER_NOTE_PLACES]
    assert all(reason.startswith("damaged") for _, reason in failed), failed
    after = exiftool_json([Path(r.output) for r in done if r.output])
    leaks = [
        f"{name}: {key}"
        for name, tags in after.items()
        for key, value in tags.items()
        if str(value).strip()  # an empty field gives nothing away
        and key.count(":") >= 2
        and not key.startswith(("File:", "Composite:", "ICC_Profile:"))
        and LOCATION_TAG.match(key.split(":")[-1])
    ]
    assert not leaks, "\n".join(leaks[:40])
    kept_makes = sum(1 for tags in after.values() if "EXIF:IFD0:Make" in tags)
    assert kept_makes >= 100  # camera, dates, names... all still there
