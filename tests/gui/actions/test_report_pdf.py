"""The desktop app's "Export summary": every format through export_report, PDF typeset by Qt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from photoscan.gui.actions.report_pdf import export_report
from photoscan.model import Face, Gps, PhotoRecord
from photoscan.risk import assess


@pytest.mark.parametrize("fmt", ["pdf", "html", "json", "csv"])
def test_export_report(qapp: object, tmp_path: Path, fmt: str) -> None:
    photos = [
        assess(
            PhotoRecord(
                "kids/a.jpg",
                "JPEG",
                10,
                10,
                gps=Gps(52.16, 4.49, "exif"),
                faces=(Face((0, 0, 4, 4), 5.0, True),),
                faces_scanned=True,
            )
        ),
        assess(PhotoRecord("b.jpg", "JPEG", 10, 10, faces_scanned=True)),
    ]
    out = tmp_path / f"summary.{fmt}"
    summary = export_report(out, fmt, tmp_path, photos)
    assert summary.total == 2 and summary.children == 1
    data = out.read_bytes()
    if fmt == "pdf":
        assert data.startswith(b"%PDF-") and len(data) > 5000
    elif fmt == "json":
        assert json.loads(data)["totals"]["children"] == 1
    else:
        assert b"kids/a.jpg" in data and b"52.16" not in data
    with pytest.raises(ValueError):
        export_report(tmp_path / "x.doc", "doc", tmp_path, photos)
