"""The shareable summary report: HTML, PDF, CSV or JSON, redacted by default.

``summarize(result)`` turns a finished scan into a ``ReportSummary`` (the only thing
renderers see); ``render(summary, fmt)`` makes the text formats. The PDF is typeset by Qt
and lives in ``photoscan.gui.actions.report_pdf`` — the core stays free of Qt, and the
command imports it only when a PDF is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from photoscan import io
from photoscan.model import FileError, PhotoRecord, PlaceGroup
from photoscan.places.places import PlacesSummary, analyze_places, apply_places
from photoscan.report.html import chart_svgs, render_html
from photoscan.report.summary import ReportSummary, build_summary
from photoscan.report.tables import render_csv, render_json
from photoscan.risk import assess

TextFormat = Literal["html", "csv", "json"]
FORMATS = ("html", "pdf", "csv", "json")

__all__ = [
    "FORMATS",
    "ReportSummary",
    "build_summary",
    "chart_svgs",
    "render",
    "render_html",
    "summarize",
    "write_private",
    "write_text",
]


def summarize(
    root: Path,
    photos: Sequence[PhotoRecord],
    errors: Sequence[FileError] = (),
    places: Sequence[PlaceGroup] = (),
    *,
    include_locations: bool = False,
    include_places: bool = False,
    details: bool = False,
    cancelled: bool = False,
) -> ReportSummary:
    """The summary of a scan's results (``ScanResult`` fields).

    When the scan did not already work out places (``places`` empty), they are worked out
    here, offline, and the photos' risk is re-assessed with the repeated places known.
    """
    groups = tuple(places)
    records = tuple(photos)
    if not groups:
        found: PlacesSummary = analyze_places(records)
        context = found.risk_context()
        records = tuple(assess(r, context) for r in apply_places(records, found))
        groups = found.places
    return build_summary(
        root,
        records,
        errors,
        groups,
        include_locations=include_locations,
        include_places=include_places,
        details=details,
        cancelled=cancelled,
    )


def write_private(path: Path, write: Callable[[Path], object]) -> None:
    """Write a report atomically, fsynced and readable only by its owner (0600): ``write``
    fills a temporary file in the target folder by its name (``io.write_private_by_name``),
    which then replaces ``path``. A report is private until its owner decides to share it."""
    io.write_private_by_name(path, lambda tmp: write(Path(tmp)))


def write_text(path: Path, summary: ReportSummary, fmt: str) -> None:
    """The summary as html, csv or json at ``path`` (atomically, 0600, read back)."""
    if fmt not in ("html", "csv", "json"):
        raise ValueError(f"not a text report format: {fmt}")
    text = render(summary, fmt)  # type: ignore[arg-type]
    io.write_private(path, text.encode("utf-8"), verify=True)


def render(summary: ReportSummary, fmt: TextFormat) -> str:
    if fmt == "html":
        return render_html(summary)
    if fmt == "csv":
        return render_csv(summary)
    return render_json(summary)
