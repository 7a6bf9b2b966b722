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
    NO_DECISIONS,
    Box,
    ChildLevel,
    Decisions,
    Face,
    FaceMark,
    FaceSource,
    FileError,
    Finding,
    FindingKind,
    Gps,
    ImageFormat,
    Mark,
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
        "decisions": decisions_to_dict(record.decisions),
    }


def decisions_to_dict(decisions: Decisions) -> JsonDict | None:
    """The parent's decisions about a photo (``null`` when there are none). Marks and drawn
    boxes are in ``faces`` already (``mark``, ``source``); they are listed here as well so
    the record can be read back exactly."""
    if decisions.empty:
        return None
    return {
        "reviewed": decisions.reviewed,
        "hide_all_faces": decisions.hide_all,
        "keep_private": decisions.keep_private,
        "marks": [{"box": list(m.box), "mark": m.mark.value} for m in decisions.marks],
        "added": [list(box) for box in decisions.added],
        "dismissed": [list(box) for box in decisions.dismissed],
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


def _box(values: Sequence[Any]) -> Box:
    left, top, right, bottom = (int(v) for v in values)
    return (left, top, right, bottom)


def _face(d: Mapping[str, Any]) -> Face:
    # ``level`` is absent in records stored before the three levels; one this version does
    # not know falls back to what ``child`` says. The same for the parent's fields.
    stored = d.get("level")
    level = _LEVELS.get(stored) if isinstance(stored, str) else None
    detected = d.get("detected_level")
    return Face(
        _box(d["box"]),
        _opt_float(d["age"]),
        bool(d["child"]),
        level,
        source=_SOURCES.get(d.get("source") or "", FaceSource.DETECTOR),
        mark=_MARKS.get(d.get("mark") or ""),
        detected=_LEVELS.get(detected) if isinstance(detected, str) else None,
    )


def faces_from_list(items: Sequence[Mapping[str, Any]]) -> tuple[Face, ...]:
    return tuple(_face(d) for d in items)


def faces_to_list(faces: Sequence[Face]) -> list[JsonDict]:
    """``child``: treated as a child (a child or a possible child); ``level``: which;
    ``source``: ``detector`` or ``parent`` (a box the parent drew); ``mark``: the parent's
    word (``child`` / ``not_child`` / null) and ``detected_level`` what photoscan said
    before it."""
    return [
        {
            "box": list(f.box),
            "age": f.age,
            "child": f.child,
            "level": _level(f),
            "source": f.source.value,
            "mark": None if f.mark is None else f.mark.value,
            "detected_level": None if f.detected is None else f.detected.value,
        }
        for f in faces
    ]


def _level(face: Face) -> str:
    return (face.level or (ChildLevel.CHILD if face.child else ChildLevel.ADULT)).value


def decisions_from_dict(d: Mapping[str, Any] | None) -> Decisions:
    if not d:
        return NO_DECISIONS
    return Decisions(
        marks=tuple(FaceMark(_box(m["box"]), Mark(m["mark"])) for m in d.get("marks", ())),
        added=tuple(_box(b) for b in d.get("added", ())),
        hide_all=bool(d.get("hide_all_faces", False)),
        reviewed=bool(d.get("reviewed", False)),
        keep_private=bool(d.get("keep_private", False)),
        dismissed=tuple(_box(b) for b in d.get("dismissed", ())),
    )


# Plain dict lookups: Enum(value) is slow, and a cached rescan decodes every finding.
_KINDS = {k.value: k for k in FindingKind}
_LEVELS = {level.value: level for level in ChildLevel}
_SOURCES = {source.value: source for source in FaceSource}
_MARKS = {mark.value: mark for mark in Mark}
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
        decisions=decisions_from_dict(d.get("decisions")),
    )


def dumps_compact(value: Any) -> str:
    """For the cache: ASCII escapes keep lone surrogates (non-UTF-8 file names) exact."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))
