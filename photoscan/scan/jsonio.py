"""The scan JSON document (architecture §4) and the record codec the cache uses.

JSON is made here, at the edge, and nowhere else: the core passes frozen dataclasses around.
Field names of the document are a contract (other tools parse them): fields may be added,
never renamed. ``record_from_dict`` is the inverse of ``record_to_dict`` so the cache can store
records as JSON rather than pickles (a pickle in a cache file would be code, not data).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from photoscan import __version__
from photoscan.model import (
    ChildLevel,
    Face,
    FileError,
    Finding,
    FindingKind,
    Gps,
    ImageFormat,
    PhotoRecord,
    Place,
    PlaceGroup,
    Recommendation,
    Risk,
    RiskLevel,
    Severity,
)
from photoscan.printable import printable_path

if TYPE_CHECKING:
    from photoscan.scan.events import ScanResult

JsonDict = dict[str, Any]


def gps_to_dict(gps: Gps | None) -> JsonDict | None:
    if gps is None:
        return None
    out: JsonDict = {"lat": gps.lat, "lon": gps.lon, "source": gps.source}
    if gps.altitude is not None:
        out["altitude"] = gps.altitude
    return out


def record_to_dict(record: PhotoRecord) -> JsonDict:
    """One ``photos[]`` entry of the scan document."""
    return {
        "path": record.path,
        "format": record.format,
        "width": record.width,
        "height": record.height,
        "gps": gps_to_dict(record.gps),
        "place": (
            None
            if record.place is None
            else {
                "name": record.place.name,
                "country": record.place.country,
                "repeated": record.place.repeated,
            }
        ),
        "faces": faces_to_list(record.faces),
        "findings": [
            {"kind": f.kind.value, "field": f.field, "value": f.value, "severity": f.severity.value}
            for f in record.findings
        ],
        "risk": (
            None
            if record.risk is None
            else {
                "level": record.risk.level.value,
                "score": record.risk.score,
                "reasons": list(record.risk.reasons),
            }
        ),
        "recommendations": [r.value for r in record.recommendations],
        "sidecars": list(record.sidecars),
        "faces_scanned": record.faces_scanned,
        "face_error": record.face_error,
    }


def error_to_dict(error: FileError) -> JsonDict:
    return {"path": error.path, "reason": error.reason}


def _document_record(record: PhotoRecord) -> JsonDict:
    entry = record_to_dict(record)
    entry["path"] = printable_path(record.path)
    entry["sidecars"] = [printable_path(s) for s in record.sidecars]
    return entry


def _document_error(error: FileError) -> JsonDict:
    return {"path": printable_path(error.path), "reason": error.reason}


def result_to_document(result: ScanResult) -> JsonDict:
    """The whole ``scan --json`` document."""
    return {
        "root": printable_path(str(result.root)),
        "photoscan_version": __version__,
        "cancelled": result.cancelled,
        "photos": [_document_record(r) for r in result.photos],
        "errors": [_document_error(e) for e in result.errors],
        "skipped": [_document_error(e) for e in result.skipped],
        "places": _places(result.places),
    }


def _places(groups: Sequence[PlaceGroup]) -> list[JsonDict]:
    """The top-level ``places`` list (``scan --places``), without coordinates."""
    if not groups:
        return []
    from photoscan.places.places import place_json  # lazy: numpy/scipy

    return [place_json(g) for g in groups]


def write_document(result: ScanResult, out: TextIO) -> None:
    out.write(document_text(result))


def document_text(result: ScanResult) -> str:
    """The document with one photo or error per line: readable, greppable, and written by
    the C encoder (``json.dump`` with ``indent`` falls back to pure Python, 10x slower)."""
    doc = result_to_document(result)
    parts = []
    for key, value in doc.items():
        if isinstance(value, list):
            items = ",\n  ".join(_dumps(item) for item in value)
            parts.append(f"{_dumps(key)}: [\n  {items}\n ]" if value else f"{_dumps(key)}: []")
        else:
            parts.append(f"{_dumps(key)}: {_dumps(value)}")
    return "{\n " + ",\n ".join(parts) + "\n}\n"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# --- decoding (cache) -------------------------------------------------------------------


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


def gps_from_dict(d: Mapping[str, Any] | None) -> Gps | None:
    if d is None:
        return None
    return Gps(float(d["lat"]), float(d["lon"]), str(d["source"]), _opt_float(d.get("altitude")))


def _face(d: Mapping[str, Any]) -> Face:
    left, top, right, bottom = (int(v) for v in d["box"])
    # ``level`` is absent in records stored before the three levels; one this version does
    # not know falls back to what ``child`` says.
    stored = d.get("level")
    level = _LEVELS.get(stored) if isinstance(stored, str) else None
    return Face((left, top, right, bottom), _opt_float(d["age"]), bool(d["child"]), level)


def faces_from_list(items: Sequence[Mapping[str, Any]]) -> tuple[Face, ...]:
    return tuple(_face(d) for d in items)


def faces_to_list(faces: Sequence[Face]) -> list[JsonDict]:
    """``child``: treated as a child (a child or a possible child); ``level``: which."""
    return [{"box": list(f.box), "age": f.age, "child": f.child, "level": _level(f)} for f in faces]


def _level(face: Face) -> str:
    return (face.level or (ChildLevel.CHILD if face.child else ChildLevel.ADULT)).value


# Plain dict lookups: Enum(value) is slow, and a cached rescan decodes every finding.
_KINDS = {k.value: k for k in FindingKind}
_LEVELS = {level.value: level for level in ChildLevel}
_SEVERITIES = {s.value: s for s in Severity}


def record_from_dict(d: Mapping[str, Any]) -> PhotoRecord:
    """Inverse of ``record_to_dict``; raises KeyError/ValueError/TypeError on a bad entry."""
    place = d.get("place")
    risk = d.get("risk")
    return PhotoRecord(
        path=str(d["path"]),
        format=ImageFormat(d["format"]),
        width=_opt_int(d["width"]),
        height=_opt_int(d["height"]),
        gps=gps_from_dict(d.get("gps")),
        place=None
        if place is None
        else Place(str(place["name"]), str(place["country"]), bool(place.get("repeated", False))),
        faces=faces_from_list(d.get("faces", ())),
        findings=tuple(
            Finding(_KINDS[f["kind"]], str(f["field"]), str(f["value"]), _SEVERITIES[f["severity"]])
            for f in d.get("findings", ())
        ),
        risk=(
            None
            if risk is None
            else Risk(RiskLevel(risk["level"]), int(risk["score"]), tuple(risk["reasons"]))
        ),
        recommendations=tuple(Recommendation(r) for r in d.get("recommendations", ())),
        sidecars=tuple(str(s) for s in d.get("sidecars", ())),
        faces_scanned=bool(d.get("faces_scanned", False)),
        face_error=d.get("face_error"),
    )


def dumps_compact(value: Any) -> str:
    """For the cache: ASCII escapes keep lone surrogates (non-UTF-8 file names) exact."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))
