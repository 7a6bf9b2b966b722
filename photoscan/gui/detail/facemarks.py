"""The parent's word on one face, given on the preview in the detail pane.

A right-click on a face box: "This Is a Child", "Not a Child", "Take Back My Mark" (or
"Remove This Box" for a box they drew). A drag over the photo draws a box around a face
photoscan missed: it is kept as a child's face (hidden in share-safe copies, counted). The
photo menus mark every face of a photo alike; this is where one face of several is told
apart — a toddler on an adult's lap. Nothing is stored here: the requests go out as signals
(``SelectionPresenter`` hands them to the ``DecisionRunner``). Videos are left alone: their
faces were found on other frames than the poster shown.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QMouseEvent
from PySide6.QtWidgets import QMenu, QRubberBand

from photoscan.gui.detail.preview import PreviewWidget
from photoscan.model import Face, FaceSource, Mark, MediaKind, PhotoRecord

MIN_DRAG = 8  # widget pixels: a smaller drag is a click, not a box


def face_at(preview: PreviewWidget, pos: QPoint) -> Face | None:
    """The face whose box is under ``pos`` (the smallest, where boxes overlap)."""
    hits = [(r.width() * r.height(), f) for r, f in preview.face_rects() if r.contains(pos)]
    return min(hits, key=lambda hit: hit[0])[1] if hits else None


class FaceEditor(QObject):
    """Watches ``preview`` for right-clicks on faces and drags over the photo."""

    mark_requested = Signal(object, object, object)  # record, box, Mark or None (take back)
    box_drawn = Signal(object, object)  # record, box in full-image pixels
    box_removed = Signal(object, object)  # record, box the parent drew before

    def __init__(self, preview: PreviewWidget) -> None:
        super().__init__(preview)
        self.preview = preview
        self.enabled = True  # off while the window's actions are (a scan, a strip running)
        self.menu: QMenu | None = None  # the last menu opened (tests trigger its actions)
        self._start: QPoint | None = None
        self._band = QRubberBand(QRubberBand.Shape.Rectangle, preview)
        preview.installEventFilter(self)
        preview.setToolTip(
            "Right-click a face to say whether it is a child's; drag over a "
            "face photoscan missed to mark it"
        )

    def _photo(self) -> PhotoRecord | None:
        record = self.preview.record
        if record is None or record.media is not MediaKind.PHOTO or not self.enabled:
            return None
        return record if self.preview.is_loaded() else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.preview:
            return False
        kind = event.type()
        if kind == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent):
            return self.open_menu(event.pos(), event.globalPos())
        if not isinstance(event, QMouseEvent):
            return False
        pos = event.position().toPoint()
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            self._start = pos if self._photo() is not None else None
        elif kind == QEvent.Type.MouseMove and self._start is not None:
            self._band.setGeometry(QRect(self._start, pos).normalized())
            self._band.show()
        elif kind == QEvent.Type.MouseButtonRelease and self._start is not None:
            start, self._start = self._start, None
            self._band.hide()
            self.draw(QRect(start, pos).normalized())
        return False

    def draw(self, rect: QRect) -> bool:
        """A box drawn over ``rect`` (widget pixels): asked to be kept as a child's face."""
        record = self._photo()
        if record is None or min(rect.width(), rect.height()) < MIN_DRAG:
            return False
        box = self.preview.image_box(QRectF(rect))
        if box is None:
            return False
        self.box_drawn.emit(record, box)
        return True

    def open_menu(self, pos: QPoint, where: QPoint) -> bool:
        record = self._photo()
        if record is None:
            return False
        face = face_at(self.preview, pos)
        menu = QMenu(self.preview)
        if face is None:
            hint = menu.addAction("Drag over a face photoscan missed to mark it as a child's")
            hint.setEnabled(False)
        elif face.source is FaceSource.PARENT:
            menu.addAction("Remove This Box").triggered.connect(
                lambda: self.box_removed.emit(record, face.box)
            )
        else:
            for text, mark in (("This Is a Child", Mark.CHILD), ("Not a Child", Mark.NOT_CHILD)):
                act = menu.addAction(text)
                act.setCheckable(True)
                act.setChecked(face.mark is mark)
                act.triggered.connect(
                    lambda _c=False, m=mark: self.mark_requested.emit(record, face.box, m)
                )
            if face.mark is not None:
                menu.addSeparator()
                menu.addAction("Take Back My Mark").triggered.connect(
                    lambda: self.mark_requested.emit(record, face.box, None)
                )
        self.menu = menu
        menu.popup(where)
        return True
