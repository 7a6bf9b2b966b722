"""The photo model and its filter proxy, tested without a window (Vorta's habit)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from photoscan.gui.library.models import FLAGS_ROLE, RECORD_ROLE, PhotoTableModel
from photoscan.gui.library.photoinfo import Column, PhotoFlag, photo_flags
from photoscan.gui.library.proxy import PhotoFilterProxy
from photoscan.model import RiskLevel
from tests.gui.factories import record

LIBRARY = [
    record("kids/beach.jpg", children=2, gps=True, place="Leiden"),
    record("kids/party.jpg", children=1, adults=2),
    record("holiday/tower.jpg", gps=True, place="Paris", device=True),
    record("work/portrait.jpg", adults=1, person="Jane Doe"),
    record("scans/old.jpg", thumbnail=True),
    record("plain/sky.jpg"),
    record("export/public_kid.jpg", children=1, public=True),
]


def make_model(records=LIBRARY) -> tuple[PhotoTableModel, PhotoFilterProxy]:
    model = PhotoTableModel()
    model.add_records(records)
    proxy = PhotoFilterProxy()
    proxy.setSourceModel(model)
    return model, proxy


def shown_paths(proxy: PhotoFilterProxy) -> list[str]:
    return [proxy.index(r, 0).data(RECORD_ROLE).path for r in range(proxy.rowCount())]


def test_model_and_proxy_pass_qtmodeltester(qtmodeltester) -> None:
    model, proxy = make_model()
    qtmodeltester.check(model)
    proxy.set_filter(PhotoFlag.CHILDREN)
    qtmodeltester.check(proxy)


def test_rows_are_sorted_by_risk_highest_first_by_default() -> None:
    model, _ = make_model()
    scores = [model.record(r).risk.score for r in range(model.rowCount())]
    assert scores == sorted(scores, reverse=True)
    assert model.sort_column is Column.RISK
    top = model.record(0)
    assert top.risk.level is RiskLevel.HIGH
    assert top.path in {"kids/beach.jpg", "export/public_kid.jpg"}


def test_streamed_inserts_keep_the_sort_and_match_a_bulk_load() -> None:
    streamed = PhotoTableModel()
    for rec in reversed(LIBRARY):
        streamed.add_records([rec])
    bulk = PhotoTableModel()
    bulk.set_records(LIBRARY)
    assert [r.path for r in streamed.records()] == [r.path for r in bulk.records()]


def test_flags_say_what_a_photo_gives_away() -> None:
    flags = photo_flags(record("a.jpg", children=1, gps=True, person="X", device=True))
    assert flags & PhotoFlag.CHILDREN and flags & PhotoFlag.FACES
    assert flags & PhotoFlag.LOCATION and flags & PhotoFlag.NAMES and flags & PhotoFlag.DEVICE
    assert not flags & PhotoFlag.PUBLIC and not flags & PhotoFlag.THUMBNAIL
    assert flags & PhotoFlag.RISK_HIGH
    assert photo_flags(record("p.jpg", public=True)) & PhotoFlag.PUBLIC
    assert photo_flags(record("t.jpg", thumbnail=True)) & PhotoFlag.THUMBNAIL
    assert photo_flags(record("n.jpg")) == PhotoFlag.RISK_NONE


def test_update_changes_the_row_in_place_without_a_reset(qtbot) -> None:
    pending = record("kids/later.jpg", adults=0)
    model, _ = make_model([*LIBRARY, pending])
    rows = model.rowCount()
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    with qtbot.waitSignal(model.dataChanged, timeout=1000) as changed:
        model.add_records([record("kids/later.jpg", children=1, gps=True)])
    row = model.row_of("kids/later.jpg")
    assert changed.args[0].row() == row
    assert model.rowCount() == rows and not resets
    assert model.record(row).faces and model.flags_at(row) & PhotoFlag.CHILDREN
    assert model.is_stale  # its risk went up: it belongs higher
    model.resort()
    assert not model.is_stale
    scores = [model.record(r).risk.score for r in range(model.rowCount())]
    assert scores == sorted(scores, reverse=True)
    assert model.count(PhotoFlag.CHILDREN) == 4


def test_filters_combine_categories_with_and_and_risk_levels_with_or() -> None:
    _, proxy = make_model()
    proxy.set_filter(PhotoFlag.CHILDREN)
    assert set(shown_paths(proxy)) == {
        "kids/beach.jpg",
        "kids/party.jpg",
        "export/public_kid.jpg",
    }
    proxy.set_filter(PhotoFlag.CHILDREN | PhotoFlag.LOCATION)
    assert shown_paths(proxy) == ["kids/beach.jpg"]
    proxy.set_filter(PhotoFlag.RISK_NONE | PhotoFlag.RISK_LOW)
    levels = {proxy.index(r, 0).data(RECORD_ROLE).risk.level for r in range(proxy.rowCount())}
    assert levels and levels <= {RiskLevel.NONE, RiskLevel.LOW}
    proxy.set_filter(PhotoFlag(0))
    assert proxy.rowCount() == len(LIBRARY)


def test_search_matches_file_names_and_place_names_case_insensitively() -> None:
    _, proxy = make_model()
    proxy.set_search("TOWER")
    assert shown_paths(proxy) == ["holiday/tower.jpg"]
    proxy.set_search("leiden")
    assert shown_paths(proxy) == ["kids/beach.jpg"]
    proxy.set_filter(PhotoFlag.DEVICE)  # keeps the search
    assert shown_paths(proxy) == []
    proxy.set_search("")
    assert shown_paths(proxy) == ["holiday/tower.jpg"]


def test_counts_are_over_the_whole_library_and_follow_updates() -> None:
    model, proxy = make_model()
    counts = model.counts()
    assert counts[PhotoFlag.CHILDREN] == 3
    assert counts[PhotoFlag.LOCATION] == 2
    assert counts[PhotoFlag.NAMES] == 1
    assert counts[PhotoFlag.PUBLIC] == 1
    assert sum(
        counts[f]
        for f in (
            PhotoFlag.RISK_HIGH,
            PhotoFlag.RISK_MEDIUM,
            PhotoFlag.RISK_LOW,
            PhotoFlag.RISK_NONE,
        )
    ) == len(LIBRARY)
    proxy.set_filter(PhotoFlag.DEVICE)
    assert model.counts() == counts  # filtering does not change the numbers
    model.add_records([record("plain/sky.jpg", gps=True)])
    assert model.count(PhotoFlag.LOCATION) == 3


def test_table_sorting_goes_through_the_source() -> None:
    _, proxy = make_model()
    proxy.sort(Column.NAME, Qt.SortOrder.AscendingOrder)
    names = [proxy.index(r, Column.NAME).data() for r in range(proxy.rowCount())]
    assert names == sorted(names, key=str.casefold)
    proxy.sort(Column.NAME, Qt.SortOrder.DescendingOrder)
    names_desc = [proxy.index(r, Column.NAME).data() for r in range(proxy.rowCount())]
    assert names_desc == names[::-1]
    proxy.sort(Column.CHILDREN, Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, Column.CHILDREN).data() == "2"
    assert proxy.index(0, 0).data(FLAGS_ROLE) & PhotoFlag.CHILDREN


def test_unassessed_records_show_and_sort_last() -> None:
    model, _ = make_model([record("b.jpg", gps=True), record("a.jpg", assessed=False)])
    assert model.record(1).path == "a.jpg"
    assert model.index(1, Column.RISK).data() == ""
    assert model.index(0, Column.RISK).data().startswith("Medium (")
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.columnCount(QModelIndex()) == len(Column)


def test_a_flood_of_records_is_appended_then_sorted_once(qtbot) -> None:
    model, proxy = make_model([])
    flood = [record(f"f/{i:04d}.jpg", gps=i % 3 == 0, children=i % 7 == 0) for i in range(600)]
    inserted: list[int] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append(last - first + 1))
    model.add_records(flood)
    assert inserted == [600]  # one insert for the whole batch, not 600
    assert model.has_unsorted_tail
    assert model.row_of("f/0599.jpg") == 599  # found while unsorted
    model.add_records([record("f/late.jpg", children=1)])  # lands at the end, still findable
    assert model.row_of("f/late.jpg") == 600
    proxy.set_filter(PhotoFlag.CHILDREN)
    assert proxy.rowCount() == 1 + len(range(0, 600, 7))
    model.resort()
    assert not model.has_unsorted_tail
    scores = [model.record(r).risk.score for r in range(model.rowCount())]
    assert scores == sorted(scores, reverse=True)
    assert proxy.rowCount() == 1 + len(range(0, 600, 7))
    assert model.row_of("f/late.jpg") == model.records().index(model.record_for("f/late.jpg"))


def test_places_you_return_to_filter_uses_the_place_field() -> None:
    home = record("home/garden.jpg", gps=True, place="Leiden", repeated=True)
    assert photo_flags(home) & PhotoFlag.REPEATED_PLACE
    assert not photo_flags(LIBRARY[0]) & PhotoFlag.REPEATED_PLACE  # a place, not repeated
    _, proxy = make_model([*LIBRARY, home])
    proxy.set_filter(PhotoFlag.REPEATED_PLACE)
    assert shown_paths(proxy) == ["home/garden.jpg"]
