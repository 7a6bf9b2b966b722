"""Issue 10 §1: a face scan opens no network socket and looks up no host name.

Under ``strace -f -e trace=%network`` (skipped where strace cannot trace): no socket but
``AF_UNIX``, no connect or send to an internet address, no resolver file or daemon touched,
in every process of the scan (metadata workers, face pool). The issue's longer bar — a face
scan lasting 30 s and more, since onnxruntime's uploader woke about 9 s after the first
session — is ``benchmarks/netcheck.py``; this keeps the check short enough for every run.
The control shows the same reading catches a single ``getaddrinfo``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.robustness import runner
from tests.robustness.network import read_log, strace_prefix
from tests.robustness.sandbox import Sandbox
from tests.robustness.stracelog import strace_available


@pytest.fixture(autouse=True)
def _needs_strace() -> None:
    reason = strace_available()
    if reason is not None:
        pytest.skip(reason)


def test_control_a_host_name_lookup_is_seen(tmp_path: Path) -> None:
    log = tmp_path / "net.log"
    code = "import socket\ntry: socket.getaddrinfo('x.invalid', 443)\nexcept OSError: pass\n"
    command = [*strace_prefix(log), sys.executable, "-c", code]
    result = runner.run(command, Sandbox.create(tmp_path / "box").env(), timeout=60)
    assert result.returncode == 0, result.describe()
    report = read_log(log)
    assert not report.clean and report.lookups


def test_face_scan_uses_no_network(real_set: Path, tmp_path: Path) -> None:
    box = Sandbox.create(tmp_path / "box")
    log = tmp_path / "net.log"
    out = tmp_path / "scan.json"
    command = runner.photoscan_command("scan", real_set, "--no-cache", "--json", out)
    result = runner.run([*strace_prefix(log), *command], box.env(), timeout=120)
    assert result.returncode == 0, result.describe()
    photos = json.loads(out.read_text())["photos"]
    assert any(p["faces"] for p in photos)  # the detector and the age model ran
    report = read_log(log)
    assert len(report.processes) > 1  # the workers were traced too
    assert report.sockets == [] and report.inet == [] and report.lookups == []
