"""The atomic writer writes through what is not a regular file and follows links.

``photoscan scan --json /dev/null`` run as root replaced the machine's ``/dev/null`` with a
regular file (``os.replace`` onto a device). A device or pipe is written through; a link is
followed so the file it names is replaced and the link stays.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from photoscan import io


def test_a_device_is_written_through_not_replaced(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    node = tmp_path / "null"
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    io.write_private(node, b'{"photos": []}', verify=True)
    io.write_private_by_name(node, lambda name: Path(name).write_bytes(b"report"))
    assert stat.S_ISCHR(os.stat(node).st_mode)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".photoscan-")]


def test_a_pipe_gets_the_content(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    io.write_private(fifo, b"streamed")
    reader.join(timeout=10)
    assert got == [b"streamed"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_link_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_bytes(b"old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    io.write_private(link, b"new", verify=True)
    assert link.is_symlink()
    assert real.read_bytes() == b"new"
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "made.json")
    io.write_private(dangling, b"made")
    assert dangling.is_symlink() and (tmp_path / "made.json").read_bytes() == b"made"
