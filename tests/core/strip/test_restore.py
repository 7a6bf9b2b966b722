"""Undo an in-place strip: the manifest it leaves, and ``restore`` putting originals back
verified by hash, atomically, never over a file changed since (unless forced, and then the
changed file is kept)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from photoscan.cancel import CancelToken
from photoscan.errors import UsageError
from photoscan.strip import StripOptions, StripStatus
from photoscan.strip import manifest as manifest_module
from photoscan.strip.batch import apply, plan
from photoscan.strip.manifest import MANIFEST_NAME
from photoscan.strip.restore import REPLACED_DIR, RestoreStatus, plan_restore, restore
from tests.core.strip import fixtures

MTIME_NS = 1_500_000_000_123_456_789


def _library(root: Path) -> dict[Path, bytes]:
    (root / "sub").mkdir(parents=True)
    files = {
        root / "a.jpg": fixtures.dirty_jpeg(orientation=1),
        root / "sub" / "b.png": fixtures.dirty_png(),
        root / "sub" / "c.jpg": fixtures.dirty_jpeg(orientation=6),
    }
    for path, data in files.items():
        path.write_bytes(data)
        path.chmod(0o640)
        os.utime(path, ns=(MTIME_NS, MTIME_NS))
    return files


def _strip_in_place(root: Path, backups: Path) -> None:
    results = list(apply(plan([root], backup_dir=backups), StripOptions()))
    assert {r.status for r in results} == {StripStatus.STRIPPED}


@pytest.fixture
def stripped(tmp_path: Path) -> tuple[Path, Path, dict[Path, bytes]]:
    root, backups = tmp_path / "photos", tmp_path / "backups"
    originals = _library(root)
    _strip_in_place(root, backups)
    for path, data in originals.items():
        assert path.read_bytes() != data
    return root, backups, originals


def test_the_strip_records_each_file_in_a_private_manifest(
    stripped: tuple[Path, Path, dict[Path, bytes]],
) -> None:
    _, backups, originals = stripped
    path = backups / MANIFEST_NAME
    assert path.stat().st_mode & 0o777 == 0o600
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert {Path(line["original"]) for line in lines} == set(originals)
    for line in lines:
        original = Path(line["original"])
        assert line["original_sha256"] == manifest_module.sha256(originals[original])
        assert line["stripped_sha256"] == manifest_module.sha256(original.read_bytes())
        assert (backups / line["backup"]).read_bytes() == originals[original]
        assert line["mode"] == 0o640 and line["mtime_ns"] == MTIME_NS


def test_restore_puts_every_original_back_with_mode_and_dates(
    stripped: tuple[Path, Path, dict[Path, bytes]],
) -> None:
    _, backups, originals = stripped
    results = list(restore(plan_restore(backups)))
    assert [r.status for r in results] == [RestoreStatus.RESTORED] * 3
    for path, data in originals.items():
        assert path.read_bytes() == data
        st = path.stat()
        assert st.st_mode & 0o777 == 0o640 and st.st_mtime_ns == MTIME_NS
    # The backups stay; a second run finds everything back already.
    again = list(restore(plan_restore(backups)))
    assert [r.status for r in again] == [RestoreStatus.ALREADY_ORIGINAL] * 3
    assert not list(backups.glob(".photoscan-*"))  # no temp file left behind


def test_a_file_changed_since_is_not_overwritten_unless_forced(
    stripped: tuple[Path, Path, dict[Path, bytes]],
) -> None:
    root, backups, originals = stripped
    edited = root / "a.jpg"
    edited.write_bytes(b"the user's own edit")
    by = {r.path: r for r in restore(plan_restore(backups))}
    result = by[str(edited)]
    assert result.status is RestoreStatus.REFUSED and "changed since the strip" in result.reason
    assert edited.read_bytes() == b"the user's own edit"
    assert by[str(root / "sub" / "b.png")].status is RestoreStatus.RESTORED
    (forced,) = [r for r in restore(plan_restore(backups), force=True) if r.path == str(edited)]
    assert forced.status is RestoreStatus.RESTORED
    assert edited.read_bytes() == originals[edited]
    assert forced.kept is not None and Path(forced.kept).read_bytes() == b"the user's own edit"
    assert Path(forced.kept).is_relative_to(backups / REPLACED_DIR)


def test_a_damaged_backup_is_never_restored(
    stripped: tuple[Path, Path, dict[Path, bytes]],
) -> None:
    root, backups, _ = stripped
    (backups / "a.jpg").write_bytes(b"not the original")
    stripped_now = (root / "a.jpg").read_bytes()
    by = {r.path: r for r in restore(plan_restore(backups), force=True)}
    assert by[str(root / "a.jpg")].status is RestoreStatus.FAILED
    assert "no longer matches" in by[str(root / "a.jpg")].reason
    assert (root / "a.jpg").read_bytes() == stripped_now


def test_a_deleted_file_comes_back_only_when_forced(
    stripped: tuple[Path, Path, dict[Path, bytes]],
) -> None:
    root, backups, originals = stripped
    gone = root / "sub" / "c.jpg"
    gone.unlink()
    by = {r.path: r for r in restore(plan_restore(backups))}
    assert by[str(gone)].status is RestoreStatus.REFUSED and not gone.exists()
    by = {r.path: r for r in restore(plan_restore(backups), force=True)}
    assert by[str(gone)].status is RestoreStatus.RESTORED
    assert gone.read_bytes() == originals[gone]


def test_a_symlink_in_the_file_s_place_is_refused(
    stripped: tuple[Path, Path, dict[Path, bytes]], tmp_path: Path
) -> None:
    root, backups, _ = stripped
    elsewhere = tmp_path / "elsewhere.jpg"
    elsewhere.write_bytes(b"x")
    (root / "a.jpg").unlink()
    (root / "a.jpg").symlink_to(elsewhere)
    by = {r.path: r for r in restore(plan_restore(backups), force=True)}
    assert by[str(root / "a.jpg")].status is RestoreStatus.REFUSED
    assert elsewhere.read_bytes() == b"x"


def test_dry_run_checks_and_writes_nothing(
    stripped: tuple[Path, Path, dict[Path, bytes]],
) -> None:
    _, backups, originals = stripped
    before = {p: p.read_bytes() for p in originals}
    results = list(restore(plan_restore(backups), dry_run=True))
    assert [r.status for r in results] == [RestoreStatus.RESTORED] * 3
    assert {p: p.read_bytes() for p in originals} == before


def test_cancel_stops_between_files(stripped: tuple[Path, Path, dict[Path, bytes]]) -> None:
    _, backups, originals = stripped
    cancel = CancelToken()
    done = []
    for result in restore(plan_restore(backups), cancel=cancel):
        done.append(result)
        cancel.cancel()
    assert len(done) == 1
    restored = [p for p, data in originals.items() if p.read_bytes() == data]
    assert [str(p) for p in restored] == [done[0].path]


def test_torn_and_hostile_manifest_lines_are_skipped(
    stripped: tuple[Path, Path, dict[Path, bytes]], tmp_path: Path
) -> None:
    _, backups, _ = stripped
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me")
    hostile = {
        "format": 1,
        "original": str(victim),
        "backup": "../photos/a.jpg",  # outside the backup folder
        "original_sha256": "0" * 64,
        "stripped_sha256": manifest_module.sha256(b"keep me"),
        "size": 1,
        "mode": 0o644,
        "atime_ns": 0,
        "mtime_ns": 0,
        "owner": None,
    }
    with open(backups / MANIFEST_NAME, "a") as fh:
        fh.write(json.dumps(hostile) + "\n")
        fh.write('{"format": 1, "original": "/x", "back')  # torn by a crash
    the_plan = plan_restore(backups)
    assert the_plan.unreadable_lines == 2
    assert len(the_plan.entries) == 3
    assert all(r.status is RestoreStatus.RESTORED for r in restore(the_plan))
    assert victim.read_bytes() == b"keep me"


def test_a_folder_without_a_manifest_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not the backup folder"):
        plan_restore(tmp_path)
    with pytest.raises(UsageError, match="not a folder"):
        plan_restore(tmp_path / "missing")


def test_a_rerun_after_a_crash_restores_from_the_last_line(tmp_path: Path) -> None:
    """A strip rerun after a crash appends the same file again: one entry, the last one."""
    root, backups = tmp_path / "photos", tmp_path / "backups"
    originals = _library(root)
    _strip_in_place(root, backups)
    lines = (backups / MANIFEST_NAME).read_text()
    (backups / MANIFEST_NAME).write_text(lines + lines)
    results = list(restore(plan_restore(backups)))
    assert len(results) == 3
    assert all(p.read_bytes() == d for p, d in originals.items())
