"""``photoscan scan takeout-…-002.zip``: every part of the export is scanned, the document's
``root`` is the part given, and the stored output is served again only while no part changes."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from photoscan import paths
from photoscan.cli import stored as rescan
from photoscan.cli.main import main
from photoscan.cli.scan import _shape
from tests.core.source.test_takeout_parts import PHOTO, SIDECAR, _two_parts


def _scan(part: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert main(["scan", str(part), "--no-faces", "--workers", "1", "--json", "-"]) == 0
    document: dict[str, object] = json.loads(capsys.readouterr().out)
    return document


def _stored(part: Path) -> bool:
    key = rescan.fingerprint(part, _shape(True, False, False))
    return key is not None and rescan.load(paths.cache_dir(), part, key) is not None


def test_every_part_is_scanned_and_a_changed_part_is_scanned_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one, two = _two_parts(tmp_path)
    first = _scan(two, capsys)
    assert first["root"] == str(two)
    photos = {p["path"]: p for p in first["photos"]}  # type: ignore[attr-defined]
    assert photos[PHOTO]["gps"]["source"] == "sidecar" and first["errors"] == []
    assert _stored(two)  # kept for the next identical scan ...
    assert _scan(two, capsys) == first  # ... and served as it was
    with zipfile.ZipFile(one, "a") as zf:  # part 1 changes: a new photo
        zf.writestr("Takeout/Google Photos/Trip/IMG_9.jpg", zf.read(PHOTO))
    assert not _stored(two)
    again = _scan(two, capsys)
    assert len(again["photos"]) == 3  # type: ignore[arg-type]
    with zipfile.ZipFile(two, "w") as zf:  # part 2 changes: the JSON loses its position
        zf.writestr(SIDECAR, json.dumps({"title": "IMG_1.jpg"}))
    assert not _stored(two)
    last = {p["path"]: p for p in _scan(two, capsys)["photos"]}  # type: ignore[attr-defined]
    assert last[PHOTO]["gps"] is None
