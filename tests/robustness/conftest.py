"""Fixtures of the robustness suites: a small real photo set, copied at test time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import testdata_dir

# Faces (a toddler on a lap, a group, a couple), GPS in EXIF, a HEIF (re-encoded by
# share), a PNG: small enough for a face scan of a few seconds, real enough that the
# detector, the age model (onnxruntime) and every writer really run.
REAL_SET = (
    ("b_group_photos", "mei_Canon_IXUS_750.jpg"),
    ("b_group_photos", "mowshon_test-image.jpg"),
    ("b_group_photos", "voc_2008_001322.jpg"),
    ("d_metadata", "exiftool_GPS.jpg"),
    ("d_metadata", "ianare_jpg_gps_DSCN0010.jpg"),
    ("d_metadata", "exiv2_Stonehenge.heic"),
    ("d_metadata", "exiftool_PNG.png"),
)


def copy_real_set(dest: Path) -> Path:
    """The real set copied (writable, as a user's own files are) into ``dest``."""
    dest.mkdir(parents=True)
    for folder, name in REAL_SET:
        target = dest / name
        shutil.copyfile(testdata_dir(folder) / name, target)
        target.chmod(0o644)
    return dest


@pytest.fixture
def real_set(tmp_path: Path) -> Path:
    return copy_real_set(tmp_path / "photos")
