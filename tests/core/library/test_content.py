"""A photo's content key: the SHA-256 of its bytes, remembered per file in the cache."""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

import pytest

from photoscan import paths
from photoscan.library import content
from photoscan.library.content import HashCache, hash_bytes, hash_file
from photoscan.source.fileref import FileRef


def test_the_key_is_the_sha256_of_the_bytes_wherever_they_are(tmp_path: Path) -> None:
    data = os.urandom(3 << 20)  # more than one read chunk
    (tmp_path / "a.jpg").write_bytes(data)
    moved = tmp_path / "elsewhere" / "renamed.jpg"
    moved.parent.mkdir()
    moved.write_bytes(data)
    with zipfile.ZipFile(tmp_path / "export.zip", "w") as archive:
        archive.writestr("Photos/a.jpg", data)
    expected = hashlib.sha256(data).hexdigest()
    keys = {
        hash_file(FileRef(str(tmp_path / "a.jpg"))),
        hash_file(FileRef(str(moved))),
        hash_file(FileRef(str(tmp_path / "export.zip"), "Photos/a.jpg")),
        hash_bytes(data),
    }
    assert len(keys) == 1
    key = keys.pop()
    assert (key.sha256, key.size) == (expected, len(data))


def test_a_hash_is_remembered_until_the_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo = tmp_path / "a.jpg"
    photo.write_bytes(b"first content")
    calls: list[FileRef] = []
    real = content.hash_file

    def counting(ref: FileRef) -> content.PhotoKey:
        calls.append(ref)
        return real(ref)

    monkeypatch.setattr(content, "hash_file", counting)
    ref = FileRef(str(photo))
    with HashCache() as cache:
        first = cache.key(ref)
    with HashCache() as cache:
        assert cache.key(ref) == first
    assert len(calls) == 1  # the second time from the cache
    photo.write_bytes(b"other content")  # same path, new bytes
    with HashCache() as cache:
        again = cache.key(ref)
    assert again is not None and again != first
    assert again == hash_bytes(b"other content")
    assert (paths.cache_dir() / content.CACHE_NAME).exists()  # derived: in the cache


def test_unreadable_files_are_left_out(tmp_path: Path) -> None:
    with HashCache() as cache:
        assert cache.keys([FileRef(str(tmp_path / "gone.jpg"))]) == []
        assert cache.key(FileRef(str(tmp_path))) is None  # a folder is not a photo
