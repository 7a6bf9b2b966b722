"""The face pool: results stream per file, failures are data, the window is bounded,
cancel stops within a second."""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from photoscan.cancel import CancelToken
from photoscan.faces import pool as facepool
from photoscan.faces.pool import FacePool
from photoscan.faces.settings import FaceSettings
from photoscan.model import FileError
from tests.conftest import testdata_dir as _testdata_dir


def _tiny_jpeg(path: Path) -> Path:
    out = io.BytesIO()
    Image.new("RGB", (48, 32), (90, 90, 90)).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_results_errors_and_bounded_window(tmp_path: Path) -> None:
    group = _testdata_dir("b_group_photos") / "mei_Canon_IXUS_750.jpg"
    corrupt = tmp_path / "broken.jpg"
    corrupt.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    jobs = [("group", group), ("broken", corrupt), ("missing", tmp_path / "gone.jpg")]
    jobs += [(f"tiny{i}", _tiny_jpeg(tmp_path / f"tiny{i}.jpg")) for i in range(6)]
    pulled: list[str] = []

    def lazily() -> Iterator[tuple[str, Path]]:
        for job in jobs:
            pulled.append(job[0])
            yield job

    results = {}
    with FacePool(workers=2, settings=FaceSettings(), window=3) as pool:
        for key, result in pool.run(lazily()):
            if not results:
                assert len(pulled) <= 4  # window of 3 (+1 pulled to find the end)
            results[key] = result
    assert set(results) == {key for key, _ in jobs}
    faces = results["group"]
    assert isinstance(faces, tuple) and any(face.child for face in faces)
    for key in ("broken", "missing"):
        error = results[key]
        assert isinstance(error, FileError) and error.path == key and error.reason
    assert all(results[f"tiny{i}"] == () for i in range(6))


def test_cancel_stops_within_a_second_and_pool_recovers(tmp_path: Path) -> None:
    photo = _testdata_dir("b_group_photos") / "wider_linzaer_15.jpg"
    # Slow settings: dlib scans a ~6000x4500 image, several seconds per photo.
    slow = FaceSettings(detector="hog", working_size=3000, upsample=1)
    tiny = [(f"tiny{i}", _tiny_jpeg(tmp_path / f"tiny{i}.jpg")) for i in range(2)]
    token = CancelToken()
    cancelled_at: list[float] = []

    def jobs() -> Iterator[tuple[str, Path]]:
        yield from tiny  # fast: their results prove the workers are up
        for i in range(20):
            if i == 3:  # pulled only after a result came back: slow jobs are running now
                cancelled_at.append(time.perf_counter())
                token.cancel()
            yield (f"slow{i}", photo)

    with FacePool(workers=2, settings=slow) as pool:
        seen = [key for key, _ in pool.run(jobs(), token)]
        assert cancelled_at, "the pool never asked for the job that cancels"
        assert time.perf_counter() - cancelled_at[0] < 1.0
        assert not [key for key in seen if key.startswith("slow")]
        # The pool starts fresh workers for the next run.
        again = dict(pool.run(tiny))
        assert again == {"tiny0": (), "tiny1": ()}


def _crash_on_marker(
    data: bytes, settings: FaceSettings, name: str = "", *, previews: bool = False
) -> tuple[()]:
    if data.startswith(b"CRASH"):
        os._exit(3)  # a native crash in dlib looks like this to the pool
    return ()


def test_a_worker_crash_fails_only_the_guilty_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if threading.active_count() != 1:
        pytest.skip("needs the fork start method to hand the fake detector to the workers")
    monkeypatch.setattr(facepool, "detect_faces", _crash_on_marker)
    (tmp_path / "bad.jpg").write_bytes(b"CRASH")
    jobs = [(f"ok{i}", _tiny_jpeg(tmp_path / f"ok{i}.jpg")) for i in range(5)]
    jobs.insert(2, ("bad", tmp_path / "bad.jpg"))
    with FacePool(workers=2, settings=FaceSettings()) as pool:
        results = dict(pool.run(jobs))
    assert set(results) == {key for key, _ in jobs}
    bad = results["bad"]
    assert isinstance(bad, FileError) and "crashed" in bad.reason
    assert all(results[f"ok{i}"] == () for i in range(5))
