"""The default face pass stays offline: a fresh process with HOME and TMPDIR in empty folders
finds a face, writes nothing but photoscan's own cache (the converted YuNet model, the stored
HOG detector) and opens no socket (Python's socket module refuses; strace, when installed,
watches the native code too)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from benchmarks.eval_faces import read_manifest
from tests.conftest import testdata_dir as _testdata_dir

CODE = """
import socket, sys
def refuse(*args, **kwargs):
    raise AssertionError("a socket was opened")
socket.socket = refuse
socket.create_connection = refuse
import io
from PIL import Image
from photoscan.faces.analyse import detect_faces
from photoscan.faces.settings import FaceSettings
scene = Image.new("RGB", (900, 700), (120, 130, 140))
with Image.open(sys.argv[1]) as face:
    scene.paste(face.convert("RGB").resize((220, 220)), (500, 200))
out = io.BytesIO()
scene.save(out, "JPEG")
faces = detect_faces(out.getvalue(), FaceSettings())
assert len(faces) == 1, faces
print("ok")
"""


def test_face_pass_writes_only_photoscans_cache_and_opens_no_socket(tmp_path: Path) -> None:
    folder = _testdata_dir("a_age_faces")
    face = folder / next(n for n, label in read_manifest(folder) if int(label) == 30)
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("XDG_", "PHOTOSCAN_", "ORT_")) and k not in ("HOME", "TMPDIR")
    }
    env.update(HOME=str(home), TMPDIR=str(tmp))
    command = [sys.executable, "-c", CODE, str(face)]
    trace = tmp_path / "strace.txt"
    strace = shutil.which("strace")
    if strace is not None:
        command = [strace, "-f", "-qq", "-e", "trace=socket,connect", "-o", str(trace), *command]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("ok")
    written = sorted(p.relative_to(home) for p in home.rglob("*") if p.is_file())
    assert written and all(p.parts[:2] == (".cache", "photoscan") for p in written), written
    assert any(p.name.startswith("yunet-") for p in written)
    assert list(tmp.rglob("*")) == []
    if strace is not None:
        calls = [line for line in trace.read_text().splitlines() if "socket(" in line]
        # AF_UNIX is local (e.g. a name-service lookup); anything on a network is not
        assert all("AF_UNIX" in line for line in calls), calls
