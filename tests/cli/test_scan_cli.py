"""``photoscan scan``: JSON contract, human summary, exit codes, Ctrl-C."""

from __future__ import annotations

import io
import json
import os
import signal
import stat
from pathlib import Path

import pytest
from PIL import Image

from photoscan.cli.main import main
from photoscan.metadata.base import Source
from photoscan.model import Extraction
from photoscan.scan import worker as scanworker
from photoscan.scan.worker import Readers
from photoscan.sidecars.readers import SidecarInfo
from photoscan.source.pairing import SidecarKind


def _photo(path: Path, gps: bool = True) -> None:
    exif = Image.Exif()
    exif[0x013B] = "Jane Doe"  # Artist
    if gps:
        exif[0x8825] = {
            1: "N",
            2: (47.0, 37.0, 13.8),
            3: "W",
            4: (122.0, 20.0, 57.48),
        }
    Image.new("RGB", (32, 24), "green").save(path, "JPEG", exif=exif)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    (root / "trip").mkdir(parents=True)
    _photo(root / "trip" / "seattle.jpg")
    _photo(root / "plain.jpg", gps=False)
    (root / "readme.txt").write_text("not a photo")
    (root / ".git").mkdir()
    (root / ".git" / "x.jpg").write_bytes(b"")
    return root


def test_json_to_stdout_is_only_json_and_follows_the_contract(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", str(library), "--json", "-", "--no-faces"]) == 0
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert err == ""
    assert doc["root"] == str(library)
    assert doc["cancelled"] is False
    assert set(doc) >= {"root", "photoscan_version", "photos", "errors"}
    photos = {p["path"]: p for p in doc["photos"]}
    assert set(photos) == {"plain.jpg", "trip/seattle.jpg"}
    seattle = photos["trip/seattle.jpg"]
    assert seattle["format"] == "JPEG" and (seattle["width"], seattle["height"]) == (32, 24)
    assert seattle["gps"]["lat"] == pytest.approx(47.6205, abs=1e-4)
    assert seattle["gps"]["lon"] == pytest.approx(-122.3493, abs=1e-4)
    assert photos["plain.jpg"]["gps"] is None
    assert seattle["place"] is None or set(seattle["place"]) == {"name", "country", "repeated"}
    assert seattle["faces"] == []
    for finding in seattle["findings"]:
        assert set(finding) == {"kind", "field", "value", "severity"}
    assert any(f["kind"] == "person" and f["value"] == "Jane Doe" for f in seattle["findings"])
    assert set(seattle["risk"]) == {"level", "score", "reasons"}
    assert isinstance(seattle["recommendations"], list)
    assert doc["errors"] == [{"path": "readme.txt", "reason": doc["errors"][0]["reason"]}]
    assert doc["errors"][0]["reason"].startswith("unsupported format")
    assert doc["skipped"] == [{"path": ".git/", "reason": "hidden or system folder (not scanned)"}]


def test_human_summary_and_private_json_file(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out" / "report.json"
    target.parent.mkdir()
    assert main(["scan", str(library), "--no-faces", "--json", str(target)]) == 0
    out, err = capsys.readouterr()
    assert "2 photos, 1 not scanned" in out
    assert "1 photo with GPS coordinates" in out
    assert "readme.txt" in out
    assert f"Full result written to {target}" in out
    assert err == ""  # stderr is no terminal here: no progress bar
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert len(json.loads(target.read_text())["photos"]) == 2


@pytest.mark.parametrize(
    "argv",
    [
        ["scan", "/nonexistent/photos"],
        ["scan", ".", "--workers", "0"],
        ["scan"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().out == ""


def interrupting_extract(source: Source) -> Extraction:
    """Acts like the user pressing Ctrl-C while the first file is being read."""
    os.kill(os.getpid(), signal.SIGINT)
    return Extraction(source.fmt, 1, 1)


def unused_sidecar(kind: SidecarKind, data: bytes, name: str, photo: str | None) -> SidecarInfo:
    raise AssertionError("no sidecars in this test")


def test_ctrl_c_exits_130_with_partial_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "JPEG")
    for i in range(5):
        (root / f"{i}.jpg").write_bytes(buf.getvalue())
    readers = Readers(interrupting_extract, unused_sidecar)
    monkeypatch.setattr(scanworker, "default_readers", lambda: readers)
    assert main(["scan", str(root), "--no-faces", "--no-cache", "--json", "-"]) == 130
    doc = json.loads(capsys.readouterr().out)
    assert doc["cancelled"] is True
    assert 1 <= len(doc["photos"]) < 5
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_unreadable_root_exits_2(
    library: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_scandir = os.scandir

    def scandir(path: object) -> object:
        if Path(str(path)) == library:
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
    assert main(["scan", str(library), "--no-faces"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "permission denied" in err


# --- a rescan of an unchanged folder serves the stored output (photoscan.cli.stored) -------------


class ScanSpy:
    """Counts full scans; the stored output is served without one."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from photoscan.scan import run as scan_mod

        self.calls = 0
        real = scan_mod.scan

        def counting(*args: object, **kwargs: object) -> object:
            self.calls += 1
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(scan_mod, "scan", counting)


def _json(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    assert main(["scan", str(root), "--no-faces", "--json", "-", *extra]) == 0
    out: dict[str, object] = json.loads(capsys.readouterr().out)
    return out


def _paths(doc: dict[str, object], key: str = "photos") -> set[str]:
    return {str(p["path"]) for p in doc[key]}  # type: ignore[attr-defined]


def test_unchanged_rescan_serves_the_same_output_without_scanning(
    library: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    spy = ScanSpy(monkeypatch)
    first = capsys.readouterr
    assert main(["scan", str(library), "--no-faces", "--json", "-"]) == 0
    cold = first().out
    assert main(["scan", str(library), "--no-faces", "--json", "-"]) == 0
    assert capsys.readouterr().out == cold
    assert spy.calls == 1
    out_file = tmp_path / "r.json"
    assert main(["scan", str(library), "--no-faces", "--json", str(out_file)]) == 0
    summary = capsys.readouterr().out
    assert spy.calls == 1
    assert out_file.read_text() == cold
    assert stat.S_IMODE(out_file.stat().st_mode) == 0o600
    assert "2 photos" in summary and f"Full result written to {out_file}" in summary
    assert main(["scan", str(library), "--no-faces"]) == 0
    assert "Details per photo" in capsys.readouterr().out
    stored = list((Path(os.environ["PHOTOSCAN_HOME"]) / "cache" / "scans").iterdir())
    assert len(stored) == 1 and stat.S_IMODE(stored[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(stored[0].parent.stat().st_mode) == 0o700


def test_changed_added_removed_files_and_sidecars_are_never_served_stale(
    library: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spy = ScanSpy(monkeypatch)
    doc = _json(library, capsys)
    plain = library / "plain.jpg"
    assert not any(p["gps"] for p in doc["photos"] if p["path"] == "plain.jpg")  # type: ignore[attr-defined,index]
    _photo(plain, gps=True)  # content and size change
    doc = _json(library, capsys)
    assert spy.calls == 2
    assert [p["gps"] is not None for p in doc["photos"] if p["path"] == "plain.jpg"] == [True]  # type: ignore[attr-defined,index]
    os.utime(plain, ns=(1_000_000_000, 1_000_000_000))  # only the time changes
    _json(library, capsys)
    assert spy.calls == 3
    _photo(library / "new.jpg")
    assert "new.jpg" in _paths(_json(library, capsys))
    (library / "trip" / "seattle.jpg").unlink()
    assert "trip/seattle.jpg" not in _paths(_json(library, capsys))
    (library / "new.xmp").write_text(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>'
    )
    doc = _json(library, capsys)
    assert [p["sidecars"] for p in doc["photos"] if p["path"] == "new.jpg"] == [["new.xmp"]]  # type: ignore[attr-defined,index]
    assert spy.calls == 6
    _json(library, capsys)  # and unchanged again: served
    assert spy.calls == 6


def test_code_change_options_and_no_cache_are_not_served(
    library: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from photoscan import versions

    spy = ScanSpy(monkeypatch)
    _json(library, capsys)
    _json(library, capsys, "--include-hidden")  # other options: another output
    assert spy.calls == 2
    monkeypatch.setattr(versions, "code_identity", lambda: "a different photoscan")
    _json(library, capsys)
    assert spy.calls == 3
    _json(library, capsys, "--no-cache")
    assert spy.calls == 4


def test_a_damaged_stored_output_is_a_miss(
    library: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spy = ScanSpy(monkeypatch)
    cold = _json(library, capsys)
    (stored,) = (Path(os.environ["PHOTOSCAN_HOME"]) / "cache" / "scans").iterdir()
    stored.write_bytes(stored.read_bytes()[:-10])  # truncated
    assert _json(library, capsys) == cold
    assert spy.calls == 2


def test_an_incomplete_scan_is_not_kept(
    library: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A failure the per-file cache would retry (here: no row stored) keeps no output."""
    from photoscan.scan.cache import ScanCache

    monkeypatch.setattr(ScanCache, "store", lambda self, key, outcome: None)
    spy = ScanSpy(monkeypatch)
    _json(library, capsys)
    _json(library, capsys)
    assert spy.calls == 2


@pytest.mark.parametrize(
    "extra",
    [
        ["--help"],
        ["--no-cache"],
        ["--places"],
        ["--json=-"],
        ["--workers", "0"],
        ["--no-faces", "--no-faces"],
        ["--unknown"],
        ["second-folder"],
    ],
)
def test_quick_path_leaves_anything_unusual_to_argparse(
    library: Path, extra: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from photoscan.cli import scan as scan_cmd

    cold = _json(library, capsys)
    assert scan_cmd.quick([str(library), "--no-faces", "--json", "-"]) == 0
    assert json.loads(capsys.readouterr().out) == cold
    assert scan_cmd.quick([str(library), "--no-faces", *extra]) is None
    assert scan_cmd.quick([str(library)]) is None  # with faces: nothing stored yet
    assert scan_cmd.quick([str(library / "nowhere"), "--no-faces"]) is None


def test_cached_rescan_imports_only_what_it_needs(library: Path, tmp_path: Path) -> None:
    """A hit is over in tens of milliseconds, so every import counts: no argparse, pathlib
    (~6 ms), hashlib/OpenSSL, platformdirs, readers, numpy or Pillow."""
    import subprocess
    import sys

    out = tmp_path / "out.json"
    cmd = [sys.executable, "-X", "importtime", "-m", "photoscan", "scan", str(library)]
    cmd += ["--no-faces", "--json", str(out)]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    cold = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    assert "photoscan.metadata" in cold.stderr  # the first scan really read the photos
    hit = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    imported = {line.rsplit("|", 1)[-1].strip() for line in hit.stderr.splitlines()}
    assert "photoscan.cli.stored" in imported
    heavy = {"argparse", "pathlib", "hashlib", "platformdirs", "photoscan.metadata", "numpy"}
    assert not heavy & imported, heavy & imported
    assert not any(name.startswith("PIL") for name in imported)


@pytest.mark.parametrize(
    ("argv", "quick_reads_it"),
    [
        (["lib"], True),
        (["lib", "--no-faces", "--json", "-"], True),
        (["--json", "out.json", "lib", "--include-hidden", "--thorough"], True),
        (["lib", "--workers", "3", "--no-faces"], True),
        (["lib", "--workers", "03"], True),
        (["lib", "--json", "--no-faces"], False),  # argparse: --json expected one argument
        (["lib", "--json"], False),
        (["lib", "--workers", "0"], False),
        (["lib", "--workers", "x"], False),
        (["lib", "--json=-"], False),
        (["lib", "--no-faces", "--no-faces"], False),
        (["lib", "other"], False),
        (["--help"], False),
        (["lib", "--places"], False),
        (["lib", "-"], False),
        ([], False),
    ],
)
def test_the_quick_parser_reads_what_argparse_reads(argv: list[str], quick_reads_it: bool) -> None:
    """The cached-rescan path reads plain arguments without argparse (its import is a third
    of a hit); whatever it reads, it must read exactly as argparse does."""
    from photoscan.cli import main as cli
    from photoscan.cli import scan as scan_cmd

    quick = scan_cmd.quick_args(argv)
    assert (quick is not None) == quick_reads_it
    if quick is None:
        return  # left to argparse, whatever it makes of it
    parsed = cli.build_parser([scan_cmd]).parse_args(["scan", *argv])
    got = {name: getattr(quick, name) for name in quick.__slots__}
    got["folder"] = Path(got["folder"])
    assert got == {name: getattr(parsed, name) for name in quick.__slots__}
