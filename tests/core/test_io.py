"""photoscan.io: the one private, atomic writer and its read-back check."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from photoscan import io


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_writes_privately_and_replaces_atomically(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")
    os.chmod(target, 0o644)
    io.write_private(target, b"new content", verify=True)
    assert target.read_bytes() == b"new content"
    assert _mode(target) == 0o600
    io.write_private(str(target), lambda fd: io.write_all(fd, b"from a descriptor"))
    assert target.read_bytes() == b"from a descriptor"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # no temporary left


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("the old report")

    def broken(fd: int) -> None:
        io.write_all(fd, b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        io.write_private(target, broken)
    assert target.read_text() == "the old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_read_back_that_differs_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(io, "same_content", lambda path, data: False)
    with pytest.raises(OSError, match="read back differs"):
        io.write_private(tmp_path / "x", b"data", verify=True)


def test_by_name_for_writers_that_need_a_file_name(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"

    def writer(name: str) -> None:  # like Qt or dlib: opens, truncates, maybe recreates
        os.unlink(name)
        with open(name, "wb") as f:
            f.write(b"%PDF")
        os.chmod(name, 0o666)

    io.write_private_by_name(target, writer)
    assert target.read_bytes() == b"%PDF" and _mode(target) == 0o600
    with pytest.raises(RuntimeError):
        io.write_private_by_name(target, lambda name: (_ for _ in ()).throw(RuntimeError()))
    assert target.read_bytes() == b"%PDF"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def test_temporary_files_are_new_private_and_distinct(tmp_path: Path) -> None:
    first = io.write_temp(tmp_path, b"a")
    second = io.write_temp(tmp_path, b"b", durable=False)
    assert first != second
    assert Path(first).read_bytes() == b"a" and _mode(Path(first)) == 0o600


def test_same_content(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"abc")
    assert io.same_content(path, b"abc")
    assert not io.same_content(path, b"abd")
    assert not io.same_content(path, b"abcd")
    assert not io.same_content(tmp_path / "missing", b"")


def test_remove_stale_temps_only_takes_dead_runs_own_names(tmp_path: Path) -> None:
    import subprocess
    import sys

    from photoscan.io import remove_stale_temps

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".photoscan-{dead.pid}-{'ab' * 6}.tmp"
    live = tmp_path / f".photoscan-{os.getppid()}-{'cd' * 6}.tmp"
    mine = tmp_path / f".photoscan-{os.getpid()}-{'ef' * 6}.tmp"
    foreign = tmp_path / ".photoscan-0123456789ab.tmp"  # not our pid-carrying shape
    for path in (stale, live, mine, foreign):
        path.write_bytes(b"x")
    assert remove_stale_temps(tmp_path) == 1
    assert not stale.exists()
    assert live.exists() and mine.exists() and foreign.exists()


def _declined(*_args: object) -> int:
    raise OSError(18, "Invalid cross-device link")  # EXDEV: the kernel cannot copy these


@pytest.mark.parametrize("way", ["copy_file_range", "sendfile", "buffered"])
def test_copy_fd_copies_exactly_whichever_way_the_kernel_allows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)  # over a megabyte: the read-ahead advice is given
    (tmp_path / "src").write_bytes(data + b"not copied")
    advised: list[int] = []
    if hasattr(os, "posix_fadvise"):  # not on macOS or Windows: no advice given there
        monkeypatch.setattr(os, "posix_fadvise", lambda fd, o, n, a: advised.append(a))
    if way != "copy_file_range":
        monkeypatch.setattr(io, "_copy_range", _declined)
    if way == "buffered":
        monkeypatch.setattr(io, "_sendfile", _declined)
    src = os.open(tmp_path / "src", os.O_RDONLY)
    dst = os.open(tmp_path / "dst", os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        io.copy_fd(src, dst, len(data))
    finally:
        os.close(src)
        os.close(dst)
    assert (tmp_path / "dst").read_bytes() == data
    assert advised == ([os.POSIX_FADV_SEQUENTIAL] if hasattr(os, "posix_fadvise") else [])


def test_copy_fd_when_advice_is_refused_and_of_a_source_too_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*_args: object) -> None:
        raise OSError(29, "Illegal seek")

    monkeypatch.setattr(os, "posix_fadvise", refused, raising=False)
    data = os.urandom(2 * 1024 * 1024)
    (tmp_path / "src").write_bytes(data)
    src = os.open(tmp_path / "src", os.O_RDONLY)
    dst = os.open(tmp_path / "dst", os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        io.copy_fd(src, dst, len(data))
        assert (tmp_path / "dst").read_bytes() == data
        with pytest.raises(OSError, match="shorter"):
            io.copy_fd(src, dst, len(data) + 1)
    finally:
        os.close(src)
        os.close(dst)
