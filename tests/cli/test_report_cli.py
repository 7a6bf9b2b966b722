"""``photoscan report``: each format end to end on a synthetic library (no real people)."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from photoscan.cli.main import main
from tests.synthlib import make_library

COORD = re.compile(r"-?\d{1,3}\.\d{4,}")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_library(tmp_path_factory.mktemp("lib") / "Holidays")


def _report(library: Path, out: Path, *extra: str) -> int:
    return main(["report", str(library), "-o", str(out), "--no-faces", "--no-cache", *extra])


@pytest.mark.parametrize("fmt", ["html", "csv", "json"])
def test_text_formats_are_redacted_and_private(library: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    assert _report(library, out) == 0
    text = out.read_text(encoding="utf-8")
    assert not COORD.search(text)
    assert str(library) not in text and str(tmp_path) not in text
    assert "Alex Example" not in text
    assert "home/" in text and "NL" in text
    assert "Leiden" not in text  # towns only with --places
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".photoscan-report-")]
    if fmt == "html":
        assert "http://" not in text and "https://" not in text


def test_json_report_names_the_repeated_place(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert _report(library, out) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    repeated = [p for p in doc["places"] if p["repeated"]]
    assert [(p["name"], p["country"], p["photos"]) for p in repeated] == [("", "NL", 7)]
    named = tmp_path / "named.json"
    assert _report(library, named, "--places") == 0
    doc_named = json.loads(named.read_text(encoding="utf-8"))
    repeated = [p for p in doc_named["places"] if p["repeated"]]
    assert [(p["name"], p["country"], p["photos"]) for p in repeated] == [("Leiden", "NL", 7)]
    assert doc["totals"]["photos"] == 14 and doc["totals"]["children"] == 2
    actions = {a["action"]: len(a["photos"]) for a in doc["actions"]}
    assert actions["strip_location"] == 10 and actions["blur_children"] == 2
    # --no-faces: nothing is "fine to share", every photo says its faces were not checked
    assert "ok_to_share" not in actions and actions["check_faces"] == 14


def test_details_lists_every_photo(library: Path, tmp_path: Path) -> None:
    short, full = tmp_path / "short.html", tmp_path / "full.html"
    assert _report(library, short) == 0
    assert _report(library, full, "--details") == 0
    short_text = short.read_text(encoding="utf-8")
    full_text = full.read_text(encoding="utf-8")
    assert "All photos" not in short_text and "All photos" in full_text
    rows = full_text.split("All photos", 1)[1].count("<tr>") - 1  # less the heading row
    assert rows == 14
    assert "home/\u200bgarden_0.jpg" in full_text  # file names wrap at path separators


def test_include_locations(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert _report(library, out, "--include-locations") == 0
    text = out.read_text(encoding="utf-8")
    assert "52.1601" in text and str(library) in text


def test_format_flag_overrides_extension_and_bad_folder(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    assert _report(library, out, "--format", "csv") == 0
    assert out.read_text(encoding="utf-8").startswith("path,risk_level,")
    assert main(["report", str(tmp_path / "missing"), "-o", str(out)]) == 2
    assert main(["report", str(library)]) == 2  # -o is required


def test_a_zip_export_is_reported_like_its_folder(library: Path, tmp_path: Path) -> None:
    archive = Path(shutil.make_archive(str(tmp_path / "export"), "zip", library))
    from_zip, from_folder = tmp_path / "zip.json", tmp_path / "folder.json"
    assert _report(archive, from_zip) == 0
    assert _report(library, from_folder) == 0
    zipped = json.loads(from_zip.read_text(encoding="utf-8"))
    folder = json.loads(from_folder.read_text(encoding="utf-8"))
    assert zipped["totals"] == folder["totals"]
    assert zipped["places"] == folder["places"]
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("hello", encoding="utf-8")
    assert _report(not_a_folder, tmp_path / "x.json") == 2


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm not installed")
def test_pdf_opens_and_renders(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    cmd = [sys.executable, "-m", "photoscan", "report", str(library), "-o", str(out)]
    done = subprocess.run(
        [*cmd, "--no-faces", "--no-cache"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    with Image.open(tmp_path / "page-1.png") as page:
        rgb = page.convert("RGB")
        assert rgb.width > 400 and rgb.height > 600  # A4 at 60 dpi
        colours = rgb.getcolors(maxcolors=1 << 20) or []
    dark = sum(n for n, (r, g, b) in colours if r + g + b < 200)
    red_bar = sum(n for n, (r, g, b) in colours if r > 180 and g < 80 and b < 80)
    assert dark > 500  # text was typeset
    assert red_bar > 50  # the risk chart was drawn
