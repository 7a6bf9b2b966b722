"""What the selection shows and offers: one photo's details, a batch panel, the menus.

One photo selected (or none, with a current one): the detail pane describes it. Several:
the batch panel counts what they give away together and acts on all of them. A right-click
on the grid, the table or a map dot opens the photo menu for those photos; Space previews
the current photo large. Selection changes come in bursts (Shift+End over 50,000 photos,
Select All), so the pane is brought up to date once per burst, from a zero-delay timer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QModelIndex, QObject, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QAbstractItemView, QStackedWidget, QWidget

from photoscan.gui.actions.actions import PhotoActions
from photoscan.gui.actions.context import PhotoMenu
from photoscan.gui.actions.decisions import Decision, DecisionRunner
from photoscan.gui.detail.batch import BatchPanel, batch_counts
from photoscan.gui.detail.facemarks import FaceEditor
from photoscan.gui.detail.pane import DetailPane
from photoscan.gui.detail.preview import PreviewDialog
from photoscan.gui.library.models import FLAGS_ROLE, RECORD_ROLE, PhotoTableModel
from photoscan.gui.library.thumbnails import ThumbnailLoader
from photoscan.gui.window.menus import space_shortcut
from photoscan.gui.window.middle import PhotoViews
from photoscan.library.decide import Decider
from photoscan.model import Box, Mark, PhotoRecord, PlaceGroup
from photoscan.places.context import context_of


class SelectionPresenter(QObject):
    changed = Signal()  # how many photos are selected may have changed

    def __init__(
        self,
        views: PhotoViews,
        model: PhotoTableModel,
        loader: ThumbnailLoader,
        actions: PhotoActions,
        root: Callable[[], Path | None],
        show_status: Callable[[str], None],
        parent: QWidget,
        places: Callable[[], Sequence[PlaceGroup]] = tuple,
    ) -> None:
        super().__init__(parent)
        self.views, self.model, self.loader = views, model, loader
        self.actions, self.root, self.show_status = actions, root, show_status
        # The places of the last scan: a photo marked is assessed again with its context.
        self.decisions = DecisionRunner(model, lambda: context_of(places()), show_status, self)
        self.detail = DetailPane(loader, parent)
        self.faces = FaceEditor(self.detail.preview)  # one face at a time, on the preview
        self.faces.mark_requested.connect(self._on_faces_mark_requested)
        self.faces.box_drawn.connect(self._on_faces_box_drawn)
        self.faces.box_removed.connect(self._on_faces_box_removed)
        self.batch = BatchPanel(parent)
        self.side = QStackedWidget(parent)  # the right pane: one photo or several
        self.side.addWidget(self.detail)
        self.side.addWidget(self.batch)
        self.preview_dialog: PreviewDialog | None = None
        self.pixelate_children = False
        self.menu: PhotoMenu | None = None  # the last menu opened (tests trigger its actions)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refresh)
        selection = views.grid.selectionModel()
        selection.currentChanged.connect(self._on_selection_current_changed)
        selection.selectionChanged.connect(self._timer.start)
        model.dataChanged.connect(self._on_model_data_changed)
        self.batch.strip_requested.connect(self._on_batch_strip_requested)
        self.batch.share_requested.connect(self._on_batch_share_requested)
        for view in (views.grid, views.table):
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(lambda pos, v=view: self.view_menu(v, pos))
            space_shortcut(view).activated.connect(self.toggle_preview)
        views.map.menu_requested.connect(self.paths_menu)

    @Slot()
    def refresh(self) -> None:
        """The detail pane for one photo, the batch panel for several."""
        self._timer.stop()
        rows = self.views.selected_rows()
        if len(rows) > 1:
            proxy = self.views.proxy
            indexes = [proxy.index(row, 0) for row in rows]
            flags = [int(index.data(FLAGS_ROLE) or 0) for index in indexes]
            records = [index.data(RECORD_ROLE) for index in indexes]
            checked = [isinstance(r, PhotoRecord) and r.faces_scanned for r in records]
            self.batch.show_counts(batch_counts(flags, checked))
            self.side.setCurrentWidget(self.batch)
        else:
            current = self.views.current_record()
            if current is None or self.detail.record != current:
                self.detail.show_record(current)
            self.side.setCurrentWidget(self.detail)
        self.changed.emit()

    @Slot(QModelIndex, QModelIndex)
    def _on_selection_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        """Arrow keys through the grid: the detail pane follows at once (the batch panel,
        once the selection settles)."""
        if not self.showing_batch():
            self.detail.show_record(self.views.current_record())
        self._timer.start()

    def showing_batch(self) -> bool:
        return self.side.currentWidget() is self.batch

    @Slot(QModelIndex, QModelIndex, list)
    def _on_model_data_changed(
        self, top: QModelIndex, bottom: QModelIndex, roles: list[int]
    ) -> None:
        if self.showing_batch():
            self._timer.start()
            return
        shown = self.detail.record
        row = self.model.row_of(shown.path) if shown is not None else None
        if row is not None and top.row() <= row <= bottom.row():
            self.detail.show_record(self.model.record(row))

    @Slot(bool)
    def _on_batch_strip_requested(self, only_location: bool) -> None:
        self.actions.strip(self.views.selected_records(), only_location=only_location)

    @Slot()
    def _on_batch_share_requested(self) -> None:
        self.actions.share(self.views.selected_records())

    # --- one face, on the preview ------------------------------------------------------
    def _one(
        self, record: PhotoRecord, change: Callable[[Decider, PhotoRecord], PhotoRecord]
    ) -> None:
        root = self.root()
        if root is not None and self.actions.strip_selected_action.isEnabled():
            self.decisions.start_one(root, record, change)

    @Slot(object, object, object)
    def _on_faces_mark_requested(self, record: PhotoRecord, box: Box, mark: Mark | None) -> None:
        self._one(record, lambda d, r: d.mark_face(r, box, mark))

    @Slot(object, object)
    def _on_faces_box_drawn(self, record: PhotoRecord, box: Box) -> None:
        self._one(record, lambda d, r: d.add_face(r, box))

    @Slot(object, object)
    def _on_faces_box_removed(self, record: PhotoRecord, box: Box) -> None:
        self._one(record, lambda d, r: d.remove_face(r, box))

    # --- menus --------------------------------------------------------------------------
    def view_menu(self, view: QAbstractItemView, pos: QPoint) -> PhotoMenu | None:
        """Right-click on the grid or the table: a photo outside the selection becomes the
        selection first (as in every file manager); then the menu for the selection."""
        index = view.indexAt(pos)
        if index.isValid() and not view.selectionModel().isSelected(index):
            self.views.select_row(index.row())
        records = self.views.selected_records()
        return self._popup(records, view.viewport().mapToGlobal(pos))

    def paths_menu(self, paths: list[str], where: QPoint) -> PhotoMenu | None:
        """The menu for the photos of a map dot."""
        records = [r for r in map(self.model.record_for, paths) if r is not None]
        return self._popup(records, where)

    def _popup(self, records: list[PhotoRecord], where: QPoint) -> PhotoMenu | None:
        root = self.root()
        if root is None or not records:
            return None
        parent = self.side.window()

        def decide(decision: Decision) -> None:
            self.decisions.start(root, records, decision)

        self.menu = PhotoMenu(self.actions, root, records, parent, self.show_status, decide)
        self.menu.popup(where)
        return self.menu

    # --- preview ------------------------------------------------------------------------
    def set_pixelate_children(self, on: bool) -> None:
        self.pixelate_children = on
        self.detail.preview.pixelate_children = on
        self.detail.preview.update()
        if self.preview_dialog is not None:
            self.preview_dialog.preview.pixelate_children = on
            self.preview_dialog.preview.update()

    @Slot()
    def toggle_preview(self) -> None:
        if self.preview_dialog is not None and self.preview_dialog.isVisible():
            self.preview_dialog.accept()
            return
        record = self.views.current_record()
        if record is None:
            return
        if self.preview_dialog is None:
            self.preview_dialog = PreviewDialog(self.loader, self.side.window())
            self.preview_dialog.preview.pixelate_children = self.pixelate_children
        self.preview_dialog.present(record)
