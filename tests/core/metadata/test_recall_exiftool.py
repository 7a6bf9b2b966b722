"""Recall against ExifTool over ALL of d_metadata: what it sees, photoscan's scan reports.

ExifTool reads every file (``exiftool_oracle``); photoscan scans the same folder as its
``scan --json --no-faces --no-cache`` does (``scan_all`` to the JSON document), so sidecar
pairing, errors and skips are the product's own. Every value ExifTool reports in four
categories must be in photoscan's output for that file: each GPS position (±1e-5°), each
serial number or unique id and each person's name (the value, anywhere in the photo's
findings), and each embedded picture that decodes (a thumbnail finding of the same pixel
size, or one that states none). A value photoscan misses fails the test unless it is listed
below — ``NOT_IDENTIFYING`` for ExifTool fields that name nobody and no device (why, for
each), or ``EXPECTED_MISSES`` for gaps whose fix lies outside the metadata readers, named
for the follow-up. That list is strict: a listed miss that photoscan starts finding fails
the test until it is removed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from photoscan.metadata.base import clean_text
from photoscan.scan import jsonio
from photoscan.scan.jobs import ScanOptions
from photoscan.scan.run import scan_all
from tests import conftest
from tests.core.metadata.exiftool_oracle import Category, Seen, read_folder

GPS_TOLERANCE = 1e-5
BARS = {Category.GPS: 1.0, Category.DEVICE: 0.99, Category.PERSON: 0.99, Category.PICTURE: 0.99}

# (file, ExifTool Group:Tag) -> why the value identifies nobody and no device. (Tags that
# never identify anyone are left out by name in ``exiftool_oracle``: NOT_DEVICE, NOT_PERSON.)
NOT_IDENTIFYING: dict[tuple[str, str], str] = {}

# (file, ExifTool Group:Tag) -> the follow-up that makes photoscan find it. Empty: every
# miss fails the test (a gap found later is listed here with the module that closes it).
EXPECTED_MISSES: dict[tuple[str, str], str] = {}


@dataclass
class Tally:
    found: dict[Category, int] = field(default_factory=lambda: dict.fromkeys(Category, 0))
    total: dict[Category, int] = field(default_factory=lambda: dict.fromkeys(Category, 0))
    misses: list[str] = field(default_factory=list)
    expected: set[tuple[str, str]] = field(default_factory=set)
    stale: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def folder() -> Path:
    return conftest.testdata_dir("d_metadata")


@pytest.fixture(scope="module")
def exiftool_view(folder: Path) -> dict[str, list[Seen]]:
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.name != "MANIFEST.tsv")
    try:
        seen = read_folder(files)
    except FileNotFoundError:
        pytest.skip("exiftool is not installed")
    assert sorted(seen) == sorted(p.name for p in files), "exiftool must report every file"
    return seen


@pytest.fixture(scope="module")
def scan_doc(folder: Path) -> dict[str, Any]:
    """The scan's JSON document, as ``photoscan scan DIR --json - --no-faces --no-cache``
    writes it."""
    result = scan_all(folder, ScanOptions(faces=False, use_cache=False))
    assert not result.cancelled
    doc: dict[str, Any] = json.loads(jsonio.document_text(result))
    return doc


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def _renderings(text: str) -> set[str]:
    """The spellings one serial or id may take: as ExifTool prints it with ``-n``, without
    leading zeros, and (for a list of byte values) as hex."""
    out = {_norm(text), _norm(text).lstrip("0")}
    parts = text.split()
    if len(parts) > 1 and all(p.isdigit() and int(p) < 256 for p in parts):
        out.add(bytes(int(p) for p in parts).hex())
    return {r for r in out if r}


def _value_found(seen: Seen, values: list[str]) -> bool:
    if seen.category is Category.PERSON:  # control characters are never shown
        wanted = clean_text(seen.text).casefold()
        return any(wanted in clean_text(v).casefold() for v in values)
    normalised = [_norm(v) for v in values]
    for wanted in _renderings(seen.text) | _renderings(seen.printed):
        for have in normalised:
            if wanted == have or (len(wanted) >= 6 and wanted in have):
                return True
    return False


_FIELD_POSITION = re.compile(r"^(.*)GPS(Latitude|Longitude|Position)$")


def _positions(photo: dict[str, Any]) -> list[tuple[float, float]]:
    """The photo's position and every position a location finding states."""
    out: list[tuple[float, float]] = []
    if photo.get("gps"):
        out.append((photo["gps"]["lat"], photo["gps"]["lon"]))
    halves: dict[tuple[str, str], list[float]] = {}
    for finding in photo["findings"]:
        match = _FIELD_POSITION.match(finding["field"])
        if finding["kind"] != "location" or match is None:
            continue
        numbers = [float(n) for n in re.findall(r"[-+]?\d+(?:\.\d+)?", finding["value"])]
        if match.group(2) == "Position" and len(numbers) == 2:
            out.append((numbers[0], numbers[1]))
        elif len(numbers) == 1:
            halves.setdefault((match.group(1), match.group(2)), []).append(numbers[0])
    for (stem, half), lats in halves.items():
        if half == "Latitude":
            for lat, lon in zip(lats, halves.get((stem, "Longitude"), []), strict=False):
                out.append((lat, lon))
    return out


def _picture_sizes(photo: dict[str, Any]) -> list[tuple[int, int] | int | None]:
    """Each thumbnail finding's pixel size, or its longest side ("up to 320 px": HEIF
    thumbnail items), or None when it states neither."""
    sizes: list[tuple[int, int] | int | None] = []
    for finding in photo["findings"]:
        if finding["kind"] != "thumbnail" or finding["field"].endswith("(mismatch)"):
            continue
        match = re.search(r"(\d+)×(\d+)", finding["value"])
        longest = re.search(r"up to (\d+) px", finding["value"])
        if match:
            sizes.append((int(match.group(1)), int(match.group(2))))
        else:
            sizes.append(int(longest.group(1)) if longest else None)
    return sizes


def _match(photo: dict[str, Any], seen: list[Seen]) -> list[Seen]:
    """The values of ``seen`` that ``photo`` (a scan JSON record) does not report."""
    values = [f["value"] for f in photo["findings"]]
    positions = _positions(photo)
    sizes = _picture_sizes(photo)
    missed: list[Seen] = []
    pictures = [s for s in seen if s.category is Category.PICTURE]
    for item in seen:
        if item.category is Category.GPS and item.position is not None:
            lat, lon = item.position
            if not any(
                abs(lat - a) <= GPS_TOLERANCE and abs(lon - b) <= GPS_TOLERANCE
                for a, b in positions
            ):
                missed.append(item)
        elif item.category in (Category.DEVICE, Category.PERSON) and not _value_found(item, values):
            missed.append(item)
    # pictures: each decoded one takes a thumbnail finding of its size (either way round),
    # else one that states no size; a picture ExifTool lists twice needs only one finding
    unique: dict[tuple[int, int] | None, Seen] = {}
    for item in pictures:
        unique.setdefault(item.size, item)
    for size, item in unique.items():
        if not _take_picture(sizes, size):
            missed.append(item)
    return missed


def _take_picture(sizes: list[tuple[int, int] | int | None], size: tuple[int, int] | None) -> bool:
    """Match one decoded picture to a thumbnail finding: the same size (either way round),
    a longest side, a strip of a larger page (ExifTool decodes only the first strip of a
    strip-stored TIFF page), or a finding that states no size."""
    if size is None:
        return False
    width, height = size
    strips = [s for s in sizes if isinstance(s, tuple) and s[0] == width and s[1] >= height]
    for candidate in (size, (height, width), max(size), *strips, None):
        if candidate in sizes:
            sizes.remove(candidate)
            return True
    return False


def _records(doc: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Scan records by the file they answer for (a paired sidecar answers to its photo's
    record), and the reason of every file listed under errors or skipped."""
    photos: dict[str, dict[str, Any]] = {}
    for photo in doc["photos"]:
        photos[photo["path"]] = photo
        for sidecar in photo.get("sidecars", []):
            photos[sidecar] = photo
    others = {e["path"]: e["reason"] for e in [*doc["errors"], *doc.get("skipped", [])]}
    return photos, others


def _tally(seen_by_file: dict[str, list[Seen]], doc: dict[str, Any]) -> Tally:
    photos, others = _records(doc)
    tally = Tally()
    for name, seen in sorted(seen_by_file.items()):
        wanted = [s for s in seen if (name, s.key) not in NOT_IDENTIFYING]
        photo = photos.get(name)
        missed = wanted if photo is None else _match(photo, wanted)
        for item in wanted:
            tally.total[item.category] += 1
            tally.found[item.category] += item not in missed
        for item in missed:
            if (name, item.key) in EXPECTED_MISSES:
                tally.expected.add((name, item.key))
                continue
            why = f" ({others[name]})" if name in others else ""
            shown = item.text or item.position or item.size
            tally.misses.append(f"{name}: {item.key} = {shown!r}{why}")
    tally.stale = [f"{k}: {v}" for k, v in EXPECTED_MISSES.items() if k not in tally.expected]
    return tally


def _summary(tally: Tally) -> str:
    return ", ".join(
        f"{c.value} {tally.found[c]}/{tally.total[c]}" for c in Category if tally.total[c]
    )


def test_every_file_is_in_photos_errors_or_skipped(
    exiftool_view: dict[str, list[Seen]], scan_doc: dict[str, Any]
) -> None:
    photos, others = _records(scan_doc)
    lost = sorted(set(exiftool_view) - set(photos) - set(others))
    assert not lost, f"files the scan neither read nor listed: {lost}"


def test_photoscan_reports_what_exiftool_sees(
    exiftool_view: dict[str, list[Seen]], scan_doc: dict[str, Any]
) -> None:
    tally = _tally(exiftool_view, scan_doc)
    print("recall:", _summary(tally))  # the numbers the report quotes (pytest -s)
    assert not tally.misses, (
        f"photoscan misses what exiftool reports ({_summary(tally)}):\n" + "\n".join(tally.misses)
    )
    assert not tally.stale, "expected misses photoscan finds now (remove them):\n" + "\n".join(
        tally.stale
    )


def test_recall_meets_the_issue_bars(
    exiftool_view: dict[str, list[Seen]], scan_doc: dict[str, Any]
) -> None:
    """Issue 15's bars on what photoscan finds itself (expected misses count as misses)."""
    tally = _tally(exiftool_view, scan_doc)
    for category, bar in BARS.items():
        total = tally.total[category]
        if total:
            assert tally.found[category] / total >= bar, f"{category.value}: {_summary(tally)}"
