"""The desktop app's "Export summary": every format through export_report, PDF typeset by Qt."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
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
    else:  # in HTML, file names may wrap after each "/" (a zero-width space)
        path = "kids/\u200ba.jpg" if fmt == "html" else "kids/a.jpg"
        assert path.encode() in data and b"52.16" not in data
    with pytest.raises(ValueError):
        export_report(tmp_path / "x.doc", "doc", tmp_path, photos)


@pytest.fixture(scope="module")
def shared_reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, set[str]]:
    """The shared testdata's PDF summary, by default and with details, and the town and
    neighbourhood names its photos were placed in (one face scan for both)."""
    import os

    from photoscan.cli.scan import scan_with_progress
    from photoscan.gui.actions.report_pdf import write_pdf_report
    from photoscan.report import summarize
    from photoscan.scan.jobs import ScanOptions
    from tests.conftest import testdata_dir

    if shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    root = testdata_dir()
    home = tmp_path_factory.mktemp("home")
    os.environ["PHOTOSCAN_HOME"] = str(home)  # module scope: monkeypatch is per test
    result = scan_with_progress(root, ScanOptions(places=True))
    towns = {p.place.name for p in result.photos if p.place and p.place.name}
    out = tmp_path_factory.mktemp("reports")
    paths = []
    for name, details in (("summary.pdf", False), ("details.pdf", True)):
        summary = summarize(
            result.root, result.photos, result.errors, result.places, details=details
        )
        write_pdf_report(out / name, summary)
        paths.append(out / name)
    return paths[0], paths[1], towns


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)[1])  # type: ignore[index]


def _text(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return done.stdout


def test_shared_testdata_summary_fits_six_pages(
    qapp: object, shared_reports: tuple[Path, Path, set[str]]
) -> None:
    summary, details, _ = shared_reports
    assert _pages(summary) <= 6
    assert "All photos" not in _text(summary)
    assert _pages(details) > 20 and "All photos" in _text(details)


def test_shared_testdata_summary_names_no_town(
    qapp: object, shared_reports: tuple[Path, Path, set[str]]
) -> None:
    summary, _, towns = shared_reports
    assert len(towns) > 20
    text = " ".join(_text(summary).split())
    found = sorted(t for t in towns if re.search(rf"\b{re.escape(t)}\b", text))
    assert found == []
    assert not re.search(r"Days\s+0\b", text)


def test_the_app_can_export_every_photo_and_never_names_a_cli_flag(qtbot, tmp_path: Path) -> None:
    """Seen under Xvfb on b_group_photos: the app's HTML summary showed 3 examples per
    action and '… and 14 more (with --details and in the CSV/JSON report)' — a command-line
    flag the app had no way to ask for. The dialog now offers the full list."""
    from photoscan.gui.actions.dialogs import ExportDialog

    dialog = ExportDialog(tmp_path / "summary.html")
    qtbot.addWidget(dialog)
    assert not dialog.choice().details  # the short summary stays the default
    dialog.details.setChecked(True)
    choice = dialog.choice()
    assert choice.details
    kids = [
        assess(
            PhotoRecord(
                f"kid{i}.jpg",
                "JPEG",
                10,
                10,
                faces=(Face((0, 0, 4, 4), 5.0, True),),
                faces_scanned=True,
            )
        )
        for i in range(6)
    ]
    short = tmp_path / "short.html"
    export_report(short, "html", tmp_path, kids)
    text = short.read_text()
    assert "--details" not in text and "every photo listed" in text
    export_report(choice.path, "html", tmp_path, kids, details=choice.details)
    full = choice.path.read_text()
    assert all(f"kid{i}.jpg" in full for i in range(6)) and "more (" not in full
