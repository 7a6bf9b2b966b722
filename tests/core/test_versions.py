"""Library versions in the cache keys: an upgraded reader library never serves stale results."""

from __future__ import annotations

import importlib.metadata
import sys
from pathlib import Path

import pytest

from photoscan import cache, rescan, versions


def _clear() -> None:
    versions.library_versions.cache_clear()
    cache.scanner_version.cache_clear()
    rescan._CODE.clear()


def test_lists_the_installed_reader_libraries() -> None:
    found = dict(item.rsplit("-", 1) for item in versions.library_versions().split(";"))
    for name in ("exifread", "pillow", "pillow_heif", "defusedxml"):
        assert found[name] == importlib.metadata.version(name)


def test_an_upgrade_changes_every_cache_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clear()
    before = (versions.library_versions(), cache.scanner_version(), rescan.code_digest())
    shadow = tmp_path / "site"
    (shadow / "exifread-99.0.0.dist-info").mkdir(parents=True)  # first on sys.path wins
    monkeypatch.setattr(sys, "path", [str(shadow), *sys.path])
    _clear()
    try:
        after = (versions.library_versions(), cache.scanner_version(), rescan.code_digest())
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
