"""ExifTool as an oracle: every identifying value it reports for a folder, classified.

Two ``exiftool`` processes read a whole folder: one with every tag (``-j -n -a -G1 -ee``, no
``-fast``), one with ``-b`` for just the binary image tags the first run saw, so an embedded
image counts only when its bytes decode to a picture (a 28-byte stub is not a thumbnail).
Each tag is classified by name into GPS positions, serial numbers and unique ids, person names
and decodable pictures. What "found" means on photoscan's side is decided by the test; this
module only says what ExifTool sees.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import re
import shutil
import subprocess
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from photoscan.metadata.base import valid_coordinates


class Category(Enum):
    GPS = "gps"
    DEVICE = "device"
    PERSON = "person"
    PICTURE = "picture"


@dataclass(frozen=True)
class Seen:
    """One identifying value ExifTool reports: ``key`` is ExifTool's ``Group:Tag``."""

    key: str
    category: Category
    text: str = ""  # serials and names, as ``-n`` gives them
    printed: str = ""  # the same as ExifTool prints it (formatted serials, hex ids)
    position: tuple[float, float] | None = None  # GPS
    size: tuple[int, int] | None = None  # a decoded picture's pixel size

    @property
    def tag(self) -> str:
        return self.key.rpartition(":")[2]


# Serial numbers and ids that single out one device or one capture (ExifTool tag names).
_DEVICE_NAMES = re.compile(
    r"(Serial(Number)?\d?$|SerialNumber|^(Back|Capture)Serial$|UniqueID$|UUID$|GUID$"
    r"|^(Content|Photo)Identifier$|^CameraID$)"
)
# Not identifiers, though the name says so (each with the reason).
NOT_DEVICE = {
    "SerialNumberFormat": "a code saying how Canon formats the serial, not the serial",
    "UniqueCameraModel": "DNG's model name, shared by every camera of the model",
}
_PERSON_NAMES = re.compile(
    r"^(Artist|Author|XPAuthor|By-line|Creator|OwnerName|CameraOwnerName|ShortOwnerName"
    r"|CameraOwner|BabyName|FaceName|Face\d+Name|RecognizedFace\d+Name|PersonInImage"
    r"|PersonInImageName|RegionPersonDisplayName|RegionName|ImageRegionPersonInImage"
    r"|ImageCreatorName|CopyrightOwnerName|LicensorName|LicenseeName|ImageSupplierName"
    r"|AttributionName|CaptionWriter|Writer-Editor|\w+FullName)$"
)
# Groups whose person-looking tags hold something else.
NOT_PERSON = {
    "XMP-pdf:Creator": "PDF's Creator is the application that made the document",
}
# Binary tags that may hold a picture (they count only if their bytes decode).
_PICTURE_NAMES = re.compile(r"(Thumbnail|Preview|Image|JpgFromRaw|Picture)")
_BINARY = re.compile(r"^\(Binary data \d+ bytes")
MAX_DECODED_PIXELS = 40_000_000
_PLACEHOLDERS = frozenset({"unknown", "none", "null", "n/a", "not set"})
# what cameras write into every photo's "owner" or "id" fields when nobody set one
_CAMERA_DEFAULT = re.compile(r"(digital (still )?camera|^camera owner$|^owner$)", re.IGNORECASE)


def meaningful(text: str) -> bool:
    """ExifTool lists blank, all-zero and placeholder values too; those identify nobody."""
    stripped = text.strip()
    if not stripped.strip("0 .:-\x00"):
        return False
    return stripped.lower() not in _PLACEHOLDERS and not _CAMERA_DEFAULT.search(stripped)


def run_exiftool(files: list[Path], *args: str) -> dict[str, dict[str, Any]]:
    """One exiftool process over ``files``: each file's record by file name."""
    exiftool = shutil.which("exiftool")
    if exiftool is None:
        raise FileNotFoundError("exiftool")
    argv = [exiftool, "-j", "-a", "-G1", "-q", "-q", "-api", "LargeFileSupport=1", *args]
    done = subprocess.run([*argv, *map(str, files)], capture_output=True, check=False, timeout=600)
    records = json.loads(done.stdout or b"[]")
    return {Path(r["SourceFile"]).name: r for r in records}


def read_folder(files: list[Path]) -> dict[str, list[Seen]]:
    """Every identifying value ExifTool reports, by file name. The second run asks for the
    tags the first classified, printed (``-b``: pictures as base64, the rest as ExifTool
    prints them), so a serial counts whether photoscan shows it raw or formatted."""
    records = run_exiftool(files, "-n", "-ee")
    wanted = sorted(
        {
            tag
            for record in records.values()
            for key, value in record.items()
            if _category(key, (tag := key.rpartition(":")[2])) is not None
            or (isinstance(value, str) and _BINARY.match(value) and _PICTURE_NAMES.search(tag))
        }
    )
    printed = run_exiftool(files, "-b", "-ee", *(f"-{t}" for t in wanted)) if wanted else {}
    return {
        name: [*_classify(record, printed.get(name, {})), *_pictures(printed.get(name, {}))]
        for name, record in records.items()
    }


def _items(value: Any) -> list[str]:
    if isinstance(value, list):
        return [text for item in value for text in _items(item)]
    if isinstance(value, dict):
        return []
    return [str(value)]


def _category(key: str, tag: str) -> Category | None:
    if _DEVICE_NAMES.search(tag) and tag not in NOT_DEVICE:
        return Category.DEVICE
    if _PERSON_NAMES.match(tag) and key not in NOT_PERSON:
        return Category.PERSON
    return None


def _classify(record: dict[str, Any], printed: dict[str, Any]) -> Iterator[Seen]:
    yield from _positions(record)
    for key, value in record.items():
        category = _category(key, key.rpartition(":")[2])
        if category is None:
            continue
        items, shown = _items(value), _items(printed.get(key, []))
        if len(shown) != len(items):
            shown = items
        for text, alt in zip(items, shown, strict=True):
            if meaningful(text) and not _BINARY.match(text):
                yield Seen(key, category, text.strip(), alt.strip())


def _numbers(value: Any) -> list[float]:
    items = value if isinstance(value, list) else [value]
    return [float(v) for v in items if isinstance(v, int | float) and not isinstance(v, bool)]


def _positions(record: dict[str, Any]) -> Iterator[Seen]:
    """GPSLatitude/GPSLongitude pairs of one group (and prefixed pairs such as IPTC's
    LocationShownGPSLatitude, one per listed location). ``-n`` leaves EXIF GPS values
    unsigned beside their Ref tags; XMP and Composite values are signed already."""
    for key, lat_value in record.items():
        if not key.endswith("GPSLatitude"):
            continue
        stem = key.removesuffix("Latitude")
        lats, lons = _numbers(lat_value), _numbers(record.get(stem + "Longitude"))
        lat_ref = str(record.get(stem + "LatitudeRef", "")).upper()
        lon_ref = str(record.get(stem + "LongitudeRef", "")).upper()
        for lat, lon in zip(lats, lons, strict=False):
            lat = -abs(lat) if lat_ref.startswith("S") else lat
            lon = -abs(lon) if lon_ref.startswith("W") else lon
            if valid_coordinates(lat, lon):
                yield Seen(key, Category.GPS, position=(lat, lon))


def _pictures(record: dict[str, Any]) -> Iterator[Seen]:
    for key, value in record.items():
        if not isinstance(value, str) or not value.startswith("base64:"):
            continue
        try:
            blob = base64.b64decode(value[7:], validate=False)
        except (binascii.Error, ValueError):
            continue
        size = decoded_size(blob)
        if size is not None:
            yield Seen(key, Category.PICTURE, size=size)


def decoded_size(blob: bytes) -> tuple[int, int] | None:
    """The pixel size of ``blob`` if Pillow decodes it to a picture, else None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(blob)) as image:
                if image.width * image.height <= MAX_DECODED_PIXELS:
                    image.load()  # a huge preview is taken on its header's word
                return image.size if image.width and image.height else None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        return None
    except Image.DecompressionBombError:
        return None
