"""``cli.main`` as the process freezes what start-up made (and everything at the end);
called in-process with arguments, it leaves the caller's collector alone."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

from photoscan.cli.main import main

CHILD = """
import gc, sys
from photoscan.cli.main import main
sys.argv = ["photoscan", "strip", sys.argv[1], "--out", sys.argv[2]]
code = main()
print(code, gc.isenabled(), gc.get_freeze_count() > 1000, flush=True)
"""


def _photo_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "note.txt").write_text("not a photo")
    return folder


def test_the_process_freezes_its_start_up(tmp_path: Path) -> None:
    folder = _photo_folder(tmp_path)
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    cmd = [sys.executable, "-c", CHILD, str(folder), str(tmp_path / "out")]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1].split() == ["0", "True", "True"]


def test_an_in_process_call_leaves_the_collector_alone(tmp_path: Path) -> None:
    folder = _photo_folder(tmp_path)
    frozen = gc.get_freeze_count()
    assert main(["strip", str(folder), "--out", str(tmp_path / "out")]) == 0
    assert gc.get_freeze_count() == frozen and gc.isenabled()
