"""``photoscan scan EXPORT.zip``: a zip export is scanned in place; a broken one is exit 2."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from photoscan.cli.main import main


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (47.0, 37.0, 13.8), 3: "W", 4: (122.0, 20.0, 57.48)}
    out = io.BytesIO()
    Image.new("RGB", (32, 24), "green").save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_scan_of_a_zip_export_lists_member_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Takeout/Google Photos/trip/seattle.jpg", _jpeg_with_gps())
        zf.writestr("../evil.jpg", _jpeg_with_gps())
    assert main(["scan", str(archive), "--no-faces", "--json", "-"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [p["path"] for p in document["photos"]] == ["Takeout/Google Photos/trip/seattle.jpg"]
    assert document["photos"][0]["gps"] is not None
    assert [e["path"] for e in document["errors"]] == ["../evil.jpg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.zip"]


def test_a_corrupt_zip_is_exit_2_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "takeout.zip"
    broken.write_bytes(b"PK\x03\x04" + bytes(300))
    assert main(["scan", str(broken), "--no-faces"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "cannot read zip export" in err and "takeout.zip" in err
