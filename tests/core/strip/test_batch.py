"""Planning and applying a strip: safety rules, atomic writes, backups, per-file results."""

from __future__ import annotations

import concurrent.futures
import os
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from photoscan.cancel import CancelToken
from photoscan.errors import StripError, UsageError
from photoscan.model import ImageFormat
from photoscan.strip import StripOptions, StripStatus, batch, pool, strip_bytes
from photoscan.strip.batch import apply, plan
from photoscan.strip.safety import FileMeta, replace_in_place, write_new
from tests.core.strip import fixtures


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    root = tmp_path / "photos"
    (root / "2024" / "summer").mkdir(parents=True)
    (root / "a.jpg").write_bytes(fixtures.dirty_jpeg())
    (root / "2024" / "summer" / "b.png").write_bytes(fixtures.dirty_png())
    (root / "2024" / "notes.xmp").write_bytes(fixtures.XMP)
    os.chmod(root / "a.jpg", 0o640)
    os.utime(root / "a.jpg", ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    return root


def test_copies_go_to_a_mirrored_tree_with_mode_and_dates(photos: Path, tmp_path: Path) -> None:
    out = tmp_path / "clean"
    results = {Path(r.path).name: r for r in apply(plan([photos], out=out), StripOptions())}
    assert results["a.jpg"].status is StripStatus.STRIPPED
    assert results["b.png"].status is StripStatus.STRIPPED
    assert results["notes.xmp"].status is StripStatus.REFUSED  # a sidecar is never copied
    assert (out / "2024" / "summer" / "b.png").is_file()
    assert not (out / "2024" / "notes.xmp").exists()
    copy = (out / "a.jpg").stat()
    assert copy.st_mode & 0o777 == 0o640
    assert copy.st_mtime_ns == 1_600_000_000_000_000_000
    assert fixtures.ARTIST.encode() not in (out / "a.jpg").read_bytes()
    assert (photos / "a.jpg").read_bytes() == fixtures.dirty_jpeg()  # original untouched
    assert "location" in results["a.jpg"].removed


def test_existing_outputs_are_never_overwritten(photos: Path, tmp_path: Path) -> None:
    out = tmp_path / "clean"
    out.mkdir()
    (out / "a.jpg").write_bytes(b"mine")
    results = {Path(r.path).name: r for r in apply(plan([photos], out=out), StripOptions())}
    assert results["a.jpg"].status is StripStatus.FAILED
    assert "exists" in results["a.jpg"].reason
    assert (out / "a.jpg").read_bytes() == b"mine"


@pytest.mark.parametrize("inside", ["out", "photos/clean", "."])
def test_output_inside_or_around_the_sources_is_refused(
    photos: Path, tmp_path: Path, inside: str
) -> None:
    target = photos / "clean" if inside == "photos/clean" else tmp_path / inside
    if inside == "out":
        target = photos
    with pytest.raises(UsageError):
        plan([photos], out=target)


def test_exactly_one_destination_is_required(photos: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        plan([photos])
    with pytest.raises(UsageError):
        plan([photos], out=tmp_path / "a", backup_dir=tmp_path / "b")
    with pytest.raises(UsageError):
        plan([tmp_path / "missing"], out=tmp_path / "a")


def test_dry_run_writes_nothing(photos: Path, tmp_path: Path) -> None:
    out = tmp_path / "clean"
    results = list(apply(plan([photos], out=out), StripOptions(), dry_run=True))
    assert {r.status for r in results} == {StripStatus.STRIPPED, StripStatus.REFUSED}
    assert not out.exists()


def test_in_place_backs_up_then_replaces(photos: Path, tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    original = (photos / "a.jpg").read_bytes()
    results = list(apply(plan([photos], backup_dir=backups), StripOptions()))
    assert all(r.status in (StripStatus.STRIPPED, StripStatus.REFUSED) for r in results)
    assert (backups / "a.jpg").read_bytes() == original
    stripped = (photos / "a.jpg").read_bytes()
    assert stripped == strip_bytes(original, ImageFormat.JPEG, StripOptions()).data
    assert (photos / "a.jpg").stat().st_mode & 0o777 == 0o640
    assert not list(photos.rglob(".photoscan-*"))  # no temporary files left behind
    rerun = apply(plan([photos], backup_dir=backups), StripOptions())
    again = {Path(r.path).name: r for r in rerun}
    assert again["a.jpg"].status is StripStatus.ALREADY_CLEAN


def test_a_different_backup_is_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "p.jpg"
    target.write_bytes(b"original")
    backup = tmp_path / "b" / "p.jpg"
    backup.parent.mkdir()
    backup.write_bytes(b"an older original")
    with pytest.raises(StripError):
        replace_in_place(target, b"new", b"original", backup)
    assert target.read_bytes() == b"original"
    assert backup.read_bytes() == b"an older original"


def test_write_new_refuses_existing_file(tmp_path: Path) -> None:
    dest = tmp_path / "x.jpg"
    write_new(dest, b"one", FileMeta(0o600, 0, 0))
    with pytest.raises(StripError):
        write_new(dest, b"two", None)
    assert dest.read_bytes() == b"one"
    assert dest.stat().st_mode & 0o777 == 0o600


def test_parallel_copies_match_sequential_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "many"
    root.mkdir()
    for i in range(40):  # more chunks than the window: the last ones start late
        (root / f"p{i:02d}.jpg").write_bytes(fixtures.dirty_jpeg(orientation=1 + i % 8))
    one = list(apply(plan([root], out=tmp_path / "one"), StripOptions()))
    monkeypatch.setattr(batch, "MIN_FILES_PER_WORKER", 1)  # 40 files would run in-process
    used = []
    monkeypatch.setattr(pool, "in_workers", _recording(pool.in_workers, used))
    two = list(apply(plan([root], out=tmp_path / "two"), StripOptions(), workers=2))
    assert used, "the process pool was not used"
    assert [r.path for r in two] == [r.path for r in one]  # plan order kept
    assert [r.status for r in two] == [r.status for r in one]
    assert len(two) == 40
    for i in range(40):
        name = f"p{i:02d}.jpg"
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()


def _recording(func: Callable[..., Any], calls: list[int]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return func(*args, **kwargs)

    return wrapper


def test_small_batches_stay_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "few"
    root.mkdir()
    for i in range(3):
        (root / f"p{i}.jpg").write_bytes(fixtures.dirty_jpeg())
    used: list[int] = []
    monkeypatch.setattr(pool, "in_workers", _recording(pool.in_workers, used))
    results = list(apply(plan([root], out=tmp_path / "out"), StripOptions(), workers=4))
    assert [r.status for r in results] == [StripStatus.STRIPPED] * 3
    assert not used
    assert batch.default_workers() >= 1


def test_written_behind_copies_keep_order_and_report_failed_writes(tmp_path: Path) -> None:
    root = tmp_path / "many"
    root.mkdir()
    for i in range(6):
        (root / f"p{i}.jpg").write_bytes(fixtures.dirty_jpeg(orientation=1 + i))
    out = tmp_path / "out"
    out.mkdir()
    (out / "p3.jpg").write_bytes(b"mine")  # this write fails; the batch goes on
    results = list(apply(plan([root], out=out), StripOptions()))
    assert [Path(r.path).name for r in results] == [f"p{i}.jpg" for i in range(6)]
    failed = results[3]
    assert failed.status is StripStatus.FAILED and "exists" in failed.reason
    assert failed.output is None and failed.removed  # what would have gone is still said
    assert all(r.status is StripStatus.STRIPPED for i, r in enumerate(results) if i != 3)
    assert (out / "p3.jpg").read_bytes() == b"mine"
    for r in results[4:]:
        assert r.output is not None and Path(r.output).stat().st_size > 0  # written when reported


def test_in_place_refuses_links(tmp_path: Path) -> None:
    root = tmp_path / "photos"
    root.mkdir()
    (root / "real.jpg").write_bytes(fixtures.dirty_jpeg())
    (root / "link.jpg").symlink_to(root / "real.jpg")
    os.link(root / "real.jpg", tmp_path / "elsewhere.jpg")
    results = {
        Path(r.path).name: r for r in apply(plan([root], backup_dir=tmp_path / "b"), StripOptions())
    }
    assert results["link.jpg"].status is StripStatus.REFUSED
    assert "symbolic link" in results["link.jpg"].reason
    assert results["real.jpg"].status is StripStatus.REFUSED
    assert "hard links" in results["real.jpg"].reason
    assert (root / "real.jpg").read_bytes() == fixtures.dirty_jpeg()


def test_copy_makes_missing_folders_and_keeps_mode_and_dates(tmp_path: Path) -> None:
    dest = tmp_path / "a" / "b" / "x.jpg"
    write_new(dest, b"data" * 1000, FileMeta(0o640, 1_000_000_000, 2_000_000_000), durable=False)
    assert dest.read_bytes() == b"data" * 1000
    st = dest.stat()
    assert st.st_mode & 0o777 == 0o640
    assert st.st_mtime_ns == 2_000_000_000
    assert not list(dest.parent.glob(".photoscan-*"))


class _NotStarted(Future):  # type: ignore[type-arg]
    """A pool task still waiting for a worker: cancellable; it runs when its result is read."""

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        super().__init__()
        self._job = (fn, args)

    def result(self, timeout: float | None = None) -> Any:
        if not self.done():
            fn, args = self._job
            self.set_result(fn(*args))
        return super().result(timeout)


class _QueuedPool:
    """A process pool whose tasks all wait in its queue until their results are read."""

    def __init__(self, **_: Any) -> None:
        pass

    def __enter__(self) -> _QueuedPool:
        return self

    def __exit__(self, *_: object) -> None:
        pass

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:  # type: ignore[type-arg]
        return _NotStarted(fn, args)


@pytest.mark.parametrize("cancel_after", [None, 3])
def test_pool_runs_every_chunk_unless_cancelled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cancel_after: int | None
) -> None:
    root, out = tmp_path / "many", tmp_path / "out"
    root.mkdir()
    for i in range(40):
        (root / f"p{i:02d}.jpg").write_bytes(fixtures.dirty_jpeg())
    monkeypatch.setattr(batch, "MIN_FILES_PER_WORKER", 1)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", _QueuedPool)
    token = CancelToken()
    results = []
    for result in apply(plan([root], out=out), StripOptions(), workers=2, cancel=token):
        results.append(result)
        if len(results) == cancel_after:
            token.cancel()
    written = {p.name for p in out.iterdir()}
    assert written == {Path(r.output).name for r in results if r.output}
    if cancel_after is None:
        assert len(results) == 40  # nothing queued is dropped when nobody cancels
    else:
        assert cancel_after <= len(results) < 40


def test_the_plan_walks_as_the_scan_does(tmp_path: Path) -> None:
    """Folder links are followed (each folder once) and every file the walk meets is in the
    results with a status: a FIFO refused unread, a broken link refused with its reason."""
    root, elsewhere = tmp_path / "photos", tmp_path / "elsewhere"
    (root / "album").mkdir(parents=True)
    elsewhere.mkdir()
    (root / "album" / "own.jpg").write_bytes(fixtures.dirty_jpeg())
    (elsewhere / "linked.jpg").write_bytes(fixtures.dirty_jpeg())
    (root / "album" / "ext").symlink_to(elsewhere, target_is_directory=True)
    (root / "album" / "again").symlink_to(root, target_is_directory=True)  # a loop
    (root / "broken.jpg").symlink_to(tmp_path / "missing.jpg")
    os.mkfifo(root / "pipe.jpg")
    results = {
        Path(r.path).relative_to(root).as_posix(): r
        for r in apply(plan([root], out=tmp_path / "clean"), StripOptions())
    }
    assert set(results) == {"album/own.jpg", "album/ext/linked.jpg", "broken.jpg", "pipe.jpg"}
    assert results["album/ext/linked.jpg"].status is StripStatus.STRIPPED
    assert (tmp_path / "clean" / "album" / "ext" / "linked.jpg").is_file()
    assert results["broken.jpg"].status is StripStatus.REFUSED
    assert results["broken.jpg"].reason == "broken symbolic link; not copied"
    assert results["pipe.jpg"].status is StripStatus.REFUSED
    assert "not a regular file" in results["pipe.jpg"].reason


def test_a_linked_folder_leading_into_the_output_is_refused(tmp_path: Path) -> None:
    root, out = tmp_path / "photos", tmp_path / "clean"
    (out / "old").mkdir(parents=True)
    root.mkdir()
    (root / "a.jpg").write_bytes(fixtures.dirty_jpeg())
    (root / "copies").symlink_to(out / "old", target_is_directory=True)
    with pytest.raises(UsageError, match="must be outside the photos"):
        plan([root], out=out)
    with pytest.raises(UsageError, match="must be outside the photos"):
        plan([root], backup_dir=out)
