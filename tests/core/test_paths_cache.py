"""paths.cache_dir's platformdirs-free answer on Linux agrees with platformdirs."""

from __future__ import annotations

import sys

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
