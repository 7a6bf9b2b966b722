"""The summary as CSV (one row per photo, for spreadsheets) and JSON (for other tools).

CSV cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
tab or CR) are prefixed with an apostrophe: file names and metadata are hostile input.
"""

from __future__ import annotations

import csv
import io
import json

from photoscan.places.places import place_json
from photoscan.printable import spreadsheet_cell
from photoscan.report.summary import KIND_LABELS, PhotoLine, ReportSummary

CSV_COLUMNS = (
    "path",
    "risk_level",
    "score",
    "children",
    "faces",
    "gives_away",
    "place",
    "recommendations",
    "reasons",
    "flickr_page",
)


def render_csv(summary: ReportSummary) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = list(CSV_COLUMNS) + (["lat", "lon"] if summary.include_locations else [])
    writer.writerow(columns)
    for p in summary.photos:
        row: list[object] = [
            p.path,
            p.level.value,
            p.score,
            _children(p),
            p.faces if p.faces_checked else "",
            "; ".join(KIND_LABELS.get(k, k.value) for k in p.kinds),
            p.place,
            " ".join(r.value for r in p.recommendations),
            "; ".join(p.reasons),
            p.flickr_page,
        ]
        if summary.include_locations:
            row += [p.lat, p.lon]
        writer.writerow([spreadsheet_cell(v) for v in row])
    return out.getvalue()


def _children(p: PhotoLine) -> str:
    if p.possible_children and not p.sure_children:
        return "possible child - please check"
    if p.children:
        return "yes; possible child - please check" if p.possible_children else "yes"
    return "no" if p.faces_checked else "faces not checked"


def _photo(p: PhotoLine, locations: bool) -> dict[str, object]:
    item: dict[str, object] = {
        "path": p.path,
        "risk": {"level": p.level.value, "score": p.score, "reasons": list(p.reasons)},
        "recommendations": [r.value for r in p.recommendations],
        "children": p.children,
        "possible_children": p.possible_children,
        "faces_checked": p.faces_checked,
        "reviewed": p.reviewed,
        "faces": p.faces if p.faces_checked else None,
        "gives_away": [k.value for k in p.kinds],
        "place": p.place,
    }
    if p.flickr_page:
        item["flickr_page"] = p.flickr_page
    if locations and p.lat is not None and p.lon is not None:
        item["gps"] = {"lat": p.lat, "lon": p.lon}
    return item


def render_json(summary: ReportSummary) -> str:
    locations = summary.include_locations
    doc = {
        "folder": summary.folder,
        "generated": summary.generated,
        "photoscan_version": summary.version,
        "include_locations": locations,
        "cancelled": summary.cancelled,
        "totals": {
            "photos": summary.total,
            "by_level": {level.value: n for level, n in summary.by_level},
            "by_kind": dict(summary.by_kind),
            "children": summary.children,
            "with_faces": summary.with_faces,
            "faces_checked": summary.faces_checked,
            "faces_not_checked": summary.total - summary.faces_checked,
            "possible_children": summary.possible_children,
            "reviewed": summary.reviewed,
        },
        "places": [place_json(g, locations) for g in summary.places],
        "actions": [
            {
                "action": a.action.value,
                "label": a.label,
                "photos": [
                    {"path": p.path, **({"flickr_page": p.flickr_page} if p.flickr_page else {})}
                    for p in a.photos
                ],
            }
            for a in summary.actions
        ],
        "photos": [_photo(p, locations) for p in summary.photos],
        "errors": [{"path": e.path, "reason": e.reason} for e in summary.errors],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
