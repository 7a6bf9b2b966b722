"""The one model of scanned photos (``proxy.PhotoFilterProxy`` filters it).

``PhotoTableModel`` holds every ``PhotoRecord`` of the open folder; the grid (``QListView`` in
icon mode, column 0) and the table view share it through one ``PhotoFilterProxy``.

Why the source model sorts itself instead of letting the proxy sort: a proxy sort calls back
into Python ``data()`` once per comparison, which took ~4 s for 50,000 rows; sorting a list of
precomputed keys in Python takes ~30 ms. The proxy therefore only filters, and forwards
``sort()`` to the source. New rows are inserted at their sorted place while a scan streams
in; rows updated by face results change in place and are re-sorted once (``resort()``) when the
scan ends, so the grid never jumps under the user's pointer and never needs a reset.

Filtering uses a bit mask per row (``PhotoFlag``), computed once per record, so the proxy's
``filterAcceptsRow`` is a couple of integer operations (~40 ms for 50,000 rows).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from photoscan.gui.library.photoinfo import (
    HEADERS,
    Column,
    PhotoFlag,
    children_count,
    face_count,
    file_name,
    photo_date,
    photo_flags,
    search_text,
    sort_key,
)
from photoscan.gui.plaintext import plain_tip
from photoscan.model import PhotoRecord

ModelIndex = QModelIndex | QPersistentModelIndex

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1  # the PhotoRecord itself
FLAGS_ROLE = Qt.ItemDataRole.UserRole + 2  # PhotoFlag bits
RISK_LEVEL_ROLE = Qt.ItemDataRole.UserRole + 3  # RiskLevel (None before assessment)


BULK_INSERT = 256  # more new rows than this in one batch: append now, sort once later

_SINGLE_FLAGS = tuple((flag, int(flag)) for flag in PhotoFlag)


class PhotoTableModel(QAbstractTableModel):
    """Every photo of the open folder, kept sorted, one row per ``PhotoRecord``."""

    counts_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._records: list[PhotoRecord] = []
        self._keys: list[tuple[Any, ...]] = []
        self._flags: list[int] = []
        self._search: list[str] = []
        self._by_path: dict[str, PhotoRecord] = {}
        self._key_of: dict[str, tuple[Any, ...]] = {}  # the key each row was sorted by
        self._stale = False
        self._unsorted_tail = False
        self._stamp = 0
        self._counts: dict[PhotoFlag, int] = dict.fromkeys(PhotoFlag, 0)
        self._sort_column = Column.RISK
        self._sort_order = Qt.SortOrder.DescendingOrder
        self._key = sort_key(self._sort_column, self._sort_order)

    # --- Qt model interface -------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(record, Column(index.column()))
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(record.path)  # a file name is hostile input too
        if role == RECORD_ROLE:
            return record
        if role == FLAGS_ROLE:
            return self._flags[index.row()]
        if role == RISK_LEVEL_ROLE:
            return record.risk.level if record.risk else None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (
            Column.FACES,
            Column.CHILDREN,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(Column)
        ):
            return HEADERS[Column(section)]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(Column):
            return
        same = (Column(column), order) == (self._sort_column, self._sort_order)
        self._sort_column, self._sort_order = Column(column), order
        self._key = sort_key(self._sort_column, order)
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_rows = [i.row() for i in old]
        key = self._key
        # Each key once (computing them dominates); after a bulk append they are all known.
        keys = self._keys if same and not self._stale else [key(r) for r in self._records]
        rows = sorted(range(len(keys)), key=keys.__getitem__)
        records, flags, texts = self._records, self._flags, self._search
        self._records = [records[i] for i in rows]
        self._flags = [flags[i] for i in rows]
        self._search = [texts[i] for i in rows]
        self._keys = [keys[i] for i in rows]
        self._key_of = {r.path: k for r, k in zip(self._records, self._keys, strict=True)}
        self._stale = self._unsorted_tail = False
        new_row = [0] * len(rows)
        for new, previous in enumerate(rows):
            new_row[previous] = new
        self._stamp += 1
        self.changePersistentIndexList(
            old, [self.index(new_row[r], i.column()) for r, i in zip(old_rows, old, strict=True)]
        )
        self.layoutChanged.emit()

    # --- our interface --------------------------------------------------------------------
    @property
    def sort_column(self) -> Column:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    def records(self) -> Sequence[PhotoRecord]:
        return tuple(self._records)

    def record(self, row: int) -> PhotoRecord:
        return self._records[row]

    def record_for(self, path: str) -> PhotoRecord | None:
        return self._by_path.get(path)

    def flags_at(self, row: int) -> int:
        return self._flags[row]

    def search_text_at(self, row: int) -> str:
        return self._search[row]

    def flags_list(self) -> Sequence[int]:
        return self._flags

    def search_list(self) -> Sequence[str]:
        return self._search

    @property
    def stamp(self) -> int:
        """Changes whenever rows are added, changed or reordered (the proxy's cache key)."""
        return self._stamp

    def row_of(self, path: str) -> int | None:
        record = self._by_path.get(path)
        if record is None:
            return None
        if self._unsorted_tail:  # rows are not in key order: a C-speed identity scan
            return self._records.index(record)
        return bisect.bisect_left(self._keys, self._key_of[path])

    def clear(self) -> None:
        self.beginResetModel()
        self._records, self._keys, self._flags, self._search = [], [], [], []
        self._by_path, self._key_of = {}, {}
        self._stale = self._unsorted_tail = False
        self._recount()
        self._stamp += 1
        self.endResetModel()
        self.counts_changed.emit()

    def set_records(self, records: Iterable[PhotoRecord]) -> None:
        """Replace everything at once (a reopened folder, a benchmark)."""
        self.beginResetModel()
        unique = {r.path: r for r in records}
        self._by_path = unique
        self._records = sorted(unique.values(), key=self._key)
        self._keys = [self._key(r) for r in self._records]
        self._key_of = {r.path: k for r, k in zip(self._records, self._keys, strict=True)}
        self._stale = self._unsorted_tail = False
        self._flags = [int(photo_flags(r)) for r in self._records]
        self._search = [search_text(r) for r in self._records]
        self._recount()
        self._stamp += 1
        self.endResetModel()
        self.counts_changed.emit()

    def add_records(self, records: Iterable[PhotoRecord]) -> None:
        """Insert new photos at their sorted place, or update ones already shown.

        Many new photos at once (a cached folder streams in thousands per second) are
        appended at the end in one insert, unsorted, and put in order by one ``resort()``
        when the flood is over: a row-wise insert makes every attached view and the proxy do
        O(n) work per photo.
        """
        batch = list(records)
        fresh = {r.path: r for r in batch if r.path not in self._by_path}
        for record in batch:
            if record.path in self._by_path:
                self.update_record(record, notify=False)
        if len(fresh) > BULK_INSERT:
            self._append(list(fresh.values()))
        else:
            for record in fresh.values():
                self._insert(record)
        if batch:
            self.counts_changed.emit()

    def _append(self, records: list[PhotoRecord]) -> None:
        first = len(self._records)
        self.beginInsertRows(QModelIndex(), first, first + len(records) - 1)
        for record in records:
            key, flags = self._key(record), int(photo_flags(record))
            self._records.append(record)
            self._keys.append(key)
            self._key_of[record.path] = key
            self._flags.append(flags)
            self._count(flags, 1)
            self._search.append(search_text(record))
            self._by_path[record.path] = record
        self._unsorted_tail = True
        self._stamp += 1
        self.endInsertRows()

    @property
    def has_unsorted_tail(self) -> bool:
        """True after a bulk append, until ``resort()``."""
        return self._unsorted_tail

    def update_record(self, record: PhotoRecord, *, notify: bool = True) -> None:
        """A new version of a shown photo (faces arrived): change the row in place.

        The row keeps its place even when its sort key changed (``is_stale`` turns true);
        ``resort()`` puts it right later. Moving rows one by one would make the proxy re-filter
        every row per move (a layout change), which is O(n) Python calls per face result.
        """
        row = self.row_of(record.path)
        if row is None:
            self._insert(record)
        else:
            self._records[row] = record
            self._count(self._flags[row], -1)
            self._flags[row] = int(photo_flags(record))
            self._count(self._flags[row], 1)
            self._search[row] = search_text(record)
            self._by_path[record.path] = record
            if self._key(record) != self._keys[row]:
                self._stale = True
            self._stamp += 1
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1), [])
        if notify:
            self.counts_changed.emit()

    @property
    def is_stale(self) -> bool:
        """True when some row's sort key changed since the last sort."""
        return self._stale

    def resort(self) -> None:
        if self._stale or self._unsorted_tail:
            self.sort(self._sort_column, self._sort_order)

    def _insert(self, record: PhotoRecord) -> None:
        key = self._key(record)
        row = len(self._keys) if self._unsorted_tail else bisect.bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._records.insert(row, record)
        self._keys.insert(row, key)
        self._key_of[record.path] = key
        flags = int(photo_flags(record))
        self._flags.insert(row, flags)
        self._count(flags, 1)
        self._search.insert(row, search_text(record))
        self._by_path[record.path] = record
        self._stamp += 1
        self.endInsertRows()

    def count(self, flag: PhotoFlag) -> int:
        return self._counts[flag]

    def counts(self) -> dict[PhotoFlag, int]:
        """Photos per filter category over the whole library (the sidebar's numbers); kept
        up to date on every insert and update, so reading them is O(categories)."""
        return dict(self._counts)

    def _count(self, flags: int, step: int) -> None:
        for flag, bit in _SINGLE_FLAGS:
            if flags & bit:
                self._counts[flag] += step

    def _recount(self) -> None:
        self._counts = dict.fromkeys(PhotoFlag, 0)
        for flags in self._flags:
            self._count(flags, 1)

    @staticmethod
    def _display(record: PhotoRecord, column: Column) -> str:
        if column is Column.NAME:
            return file_name(record)
        if column is Column.RISK:
            if record.risk is None:
                return ""
            return f"{record.risk.level.value.capitalize()} ({record.risk.score})"
        if column is Column.FACES:
            return str(face_count(record)) if record.faces_scanned else ""
        if column is Column.CHILDREN:
            return str(children_count(record)) if record.faces_scanned else ""
        if column is Column.PLACE:
            return record.place.name if record.place else ""
        if column is Column.FORMAT:  # a video's container (MP4, MOV, MKV…), a photo's format
            return record.format.value
        return photo_date(record)
