"""The whole window against real test data: open, scan, filter, select, cancel, keyboard."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent

from photoscan.gui.detail.preview import PreviewDialog
from photoscan.gui.library.models import RECORD_ROLE
from photoscan.gui.library.photoinfo import PhotoFlag
from photoscan.model import FindingKind, PhotoRecord
from photoscan.risk import is_child_photo, is_public
from photoscan.scan.jobs import ScanOptions
from photoscan.scan.run import scan_all
from tests.conftest import testdata_dir as data_dir

SCAN_TIMEOUT_MS = 60_000


def open_and_wait(qtbot, window, folder: Path, timeout: int = SCAN_TIMEOUT_MS):
    with qtbot.waitSignal(window.scan_completed, timeout=timeout) as finished:
        window.open_folder(folder)
    return finished.args[0]


def has(photo: PhotoRecord, kind: FindingKind) -> bool:
    return any(f.kind is kind for f in photo.findings)


def test_open_folder_scans_and_counts_match_the_core(qtbot, window) -> None:
    folder = data_dir("b_group_photos")
    result = open_and_wait(qtbot, window, folder)
    assert not result.cancelled
    core = scan_all(folder, ScanOptions(faces=False, use_cache=False))
    photos = core.photos
    assert window.model.rowCount() == len(photos) > 0
    expected = {
        PhotoFlag.CHILDREN: sum(is_child_photo(p) for p in photos),
        PhotoFlag.FACES: sum(bool(p.faces) for p in photos),
        PhotoFlag.LOCATION: sum(
            p.gps is not None or any(f.kind is FindingKind.LOCATION for f in p.findings)
            for p in photos
        ),
        PhotoFlag.NAMES: sum(any(f.kind is FindingKind.PERSON for f in p.findings) for p in photos),
        PhotoFlag.DEVICE: sum(
            any(f.kind is FindingKind.DEVICE for f in p.findings) for p in photos
        ),
        PhotoFlag.THUMBNAIL: sum(
            any(f.kind is FindingKind.THUMBNAIL for f in p.findings) for p in photos
        ),
        PhotoFlag.PUBLIC: sum(is_public(p.findings) for p in photos),
    }
    for level_flag, level in (
        (PhotoFlag.RISK_HIGH, "high"),
        (PhotoFlag.RISK_MEDIUM, "medium"),
        (PhotoFlag.RISK_LOW, "low"),
        (PhotoFlag.RISK_NONE, "none"),
    ):
        expected[level_flag] = sum(p.risk is not None and p.risk.level == level for p in photos)
    qtbot.waitUntil(lambda: window.sidebar.count_text(PhotoFlag.NAMES) != "0", timeout=2000)
    for flag, n in expected.items():
        assert window.sidebar.count_text(flag) == f"{n:,}", flag
    assert expected[PhotoFlag.NAMES] > 0  # the test data has named photos: the test can fail
    assert window.status.text().startswith(f"{len(photos)} photos")
    # Ticking a category filters the grid to exactly that many photos.
    window.sidebar.set_checked(PhotoFlag.NAMES, True)
    assert window.proxy.rowCount() == expected[PhotoFlag.NAMES]
    window.sidebar.set_checked(PhotoFlag.THUMBNAIL, True)
    both = sum(has(p, FindingKind.PERSON) and has(p, FindingKind.THUMBNAIL) for p in photos)
    assert window.proxy.rowCount() == both


def test_grid_is_sorted_by_risk_and_first_photo_is_shown(qtbot, window) -> None:
    open_and_wait(qtbot, window, data_dir("b_group_photos"))
    scores = [
        window.proxy.index(r, 0).data(RECORD_ROLE).risk.score
        for r in range(window.proxy.rowCount())
    ]
    assert scores == sorted(scores, reverse=True)
    assert window.detail.record is not None
    assert window.detail.record.path == window.proxy.index(0, 0).data(RECORD_ROLE).path
    assert window.pages.currentIndex() == 1 and not window.scan_bar.isVisible()


def test_keyboard_navigation_in_the_grid(qtbot, window) -> None:
    open_and_wait(qtbot, window, data_dir("b_group_photos"))
    grid = window.grid
    grid.setFocus()
    rows = window.proxy.rowCount()
    assert grid.currentIndex().row() == 0
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    assert grid.currentIndex().row() == 1
    assert window.detail.record.path == grid.currentIndex().data(RECORD_ROLE).path
    qtbot.keyClick(grid, Qt.Key.Key_End)
    assert grid.currentIndex().row() == rows - 1
    qtbot.keyClick(grid, Qt.Key.Key_Home)
    assert grid.currentIndex().row() == 0
    qtbot.keyClick(grid, Qt.Key.Key_Space)
    dialog = window.findChild(PreviewDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.preview.record.path == window.detail.record.path
    qtbot.keyClick(dialog, Qt.Key.Key_Space)
    assert not dialog.isVisible()


def test_search_box_filters_by_file_name(qtbot, window) -> None:
    open_and_wait(qtbot, window, data_dir("b_group_photos"))
    total = window.proxy.rowCount()
    qtbot.keyClicks(window.sidebar.search_box, "IXUS")
    qtbot.waitUntil(lambda: window.proxy.rowCount() < total, timeout=2000)
    names = [window.proxy.index(r, 0).data() for r in range(window.proxy.rowCount())]
    assert names and all("ixus" in n.lower() for n in names)
    assert window.status.text().startswith(f"{len(names)} of {total}")
    window.sidebar.search_box.clear()
    qtbot.waitUntil(lambda: window.proxy.rowCount() == total, timeout=2000)


def test_cancel_stops_a_scan(qtbot, window) -> None:
    folder = data_dir("a_age_faces")
    window.menu_actions.faces.setChecked(True)  # faces make the scan long enough to cancel for sure
    with qtbot.waitSignal(window.session.controller.photos_scanned, timeout=SCAN_TIMEOUT_MS):
        window.open_folder(folder)
    assert window.scan_bar.isVisible()
    clicked = time.monotonic()
    with qtbot.waitSignal(window.scan_completed, timeout=5_000) as finished:
        qtbot.mouseClick(window.scan_bar.cancel_button, Qt.MouseButton.LeftButton)
    stopped_in = time.monotonic() - clicked
    result = finished.args[0]
    assert stopped_in < 2.5, stopped_in  # issue 6: within 1 s (slack for a loaded CI machine)
    assert result.cancelled
    assert not window.session.controller.is_running and not window.scan_bar.isVisible()
    assert "cancelled" in window.status.text()
    assert window.model.rowCount() == len(result.photos)


def test_drop_a_folder_opens_it_and_remembers_it(qtbot, window, settings: QSettings) -> None:
    folder = data_dir("b_group_photos")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(folder))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.scan_completed, timeout=SCAN_TIMEOUT_MS):
        window.dropEvent(event)
    assert window.root == folder.resolve()
    assert window.welcome.recent.count() >= 1
    assert window.welcome.recent.item(0).text() == str(folder.resolve())


def test_window_geometry_is_remembered(qtbot, settings: QSettings) -> None:
    from photoscan.gui.window.main import MainWindow

    first = MainWindow(settings, ScanOptions(faces=False))
    qtbot.addWidget(first)
    first.show()
    first.resize(640, 430)
    qtbot.waitUntil(lambda: first.width() == 640)
    first.show_view(1)
    first.close()
    second = MainWindow(settings, ScanOptions(faces=False))
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (640, 430)
    assert second.views.chosen == 1  # the table (the empty state stands in until a scan)


def test_the_window_opens_on_the_screen_whatever_its_size(qtbot, settings: QSettings) -> None:
    """Seen under Xvfb at 1280x800: the default 1400x880 put the detail pane's right edge and
    the status line off the screen. The first window, and one whose saved size came from a
    bigger monitor, fit the screen they open on (offscreen: 800x800)."""
    from photoscan.gui.window.main import MainWindow

    first = MainWindow(settings, ScanOptions(faces=False))
    qtbot.addWidget(first)
    room = first.screen().availableGeometry()
    assert room.width() < 1400  # else this test proves nothing
    assert room.contains(first.frameGeometry()), (first.frameGeometry(), room)
    first.show()
    first.resize(2400, 1600)  # a big monitor's window, remembered
    first.move(300, 200)
    qtbot.waitUntil(lambda: first.width() == 2400)
    first.close()
    second = MainWindow(settings, ScanOptions(faces=False))
    qtbot.addWidget(second)
    second.show()
    assert room.contains(second.frameGeometry()), (second.frameGeometry(), room)


@pytest.mark.timeout(300)
def test_faces_fill_in_and_a_child_photo_shows_its_face_boxes(qtbot, window, tmp_path) -> None:
    """The one test with faces on: a two-photo folder (a toddler on a man's lap, a couple)."""
    source = data_dir("b_group_photos")
    for name in ("mei_Canon_IXUS_750.jpg", "deepface_couple.jpg"):
        if not (source / name).is_file():
            pytest.skip(f"test photo missing: {name}")
        shutil.copy(source / name, tmp_path / name)
    window.menu_actions.faces.setChecked(True)
    faces_updates: list[int] = []
    window.session.controller.faces_scanned.connect(
        lambda records: faces_updates.append(len(records))
    )
    result = open_and_wait(qtbot, window, tmp_path, timeout=240_000)
    assert sum(faces_updates) == 2  # the faces pass updated both rows...
    assert window.model.rowCount() == 2  # ...in place, no duplicates
    child = next(p for p in result.photos if p.path == "mei_Canon_IXUS_750.jpg")
    assert any(face.child for face in child.faces), "the toddler should be found as a child"
    window.sidebar.set_checked(PhotoFlag.CHILDREN, True)
    assert window.proxy.rowCount() >= 1
    with qtbot.waitSignal(window.detail.preview.preview_loaded, timeout=10_000):
        assert window.select_path("mei_Canon_IXUS_750.jpg")
    assert window.detail.record.path == "mei_Canon_IXUS_750.jpg"
    rects = window.detail.preview.face_rects()
    assert any(face.child for _, face in rects)
    assert all(r.width() > 0 and r.height() > 0 for r, _ in rects)
    assert window.detail.findings.rowCount() == len(child.findings) > 0
    assert "child" in window.detail.faces_label.text()
    assert "Blur the children's faces" in window.detail.actions_label.text()


def test_bare_photoscan_routes_to_the_gui_command(monkeypatch, tmp_path: Path) -> None:
    from photoscan.cli import main as cli
    from photoscan.gui import app

    opened: list[tuple[Path | None, ScanOptions | None]] = []
    monkeypatch.setattr(app, "run", lambda folder, options: opened.append((folder, options)) or 0)
    assert "photoscan.cli.gui" in cli.COMMANDS
    assert cli.main([str(tmp_path)]) == 0
    assert cli.main(["gui", "--no-faces", str(tmp_path)]) == 0
    assert opened[0][0] == tmp_path and opened[0][1].faces
    assert not opened[1][1].faces
    # A folder that is not there still opens the window, which says so (see test_missing_*)
    assert cli.main([str(tmp_path / "missing")]) == 0
    assert opened[2][0] == tmp_path / "missing"


def test_place_names_from_the_places_pass_are_searchable(qtbot, settings: QSettings) -> None:
    from photoscan.gui.window.main import MainWindow

    window = MainWindow(settings, ScanOptions(faces=False, use_cache=False, places=True))
    qtbot.addWidget(window)
    window.show()
    result = open_and_wait(qtbot, window, data_dir("e_export_sidecars"))
    in_paris = [p.path for p in result.photos if p.place and p.place.name == "Paris"]
    assert in_paris  # Takeout's geoData near the Eiffel tower, named offline
    window.proxy.set_search("paris")
    shown = {
        window.proxy.index(r, 0).data(RECORD_ROLE).path for r in range(window.proxy.rowCount())
    }
    assert shown == set(in_paris)
    window.session.controller.shutdown()


def test_opening_a_photo_opens_its_folder_with_that_photo_selected(qtbot, window) -> None:
    """The launcher's "Open with photoscan" on one photo: its folder, that photo chosen (and
    kept when the scan ends, as a choice of the user's is)."""
    from photoscan.gui.window.welcome import opening

    folder = data_dir("b_group_photos")
    photos = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".jpg")
    photo = photos[len(photos) // 2]
    assert opening(folder) == (folder.resolve(), None)
    assert opening(photo) == (folder.resolve(), photo.name)
    with qtbot.waitSignal(window.scan_completed, timeout=SCAN_TIMEOUT_MS):
        window.open_folder(*opening(photo))
    current = window.current_record()
    assert current is not None and current.path == photo.name
    assert window.root == folder.resolve()


def test_rescan_keeps_the_photo_the_parent_was_looking_at(qtbot, window) -> None:
    """Seen under Xvfb: after marking a photo's faces, F5 showed the riskiest photo instead,
    and the parent had to find their place again. Rescan was also offered with no folder."""
    assert not window.menu_actions.rescan.isEnabled()
    folder = data_dir("b_group_photos")
    open_and_wait(qtbot, window, folder)
    assert window.menu_actions.rescan.isEnabled()
    row = window.proxy.rowCount() // 2
    window.views.select_row(row)
    window.first_photo.chosen()
    chosen = window.current_record().path
    assert chosen != window.proxy.index(0, 0).data(RECORD_ROLE).path
    with qtbot.waitSignal(window.scan_completed, timeout=SCAN_TIMEOUT_MS):
        window.menu_actions.rescan.trigger()
    assert window.current_record().path == chosen
    assert window.detail.record is not None and window.detail.record.path == chosen


def test_rescan_keeps_the_sidebar_choices_and_another_folder_clears_them(qtbot, window) -> None:
    """Seen under Xvfb: with a category ticked, F5 showed every photo again, the tick gone."""
    from photoscan.gui.library.photoinfo import PhotoFlag

    folder = data_dir("b_group_photos")
    open_and_wait(qtbot, window, folder)
    window.sidebar.set_checked(PhotoFlag.THUMBNAIL, True)
    narrowed = window.proxy.rowCount()
    assert 0 < narrowed < window.model.rowCount()
    with qtbot.waitSignal(window.scan_completed, timeout=SCAN_TIMEOUT_MS):
        window.menu_actions.rescan.trigger()
    assert window.proxy.rowCount() == narrowed
    open_and_wait(qtbot, window, data_dir("c_noface"))
    assert window.proxy.rowCount() == window.model.rowCount()
