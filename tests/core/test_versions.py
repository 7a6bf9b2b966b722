"""The code identity in every cache key: changed code or an upgraded library never serves a
stale result, wherever a module lives."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import sys
from pathlib import Path

import pytest

from photoscan import versions
from photoscan.scan import cache


def _clear() -> None:
    versions.library_versions.cache_clear()
    cache.scanner_version.cache_clear()
    versions.code_identity.cache_clear()


def test_lists_the_installed_reader_libraries() -> None:
    found = dict(item.rsplit("-", 1) for item in versions.library_versions().split(";"))
    for name in ("exifread", "pillow", "pillow_heif", "defusedxml", "av"):
        assert found[name] == importlib.metadata.version(name)


def test_an_upgrade_changes_every_cache_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clear()
    before = (versions.library_versions(), cache.scanner_version(), versions.code_identity())
    shadow = tmp_path / "site"
    (shadow / "exifread-99.0.0.dist-info").mkdir(parents=True)  # first on sys.path wins
    monkeypatch.setattr(sys, "path", [str(shadow), *sys.path])
    _clear()
    try:
        after = (versions.library_versions(), cache.scanner_version(), versions.code_identity())
        assert "exifread-99.0.0" in after[0]
        assert all(a != b for a, b in zip(after, before, strict=True))
    finally:
        monkeypatch.undo()
        _clear()
    assert versions.library_versions() == before[0]


def test_unreadable_path_entries_are_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "path", ["/nonexistent/dir", *sys.path])
    versions.library_versions.cache_clear()
    try:
        assert "pillow-" in versions.library_versions()
    finally:
        monkeypatch.undo()
        versions.library_versions.cache_clear()


def _package(tmp_path: Path) -> Path:
    """A small package tree of the layout's shape (leaves, numbered folders, the GUI)."""
    root = tmp_path / "pkg"
    files = {
        "model.py": "A = 1\n",
        "source/__init__.py": "",
        "source/sniff.py": "def sniff(): ...\n",
        "metadata/__init__.py": "",
        "metadata/exif/exif.py": "TAGS = {}\n",
        "gui/window.py": "WINDOW = 1\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_a_moved_module_stays_covered(tmp_path: Path) -> None:
    """The old schemes named files by hand: a module moved out of the list was no longer
    hashed, so editing it later served stale results. Folders are walked instead."""
    root = _package(tmp_path)
    before = versions.package_identity(str(root))
    assert versions.package_identity(str(root)) == before  # stable
    (root / "containers").mkdir()
    shutil.move(root / "metadata" / "exif" / "exif.py", root / "containers" / "exif.py")
    moved = versions.package_identity(str(root))
    assert moved != before  # a move is a miss, never a stale hit
    (root / "containers" / "exif.py").write_text("TAGS = {1: 2}\n")
    assert versions.package_identity(str(root)) not in (before, moved)


def test_editing_or_adding_any_module_changes_the_key(tmp_path: Path) -> None:
    root = _package(tmp_path)
    seen = {versions.package_identity(str(root))}
    changes = [
        lambda: (root / "model.py").write_text("A = 22\n"),
        lambda: (root / "metadata" / "exif" / "exif.py").write_text("TAGS = {3: 4}\n"),
        lambda: (root / "source" / "zipped.py").write_text(""),  # a new module
        lambda: (root / "video").mkdir() or (root / "video" / "bmff.py").write_text(""),
        lambda: (root / "source" / "zipped.py").unlink(),
        lambda: os.utime(root / "model.py", ns=(1, 1)),
    ]
    for change in changes:
        change()
        now = versions.package_identity(str(root))
        assert now not in seen
        seen.add(now)


def test_the_gui_and_byte_code_are_not_result_code(tmp_path: Path) -> None:
    root = _package(tmp_path)
    before = versions.package_identity(str(root))
    (root / "gui" / "window.py").write_text("WINDOW = 2\n")
    (root / "gui" / "detail").mkdir()
    (root / "gui" / "detail" / "pane.py").write_text("")
    (root / "source" / "__pycache__").mkdir()
    (root / "source" / "__pycache__" / "sniff.cpython-311.pyc").write_bytes(b"x")
    (root / "notes.txt").write_text("not code")
    assert versions.package_identity(str(root)) == before


def test_every_cache_key_is_the_one_code_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    _clear()
    try:
        monkeypatch.setattr(versions, "package_identity", lambda package: "other code")
        versions.code_identity.cache_clear()
        other = versions.code_identity()
        assert cache.scanner_version().endswith("+" + other[:12])
    finally:
        monkeypatch.undo()
        _clear()
    assert versions.code_identity() != other
