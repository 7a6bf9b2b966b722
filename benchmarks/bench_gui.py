"""Desktop-app benchmark (issue 6): a 50,000-photo library and a real scan, offscreen.

Measures, in one run:
  1. inserting 50,000 synthetic PhotoRecords into the model (bulk, and streamed in the
     worker's batches, as during a scan), with the real window (grid + proxy) attached;
  2. applying each sidebar filter, the search box and a table sort (from the click to the
     views having processed the change);
  3. peak memory (max RSS) of the whole process;
  4. the longest event-loop stall during a real scan of ../shared/testdata: a QTimer beats
     every 10 ms and we record the largest gap between beats (a gap > 100 ms is a visible
     freeze), for a metadata-only scan of all of testdata and a scan with faces of a small set.

Targets: filters < 100 ms, no stall > 100 ms, < 600 MB.

    QT_QPA_PLATFORM=offscreen uv run python benchmarks/bench_gui.py [--rows 50000]
        [--testdata ../shared/testdata] [--faces-folder b_group_photos] [--skip-scan]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PHOTOSCAN_HOME", tempfile.mkdtemp(prefix="photoscan-bench-"))

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from photoscan.gui.app import make_app
from photoscan.gui.library.photoinfo import Column, PhotoFlag
from photoscan.gui.window.main import MainWindow
from photoscan.model import (
    Face,
    Finding,
    FindingKind,
    Gps,
    PhotoRecord,
    Place,
    Severity,
)
from photoscan.risk import assess
from photoscan.scan.jobs import ScanOptions

CITIES = ("Leiden", "Paris", "Utrecht", "Lyon", "Berlin", "Gent", "Porto", "Oslo")


def synthetic_library(n: int, seed: int = 6) -> list[PhotoRecord]:
    """A plausible family library: ~15% with children, ~35% with GPS, some names/serials."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        faces: list[Face] = []
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2, 3))):
            child = rng.random() < 0.3
            age = rng.uniform(2, 12) if child else rng.uniform(20, 70)
            faces.append(Face((100, 100, 300, 300), age, child))
        findings = [
            Finding(FindingKind.DATETIME, "EXIF:DateTimeOriginal", "2021:05:01", Severity.LOW)
        ]
        gps = place = None
        if rng.random() < 0.35:
            gps = Gps(rng.uniform(-60, 60), rng.uniform(-120, 120), "exif")
            place = Place(rng.choice(CITIES), "NL")
            findings.append(Finding(FindingKind.LOCATION, "EXIF:GPSLatitude", "1", Severity.HIGH))
        if rng.random() < 0.1:
            findings.append(Finding(FindingKind.PERSON, "EXIF:Artist", "A Name", Severity.HIGH))
        if rng.random() < 0.2:
            findings.append(
                Finding(FindingKind.DEVICE, "EXIF:BodySerialNumber", "1", Severity.HIGH)
            )
        if rng.random() < 0.3:
            findings.append(
                Finding(FindingKind.THUMBNAIL, "EXIF:ThumbnailImage", "160x120", Severity.MEDIUM)
            )
        if rng.random() < 0.05:
            findings.append(
                Finding(FindingKind.VISIBILITY, "Flickr:privacy", "public", Severity.HIGH)
            )
        record = PhotoRecord(
            path=f"{2000 + i % 25}/{i // 1000:03d}/IMG_{i:06d}.jpg",
            format="JPEG",
            width=4000,
            height=3000,
            gps=gps,
            place=place,
            faces=tuple(faces),
            findings=tuple(findings),
            faces_scanned=True,
        )
        records.append(assess(record))
    return records


class Heartbeat:
    """A 10 ms QTimer; appends every gap between beats (ms) to ``gaps``."""

    def __init__(self, gaps: list[float]) -> None:
        self.gaps = gaps
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._beat)
        self.last = 0.0

    def _beat(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self.last) * 1000)
        self.last = now

    def __enter__(self) -> Heartbeat:
        self.last = time.perf_counter()
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._beat()  # the gap up to now counts too (a stall right before the end)
        self.timer.stop()


def settle(app: QApplication) -> None:
    """Let the views process what the change queued (layout, repaint)."""
    for _ in range(3):
        app.processEvents()


CPU_TIMES: list[float] = []


def timed(app: QApplication, action: Callable[[], object]) -> float:
    """Wall-clock ms from the action to the views having processed it; the process's CPU ms
    go to CPU_TIMES (on a shared machine, wall time also counts other people's work)."""
    start, cpu = time.perf_counter(), time.process_time()
    action()
    settle(app)
    CPU_TIMES.append((time.process_time() - cpu) * 1000)
    return (time.perf_counter() - start) * 1000


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def bench_library(app: QApplication, window: MainWindow, rows: int) -> None:
    t0 = time.perf_counter()
    library = synthetic_library(rows)
    print(f"generated {rows:,} records in {time.perf_counter() - t0:.1f} s (not timed below)")

    bulk = timed(app, lambda: window.model.set_records(library))
    print(f"insert all rows (bulk set_records, window attached): {bulk:8.1f} ms")
    window.model.clear()
    settle(app)
    # Streamed as during a scan: batches go through the window's feeder, which moves them
    # into the model in time-boxed slices; a 10 ms heartbeat measures the worst freeze.
    batch = 500
    gaps: list[float] = []
    loop = QEventLoop()
    window.session.feeder.settled.connect(loop.quit)
    with Heartbeat(gaps):
        start = time.perf_counter()
        for i in range(0, rows, batch):
            window.session.feeder.enqueue(library[i : i + batch])
        loop.exec()
        streamed = (time.perf_counter() - start) * 1000
    window.session.feeder.settled.disconnect(loop.quit)
    print(
        f"insert all rows (streamed through the feeder, batches of {batch}, then sorted): "
        f"{streamed:8.1f} ms total; longest event-loop stall {max(gaps, default=0):.1f} ms"
    )
    assert window.model.rowCount() == rows

    print("\napply filter (tick in the sidebar -> views updated): wall ms (CPU ms)")
    walls: list[float] = []
    cpus: list[float] = []

    def run(label: str, action: Callable[[], object]) -> None:
        wall = timed(app, action)
        walls.append(wall)
        cpus.append(CPU_TIMES[-1])
        print(
            f"  {label:<30} {wall:6.1f} ({CPU_TIMES[-1]:5.1f})  {window.proxy.rowCount():>7,} shown"
        )

    for flag in PhotoFlag:
        name = window.sidebar.item(flag).text(0)
        run(f"{name} on", lambda f=flag: window.sidebar.set_checked(f, True))
        run(f"{name} off", lambda f=flag: window.sidebar.set_checked(f, False))
    run("children + location on", lambda: window.sidebar.set_checked(PhotoFlag.CHILDREN, True))
    run("", lambda: window.sidebar.set_checked(PhotoFlag.LOCATION, True))
    run("all cleared", window.sidebar.clear_filters)
    run("search 'leiden'", lambda: window.proxy.set_search("leiden"))
    run("search cleared", lambda: window.proxy.set_search(""))
    print(
        f"  worst filter: wall {max(walls):.1f} ms (CPU {max(cpus):.1f} ms); "
        f"median wall {statistics.median(walls):.1f} ms (CPU {statistics.median(cpus):.1f} ms)"
    )
    sort_name = timed(app, lambda: window.proxy.sort(Column.NAME))
    sort_risk = timed(app, lambda: window.proxy.sort(Column.RISK, window.model.sort_order))
    print(f"\nsort by name: {sort_name:.1f} ms; back to risk: {sort_risk:.1f} ms")
    window.show_view(1)
    table = timed(app, lambda: window.table.sortByColumn(Column.CHILDREN, window.model.sort_order))
    print(f"table header sort (children): {table:.1f} ms")
    window.show_view(0)
    window.model.clear()
    settle(app)


def bench_stall(app: QApplication, window: MainWindow, folder: Path, faces: bool) -> None:
    """The longest gap between 10 ms heartbeats while the window scans ``folder``."""
    window.menu_actions.faces.setChecked(faces)
    gaps: list[float] = []
    loop = QEventLoop()
    finished: list[object] = []
    window.scan_completed.connect(lambda r: (finished.append(r), loop.quit()))
    with Heartbeat(gaps):
        start = time.perf_counter()
        window.open_folder(folder)
        loop.exec()
        elapsed = time.perf_counter() - start
    window.scan_completed.disconnect()
    result = finished[0]
    gaps.sort()
    p99 = gaps[int(len(gaps) * 0.99)] if gaps else 0.0
    print(
        f"scan of {folder} (faces {'on' if faces else 'off'}, no cache): "
        f"{len(result.photos):,} photos, {len(result.errors):,} errors in {elapsed:.1f} s; "
        f"heartbeats {len(gaps):,}, longest gap {max(gaps, default=0):.1f} ms, "
        f"p99 {p99:.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument(
        "--testdata", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "testdata"
    )
    parser.add_argument("--faces-folder", default="b_group_photos")
    parser.add_argument("--skip-scan", action="store_true")
    args = parser.parse_args()

    app = make_app(sys.argv[:1])
    settings = QSettings(
        os.path.join(os.environ["PHOTOSCAN_HOME"], "gui.ini"), QSettings.Format.IniFormat
    )
    window = MainWindow(settings, ScanOptions(faces=False, use_cache=False))
    window.resize(1400, 880)
    window.show()
    window.pages.setCurrentIndex(1)
    settle(app)
    print(
        f"Qt platform: {app.platformName()}; CPUs: {os.cpu_count()}; "
        f"python {sys.version.split()[0]}\n"
    )

    bench_library(app, window, args.rows)
    print(f"\npeak RSS after the {args.rows:,}-row library: {rss_mb():.0f} MB")
    print(f"load average while running: {os.getloadavg()}\n")
    if not args.skip_scan and args.testdata.is_dir():
        bench_stall(app, window, args.testdata, faces=False)
        faces_folder = args.testdata / args.faces_folder
        if faces_folder.is_dir():
            bench_stall(app, window, faces_folder, faces=True)
    print(f"\npeak RSS (whole run): {rss_mb():.0f} MB")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
