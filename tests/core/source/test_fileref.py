"""The one bounded reader of regular files (``fileref.read_regular``) every command uses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from photoscan.errors import FileTooLarge, UnsupportedFormat
from photoscan.source.fileref import FileRef, open_fd, read_bytes, read_regular, read_rest


def test_a_regular_file_is_read_whole_with_its_status(tmp_path: Path) -> None:
    path = tmp_path / "a.jpg"
    path.write_bytes(b"\xff\xd8" + bytes(range(256)) * 40)
    st, data = read_regular(path, 1 << 20)
    assert data == path.read_bytes() and st.st_size == len(data)
    assert read_bytes(FileRef(str(path)), 1 << 20) == data


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    """A blocking open of a FIFO with no writer waits forever; this one returns at once."""
    os.mkfifo(tmp_path / "pipe.jpg")
    with pytest.raises(UnsupportedFormat, match="not a regular file"):
        read_regular(tmp_path / "pipe.jpg", 1 << 20)


def test_a_link_to_a_device_is_refused_before_any_read(tmp_path: Path) -> None:
    """/dev/zero reports size 0 and never ends: it must not be read to the cap."""
    (tmp_path / "zero.jpg").symlink_to("/dev/zero")
    with pytest.raises(UnsupportedFormat, match="not a regular file"):
        open_fd(tmp_path / "zero.jpg")
    with pytest.raises(UnsupportedFormat):
        read_bytes(FileRef(str(tmp_path / "zero.jpg")), 1 << 20)


def test_a_folder_is_not_a_regular_file(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormat):
        read_regular(tmp_path, 1 << 20)


def test_the_limit_holds_by_size_and_by_what_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.tif"
    path.write_bytes(b"x" * 5000)
    with pytest.raises(FileTooLarge, match="too large"):
        read_regular(path, 4999)
    assert read_regular(path, 5000)[1] == b"x" * 5000
    # A file that grows after fstat (the size given is stale) is read on, to the limit only.
    fd, _ = open_fd(path)
    try:
        with pytest.raises(FileTooLarge, match="over"):
            read_rest(fd, b"", 10, 4000)
    finally:
        os.close(fd)
    fd, _ = open_fd(path)
    try:
        head = os.read(fd, 100)
        assert read_rest(fd, head, 10, 5000) == b"x" * 5000  # grew: read on, within the limit
    finally:
        os.close(fd)


def test_a_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "gone.jpg", 100)
