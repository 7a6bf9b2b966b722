"""Issue 10 §3: a hostile machine — a full disk, a corrupted cache, a kill mid-strip, a
read-only source, outputs on another file system.

Same bars as the hostile files (no traceback, no hang, bounded memory, nothing written
outside the target); strict xfails name what breaks today.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.robustness import hostile_files as hostile
from tests.robustness import mounts, runner
from tests.robustness.workspace import Workspace

PHOTOS = 5


def _with_photos(space: Workspace) -> Workspace:
    for i in range(PHOTOS):
        (space.inputs / f"p{i}.jpg").write_bytes(hostile.gps_jpeg(10.0 + i, 20.0 + i))
    return space


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return _with_photos(Workspace.create(tmp_path / "ws"))


@pytest.fixture(scope="module")
def _cache_case(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, Any]:
    """One workspace for the cache cases, and its ``--no-cache`` document: each case starts
    from an empty photoscan home (``cached``)."""
    space = _with_photos(Workspace.create(tmp_path_factory.mktemp("cache") / "ws"))
    return space, _scan(space, "--no-cache")[0]


@pytest.fixture
def cached(_cache_case: tuple[Workspace, Any]) -> tuple[Workspace, Any]:
    space, expected = _cache_case
    shutil.rmtree(space.home)
    space.home.mkdir()
    _scan(space)  # fills the cache
    return space, expected


def _one_line_saying(stderr: str, words: tuple[str, ...]) -> None:
    lines = [line for line in stderr.splitlines() if any(w in line.lower() for w in words)]
    assert len(lines) == 1, f"want one line saying {words}, got: {stderr!r}"


# --- a full disk while writing --json ----------------------------------------------------------

_FULL_DISK = [
    pytest.param(["scan", "IN", "--no-faces", "--json", "TARGET"], id="scan"),
    pytest.param(["report", "IN", "--no-faces", "-o", "TARGET"], id="report"),
    pytest.param(["strip", "IN", "--out", "OUT", "--json", "TARGET"], id="strip"),
    pytest.param(["share", "IN", "--out", "OUT", "--json", "TARGET"], id="share"),
]


def _fill(args: list[str], ws: Workspace, target: Path) -> list[str]:
    swap = {"IN": str(ws.inputs), "OUT": str(ws.out), "TARGET": str(target)}
    return [swap.get(a, a) for a in args]


@pytest.mark.parametrize("args", _FULL_DISK)
def test_a_full_disk_is_one_line_and_no_partial_file(ws: Workspace, args: list[str]) -> None:
    """The target's disk is a 64 KiB tmpfs, full, in a private mount namespace. Where
    mounting is not allowed, RLIMIT_FSIZE stands in: any write past 2 KiB fails (EFBIG),
    so the photos' small copies are written and the larger JSON or report is not."""
    if mounts.available(ws.root / "probe") is None:
        target, listing = ws.root / "full", ws.root / "listing.txt"
        target.mkdir()
        command = runner.photoscan_command(*_fill(args, ws, target / "r"))
        wrapped = mounts.full_disk(target, listing, command)
        result = ws.run_command(wrapped, exit_codes=(2,), outputs=(target, listing))
        _one_line_saying(result.stderr, ("no space left on device",))
        assert listing.read_text().split() == ["filler"]  # no partial output, no temp file
    else:
        target = ws.root / "results"
        target.mkdir()
        uncached = ["--no-cache"] if args[0] in ("scan", "report") else []  # SQLite writes too
        command = runner.photoscan_command(*_fill(args, ws, target / "r"), *uncached)
        result = ws.run_command(command, exit_codes=(2,), outputs=(target,), file_size=2048)
        _one_line_saying(result.stderr, ("file too large",))
        assert list(target.iterdir()) == []


# --- a corrupted cache ------------------------------------------------------------------------


_WRONG_SHAPES = ["[1, 2]", "{}", '{"record": [1]}', "{"]


def _databases(home: Path) -> Iterator[Path]:
    for path in home.rglob("*"):
        if path.is_file() and path.read_bytes()[:16] == b"SQLite format 3\x00":
            yield path


def _stored_outputs(home: Path) -> list[Path]:
    return [
        p
        for p in home.rglob("*")
        if p.is_file()
        and p not in set(_databases(home))
        and b'"photoscan_version"' in p.read_bytes()
    ]


def _corrupt_rows(database: Path, shape: str) -> int:
    """Every JSON value in every table replaced by ``shape`` (JSON of the wrong shape, or
    not JSON): the schema is not assumed, so this survives changes to it."""
    changed = 0
    with sqlite3.connect(database) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            for rowid, *values in conn.execute(f"SELECT rowid, * FROM {table}").fetchall():
                for column, value in zip(columns, values, strict=True):
                    if isinstance(value, str) and value[:1] in "{[":
                        conn.execute(
                            f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (shape, rowid)
                        )
                        changed += 1
    return changed


def _scan(ws: Workspace, *extra: str) -> tuple[Any, str]:
    result = ws.run("scan", ws.inputs, "--no-faces", "--json", "-", *extra)
    return result.document(), result.stderr


def _cache_warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "warning" in line and "cache" in line]


@pytest.mark.parametrize("shape", _WRONG_SHAPES)
def test_cache_rows_of_the_wrong_shape_are_dropped_with_one_warning(
    cached: tuple[Workspace, Any], shape: str
) -> None:
    ws, expected = cached
    for stored in _stored_outputs(ws.home):
        stored.unlink()  # so the per-file rows are read
    assert sum(_corrupt_rows(db, shape) for db in _databases(ws.home)) >= PHOTOS
    document, stderr = _scan(ws)
    assert document == expected
    assert len(_cache_warnings(stderr)) == 1, stderr
    again, stderr = _scan(ws)
    assert again == expected
    assert _cache_warnings(stderr) == []  # rebuilt


def test_a_corrupted_stored_output_is_rebuilt_with_one_warning(
    cached: tuple[Workspace, Any],
) -> None:
    ws, expected = cached
    stored = _stored_outputs(ws.home)
    assert stored
    for path in stored:
        data = bytearray(path.read_bytes())
        at = data.rfind(b'"photos"') + 12
        data[at : at + 10] = b"\x00garbage\xff!"  # same size: only a checksum can tell
        path.write_bytes(bytes(data))
    document, stderr = _scan(ws)
    assert document == expected
    assert len(_cache_warnings(stderr)) == 1, stderr


def test_a_cache_that_is_not_a_database_is_rebuilt_with_one_warning(
    cached: tuple[Workspace, Any],
) -> None:
    ws, expected = cached
    for path in [*_databases(ws.home), *_stored_outputs(ws.home)]:
        path.write_bytes(b"\x00not a database\xff" * 64)
    document, stderr = _scan(ws)
    assert document == expected
    assert len(_cache_warnings(stderr)) == 1, stderr


# --- a SIGKILL during an in-place strip -------------------------------------------------------

# The killed run: photoscan itself, with one os call turned into SIGKILL on its n-th use —
# an exact, repeatable point between a temporary file's creation and its rename or link.
_KILLER = """
import os, runpy, signal, sys
name, n = sys.argv.pop(1), int(sys.argv.pop(1))
real, calls = getattr(os, name), [0]
def killing(*args, **kwargs):
    calls[0] += 1
    if calls[0] == n:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)
setattr(os, name, killing)
sys.argv[0] = "photoscan"
runpy.run_module("photoscan", run_name="__main__", alter_sys=True)
"""


@pytest.mark.parametrize(
    ("call", "n", "where"),
    [("replace", 3, "photos"), ("link", 2, "backup")],
    ids=["killed-before-replace", "killed-before-backup-link"],
)
def test_a_rerun_after_a_kill_removes_its_stale_temp_files(
    ws: Workspace, call: str, n: int, where: str
) -> None:
    originals = {p.name: p.read_bytes() for p in ws.inputs.iterdir()}
    backup = ws.root / "backup"
    args = ["strip", str(ws.inputs), "--in-place", "--backup-dir", str(backup)]
    killed = runner.run([sys.executable, "-c", _KILLER, call, str(n), *args], ws.env())
    assert killed.returncode == -9, killed.describe()
    temps = sorted(ws.root.rglob(".photoscan-*.tmp"))
    assert temps and {t.parent for t in temps} == {ws.inputs if where == "photos" else backup}
    _nothing_lost(ws.inputs, backup, originals)
    ws.run(*args, outputs=(ws.inputs, backup))
    _nothing_lost(ws.inputs, backup, originals)
    assert sorted(ws.root.rglob(".photoscan-*.tmp")) == []


def _nothing_lost(photos: Path, backup: Path, originals: dict[str, bytes]) -> None:
    for name, data in originals.items():
        now = (photos / name).read_bytes()
        assert now == data or (backup / name).read_bytes() == data, name


# --- a read-only source, outputs on another file system ---------------------------------------

_READ_ONLY_COMMANDS = [
    ["scan", "IN", "--no-faces", "--json", "OUT/scan.json"],
    ["strip", "IN", "--out", "OUT/clean", "--json", "OUT/strip.json"],
    ["share", "IN", "--out", "OUT/share", "--json", "OUT/share.json"],
    ["report", "IN", "--no-faces", "-o", "OUT/report.html"],
]


@contextlib.contextmanager
def _read_only(ws: Workspace) -> Iterator[Callable[[list[str]], list[str]]]:
    """Makes ``ws.inputs`` read-only for the commands it wraps: a read-only bind mount in a
    private namespace where mounting is allowed (root gets EROFS too), else, for a user
    other than root, plain permissions (restored afterwards)."""
    if mounts.available(ws.root / "probe") is None:
        yield lambda command: mounts.read_only(ws.inputs, command)
        return
    if os.geteuid() == 0:
        pytest.skip("root ignores permissions and cannot mount here")
    modes = {p: p.stat().st_mode for p in [ws.inputs, *ws.inputs.iterdir()]}
    for path, mode in modes.items():
        path.chmod(mode & ~0o222)
    try:
        yield lambda command: command
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


@pytest.mark.parametrize("args", _READ_ONLY_COMMANDS, ids=lambda a: a[0])
def test_a_read_only_source_folder_keeps_working(ws: Workspace, args: list[str]) -> None:
    ws.out.mkdir()
    filled = [a.replace("IN", str(ws.inputs)).replace("OUT", str(ws.out)) for a in args]
    with _read_only(ws) as wrap:
        ws.run_command(wrap(runner.photoscan_command(*filled)), exit_codes=(0,))
    if args[0] in ("strip", "share"):
        files = json.loads((ws.out / f"{args[0]}.json").read_text())["files"]
        assert len(files) == PHOTOS and {f["status"] for f in files} <= {"stripped", "reencoded"}


def test_an_in_place_strip_of_a_read_only_folder_fails_per_file(ws: Workspace) -> None:
    originals = {p.name: p.read_bytes() for p in ws.inputs.iterdir()}
    backup = ws.root / "backup"
    args = ["strip", str(ws.inputs), "--in-place", "--backup-dir", str(backup), "--json", "-"]
    with _read_only(ws) as wrap:
        result = ws.run_command(wrap(runner.photoscan_command(*args)), outputs=(backup,))
    files = result.document()["files"]
    assert len(files) == PHOTOS and all(f["status"] == "failed" and f["reason"] for f in files)
    assert {p.name: p.read_bytes() for p in ws.inputs.iterdir()} == originals


@pytest.fixture
def other_fs(tmp_path: Path) -> Iterator[Path]:
    """A folder on another file system than the workspace's (``/dev/shm``, a tmpfs)."""
    if not os.path.isdir("/dev/shm") or os.stat("/dev/shm").st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second file system (/dev/shm) here")
    with tempfile.TemporaryDirectory(prefix="photoscan-otherfs-", dir="/dev/shm") as folder:
        yield Path(folder)


def test_outputs_on_another_file_system(ws: Workspace, other_fs: Path) -> None:
    for args in (
        ["scan", ws.inputs, "--no-faces", "--json", other_fs / "scan.json"],
        ["report", ws.inputs, "--no-faces", "-o", other_fs / "report.html"],
        ["strip", ws.inputs, "--out", other_fs / "clean", "--json", other_fs / "strip.json"],
        ["share", ws.inputs, "--out", other_fs / "share", "--json", other_fs / "share.json"],
    ):
        ws.run(*args, exit_codes=(0,))
    assert len(json.loads((other_fs / "scan.json").read_text())["photos"]) == PHOTOS
    for name in ("strip", "share"):
        files = json.loads((other_fs / f"{name}.json").read_text())["files"]
        assert len(files) == PHOTOS and {f["status"] for f in files} <= {"stripped", "reencoded"}
    assert (other_fs / "report.html").stat().st_size > 0
    originals = {p.name: p.read_bytes() for p in ws.inputs.iterdir()}
    backup = other_fs / "backup"
    ws.run("strip", ws.inputs, "--in-place", "--backup-dir", backup, outputs=(ws.inputs,))
    backups = {p.name: p.read_bytes() for p in backup.iterdir() if p.suffix != ".jsonl"}
    assert backups == originals and (backup / "photoscan-restore.jsonl").is_file()
    assert all(hostile.gps_in_bytes(p.read_bytes()) == [] for p in ws.inputs.iterdir())
