"""The scan orchestration: event order, failures as data, cache, cancel, the face pass.

Most tests inject fake readers (module-level, so they pickle to pool workers) so they test
the orchestration, not the metadata readers; the last test runs the real readers over all of
the shared test data.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from PIL import Image

from photoscan.cancel import CancelToken
from photoscan.errors import CorruptFile
from photoscan.metadata.base import Source
from photoscan.model import (
    Extraction,
    Face,
    FileError,
    Finding,
    FindingKind,
    Gps,
    Severity,
)
from photoscan.scan.events import (
    FacesScanned,
    FilesDiscovered,
    PhotoScanned,
    PlacesFound,
    Progress,
    ScanFinished,
    ScanStarted,
)
from photoscan.scan.jobs import ScanOptions
from photoscan.scan.run import scan, scan_all
from photoscan.scan.worker import Readers
from photoscan.sidecars.readers import SidecarInfo
from photoscan.source.pairing import SidecarKind
from tests.conftest import testdata_dir as _testdata_dir


def fake_extract(source: Source) -> Extraction:
    if b"NATIVE-CRASH" in source.data:
        os._exit(11)  # what a segfault in a native parser does to the worker
    if b"SEATTLE" in source.data:
        return Extraction(source.fmt, 4, 4, (), Gps(47.6205, -122.3493, "exif"))
    if b"CORRUPT" in source.data:
        raise CorruptFile("truncated JPEG")
    if b"READER-BUG" in source.data:
        raise ZeroDivisionError("reader bug")
    finding = Finding(FindingKind.TEXT, "Fake:Bytes", str(len(source.data)), Severity.LOW)
    return Extraction(source.fmt, 4, 4, (finding,))


def fake_sidecar(kind: SidecarKind, data: bytes, name: str, photo: str | None) -> SidecarInfo:
    person = Finding(FindingKind.PERSON, "XMP:Creator", data.decode()[:20], Severity.HIGH)
    return SidecarInfo(kind, (person,), Gps(48.85, 2.29, "sidecar"))


FAKE = Readers(fake_extract, fake_sidecar)
NO_FACES = ScanOptions(faces=False)


def _jpeg(tag: bytes = b"") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "JPEG")
    return buf.getvalue() + tag  # bytes after EOI: still a JPEG to the sniffer


def _library(root: Path, n: int = 3) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (root / f"p{i:03}.jpg").write_bytes(_jpeg(b"x" * i))
    return root


def test_events_come_in_contract_order(tmp_path: Path) -> None:
    root = _library(tmp_path / "lib")
    (root / "notes.txt").write_text("not a photo")
    events = list(scan(root, NO_FACES, readers=FAKE))
    assert isinstance(events[0], ScanStarted) and events[0].root == root
    assert events[1] == FilesDiscovered(4)
    assert isinstance(events[-1], ScanFinished)
    progress = [e for e in events if isinstance(e, Progress)]
    assert progress[-1] == Progress("metadata", 4, 4)
    result = events[-1].result
    assert [p.path for p in result.photos] == ["p000.jpg", "p001.jpg", "p002.jpg"]
    assert all(p.risk is not None for p in result.photos)
    assert result.errors == (FileError("notes.txt", "unsupported format: plain text"),)
    assert not result.cancelled


def test_reader_failures_are_data_not_crashes(tmp_path: Path) -> None:
    root = _library(tmp_path / "lib", 1)
    (root / "bad.jpg").write_bytes(_jpeg(b"CORRUPT"))
    (root / "bug.jpg").write_bytes(_jpeg(b"READER-BUG"))
    result = scan_all(root, NO_FACES, readers=FAKE)
    assert {e.path: e.reason for e in result.errors} == {
        "bad.jpg": "truncated JPEG",
        "bug.jpg": "internal error reading file: ZeroDivisionError",
    }
    assert [p.path for p in result.photos] == ["p000.jpg"]


def test_xmp_sidecars_are_merged_and_standalone_xmp_reported(tmp_path: Path) -> None:
    root = _library(tmp_path / "lib", 1)
    (root / "p000.xmp").write_text("Alice")
    (root / "lonely.xmp").write_text("Bob")
    result = scan_all(root, NO_FACES, readers=FAKE)
    photo, lonely = (p for p in sorted(result.photos, key=lambda p: p.path, reverse=True))
    assert photo.sidecars == ("p000.xmp",)
    assert Finding(FindingKind.PERSON, "Sidecar XMP:Creator", "Alice", Severity.HIGH) in (
        photo.findings
    )
    assert photo.gps == Gps(48.85, 2.29, "sidecar")
    assert (lonely.path, lonely.format, lonely.width) == ("lonely.xmp", "XMP", None)
    assert lonely.findings[0].value == "Bob"


def test_pool_scan_matches_inline_scan(tmp_path: Path) -> None:
    root = _library(tmp_path / "lib", 60)
    inline = scan_all(root, ScanOptions(faces=False, workers=1, use_cache=False), readers=FAKE)
    pooled = scan_all(root, ScanOptions(faces=False, workers=2, use_cache=False), readers=FAKE)
    assert len(pooled.photos) == 60
    assert pooled == inline


def test_a_file_that_kills_its_worker_is_reported_and_the_rest_read(tmp_path: Path) -> None:
    root = _library(tmp_path / "lib", 40)
    (root / "p017.jpg").write_bytes(_jpeg(b"NATIVE-CRASH"))
    result = scan_all(root, ScanOptions(faces=False, workers=2, use_cache=False), readers=FAKE)
    assert result.errors == (FileError("p017.jpg", "the reader crashed on this file"),)
    assert len(result.photos) == 39


def _same_size_garbage(root: Path) -> None:
    """Overwrite every file with other bytes of the same size and the same mtime_ns: a scan
    that reads any of them sees garbage (not a JPEG), one that trusts the cache does not."""
    for path in root.iterdir():
        st = path.stat()
        path.write_bytes(b"G" * st.st_size)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_rescan_of_unchanged_library_reads_no_file(tmp_path: Path) -> None:
    root = _library(tmp_path / "lib", 30)
    (root / "p000.xmp").write_text("Alice")
    (root / "doc.pdf").write_bytes(b"%PDF-1.4")
    first = scan_all(root, ScanOptions(faces=False, workers=2), readers=FAKE)
    _same_size_garbage(root)
    again = scan_all(root, ScanOptions(faces=False, workers=2), readers=FAKE)
    assert again == first
    fresh = scan_all(root, ScanOptions(faces=False, use_cache=False), readers=FAKE)
    assert fresh.photos == ()  # proof that reading the files now would have shown garbage


def test_cached_results_are_relative_to_the_new_root(tmp_path: Path) -> None:
    root = _library(tmp_path / "lib" / "sub", 2)
    (root / "notes.txt").write_text("not a photo")
    scan_all(tmp_path / "lib", NO_FACES, readers=FAKE)
    result = scan_all(root, NO_FACES, readers=FAKE)
    assert [p.path for p in result.photos] == ["p000.jpg", "p001.jpg"]
    assert [e.path for e in result.errors] == ["notes.txt"]


def test_reader_bugs_are_not_remembered(tmp_path: Path) -> None:
    root = _library(tmp_path / "lib", 1)
    (root / "bug.jpg").write_bytes(_jpeg(b"READER-BUG"))
    assert [e.path for e in scan_all(root, NO_FACES, readers=FAKE).errors] == ["bug.jpg"]
    fixed = Readers(fixed_extract, fake_sidecar)
    assert [p.path for p in scan_all(root, NO_FACES, readers=fixed).photos] == [
        "bug.jpg",
        "p000.jpg",
    ]


def fixed_extract(source: Source) -> Extraction:
    """The reader after its bug was fixed."""
    return Extraction(source.fmt, 4, 4)


def test_changed_file_or_sidecar_is_read_again(tmp_path: Path) -> None:
    root = _library(tmp_path / "lib", 2)
    scan_all(root, NO_FACES, readers=FAKE)
    (root / "p001.jpg").write_bytes(_jpeg(b"CORRUPT"))
    (root / "p000.xmp").write_text("Carol")
    result = scan_all(root, NO_FACES, readers=FAKE)
    assert [e.path for e in result.errors] == ["p001.jpg"]
    assert any(f.value == "Carol" for f in result.photos[0].findings)


def test_no_cache_neither_reads_nor_writes(tmp_path: Path) -> None:
    root = _library(tmp_path / "lib", 2)
    scan_all(root, ScanOptions(faces=False, use_cache=False), readers=FAKE)
    _same_size_garbage(root)
    assert scan_all(root, NO_FACES, readers=FAKE).photos == ()


@pytest.mark.parametrize("workers", [1, 2])
def test_cancel_stops_early_and_says_so(tmp_path: Path, workers: int) -> None:
    root = _library(tmp_path / "lib", 80)
    cancel = CancelToken()
    events = []
    for event in scan(root, ScanOptions(faces=False, workers=workers), cancel, readers=FAKE):
        events.append(event)
        if isinstance(event, PhotoScanned):
            cancel.cancel()
    result = events[-1].result
    assert result.cancelled
    assert 1 <= len(result.photos) < 80


class FakeFacePool:
    """Stands in for photoscan.faces.pool.FacePool: one child face per photo."""

    calls: ClassVar[list[str]] = []

    def __init__(self, workers: int, settings: object) -> None:
        self.settings = settings

    def run(
        self, jobs: Iterable[tuple[str, Path]], cancel: CancelToken | None = None
    ) -> Iterator[tuple[str, tuple[Face, ...] | FileError]]:
        for key, _path in jobs:
            FakeFacePool.calls.append(key)
            if "p001" in key:
                yield key, FileError(key, "cannot decode image")
            else:
                yield key, (Face((1, 1, 3, 3), 6.0, True),)

    def close(self) -> None:
        pass


def test_face_pass_follows_metadata_pass_and_is_cached(tmp_path: Path) -> None:
    from photoscan.faces.settings import FaceSettings

    root = _library(tmp_path / "lib", 3)
    (root / "lonely.xmp").write_text("Bob")
    FakeFacePool.calls = []
    events = list(scan(root, ScanOptions(), readers=FAKE, face_pool=FakeFacePool))
    kinds = [type(e).__name__ for e in events if isinstance(e, PhotoScanned | FacesScanned)]
    assert kinds == ["PhotoScanned"] * 4 + ["FacesScanned"] * 3
    assert sorted(FakeFacePool.calls) == ["p000.jpg", "p001.jpg", "p002.jpg"]
    result = events[-1].result
    by_path = {p.path: p for p in result.photos}
    assert by_path["p000.jpg"].faces == (Face((1, 1, 3, 3), 6.0, True),)
    assert by_path["p000.jpg"].faces_scanned
    assert by_path["p001.jpg"].face_error == "cannot decode image"
    assert not by_path["lonely.xmp"].faces_scanned

    FakeFacePool.calls = []
    assert scan_all(root, ScanOptions(), readers=FAKE, face_pool=FakeFacePool) == result
    assert FakeFacePool.calls == []  # all from the cache
    thorough = ScanOptions(face_settings=FaceSettings(thorough=True))
    scan_all(root, thorough, readers=FAKE, face_pool=FakeFacePool)
    assert len(FakeFacePool.calls) == 3  # other settings: faces again


def test_cached_rescan_with_faces_loads_no_face_code(tmp_path: Path) -> None:
    """A fully cached rescan must not import photoscan.faces.analyse (numpy, Pillow: ~0.5 s)."""
    root = _library(tmp_path / "lib", 2)
    scan_all(root, ScanOptions(), readers=FAKE, face_pool=FakeFacePool)
    code = (
        "import sys; from pathlib import Path; from photoscan.scan.run import scan_all\n"
        f"r = scan_all(Path({str(root)!r}))\n"
        "assert all(p.faces_scanned or p.face_error for p in r.photos), r\n"
        "face_code = ('photoscan.faces.analyse', 'numpy', 'PIL')\n"
        "print(sorted(m for m in face_code if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_decompression_bomb_is_refused_from_its_header_without_a_face_pool(
    tmp_path: Path,
) -> None:
    """A PNG whose header claims 30000x30000 pixels gets its reason from the metadata pass's
    size: no face worker starts (nor loads a model) for it, whatever the machine's load."""
    from tests.robustness.hostile_files import bomb_png

    root = tmp_path / "lib"
    root.mkdir()
    (root / "bomb.png").write_bytes(bomb_png())
    started: list[int] = []

    def pool(workers: int, settings: object) -> FakeFacePool:
        started.append(workers)
        return FakeFacePool(workers, settings)

    events = list(scan(root, ScanOptions(use_cache=False), face_pool=pool))
    (bomb,) = events[-1].result.photos
    assert started == []
    assert bomb.face_error == (
        "picture too large: 30000x30000 pixels (900 megapixels) is over the 200-megapixel "
        "limit; refused from its header, nothing decoded"
    )
    assert [e.done for e in events if isinstance(e, Progress) and e.phase == "faces"] == [1]
    (root / "ok.jpg").write_bytes(_jpeg())  # a photo beside it still goes to the pool
    FakeFacePool.calls = []
    result = scan_all(root, ScanOptions(use_cache=False), face_pool=pool)
    assert FakeFacePool.calls == ["ok.jpg"] and len(started) == 1
    assert {p.path: p.faces_scanned for p in result.photos} == {"bomb.png": False, "ok.jpg": True}


class BrokenFacePool(FakeFacePool):
    """A face pool whose worker raises something it did not expect, mid-run."""

    def run(
        self, jobs: Iterable[tuple[str, Path]], cancel: CancelToken | None = None
    ) -> Iterator[tuple[str, tuple[Face, ...] | FileError]]:
        first, *_ = list(jobs)
        yield first[0], ()
        raise EOFError("Decoder plugin generated an error")


def test_a_face_pool_failure_costs_faces_not_the_scan(tmp_path: Path) -> None:
    root = _library(tmp_path / "lib", 3)
    result = scan_all(root, ScanOptions(), readers=FAKE, face_pool=BrokenFacePool)
    assert len(result.photos) == 3 and not result.errors
    by_path = {p.path: p for p in result.photos}
    assert by_path["p000.jpg"].faces_scanned
    assert by_path["p002.jpg"].face_error == "face detection stopped: internal error (EOFError)"
    again = scan_all(root, ScanOptions(), readers=FAKE, face_pool=FakeFacePool)
    assert all(p.face_error is None or "stopped" not in p.face_error for p in again.photos)


def test_unreadable_root_is_a_usage_error(tmp_path: Path) -> None:
    from photoscan.errors import UsageError

    with pytest.raises(UsageError):
        scan_all(tmp_path / "missing", NO_FACES, readers=FAKE)


def test_nothing_lost_over_all_test_data() -> None:
    """Real readers over every set: each file is a photo, an error with a reason, a sidecar
    listed on its photo, or skipped by policy — and no exception escapes."""
    root = _testdata_dir()
    result = scan_all(root, ScanOptions(faces=False, use_cache=False))
    every = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    photos = {p.path for p in result.photos}
    sidecars = {s for p in result.photos for s in p.sidecars}
    errors = {e.path for e in result.errors}
    assert every == photos | sidecars | errors | {e.path for e in result.skipped}
    assert photos.isdisjoint(errors)
    assert all(e.reason for e in result.errors)
    assert len(photos) > 700


def test_places_pass_names_places_offline(tmp_path: Path) -> None:
    root = _library(tmp_path / "lib", 2)
    (root / "space_needle.jpg").write_bytes(_jpeg(b"SEATTLE"))
    events = list(scan(root, ScanOptions(faces=False, places=True), readers=FAKE))
    found = [e for e in events if isinstance(e, PlacesFound)]
    assert len(found) == 1
    assert [r.path for r in found[0].records] == ["space_needle.jpg"]
    result = events[-1].result
    by_path = {p.path: p for p in result.photos}
    place = by_path["space_needle.jpg"].place
    assert place is not None and place.country and place.name
    assert by_path["p000.jpg"].place is None
    assert len(result.places) == 1
    assert not [e for e in scan(root, NO_FACES, readers=FAKE) if isinstance(e, PlacesFound)]


def test_file_names_that_are_not_utf8_are_scanned_and_printable(tmp_path: Path) -> None:
    import io as _io
    import json

    from photoscan.scan import jsonio

    root = _library(tmp_path / "lib", 1)
    odd = os.fsdecode(b"caf\xe9 \x1b[31m.jpg")
    (root / odd).write_bytes(_jpeg())
    first = scan_all(root, NO_FACES, readers=FAKE)
    assert odd in {p.path for p in first.photos}
    assert scan_all(root, NO_FACES, readers=FAKE) == first  # cached under an escaped key
    out = _io.StringIO()
    jsonio.write_document(first, out)
    paths = {p["path"] for p in json.loads(out.getvalue())["photos"]}
    assert "caf\\xe9 \x1b[31m.jpg" in paths
    out.getvalue().encode("utf-8")  # valid text all the way


def test_a_file_swapped_for_a_fifo_does_not_hang(tmp_path: Path) -> None:
    from photoscan.scan.jobs import ReadJob
    from photoscan.scan.worker import read_one

    fifo = tmp_path / "p.jpg"
    os.mkfifo(fifo)
    outcome = read_one(ReadJob("p.jpg", str(fifo)), FAKE)
    assert outcome.error == FileError("p.jpg", "not a regular file (device, socket or pipe)")
