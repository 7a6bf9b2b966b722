"""The scan worker: the core's events as Qt signals, in the order the window needs them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.gui.factories import record


def test_the_scan_worker_passes_the_places_on_before_the_records_they_changed(
    qtbot: Any, tmp_path: Path
) -> None:
    from photoscan.gui.workers import ScanWorker
    from photoscan.model import PlaceGroup
    from photoscan.scan.events import PlacesFound
    from photoscan.scan.jobs import ScanOptions

    worker = ScanWorker(tmp_path, ScanOptions())
    seen: list[tuple[str, object]] = []
    worker.places_found.connect(lambda places: seen.append(("places", places)))
    worker.faces_scanned.connect(lambda records: seen.append(("records", records)))
    places = (PlaceGroup("Leiden", "NL", 6, 4, True, ("home.jpg",)),)
    placed = record("home.jpg", gps=True)
    worker._handle(PlacesFound(places, (placed,)))
    worker._flush()
    assert seen == [("places", places), ("records", [placed])]
