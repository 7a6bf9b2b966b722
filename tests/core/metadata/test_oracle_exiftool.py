"""ExifTool as the oracle: photoscan must find what ExifTool finds in every d_metadata file.

One ``exiftool`` process reads the whole folder (targeted tags, JSON, numeric values). For
each file and each category — GPS position, a serial number (device), a person's name, an
embedded thumbnail/preview — ExifTool having a meaningful value means photoscan must report
it, unless the (file, category) pair is listed in ``EXCEPTIONS`` with the reason. The list
is kept honest: an exception that is no longer needed fails the test too.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from photoscan.errors import CorruptFile, UnsupportedFormat
from photoscan.metadata import extract, read_sidecar_xmp
from photoscan.metadata.base import Source, valid_coordinates
from photoscan.model import Extraction, FindingKind
from photoscan.source.sniff import HEADER_BYTES, sniff
from tests import conftest

GPS, DEVICE, PERSON, THUMBNAIL = "gps", "device", "person", "thumbnail"

_EXV = "Exiv2 .exv metadata dump (no image), sniffed as unknown content: listed under errors"
# (file, category) -> why photoscan does not report what ExifTool reports.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("exiv2_test_issue_1472.jpg", THUMBNAIL): _EXV,
}

ORACLE_TAGS = (
    "-Composite:GPSLatitude",
    "-Composite:GPSLongitude",
    "-XMP:GPSLatitude",
    "-XMP:GPSLongitude",
    "-*SerialNumber",
    "-Artist",
    "-*OwnerName",
    "-By-line",
    "-XMP-dc:Creator",
    "-RegionName",
    "-RegionPersonDisplayName",
    "-PersonInImage",
    "-PersonInImageName",
    "-Face*Name",
    "-RecognizedFace*Name",
    "-BabyName",
    "-ThumbnailImage",
    "-PreviewImage",
)
_PERSON_TAGS = re.compile(
    r"^(Artist|OwnerName|CameraOwnerName|By-line|Creator|RegionName|RegionPersonDisplayName"
    r"|PersonInImage|PersonInImageName|Face\d+Name|RecognizedFace\d+Name|BabyName)$"
)


@dataclass(frozen=True)
class Expected:
    gps: tuple[float, float] | None
    categories: frozenset[str]


def _meaningful(value: Any) -> bool:
    """ExifTool also lists empty, all-zero and "unknown" placeholders; those name nobody."""
    if isinstance(value, list):
        return any(_meaningful(v) for v in value)
    text = str(value).strip()
    return bool(text.strip("0 ")) and text.lower() not in {"unknown", "none"}


def _expected(record: dict[str, Any]) -> Expected:
    cats: set[str] = set()
    gps: tuple[float, float] | None = None
    for key, value in record.items():
        group, _, tag = key.rpartition(":")
        if not _meaningful(value):
            continue
        if tag.endswith("SerialNumber"):
            cats.add(DEVICE)
        elif _PERSON_TAGS.match(tag) and group != "XMP-pdf":
            cats.add(PERSON)
        elif tag in ("ThumbnailImage", "PreviewImage"):
            cats.add(THUMBNAIL)
    for prefix in ("Composite", "XMP-exif"):
        lat, lon = record.get(f"{prefix}:GPSLatitude"), record.get(f"{prefix}:GPSLongitude")
        if (
            isinstance(lat, int | float)
            and isinstance(lon, int | float)
            and valid_coordinates(float(lat), float(lon))
        ):
            gps = (float(lat), float(lon))
            cats.add(GPS)
            break
    return Expected(gps, frozenset(cats))


def _extract(path: Path) -> Extraction | str:
    """photoscan's view of one file (as the scan reads it), or the reason it was not read."""
    data = path.read_bytes()
    sniffed = sniff(data[:HEADER_BYTES], path.name)
    if sniffed.label == "XMP sidecar":
        return read_sidecar_xmp(data, path.name)
    if sniffed.format is None:
        return sniffed.reason
    try:
        return extract(Source(path.name, data, sniffed.format, sniffed.label))
    except (CorruptFile, UnsupportedFormat) as exc:
        return f"error: {exc}"


def _found(extraction: Extraction, expected: Expected) -> set[str]:
    kinds = {f.kind for f in extraction.findings}
    found = set()
    if (
        expected.gps is not None
        and extraction.gps is not None
        and (
            abs(extraction.gps.lat - expected.gps[0]) <= 1e-5
            and abs(extraction.gps.lon - expected.gps[1]) <= 1e-5
        )
    ):
        found.add(GPS)
    if FindingKind.DEVICE in kinds:
        found.add(DEVICE)
    if FindingKind.PERSON in kinds:
        found.add(PERSON)
    if FindingKind.THUMBNAIL in kinds:
        found.add(THUMBNAIL)
    return found


@pytest.fixture(scope="module")
def oracle() -> dict[str, dict[str, Any]]:
    folder = conftest.testdata_dir("d_metadata")
    exiftool = shutil.which("exiftool")
    if exiftool is None:
        pytest.skip("exiftool is not installed")
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.name != "MANIFEST.tsv")
    argv = [exiftool, "-n", "-j", "-a", "-G1", "-q", "-q", *ORACLE_TAGS, *map(str, files)]
    out = subprocess.run(argv, capture_output=True, check=False, timeout=300).stdout
    records = json.loads(out or b"[]")
    by_name = {Path(r["SourceFile"]).name: r for r in records}
    assert len(by_name) == len(files), "exiftool must report every file"
    return by_name


def test_photoscan_finds_what_exiftool_finds(oracle: dict[str, dict[str, Any]]) -> None:
    folder = conftest.testdata_dir("d_metadata")
    misses: list[str] = []
    needed: set[tuple[str, str]] = set()
    for name, record in sorted(oracle.items()):
        expected = _expected(record)
        if not expected.categories:
            continue
        result = _extract(folder / name)
        found = set() if isinstance(result, str) else _found(result, expected)
        for category in sorted(expected.categories - found):
            if (name, category) in EXCEPTIONS:
                # every listed exception says the file is not read at all: check that
                assert isinstance(result, str), f"{name} is read now: fix the exception"
                needed.add((name, category))
                continue
            why = result if isinstance(result, str) else ""
            detail = f" expected {expected.gps}" if category == GPS else ""
            misses.append(f"{name}: {category} missed{detail} {why}".rstrip())
    stale = sorted(set(EXCEPTIONS) - needed)
    assert not misses, "photoscan misses what exiftool reports:\n" + "\n".join(misses)
    assert not stale, f"exceptions no longer needed (remove them): {stale}"
