"""``photoscan strip`` from the command line: JSON contract, exit codes, crash safety."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from photoscan.cli.main import main
from photoscan.model import ImageFormat
from photoscan.strip import StripOptions, strip_bytes
from tests import videos
from tests.cli.quickparse import reads_like_argparse
from tests.core.strip import fixtures


def _batch(root: Path, count: int) -> dict[str, bytes]:
    """``count`` different dirty JPEGs (and a PNG) under ``root``; name -> original bytes."""
    (root / "sub").mkdir(parents=True)
    originals = {}
    for i in range(count):
        rel = f"sub/p{i}.jpg" if i % 2 else f"p{i}.jpg"
        data = fixtures.dirty_jpeg(orientation=1 + i % 8)
        (root / rel).write_bytes(data)
        originals[rel] = data
    (root / "z.png").write_bytes(fixtures.dirty_png())
    originals["z.png"] = (root / "z.png").read_bytes()
    return originals


def test_json_document_lists_every_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _batch(tmp_path / "photos", 2)
    (tmp_path / "photos" / "notes.txt").write_text("hello")
    code = main(["strip", str(tmp_path / "photos"), "--out", str(tmp_path / "out"), "--json", "-"])
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    by_name = {Path(f["path"]).name: f for f in doc["files"]}
    assert set(by_name) == {"p0.jpg", "p1.jpg", "z.png", "notes.txt"}
    for name in ("p0.jpg", "p1.jpg", "z.png"):
        entry = by_name[name]
        assert entry["status"] == "stripped"
        assert {"path", "status", "removed", "remaining", "reason"} <= set(entry)
        assert "location" in entry["removed"] and "person" in entry["removed"]
        assert entry["remaining"] == []
    assert by_name["notes.txt"]["status"] == "refused"
    assert by_name["notes.txt"]["reason"]


def test_json_file_is_private_and_a_failed_write_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--json FILE goes through io.write_private (atomic, 0600): it lists every copy. When
    it cannot be written the run says so in one line and exits 2, leaving nothing behind."""
    _batch(tmp_path / "photos", 2)
    target = tmp_path / "strip.json"
    args = ["strip", str(tmp_path / "photos"), "--out", str(tmp_path / "out"), "--json"]
    assert main([*args, str(target)]) == 0
    assert target.stat().st_mode & 0o777 == 0o600
    assert len(json.loads(target.read_text())["files"]) == 3
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".photoscan")] == []
    capsys.readouterr()
    missing = tmp_path / "nowhere" / "strip.json"
    args[3] = str(tmp_path / "out2")
    assert main([*args, str(missing)]) == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if "cannot write" in line]
    assert lines == [f"photoscan strip: cannot write {missing}: No such file or directory"]


def test_only_location_and_keep_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _batch(tmp_path / "photos", 1)
    args = ["strip", str(tmp_path / "photos"), "--out", str(tmp_path / "out"), "--json", "-"]
    assert main([*args, "--only", "location", "--keep", "orientation,icc,datetime"]) == 0
    entry = json.loads(capsys.readouterr().out)["files"][0]
    assert entry["status"] == "stripped"
    assert "location" in entry["removed"]
    assert "person" in entry["remaining"]  # only the location went
    assert fixtures.ARTIST.encode() in (tmp_path / "out" / "p0.jpg").read_bytes()


@pytest.mark.parametrize(
    "extra",
    [
        [],  # neither --out nor --in-place
        ["--in-place"],  # no --backup-dir
        ["--out", "OUT", "--backup-dir", "B"],
        ["--out", "PHOTOS/inside"],
        ["--out", "OUT", "--keep", "gps"],
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, extra: list[str]) -> None:
    _batch(tmp_path / "photos", 1)
    mapped = [
        e.replace("PHOTOS", str(tmp_path / "photos")).replace("OUT", str(tmp_path / "o"))
        for e in extra
    ]
    assert main(["strip", str(tmp_path / "photos"), *mapped]) == 2
    assert not (tmp_path / "o").exists()


def test_dry_run_prints_the_plan_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    originals = _batch(tmp_path / "photos", 2)
    backups = tmp_path / "backups"
    args = [str(tmp_path / "photos"), "--in-place", "--backup-dir", str(backups), "--dry-run"]
    assert main(["strip", *args]) == 0
    captured = capsys.readouterr()
    # It says what would be done, not "stripped": nothing was (a dry run said "stripped").
    assert captured.out.count("would strip") == 3 and "stripped" not in captured.out
    assert "Dry run: nothing was written" in captured.out
    assert captured.err.strip().endswith("3 would strip")
    for rel, data in originals.items():
        assert (tmp_path / "photos" / rel).read_bytes() == data
    assert not backups.exists()


CRASH_POINTS = [("backup", 1), ("temp", 2), ("replace", 3), ("replace", 1), ("done", 4)]


@pytest.mark.parametrize(("step", "n"), CRASH_POINTS, ids=[f"{s}-{n}" for s, n in CRASH_POINTS])
def test_sigkill_mid_batch_never_loses_an_original(tmp_path: Path, step: str, n: int) -> None:
    """Kill an in-place strip at exact points; each original is untouched or fully replaced
    with its backup present — never truncated or missing. A rerun then finishes the job."""
    photos, backups = tmp_path / "photos", tmp_path / "backups"
    originals = _batch(photos, 5)
    fmt = {".jpg": ImageFormat.JPEG, ".png": ImageFormat.PNG}
    expected = {
        rel: strip_bytes(data, fmt[Path(rel).suffix], StripOptions()).data
        for rel, data in originals.items()
    }
    cmd = [sys.executable, "-m", "photoscan", "strip", str(photos), "--in-place"]
    cmd += ["--backup-dir", str(backups)]
    env = {**os.environ, "PHOTOSCAN_TEST_CRASH": f"{step}:{n}"}
    proc = subprocess.run(cmd, env=env, capture_output=True, timeout=120, check=False)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    replaced = 0
    for rel, data in originals.items():
        now = (photos / rel).read_bytes()
        if now == data:
            continue
        assert now == expected[rel], f"{rel} is neither the original nor its stripped version"
        assert (backups / rel).read_bytes() == data, f"{rel} replaced without a backup"
        replaced += 1
    assert replaced == (n if step == "done" else n - 1)
    # A rerun (no crash) completes the batch, reusing the backup the crash left behind.
    env.pop("PHOTOSCAN_TEST_CRASH")
    proc = subprocess.run(cmd, env=env, capture_output=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    for rel, data in originals.items():
        assert (photos / rel).read_bytes() == expected[rel]
        assert (backups / rel).read_bytes() == data
    leftovers = [p for p in photos.rglob(".photoscan-*")]
    shutil.rmtree(backups)
    assert len(leftovers) <= 1  # at most the temp file of the killed write


def test_ctrl_c_during_parallel_copies_reports_every_file_written(tmp_path: Path) -> None:
    """Ctrl-C reaches the whole process group (as from a terminal): the parent cancels between
    chunks, workers finish the chunk they hold, and every copy on disk is in the report."""
    photos, out, report = tmp_path / "photos", tmp_path / "out", tmp_path / "r.json"
    photos.mkdir()
    jpeg = fixtures.dirty_jpeg()
    for i in range(1500):
        (photos / f"p{i:04d}.jpg").write_bytes(jpeg)
    cmd = [sys.executable, "-m", "photoscan", "strip", str(photos), "--out", str(out)]
    cmd += ["--workers", "2", "--json", str(report)]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    assert proc.stdout is not None
    proc.stdout.readline()  # the first result: the pool is running
    os.killpg(proc.pid, signal.SIGINT)
    proc.communicate(timeout=120)
    assert proc.returncode == 130
    document = json.loads(report.read_text())
    assert document["cancelled"] is True
    reported = {Path(f["output"]).name for f in document["files"] if f["output"]}
    written = {p.name for p in out.iterdir()}
    assert written == reported
    assert 0 < len(written) < 1500


@pytest.mark.parametrize(
    ("argv", "quick_reads_it"),
    [
        (["a.mp4"], True),
        (["a.mp4", "b", "--out", "o"], True),
        (["--out", "o", "a", "b", "--dry-run", "--json", "-"], True),
        (["a", "--in-place", "--backup-dir", "bk", "--keep", "none", "--reset-dates"], True),
        (["a", "--out", "o", "--only", "location", "--workers", "03", "--keep", "datetime"], True),
        (["a", "--out", "-"], True),
        (["a", "--out", "o", "b"], False),  # argparse: unrecognized arguments: b
        (["a", "--out", "o", "--in-place"], False),  # not allowed with each other
        (["a", "--out", "o", "--out", "p"], False),
        (["a", "--only", "names"], False),
        (["a", "--workers", "0"], False),
        (["a", "--workers", "-1"], False),
        (["a", "--json"], False),
        (["a", "--json", "--dry-run"], False),
        (["a", "--out=o"], False),
        (["a", "--dry"], False),  # an abbreviation
        (["a", "-"], False),
        (["a", "--"], False),
        (["a", ""], False),
        (["--help"], False),
        (["--out", "o"], False),
        ([], False),
    ],
)
def test_the_quick_parser_reads_what_argparse_reads(argv: list[str], quick_reads_it: bool) -> None:
    """A plain strip is read without argparse (building its parser is a tenth of a strip of
    small videos); whatever it reads, it must read exactly as argparse does."""
    from photoscan.cli import strip as strip_cmd

    assert reads_like_argparse(strip_cmd, strip_cmd.quick_args, argv) == quick_reads_it


def test_a_plain_strip_never_imports_argparse(tmp_path: Path) -> None:
    """The CLI's strip of plain arguments runs without argparse (nor the decisions
    database, when there is none): what it imports is what the strip needs."""
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "a.jpg").write_bytes(fixtures.dirty_jpeg())
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)}
    cmd = [sys.executable, "-X", "importtime", "-m", "photoscan", "strip"]
    cmd += [str(tmp_path / "photos"), "--out", str(tmp_path / "out")]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "photoscan.strip.batch" in imported
    assert not {"argparse", "sqlite3", "shlex"} & imported
    assert (tmp_path / "out" / "a.jpg").exists()


def test_removed_blocks_no_reader_understood_are_named_as_unreadable_metadata() -> None:
    """A removed block without a finding (a damaged XMP packet) is not shown as a bare
    marker name: a parent reads "unreadable metadata", the expert still sees the block."""
    import io

    from photoscan.cli.strip import print_human
    from photoscan.strip.types import FileResult, StripStatus

    out = io.StringIO()
    print_human(FileResult("a.jpg", StripStatus.STRIPPED, blocks=("APP1 XMP",)), out)
    assert "removed: unreadable metadata (APP1 XMP)" in out.getvalue()
    out = io.StringIO()
    print_human(FileResult("b.jpg", StripStatus.STRIPPED, removed=("location",)), out)
    assert "removed: location" in out.getvalue() and "unreadable" not in out.getvalue()


def test_a_plain_strip_of_movies_builds_no_scan_records(tmp_path: Path) -> None:
    """A strip of MP4s imports neither the records of a scan (faces, decisions, risk:
    ``photoscan.records``, reached through ``photoscan.model`` on first use) nor the other
    containers' readers; the movie is still stripped and read back."""
    videos.need_ffmpeg()
    (tmp_path / "films").mkdir()
    videos.make_clip(tmp_path / "films" / "a.mp4", metadata={"artist": "Ben Example"})
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)}
    cmd = [sys.executable, "-X", "importtime", "-m", "photoscan", "strip"]
    cmd += [str(tmp_path / "films"), "--out", str(tmp_path / "out"), "--json", "-"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "photoscan.strip.video" in imported
    unneeded = {"photoscan.records", "photoscan.containers.riff", "photoscan.containers.ebml"}
    assert not unneeded & imported
    (entry,) = json.loads(done.stdout)["files"]
    assert entry["status"] == "stripped" and "person" in entry["removed"]


def test_a_plain_strip_of_movies_builds_no_dataclasses(tmp_path: Path) -> None:
    """The records a movie strip makes (boxes, layouts, findings, plans, results) are named
    tuples: building a dataclass runs ``exec`` at import and ``dataclasses`` imports
    ``inspect``; with ``typing`` that was most of a strip of small videos. None of the three
    is imported, and the movie is still stripped and read back."""
    videos.need_ffmpeg()
    (tmp_path / "films").mkdir()
    videos.make_clip(tmp_path / "films" / "a.mp4", metadata={"artist": "Ben Example"})
    videos.make_clip(tmp_path / "films" / "b.mov", metadata={"title": "At the beach"})
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)}
    # As the console script runs it (``python -m`` adds runpy's own imports: contextlib...).
    script = "import sys; from photoscan.cli.main import main; sys.exit(main())"
    cmd = [sys.executable, "-X", "importtime", "-c", script, "strip"]
    cmd += [str(tmp_path / "films"), "--out", str(tmp_path / "out")]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "photoscan.strip.video" in imported and "photoscan.strip.videoplan" in imported
    assert not {"dataclasses", "inspect", "typing"} & imported
    # Nor ``threading`` (the cancel token is a flag) nor ``signal`` (an IntEnum of every signal),
    # nor ``pathlib`` (with ``urllib.parse`` and ``ipaddress``: the plan's paths are text).
    assert not {"threading", "signal", "pathlib", "urllib.parse", "ipaddress"} & imported
    # Nor ``re`` and ``enum`` (a movie without XMP), ``contextlib`` and ``functools``.
    assert not {"re", "enum", "contextlib", "functools", "importlib", "importlib.util"} & imported
    assert "stripped" in done.stdout and "2 stripped" in done.stderr
    assert (tmp_path / "out" / "a.mp4").exists() and (tmp_path / "out" / "b.mov").exists()


def metadata_of(path: Path) -> list[str]:
    """The fields of what photoscan reads in a movie ("XMP:Creator", ...)."""
    from photoscan.metadata.video.read import read_video

    with open(path, "rb") as fh:
        return [f.field for f in read_video(fh, path.name).findings]


def test_a_strip_of_movies_with_xmp_imports_no_regular_expressions(tmp_path: Path) -> None:
    """The XMP reader's patterns (``re``, which brings ``enum`` and ``functools``: ~2.5 ms of a
    strip of small videos) are imported only for a value one must read; the two f_video
    movies with XMP have none, and their XMP is still found and stripped."""
    from tests.conftest import testdata_dir

    films = tmp_path / "films"
    films.mkdir()
    for name in ("mei_mov_xmp480qt.mov", "exiftool_QuickTime.mov"):
        shutil.copyfile(testdata_dir("f_video") / name, films / name)
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)}
    script = "import sys; from photoscan.cli.main import main; sys.exit(main())"
    cmd = [sys.executable, "-X", "importtime", "-c", script, "strip", str(films)]
    cmd += ["--out", str(tmp_path / "out")]  # (``json`` imports ``re``: not --json)
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "photoscan.metadata.xmp.xmp" in imported
    assert not {"re", "enum", "functools"} & imported
    assert "2 stripped" in done.stderr
    for name in ("mei_mov_xmp480qt.mov", "exiftool_QuickTime.mov"):  # read back: no XMP left
        found = metadata_of(tmp_path / "out" / name)
        assert not [f for f in found if f.startswith("XMP")], (name, found)
        assert [f for f in metadata_of(films / name) if f.startswith("XMP")], name
