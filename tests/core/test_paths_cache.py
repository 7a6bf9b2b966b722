"""paths.cache_dir's platformdirs-free answer on Linux agrees with platformdirs."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from photoscan import paths


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the shortcut is Linux-only")
@pytest.mark.parametrize(
    ("xdg", "home"),
    [
        (None, "/home/ann"),
        ("/tmp/xdg-cache", "/home/ann"),
        ("relative/cache", "/home/ann"),
        ("", "/home/ann"),
        ("/tmp/xdg-cache/", "/home/ann/"),
    ],
)
def test_linux_cache_dir_matches_platformdirs(
    xdg: str | None, home: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    monkeypatch.setenv("HOME", home)
    fast = paths._linux_cache_dir()
    assert fast is not None
    assert fast == platformdirs.user_cache_dir(paths.APP_NAME)


def test_relative_home_is_left_to_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", "relative")
    assert paths._linux_cache_dir() is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the shortcut is Linux-only")
@pytest.mark.parametrize(
    ("xdg", "home"),
    [
        (None, "/home/ann"),
        ("/tmp/xdg-data", "/home/ann"),
        ("relative/data", "/home/ann"),
        ("", "/home/ann"),
        ("/tmp/xdg-data/", "/home/ann/"),
    ],
)
def test_linux_data_dir_matches_platformdirs(
    xdg: str | None, home: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if xdg is None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_DATA_HOME", xdg)
    monkeypatch.setenv("HOME", home)
    fast = paths._linux_data_dir()
    assert fast is not None
    assert fast == platformdirs.user_data_dir(paths.APP_NAME)


def test_data_dir_follows_photoscan_home_and_is_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PHOTOSCAN_HOME", str(tmp_path / "home"))
    assert paths.data_dir_str(create=False) == str(tmp_path / "home" / "data")
    assert not (tmp_path / "home").exists()  # asking where is not making it
    folder = paths.data_dir()
    assert folder == tmp_path / "home" / "data"
    assert folder.stat().st_mode & 0o777 == 0o700
    assert paths.data_dir() != paths.cache_dir()  # the cache may be deleted; decisions not
