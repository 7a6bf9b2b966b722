"""``share --rename``'s mapping file: private, atomic, escaped, never replacing another."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from photoscan.share.names import NamesFile, mapping_path, renamed


def test_rows_are_escaped_for_spreadsheets_and_the_file_is_private(tmp_path: Path) -> None:
    names = NamesFile(tmp_path)
    names.add(tmp_path / "photo-0001.jpg", '=HYPERLINK("http://x")')
    names.add(tmp_path / "photo-0002.jpg", "holiday/" + os.fsdecode(b"caf\xe9.jpg"))
    names.add(tmp_path / "photo-0003.jpg", "a,b\nc.jpg")
    names.write()
    assert names.written and names.path == tmp_path / "photoscan-names.csv"
    assert names.path.stat().st_mode & 0o777 == 0o600
    rows = list(csv.reader(names.path.read_text(encoding="utf-8").splitlines(keepends=True)))
    assert rows[0] == ["copy", "original"]
    assert rows[1] == ["photo-0001.jpg", '\'=HYPERLINK("http://x")']
    assert rows[2] == ["photo-0002.jpg", "holiday/caf\\xe9.jpg"]
    assert rows[3] == ["photo-0003.jpg", "a,b\nc.jpg"]


def test_an_earlier_mapping_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "photoscan-names.csv").write_text("earlier")
    assert mapping_path(tmp_path) == tmp_path / "photoscan-names-2.csv"
    names = NamesFile(tmp_path)
    names.add(tmp_path / "photo-0001.jpg", "a.jpg")
    names.write()
    assert names.path == tmp_path / "photoscan-names-2.csv"
    assert (tmp_path / "photoscan-names.csv").read_text() == "earlier"


def test_nothing_renamed_writes_nothing_and_a_failure_is_kept(tmp_path: Path) -> None:
    empty = NamesFile(tmp_path)
    empty.write()
    assert not empty.written and not list(tmp_path.iterdir())
    missing = NamesFile(tmp_path / "gone")
    missing.add(tmp_path / "gone" / "photo-0001.jpg", "a.jpg")
    missing.write()
    assert not missing.written and missing.error


def test_renamed_keeps_only_the_suffix() -> None:
    assert renamed(Path("out"), 12, "IMG_2024_Paris.JPEG") == Path("out/photo-0012.jpeg")
