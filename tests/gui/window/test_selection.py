"""Several photos at once: "N selected", the batch panel and its actions, the right-click
menus on the grid, the table and a map dot, and moving between panes by keyboard."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import QApplication

from photoscan.gui.detail.batch import batch_counts, line_text
from photoscan.gui.library import files
from photoscan.gui.library.photoinfo import PhotoFlag, photo_flags
from photoscan.gui.window.middle import MAP, TABLE
from photoscan.model import FindingKind, Gps
from tests.gui.actions.test_actions import accepting, gps_jpeg, kinds
from tests.gui.factories import record

LEIDEN = Gps(52.16, 4.49, "exif")


def fill(window: Any, root: Path, records: list[Any]) -> None:
    window.root = root
    window.loader.set_root(root)
    window.detail.set_root(root)
    window.model.set_records(records)
    window.pages.setCurrentIndex(1)
    window.show_view(0)


@pytest.fixture
def scanned(qtbot: Any, window: Any, tmp_path: Path) -> Path:
    """Three real photos with a location and a name, scanned."""
    root = tmp_path / "photos"
    for i, name in enumerate(("a/one.jpg", "a/two.jpg", "b/three.jpg")):
        gps_jpeg(root / name, 60 + 50 * i)
    with qtbot.waitSignal(window.scan_completed, timeout=30_000):
        window.open_folder(root)
    return root


def test_counts_of_a_selection_come_from_the_filter_bits() -> None:
    records = [
        record("a.jpg", children=1, gps=True),
        record("b.jpg", gps=True, person="Jane"),
        record("c.jpg"),
        dataclasses.replace(record("d.jpg"), faces_scanned=False),
    ]
    counts = batch_counts(
        [int(photo_flags(r)) for r in records], [r.faces_scanned for r in records]
    )
    assert counts.photos == 4
    assert counts.count(PhotoFlag.CHILDREN) == 1
    assert counts.count(PhotoFlag.LOCATION) == 2
    assert counts.count(PhotoFlag.NAMES) == 1
    assert counts.unchecked_faces == 1
    assert line_text(2, 4, "gives away where", "give away where") == "2 give away where"
    assert line_text(1, 4, "shows a child", "show children") == "1 shows a child"
    assert line_text(4, 4, "shows a child", "show children") == "All 4 show children"


def test_several_selected_turn_the_detail_pane_into_the_batch_panel(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    fill(
        window,
        tmp_path,
        [
            record("kid.jpg", children=2, gps=True),
            record("gps.jpg", gps=True),
            record("name.jpg", person="Jane Doe"),
            record("plain.jpg"),
        ],
    )
    window.select_path("kid.jpg")
    window.selection.refresh()
    assert window.selection.side.currentWidget() is window.detail
    window.views.select_all()
    qtbot.waitUntil(window.selection.showing_batch, timeout=2_000)
    batch = window.batch
    assert batch.title.text() == "4 photos selected"
    texts = {
        flag: label.text() for flag, (_, label) in batch.lines.items() if label.isVisibleTo(batch)
    }
    assert texts[PhotoFlag.CHILDREN] == "1 shows a child"
    assert texts[PhotoFlag.LOCATION] == "2 give away where they were taken"
    assert texts[PhotoFlag.NAMES] == "1 names a person"
    assert PhotoFlag.DEVICE not in texts  # nothing to say: the line is hidden
    assert "4 selected" in window.status.text()
    assert batch.strip_button.text() == "Strip 4 Photos…"
    window.menu_actions.select_none.trigger()
    window.views.select_row(0)
    qtbot.waitUntil(lambda: not window.selection.showing_batch(), timeout=2_000)
    assert "1 selected" in window.status.text()


def test_a_batch_action_applies_to_the_selection(
    qtbot: Any, window: Any, scanned: Path, tmp_path: Path
) -> None:
    window.select_path("a/one.jpg")
    other = window.proxy.mapFromSource(window.model.index(window.model.row_of("b/three.jpg"), 0))
    window.grid.selectionModel().select(other, QItemSelectionModel.SelectionFlag.Select)
    qtbot.waitUntil(window.selection.showing_batch, timeout=2_000)
    assert window.batch.title.text() == "2 photos selected"
    actions = window.photo_actions
    out = tmp_path / "clean"
    actions.ask = accepting(lambda d: d.out_field.edit.setText(str(out)))
    with qtbot.waitSignal(actions.runner.job_finished, timeout=30_000):
        window.batch.location_button.click()
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.jpg"))
    assert written == ["a/one.jpg", "b/three.jpg"]  # the two selected, not a/two.jpg
    assert FindingKind.LOCATION not in kinds(out / "a" / "one.jpg")
    assert FindingKind.PERSON in kinds(out / "a" / "one.jpg")  # only the location went


def test_right_click_on_the_grid_acts_on_the_photo_under_the_pointer(
    qtbot: Any, window: Any, scanned: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    grid = window.grid
    window.select_path("a/one.jpg")
    target = window.proxy.mapFromSource(window.model.index(window.model.row_of("b/three.jpg"), 0))
    pos = grid.visualRect(target).center()
    menu = window.selection.view_menu(grid, pos)
    assert menu is not None and [r.path for r in menu.records] == ["b/three.jpg"]
    assert window.current_record().path == "b/three.jpg"  # it became the selection
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts == [
        "Strip Photo…",
        "Strip Only the Location…",
        "Share-Safe Copies…",
        "Open",
        "Show in Folder",
        "Copy Path",
        "Mark Reviewed",
        "Mark as Child",
        "Mark as Not a Child",
    ]
    assert not menu.child_action.isEnabled()  # no face was found in it to mark
    menu.copy_action.trigger()
    assert QGuiApplication.clipboard().text() == str(scanned / "b" / "three.jpg")
    assert "Copied the path" in window.status.text()
    opened: list[Path] = []
    monkeypatch.setattr(files, "open_url", lambda path: opened.append(path) or True)
    menu.open_action.trigger()
    menu.show_action.trigger()
    assert opened == [scanned / "b" / "three.jpg", scanned / "b"]
    menu.close()
    out = tmp_path / "copies"
    actions = window.photo_actions

    def fill_share(dialog: Any) -> None:
        dialog.blur.setCurrentIndex(2)  # no faces: no detector needed
        dialog.out_field.edit.setText(str(out))

    actions.ask = accepting(fill_share)
    with qtbot.waitSignal(actions.runner.job_finished, timeout=30_000):
        menu.share_action.trigger()
    assert len(list(out.glob("*.jpg"))) == 1  # one copy: the photo right-clicked


def test_right_click_on_a_selection_in_the_table_keeps_it(
    qtbot: Any, window: Any, scanned: Path
) -> None:
    window.show_view(TABLE)
    window.views.select_all()
    table = window.table
    pos = table.visualRect(window.proxy.index(1, 0)).center()
    menu = window.selection.view_menu(table, pos)
    assert menu is not None and len(menu.records) == 3
    assert (
        menu.strip_action.text() == "Strip 3 Photos…" and menu.copy_action.text() == "Copy 3 Paths"
    )
    menu.copy_action.trigger()
    assert len(QGuiApplication.clipboard().text().splitlines()) == 3
    menu.close()


def test_a_map_dot_has_the_menu_for_its_photos(qtbot: Any, window: Any, tmp_path: Path) -> None:
    at_leiden = [dataclasses.replace(record(f"l{i}.jpg", gps=True), gps=LEIDEN) for i in range(2)]
    fill(window, tmp_path, [*at_leiden, record("elsewhere.jpg")])
    window.show_view(MAP)
    view = window.map
    view.refresh()
    view.fit()
    dot = view.clusters()[0]
    at_dot = QPoint(int(dot.x), int(dot.y))
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at_dot, view.mapToGlobal(at_dot))
    with qtbot.waitSignal(view.menu_requested) as requested:
        QApplication.sendEvent(view, event)  # what a right-click on the dot sends
    assert sorted(requested.args[0]) == ["l0.jpg", "l1.jpg"]
    menu = window.selection.menu
    assert menu is not None and sorted(r.path for r in menu.records) == ["l0.jpg", "l1.jpg"]
    menu.close()


def test_map_dots_are_reachable_by_keyboard(qtbot: Any, window: Any, tmp_path: Path) -> None:
    def at(name: str, lat: float, lon: float) -> Any:
        return dataclasses.replace(record(name, gps=True), gps=Gps(lat, lon, "exif"))

    fill(window, tmp_path, [at("west.jpg", 40.4, -3.7), at("east.jpg", 52.5, 13.4)])
    window.show_view(MAP)
    view = window.map
    view.refresh()
    view.fit()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    first = view.focused()
    assert first is not None  # the first arrow picks the dot with the most photos
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    west = view.focused()
    assert west is not None and west.paths == ["west.jpg"]
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert view.focused().paths == ["east.jpg"]
    with qtbot.waitSignal(view.spot_clicked) as clicked:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert clicked.args[0] == ["east.jpg"]
    assert window.views.currentWidget() is window.grid and window.proxy.rowCount() == 1
    # The map's filter is shown in the sidebar with the others, and clears from there.
    spot = window.sidebar.spot_button
    assert spot.isVisible() and "1 photo" in spot.text()
    spot.click()
    assert window.proxy.rowCount() == 2 and not spot.isVisible()


def test_tab_moves_between_panes_not_through_table_cells(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    fill(window, tmp_path, [record("a.jpg", gps=True, person="Jane"), record("b.jpg")])
    window.select_path("a.jpg")
    window.activateWindow()
    findings = window.detail.findings
    assert findings.rowCount() >= 2
    findings.setFocus()
    findings.setCurrentCell(0, 0)
    qtbot.keyClick(findings, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not findings  # on to the next control
    window.show_view(TABLE)
    table = window.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table


def test_marks_from_the_menu_are_saved_and_shown_at_once(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    """Mark Reviewed / Not Reviewed, Mark as Not a Child / as Child on a selection: each is
    stored (a rescan would say the same) and the rows change in the model at once."""
    root = tmp_path / "photos"
    for name in ("kid.jpg", "trip.jpg"):
        gps_jpeg(root / name, 80)
    kid = record("kid.jpg", children=1)
    fill(window, root, [kid, record("trip.jpg", gps=True)])
    window.photo_actions.update_enabled()  # a folder is open: the actions are on
    window.views.select_all()
    grid = window.grid
    runner = window.selection.decisions

    def choose(action_name: str) -> int:
        menu = window.selection.view_menu(grid, grid.visualRect(window.proxy.index(0, 0)).center())
        assert menu is not None and len(menu.records) == 2
        action = getattr(menu, action_name)
        assert action.isEnabled()
        with qtbot.waitSignal(runner.decided, timeout=30_000) as done:
            action.trigger()
        menu.close()
        return int(done.args[0])

    assert choose("reviewed_action") == 2
    assert all(window.model.record_for(p).decisions.reviewed for p in ("kid.jpg", "trip.jpg"))
    menu = window.selection.view_menu(grid, grid.visualRect(window.proxy.index(0, 0)).center())
    assert menu is not None and menu.reviewed_action.text() == "Mark Not Reviewed"
    menu.close()
    assert choose("not_child_action") == 1  # trip.jpg has no face to mark
    marked = window.model.record_for("kid.jpg")
    assert not any(f.child for f in marked.faces)  # its face is no longer a child's
    assert not photo_flags(marked) & PhotoFlag.CHILDREN
    assert marked.decisions.reviewed  # the earlier decision is kept
    choose("child_action")
    assert all(f.child for f in window.model.record_for("kid.jpg").faces)
    choose("reviewed_action")  # now "Mark Not Reviewed"
    assert not window.model.record_for("trip.jpg").decisions.reviewed
    from photoscan.library.decide import Decider

    decider = Decider(root)
    try:  # what a rescan would read: the stored decisions
        stored = decider.refreshed(kid)
    finally:
        decider.close()
    assert all(f.child for f in stored.faces) and not stored.decisions.reviewed


def test_marks_made_during_a_scan_win_over_its_later_results(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    """Issue 14: the scan read the decisions when it began; its face results and its final
    result, arriving after the parent's marks, must not paint the old decisions back."""
    root = tmp_path / "photos"
    for name in ("kid.jpg", "trip.jpg"):
        gps_jpeg(root / name, 80)
    trip = dataclasses.replace(record("trip.jpg", gps=True), faces_scanned=False)
    fill(window, root, [record("kid.jpg", children=1), trip])  # the metadata pass so far
    window.photo_actions.update_enabled()
    window.views.select_all()
    grid, runner = window.grid, window.selection.decisions

    def choose(action_name: str) -> None:
        menu = window.selection.view_menu(grid, grid.visualRect(window.proxy.index(0, 0)).center())
        assert menu is not None
        with qtbot.waitSignal(runner.decided, timeout=30_000):
            getattr(menu, action_name).trigger()
        menu.close()

    choose("reviewed_action")
    choose("not_child_action")  # kid.jpg's face
    # what the scan says next, from the decisions it read at its start (none)
    faces = [record("kid.jpg", children=1), record("trip.jpg", gps=True, children=1)]
    with qtbot.waitSignal(window.session.feeder.drained, timeout=10_000):
        window.session.controller.faces_scanned.emit(faces)

    def shown_as_marked() -> None:
        kid, trip = map(window.model.record_for, ("kid.jpg", "trip.jpg"))
        assert kid.decisions.reviewed and trip.decisions.reviewed
        assert kid.faces and not any(f.child for f in kid.faces)
        assert not photo_flags(kid) & PhotoFlag.CHILDREN
        assert trip.faces_scanned and all(f.child for f in trip.faces)  # the new faces stay

    shown_as_marked()
    from photoscan.scan.events import ScanResult

    with qtbot.waitSignal(window.scan_completed, timeout=10_000):
        window.session.controller.scan_finished.emit(ScanResult(root, tuple(faces), (), False))
    shown_as_marked()
    assert all(r.decisions.reviewed for r in window.last_result.photos)  # the summary's too


def test_marks_made_after_a_scan_ended_reach_its_result(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    """Issue 14: the summary export reads ``last_result``; a mark made once the scan is over
    must be in it, not the decisions the scan read when it began."""
    from photoscan.scan.events import ScanResult

    root = tmp_path / "photos"
    for name in ("kid.jpg", "trip.jpg"):
        gps_jpeg(root / name, 80)
    photos = (record("kid.jpg", children=1), record("trip.jpg", gps=True))
    fill(window, root, list(photos))
    with qtbot.waitSignal(window.scan_completed, timeout=10_000):
        window.session.controller.scan_finished.emit(ScanResult(root, photos, (), False))
    window.photo_actions.update_enabled()
    window.select_path("kid.jpg")
    grid, runner = window.grid, window.selection.decisions
    for action_name in ("reviewed_action", "not_child_action"):
        menu = window.selection.view_menu(grid, grid.visualRect(window.proxy.index(0, 0)).center())
        assert menu is not None
        with qtbot.waitSignal(runner.decided, timeout=30_000):
            getattr(menu, action_name).trigger()
        menu.close()
    kid, trip = window.last_result.photos
    assert kid.path == "kid.jpg" and kid.decisions.reviewed
    assert kid.faces and not any(f.child for f in kid.faces)
    assert not photo_flags(kid) & PhotoFlag.CHILDREN  # re-assessed, not only relabelled
    assert kid == window.model.record_for("kid.jpg")
    assert trip == photos[1]  # an unmarked photo stays as the scan left it


def test_a_mark_saved_after_face_results_arrived_keeps_the_faces(window: Any) -> None:
    """The other order: the Decider's answer, worked out from the row before its faces came,
    brings its decisions to the row as it is now and drops none of the new faces."""
    from photoscan.model import Decisions
    from photoscan.risk import assess

    window.model.set_records([record("trip.jpg", gps=True, children=1)])  # faces arrived
    before = dataclasses.replace(record("trip.jpg", gps=True), faces_scanned=False)
    answer = assess(before, None, Decisions(reviewed=True))
    window.selection.decisions.runner.item_ready.emit(answer)
    shown = window.model.record_for("trip.jpg")
    assert shown.decisions.reviewed and shown.faces_scanned and len(shown.faces) == 1


def test_a_mark_that_cannot_be_saved_says_why(qtbot: Any, window: Any, tmp_path: Path) -> None:
    root = tmp_path / "photos"
    root.mkdir()
    fill(window, root, [record("gone.jpg", children=1)])  # no such file to hash
    window.photo_actions.update_enabled()
    window.views.select_all()
    grid = window.grid
    menu = window.selection.view_menu(grid, grid.visualRect(window.proxy.index(0, 0)).center())
    assert menu is not None
    with qtbot.waitSignal(window.selection.decisions.decided, timeout=30_000):
        menu.not_child_action.trigger()
    menu.close()
    assert window.status.text().startswith("Not saved: gone.jpg cannot be read now")
    assert all(f.child for f in window.model.record_for("gone.jpg").faces)
    # The refreshes still pending from before the mark (the sidebar's counts after the
    # records came, the selection's once it settled) may fire after the reason was shown:
    # they say the counts it replaced and leave it (under load they erased it: 4 of 20).
    window.filters.count()
    window.selection.refresh()
    assert window.status.text().startswith("Not saved: gone.jpg cannot be read now")
    window.menu_actions.select_none.trigger()  # another selection is news: the counts again
    window.selection.refresh()
    assert window.status.text() == "1 photo"


def test_a_marked_photo_keeps_its_place_you_return_to() -> None:
    from photoscan.model import PlaceGroup, RepeatedPlace
    from photoscan.places.context import UNKNOWN, context_of

    groups = [
        PlaceGroup("Leiden", "NL", 6, 4, True, ("a.jpg", "b.jpg")),
        PlaceGroup(UNKNOWN, "", 5, 3, True, ("c.jpg",)),
        PlaceGroup("Paris", "FR", 2, 1, False, ("d.jpg",)),
    ]
    context = context_of(groups)
    assert context.repeated == {
        "a.jpg": RepeatedPlace(6, 4, "Leiden"),
        "b.jpg": RepeatedPlace(6, 4, "Leiden"),
        "c.jpg": RepeatedPlace(5, 3, None),
    }


def test_a_photo_marked_during_a_scan_keeps_its_place_you_return_to_at_once(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    """Issue 14 polish: once the scan's places pass has named the places, a photo the parent
    marks (and the scan's later results for it) keep "a place you return to" from the first
    row, not only once the scan's final result lands."""
    from photoscan.model import PlaceGroup
    from photoscan.places.context import context_of
    from photoscan.risk import assess

    root = tmp_path / "photos"
    for name in ("home.jpg", "trip.jpg"):
        gps_jpeg(root / name, 80)
    fill(window, root, [record("home.jpg", gps=True, children=1), record("trip.jpg", gps=True)])
    window.photo_actions.update_enabled()
    places = (PlaceGroup("Leiden", "NL", 6, 4, True, ("home.jpg",)),)
    context = context_of(places)
    window.session.controller.places_found.emit(places)
    placed = [assess(record("home.jpg", gps=True, children=1), context)]
    with qtbot.waitSignal(window.session.feeder.drained, timeout=10_000):
        window.session.controller.faces_scanned.emit(placed)  # the places pass's records

    def place_reason() -> bool:
        home = window.model.record_for("home.jpg")
        return any("place you return to" in r for r in home.risk.reasons)

    assert place_reason()
    window.select_path("home.jpg")
    grid, runner = window.grid, window.selection.decisions
    for action_name in ("reviewed_action", "not_child_action"):
        menu = window.selection.view_menu(grid, grid.visualRect(window.proxy.index(0, 0)).center())
        assert menu is not None and [r.path for r in menu.records] == ["home.jpg"]
        with qtbot.waitSignal(runner.decided, timeout=30_000):
            getattr(menu, action_name).trigger()
        menu.close()
        home = window.model.record_for("home.jpg")
        assert home.decisions.reviewed and place_reason()
    with qtbot.waitSignal(window.session.feeder.drained, timeout=10_000):
        window.session.controller.faces_scanned.emit(placed)  # the face pass, later
    home = window.model.record_for("home.jpg")
    assert home.decisions.reviewed and not any(f.child for f in home.faces)
    assert place_reason()
    assert "home.jpg" in window.selection.detail.record.path
    assert any("place you return to" in r for r in window.selection.detail.record.risk.reasons)


def test_a_click_on_the_photo_already_shown_keeps_it_shown_when_the_scan_ends(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    """The window shows the riskiest photo at the scan's end unless the parent chose one; a
    click on the photo it had picked itself (the first row after a filter) is a choice too
    (seen under Xvfb: the clicked ladybug gave way to another photo when the scan ended)."""
    from photoscan.scan.events import ScanResult

    root = tmp_path / "photos"
    root.mkdir()
    fill(window, root, [record("kid.jpg", gps=True, children=1), record("trip.jpg", gps=True)])
    window.first_photo.select_first()  # what the window does after a filter: it picks the first row
    assert window.current_record().path == "kid.jpg"
    grid = window.grid
    qtbot.mouseClick(
        grid.viewport(),
        Qt.MouseButton.LeftButton,
        pos=grid.visualRect(window.proxy.index(0, 0)).center(),
    )
    riskier = record("trip.jpg", gps=True, children=2, person="Ann")
    photos = (record("kid.jpg", gps=True, children=1), riskier)
    with qtbot.waitSignal(window.scan_completed, timeout=10_000):
        window.session.controller.scan_finished.emit(ScanResult(root, photos, (), False))
    from photoscan.gui.library.models import RECORD_ROLE

    assert window.proxy.index(0, 0).data(RECORD_ROLE).path == "trip.jpg"  # riskiest now
    assert window.current_record().path == "kid.jpg"
