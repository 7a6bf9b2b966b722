"""The real videos of ../shared/testdata/f_video against ExifTool, before and after a strip."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from photoscan.metadata.video.read import read_video
from photoscan.model import FindingKind
from photoscan.source.sniff import BMFF_FORMATS, sniff_video
from photoscan.strip.types import StripOptions
from tests import conftest
from tests import videos as fx


def _bmff_files() -> list[Path]:
    folder = conftest.TESTDATA / "f_video"
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and sniff_video(p.read_bytes()[:1024]) in BMFF_FORMATS
    )


FILES = _bmff_files()


def _exiftool(path: Path) -> dict[str, Any]:
    out = subprocess.run(
        [fx.need_exiftool(), "-j", "-a", "-G1", "-ee", "-n", str(path)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    found: dict[str, Any] = json.loads(out.stdout)[0]
    return found


def test_the_real_files_are_there() -> None:
    conftest.testdata_dir("f_video")
    assert len(FILES) >= 15


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_everything_exiftool_reports_is_found(path: Path) -> None:
    tags = _exiftool(path)
    with open(path, "rb") as fh:
        video = read_video(fh, path.name)
    findings = video.extraction.findings
    values = {f.value for f in findings}
    for key, value in tags.items():
        group, _, name = key.partition(":")
        if group in ("Composite", "System", "File", "ExifTool"):
            continue
        text = str(value)
        if name in ("GPSCoordinates", "LocationInformation") and text.strip() not in ("0 0", ""):
            assert video.extraction.gps is not None, key
            lat, lon = (
                (float(x) for x in text.replace("Lat=", " ").split()[:2])
                if "Lat=" not in text
                else _loci(text)
            )
            assert (
                abs(video.extraction.gps.lat - lat) < 1e-3
                and abs(video.extraction.gps.lon - lon) < 1e-3
            )
        elif name in ("Author", "Artist", "AlbumArtist", "Creator", "Owner"):
            assert any(f.kind is FindingKind.PERSON and f.value == text for f in findings), key
        elif name in ("Make", "Model"):
            assert any(text in v for v in values), key
        elif name in ("CoverArt", "ThumbnailImage", "PreviewImage"):
            assert any(f.kind is FindingKind.THUMBNAIL for f in findings), key
        elif group.startswith("XMP-") and name not in ("XMPToolkit",):
            assert any(f.field.startswith("XMP:") for f in findings), key


def _loci(text: str) -> tuple[float, float]:
    parts = dict(p.split("=", 1) for p in text.split() if "=" in p)
    return float(parts["Lat"]), float(parts["Lon"])


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_after_a_strip_exiftool_finds_nothing_and_every_packet_is_the_same(
    path: Path, tmp_path: Path
) -> None:
    out = tmp_path / path.name
    fx.strip_to(path, out, StripOptions())
    assert fx.identifying(out) == []
    # (ExifTool's own samples hold tracks without media data: no packets on either side.)
    assert fx.framemd5(out, require=False) == fx.framemd5(path, require=False)
