"""Typeset the summary report as a PDF with Qt (``QTextDocument`` + ``QPdfWriter``).

Qt is already photoscan's GUI toolkit, so the PDF needs no extra dependency; this module is
the only place the report touches Qt, and the ``report`` command imports it only for
``--format pdf``. Charts arrive as standalone SVG text and are rasterised with ``QSvgRenderer``
into image resources the document refers to as ``chart:<name>`` — nothing is loaded from
disk or network while typesetting.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, QMarginsF, QUrl
from PySide6.QtGui import (
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtSvg import QSvgRenderer

from photoscan import report
from photoscan.model import FileError, PhotoRecord, PlaceGroup
from photoscan.report import ReportSummary

DPI = 150
CHART_SCALE = 2  # rasterise charts at twice their CSS size so they stay sharp in print


def _app() -> QGuiApplication:
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        return app
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QGuiApplication(["photoscan-report"])


def _rasterise(svg: str) -> QImage:
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    size = renderer.defaultSize()
    image = QImage(
        size.width() * CHART_SCALE, size.height() * CHART_SCALE, QImage.Format.Format_ARGB32
    )
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def write_pdf(html: str, charts: Mapping[str, str], path: Path) -> None:
    """Write ``html`` (Qt flavour) with its ``chart:<name>`` SVGs to an A4 PDF at ``path``."""
    _app()
    doc = QTextDocument()
    for name, svg in charts.items():
        doc.addResource(
            QTextDocument.ResourceType.ImageResource.value, QUrl(f"chart:{name}"), _rasterise(svg)
        )
    doc.setHtml(html)
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setTitle("photoscan report")
    writer.setCreator("photoscan")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    doc.print_(writer)  # paginates a copy to the writer's page size


def write_pdf_report(path: Path, summary: ReportSummary) -> None:
    """The summary as a PDF at ``path``, written atomically, 0600."""
    html = report.render_html(summary, flavour="qt")
    charts = report.chart_svgs(summary, standalone=True)
    report.write_private(path, lambda tmp: write_pdf(html, charts, tmp))


def export_report(
    path: Path,
    fmt: str,
    root: Path,
    photos: Sequence[PhotoRecord],
    errors: Sequence[FileError] = (),
    places: Sequence[PlaceGroup] = (),
    include_locations: bool = False,
    cancelled: bool = False,
    details: bool = False,
) -> ReportSummary:
    """Write the summary of a scan (``ScanResult`` fields) as html, pdf, csv or json, 0600.

    The one call the desktop app needs for "Export summary". The app runs it in a QThread
    (Qt paints text onto a QPdfWriter outside the GUI thread): a PDF of 5,000 photos takes
    about 6 s to typeset, far too long to block the window.
    """
    summary = report.summarize(
        root,
        photos,
        errors,
        places,
        include_locations=include_locations,
        details=details,
        cancelled=cancelled,
    )
    if fmt == "pdf":
        write_pdf_report(path, summary)
    else:
        report.write_text(path, summary, fmt)
    return summary
