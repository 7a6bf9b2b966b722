"""``photoscan scan PHOTO``: one photo, as ``strip`` and ``share`` take one (issue 14 item 7).

The JSON contract holds: ``root`` is the photo's folder and the one entry's ``path`` is
relative to it; the photo's sidecars are read with it, the rest of its folder is not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from photoscan.cli.main import main

XMP = b"""<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
 <rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
  photoshop:City="Leiden"/></rdf:RDF></x:xmpmeta>"""


def _photo(path: Path, artist: str) -> None:
    exif = Image.Exif()
    exif[0x013B] = artist
    exif[0x8825] = {1: "N", 2: (52.0, 9.0, 36.0), 3: "E", 4: (4.0, 29.0, 24.0)}
    Image.new("RGB", (32, 24), "green").save(path, "JPEG", exif=exif)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "Pictures"
    (root / "deeper").mkdir(parents=True)
    _photo(root / "beach.jpg", "Jane Doe")
    (root / "beach.jpg.xmp").write_bytes(XMP)
    _photo(root / "other.jpg", "John Roe")
    (root / "other.xmp").write_bytes(XMP)
    _photo(root / "deeper" / "third.jpg", "Jim Poe")
    (root / "notes.txt").write_text("not a photo")
    return root


def test_one_photo_follows_the_json_contract(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = folder / "beach.jpg"
    assert main(["scan", str(photo), "--json", "-", "--no-faces"]) == 0
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert err == ""
    assert doc["root"] == str(folder)
    assert set(doc) >= {"root", "photoscan_version", "photos", "errors"}
    (entry,) = doc["photos"]
    assert entry["path"] == "beach.jpg"
    assert (Path(doc["root"]) / entry["path"]) == photo
    assert entry["format"] == "JPEG" and (entry["width"], entry["height"]) == (32, 24)
    assert entry["gps"]["lat"] == pytest.approx(52.16, abs=1e-3)
    assert entry["sidecars"] == ["beach.jpg.xmp"]  # its own sidecar, not other.xmp
    assert any(f["value"] == "Jane Doe" for f in entry["findings"])
    assert any(f["value"] == "Leiden" for f in entry["findings"])  # read from the sidecar
    assert doc["errors"] == [] and doc["skipped"] == []


def test_one_photo_summary_names_it_and_its_commands(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = folder / "beach.jpg"
    assert main(["scan", str(photo), "--no-faces"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Scanned: {photo}\n  1 photo, 0 not scanned")
    assert f"`photoscan strip {photo} --out CLEAN --only location`" in out
    assert "John Roe" not in out and "third.jpg" not in out


def test_one_photo_is_never_served_from_the_stored_output(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The stored output's key would not see the sidecar change: one photo is always read."""
    photo = folder / "beach.jpg"
    assert main(["scan", str(photo), "--json", "-", "--no-faces"]) == 0
    first = json.loads(capsys.readouterr().out)["photos"][0]
    (folder / "beach.jpg.xmp").write_bytes(XMP.replace(b"Leiden", b"Haarlem"))
    assert main(["scan", str(photo), "--json", "-", "--no-faces"]) == 0
    second = json.loads(capsys.readouterr().out)["photos"][0]
    assert any(f["value"] == "Leiden" for f in first["findings"])
    assert any(f["value"] == "Haarlem" for f in second["findings"])


def test_a_file_that_is_no_photo_is_listed_not_refused(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", str(folder / "notes.txt"), "--json", "-", "--no-faces"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["photos"] == []
    assert [e["path"] for e in doc["errors"]] == ["notes.txt"]
    assert doc["errors"][0]["reason"].startswith("unsupported format")


def test_a_sidecar_on_its_own_is_read_like_a_folder_scan_reads_it(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", str(folder / "other.xmp"), "--json", "-", "--no-faces"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)["photos"]
    assert entry["path"] == "other.xmp" and entry["format"] == "XMP"
    assert any(f["value"] == "Leiden" for f in entry["findings"])
