"""What an export's sidecar says about a photo: location, people, dates and how public it is.

Sidecars are hostile input like any metadata: sizes are capped, JSON nesting is bounded by the
parser's recursion limit (caught), every value goes through ``clean_text`` and coordinates
through ``valid_coordinates`` (Takeout writes (0, 0) for "unknown"). Unknown shapes are not
errors — an export's JSON that is not Takeout's or Flickr's simply yields nothing.

Field names follow ``Source:key`` (``Takeout:geoData``, ``Flickr:privacy``) so that findings say
where they came from. ``visibility`` findings carry how exposed the photo already is; the risk
model reads them (``risk.is_public``, ``risk.has_open_licence``).
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from photoscan.errors import CorruptFile, FileTooLarge
from photoscan.metadata.base import clean_text, valid_coordinates
from photoscan.model import Extraction, Finding, FindingKind, Gps, PhotoRecord, Severity
from photoscan.sidecars.picasa import read_picasa
from photoscan.sidecars.visibility import LINK_SHARED, is_open_licence
from photoscan.source.pairing import SidecarKind

MAX_SIDECAR_BYTES = 8 * 1024 * 1024
MAX_LIST_ITEMS = 200
SIDECAR_GPS_SOURCE = "sidecar"
FLICKR_GEO_SCALE = 1e6
FLICKR_PAGE_PREFIX = "https://www.flickr.com/"
PHOTOPAGE_FIELD = "Flickr:photopage"

_PUBLIC_WORDS = frozenset({"public", "anyone", "everyone"})


@dataclass(frozen=True, slots=True)
class SidecarInfo:
    """What one sidecar says about one photo."""

    kind: SidecarKind
    findings: tuple[Finding, ...] = ()
    gps: Gps | None = None
    photopage: str | None = None  # the Flickr page where the photo can be made private
    warnings: tuple[str, ...] = ()


class _Findings:
    def __init__(self) -> None:
        self.items: list[Finding] = []

    def add(self, kind: FindingKind, field_name: str, value: object, severity: Severity) -> None:
        text = clean_text(value)
        if text and not any(f.field == field_name and f.value == text for f in self.items):
            self.items.append(Finding(kind, field_name, text, severity))


def _load_json(data: bytes, name: str) -> object:
    if len(data) > MAX_SIDECAR_BYTES:
        raise FileTooLarge(f"sidecar larger than {MAX_SIDECAR_BYTES} bytes: {name}")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise CorruptFile(f"sidecar is not valid JSON ({type(exc).__name__})") from exc


def _float(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _gps(lat: object, lon: object, alt: object = None, scale: float = 1.0) -> Gps | None:
    la, lo = _float(lat), _float(lon)
    if la is None or lo is None:
        return None
    la, lo = la / scale, lo / scale
    if not valid_coordinates(la, lo):
        return None
    return Gps(round(la, 7), round(lo, 7), SIDECAR_GPS_SOURCE, _float(alt))


def _timestamp(value: object) -> str | None:
    if not isinstance(value, dict):
        return None
    seconds = _float(value.get("timestamp"))
    if seconds is None or not 0 < seconds < 1e11:
        return None
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _names(people: object) -> list[str]:
    """People lists: ``[{"name": …}]`` (Takeout), ``[{"username"|"realname": …}]`` or strings."""
    if not isinstance(people, list):
        return []
    out: list[str] = []
    for item in people[:MAX_LIST_ITEMS]:
        value = item
        if isinstance(item, dict):
            value = next(
                (item[k] for k in ("name", "realname", "username", "nsid") if item.get(k)), ""
            )
        text = clean_text(value) if isinstance(value, str) else ""
        if text and text not in out:
            out.append(text)
    return out


def _visibility_severity(value: str) -> Severity:
    return Severity.HIGH if value.lower() in _PUBLIC_WORDS else Severity.LOW


def _licence_severity(value: str) -> Severity:
    return Severity.HIGH if is_open_licence(value) else Severity.LOW


def read_takeout(data: bytes, name: str) -> SidecarInfo:
    """A per-photo Google Takeout JSON (``IMG.jpg.json``, ``….supplemental-metadata.json``)."""
    doc = _load_json(data, name)
    if not isinstance(doc, dict):
        return SidecarInfo(SidecarKind.TAKEOUT)
    out = _Findings()
    gps = None
    for key in ("geoData", "geoDataExif"):
        geo = doc.get(key)
        if isinstance(geo, dict):
            found = _gps(geo.get("latitude"), geo.get("longitude"), geo.get("altitude"))
            if found is not None:
                gps = gps or found
                out.add(
                    FindingKind.LOCATION,
                    f"Takeout:{key}",
                    f"{found.lat}, {found.lon}",
                    Severity.HIGH,
                )
    for person in _names(doc.get("people")):
        out.add(FindingKind.PERSON, "Takeout:people", person, Severity.HIGH)
    taken = _timestamp(doc.get("photoTakenTime"))
    if taken:
        out.add(FindingKind.DATETIME, "Takeout:photoTakenTime", taken, Severity.LOW)
    description = doc.get("description")
    if isinstance(description, str):
        out.add(FindingKind.TEXT, "Takeout:description", description, Severity.MEDIUM)
    origin = doc.get("googlePhotosOrigin")
    if isinstance(origin, dict):
        mobile = origin.get("mobileUpload")
        if isinstance(mobile, dict) and isinstance(mobile.get("deviceType"), str):
            out.add(FindingKind.CAMERA, "Takeout:deviceType", mobile["deviceType"], Severity.LOW)
    return SidecarInfo(SidecarKind.TAKEOUT, tuple(out.items), gps)


def read_takeout_album(data: bytes, name: str) -> SidecarInfo:
    """An album's ``metadata.json``: its sharing ("access") and place describe every photo."""
    doc = _load_json(data, name)
    if isinstance(doc, dict) and isinstance(doc.get("albumData"), dict):
        doc = doc["albumData"]
    if not isinstance(doc, dict):
        return SidecarInfo(SidecarKind.TAKEOUT_ALBUM)
    out = _Findings()
    access = doc.get("access")
    if isinstance(access, str) and access:
        shown = LINK_SHARED if access.lower() == "protected" else access
        severity = Severity.MEDIUM if access.lower() == "protected" else None
        out.add(
            FindingKind.VISIBILITY,
            "Takeout:album access",
            shown,
            severity or _visibility_severity(access),
        )
    location = doc.get("location")
    if isinstance(location, str):
        out.add(FindingKind.LOCATION, "Takeout:album location", location, Severity.MEDIUM)
    geo = doc.get("geoData")
    gps = _gps(geo.get("latitude"), geo.get("longitude")) if isinstance(geo, dict) else None
    if gps is not None:  # an album's place is where it was, not where each photo was taken
        out.add(
            FindingKind.LOCATION, "Takeout:album geoData", f"{gps.lat}, {gps.lon}", Severity.MEDIUM
        )
    return SidecarInfo(SidecarKind.TAKEOUT_ALBUM, tuple(out.items))


def read_flickr(data: bytes, name: str) -> SidecarInfo:
    """A Flickr ``photo_<id>.json``: privacy, licence, safety, geo (strings × 1e6), people…"""
    doc = _load_json(data, name)
    if not isinstance(doc, dict):
        return SidecarInfo(SidecarKind.FLICKR)
    out = _Findings()
    privacy = doc.get("privacy")
    if isinstance(privacy, str) and privacy:
        out.add(FindingKind.VISIBILITY, "Flickr:privacy", privacy, _visibility_severity(privacy))
    licence = doc.get("license")
    if isinstance(licence, str) and licence:
        out.add(FindingKind.VISIBILITY, "Flickr:license", licence, _licence_severity(licence))
    elif "license" in doc:
        out.add(FindingKind.VISIBILITY, "Flickr:license", "not stated in the export", Severity.INFO)
    safety = doc.get("safety")
    if isinstance(safety, str) and safety:
        out.add(FindingKind.VISIBILITY, "Flickr:safety", safety, Severity.INFO)
    gps = None
    geo = doc.get("geo")
    if isinstance(geo, dict):
        gps = _gps(geo.get("latitude"), geo.get("longitude"), scale=FLICKR_GEO_SCALE)
        if gps is not None:
            out.add(FindingKind.LOCATION, "Flickr:geo", f"{gps.lat}, {gps.lon}", Severity.HIGH)
    for person in _names(doc.get("people")):
        out.add(FindingKind.PERSON, "Flickr:people", person, Severity.HIGH)
    tags = doc.get("tags")
    if isinstance(tags, list):
        words = [t.get("tag") if isinstance(t, dict) else t for t in tags[:MAX_LIST_ITEMS]]
        joined = ", ".join(w for w in words if isinstance(w, str) and w)
        out.add(FindingKind.TEXT, "Flickr:tags", joined, Severity.LOW)
    for key, kind, severity in (
        ("name", FindingKind.TEXT, Severity.LOW),
        ("description", FindingKind.TEXT, Severity.MEDIUM),
        ("date_taken", FindingKind.DATETIME, Severity.LOW),
    ):
        value = doc.get(key)
        if isinstance(value, str):
            out.add(kind, f"Flickr:{key}", value, severity)
    page = doc.get("photopage")
    photopage = clean_text(page, 500) if isinstance(page, str) else None
    if photopage and not photopage.startswith(FLICKR_PAGE_PREFIX):
        photopage = None  # only ever link to Flickr itself from a report
    if photopage:  # kept on the record (as a finding) so reports can link to the privacy page
        out.add(FindingKind.VISIBILITY, PHOTOPAGE_FIELD, photopage, Severity.INFO)
    return SidecarInfo(SidecarKind.FLICKR, tuple(out.items), gps, photopage)


def read_xmp(data: bytes, name: str) -> SidecarInfo:
    """An ``.xmp`` sidecar, read by the XMP engineer's reader."""
    # Deferred and looked up by name: the metadata package is large and owned elsewhere.
    module = importlib.import_module("photoscan.metadata")
    reader: Callable[[bytes, str], Extraction] = module.read_sidecar_xmp
    extraction = reader(data, name)
    gps = extraction.gps
    if gps is not None:
        gps = gps._replace(source=SIDECAR_GPS_SOURCE)
    return SidecarInfo(SidecarKind.XMP, extraction.findings, gps, None, extraction.warnings)


def read_sidecar(
    kind: SidecarKind, data: bytes, name: str, photo_name: str | None = None
) -> SidecarInfo:
    """Read one sidecar for one photo (``photo_name`` picks the section of a .picasa.ini)."""
    if len(data) > MAX_SIDECAR_BYTES:
        raise FileTooLarge(f"sidecar larger than {MAX_SIDECAR_BYTES} bytes: {name}")
    if kind is SidecarKind.PICASA:
        findings = read_picasa(data, photo_name or "")
        return SidecarInfo(kind, findings)
    readers: dict[SidecarKind, Callable[[bytes, str], SidecarInfo]] = {
        SidecarKind.TAKEOUT: read_takeout,
        SidecarKind.TAKEOUT_ALBUM: read_takeout_album,
        SidecarKind.FLICKR: read_flickr,
        SidecarKind.XMP: read_xmp,
    }
    return readers[kind](data, name)


def apply_sidecar(record: PhotoRecord, info: SidecarInfo, path: str | None = None) -> PhotoRecord:
    """The record with the sidecar's findings added; its GPS only when the photo has none."""
    have = {(f.kind, f.field, f.value) for f in record.findings}
    added = tuple(f for f in info.findings if (f.kind, f.field, f.value) not in have)
    gps = record.gps if record.gps is not None else info.gps
    sidecars = record.sidecars
    if path is not None and path not in sidecars:
        sidecars = (*sidecars, path)
    return dataclasses.replace(record, findings=record.findings + added, gps=gps, sidecars=sidecars)
