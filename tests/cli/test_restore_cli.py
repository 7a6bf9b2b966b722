"""``photoscan restore`` after ``photoscan strip --in-place``: the strip says how to undo,
the restore puts the originals back; JSON, dry run, exit codes."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from photoscan.cli.main import main
from tests.core.strip import fixtures


def _photos(root: Path) -> dict[Path, bytes]:
    root.mkdir()
    files = {root / "a.jpg": fixtures.dirty_jpeg(), root / "b.png": fixtures.dirty_png()}
    for path, data in files.items():
        path.write_bytes(data)
    return files


def test_strip_in_place_says_how_to_undo_and_restore_undoes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    originals = _photos(tmp_path / "photos")
    backups = tmp_path / "my backups"
    args = ["strip", str(tmp_path / "photos"), "--in-place", "--backup-dir", str(backups)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert f"To undo: photoscan restore {shlex.quote(str(backups))}" in out
    assert all(p.read_bytes() != d for p, d in originals.items())

    assert main(["restore", str(backups), "--dry-run"]) == 0
    assert capsys.readouterr().out.count("restored") == 2
    assert all(p.read_bytes() != d for p, d in originals.items())
    assert main(["restore", str(backups), "--json", "-"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["dry_run"] is False and doc["cancelled"] is False
    assert {f["status"] for f in doc["files"]} == {"restored"}
    assert {Path(f["path"]) for f in doc["files"]} == set(originals)
    assert all(p.read_bytes() == d for p, d in originals.items())


def test_strip_json_carries_the_undo_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _photos(tmp_path / "photos")
    backups = tmp_path / "backups"
    args = ["strip", str(tmp_path / "photos"), "--in-place", "--backup-dir", str(backups)]
    assert main([*args, "--json", "-"]) == 0
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert doc["next"] == f"To undo: photoscan restore {backups}"
    assert "To undo" in captured.err  # stdout holds only the JSON


def test_a_copy_strip_has_nothing_to_undo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _photos(tmp_path / "photos")
    assert main(["strip", str(tmp_path / "photos"), "--out", str(tmp_path / "out")]) == 0
    assert "To undo" not in capsys.readouterr().out


def test_restore_of_a_folder_that_is_no_backup_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["restore", str(tmp_path)]) == 2
    assert "not the backup folder of an in-place strip" in capsys.readouterr().err


def test_restore_refuses_a_changed_file_and_says_how_to_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    originals = _photos(tmp_path / "photos")
    backups = tmp_path / "backups"
    assert (
        main(["strip", str(tmp_path / "photos"), "--in-place", "--backup-dir", str(backups)]) == 0
    )
    changed = tmp_path / "photos" / "a.jpg"
    changed.write_bytes(b"edited")
    capsys.readouterr()
    assert main(["restore", str(backups)]) == 0
    out = capsys.readouterr().out
    assert "refused" in out and "--force" in out
    assert changed.read_bytes() == b"edited"
    assert main(["restore", str(backups), "--force"]) == 0
    assert "kept as" in capsys.readouterr().out
    assert changed.read_bytes() == originals[changed]
