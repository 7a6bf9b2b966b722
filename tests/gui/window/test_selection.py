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
    ]
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
