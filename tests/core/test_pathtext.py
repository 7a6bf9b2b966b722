"""``photoscan.pathtext`` answers as ``pathlib.Path`` does, for paths held as text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from photoscan import pathtext

SPELLINGS = [
    "",
    ".",
    "./",
    "/",
    "//",
    "///",
    "//a",
    "///a/b",
    "a//b",
    "a/./b/",
    "./a",
    "a/..",
    "../x/",
    "~",
    "a b/c",
    "/a/b/",
    ".hidden",
    "..",
    "a/.",
    "/.",
    "photos/2024/IMG_1.JPG",
    "ünïcode/ß",
]


@pytest.mark.parametrize("text", SPELLINGS)
def test_the_spelling_of_a_path(text: str) -> None:
    path = Path(text)
    pure = pathtext.pure(text)
    assert pure == str(path) == pathtext.pure(path)
    assert pathtext.name(pure) == path.name
    assert pathtext.parent(pure) == str(path.parent)
    for name in ("x", "x/y", "/abs", "x/./y/"):
        assert pathtext.join(text, name) == str(path / name)
    assert pathtext.join(text, "a", "b") == str(path.joinpath("a", "b"))


def test_resolve_and_the_tests_on_the_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "file").write_bytes(b"x")
    (tmp_path / "link").symlink_to(tmp_path / "dir")
    (tmp_path / "broken").symlink_to(tmp_path / "missing")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    for text in ("dir", "dir/file", "link", "link/file", "broken", "missing", ".", "dir/file/x"):
        path = Path(text)
        assert pathtext.resolve(text) == str(path.resolve()), text
        for test in ("exists", "is_dir", "is_file", "is_symlink"):
            assert getattr(pathtext, test)(text) == getattr(path, test)(), (text, test)
    assert not pathtext.exists("nul\0byte") and not Path("nul\0byte").exists()
    with pytest.raises(RuntimeError, match="Symlink loop"):
        Path("loop").resolve()
    with pytest.raises(RuntimeError, match="Symlink loop"):
        pathtext.resolve("loop")
    assert pathtext.exists("loop") == Path("loop").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_error_other_than_not_there_is_raised_as_pathlib_does(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "inside").write_bytes(b"x")
    locked.chmod(0)
    try:
        with pytest.raises(PermissionError):
            Path(locked / "inside").exists()
        with pytest.raises(PermissionError):
            pathtext.exists(str(locked / "inside"))
    finally:
        locked.chmod(0o700)
