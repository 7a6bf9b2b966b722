"""The share dialog's preview: the copy of one photo as ``share`` would write it, before
anything is written — its pixels with the faces covered, its size and its new name.

The core makes it (``share.preview.preview``, the very code that writes copies, so the
preview is the copy byte for byte) in a worker thread; the scan's faces are handed to it
when the photo was checked, so no detector runs for a checked photo. The preview is redone
whenever the options change; a change during a run is remembered and run after it. With
View → Pixelate Children's Faces on, children's faces the options leave visible are shown
pixelated here too (the copy itself is not affected).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Slot
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from photoscan.cancel import CancelToken
from photoscan.gui.actions.dialogs import ShareDialog, plain
from photoscan.gui.detail.preview import PREVIEW_SIZE
from photoscan.gui.library import files
from photoscan.gui.library.pixelate import paint_pixelated
from photoscan.gui.library.thumbnails import ThumbnailLoader
from photoscan.gui.workers import JobRunner
from photoscan.model import PhotoRecord
from photoscan.share import ShareOptions
from photoscan.share.preview import SharePreview, preview
from photoscan.strip.plan import export_plan
from photoscan.strip.types import StripStatus

PREVIEW_DELAY_MS = 200  # the size box emits per step: preview once the value settles
SHOWN = QSize(420, 320)


@dataclass(frozen=True, slots=True)
class PreviewMade:
    options: ShareOptions
    preview: SharePreview
    image: QImage | None  # decoded in the worker (QImage may cross threads, QPixmap not)


def copy_index(root: Path, rels: Sequence[str], rel: str) -> int:
    """The place ``rel`` takes in the share run (its neutral name's number): the order the
    photos are given in, or a zip export's member order."""
    if files.in_zip(root):
        jobs = export_plan(root, root.parent / f".{root.stem}-preview", rels).jobs
        displays = [job.display for job in jobs]
        return displays.index(rel) + 1 if rel in displays else 1
    return list(rels).index(rel) + 1 if rel in rels else 1


def preview_words(made: PreviewMade) -> str:
    result, shown = made.preview.result, made.preview
    if shown.data is None or result.status in (StripStatus.REFUSED, StripStatus.FAILED):
        return f"This photo would not be shared: {result.reason or 'no copy could be made'}."
    lines = []
    if result.faces_found is not None:
        found, hidden = result.faces_found, result.faces_hidden or 0
        yours = f" ({result.faces_yours} by your marks)" if result.faces_yours else ""
        lines.append(
            f"Faces: {found} found, {hidden} covered{yours}"
            if found or hidden
            else "Faces: none found (checked by the face detector)"
        )
    size = len(shown.data)
    kilobytes = f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{size / 1000:.0f} KB"
    lines.append(f"Size: {shown.width:,} × {shown.height:,} px · {kilobytes}")
    lines.append(f"Saved as: {shown.name}")
    return "\n".join(lines)


class SharePreviewer(QObject):
    """Keeps ``dialog``'s preview of ``record`` (one of ``rels``, photos of ``root``) up to
    date with its options."""

    def __init__(
        self,
        dialog: ShareDialog,
        root: Path,
        record: PhotoRecord,
        rels: Sequence[str],
        loader: ThumbnailLoader | None = None,
        pixelate_children: bool = False,
    ) -> None:
        super().__init__(dialog)
        self.dialog, self.root, self.record = dialog, root, record
        self.rels = tuple(rels)
        self.loader, self.pixelate_children = loader, pixelate_children
        self.made: PreviewMade | None = None
        self.pane = QWidget(dialog)
        self.title = plain(f"Preview of {record.path.rsplit('/', 1)[-1]}", self.pane)
        self.image = QLabel(self.pane)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumSize(SHOWN)
        self.image.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.image.setAccessibleName("Preview of the share-safe copy")
        self.words = plain("", self.pane)
        layout = QVBoxLayout(self.pane)
        layout.setContentsMargins(12, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.image, 1)
        layout.addWidget(self.words)
        dialog.set_preview(self.pane)
        self.runner = JobRunner(self)
        self.runner.item_ready.connect(self._on_runner_item_ready)
        self.runner.job_failed.connect(self._on_runner_job_failed)
        self.runner.job_finished.connect(self._on_runner_job_finished)
        self._again = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.start)
        dialog.options_changed.connect(self._timer.start)
        dialog.finished.connect(lambda _result: self.runner.wait())
        if loader is not None:
            loader.thumbnail_ready.connect(self._on_loader_thumbnail_ready)
        self.image.setText("Making the preview…")
        self._timer.start()  # once the dialog is up (and its options are set)

    @Slot()
    def start(self) -> None:
        self._timer.stop()
        if self.runner.is_running:
            self._again = True
            return
        options = self.dialog.options()
        root, record, rels = self.root, self.record, self.rels
        faces = record.faces if record.faces_scanned and not record.face_error else None

        def job(token: CancelToken) -> Iterator[object]:
            path, member = files.source_of(root, record.path)
            index = copy_index(root, rels, record.path)
            detect = None if faces is None else (lambda _data: faces)
            made = preview(path, options, member=member, index=index, detect=detect)
            image = QImage.fromData(made.data) if made.data is not None else None
            yield PreviewMade(
                options, made, image if image is not None and not image.isNull() else None
            )

        self.image.setText("Making the preview…")
        self.runner.start(job)

    @Slot(object)
    def _on_runner_item_ready(self, item: object) -> None:
        if isinstance(item, PreviewMade):
            self.made = item
            self.words.setText(preview_words(item))
            self._show_image()

    def _show_image(self) -> None:
        made = self.made
        if made is None or made.image is None:
            self.image.setPixmap(QPixmap())
            self.image.setText("No copy would be made of this photo")
            return
        pixmap = QPixmap.fromImage(made.image)
        full = self._full_size()
        if self.pixelate_children and full is not None:  # as on screen everywhere else
            painter = QPainter(pixmap)
            paint_pixelated(painter, pixmap, pixmap.rect(), self.record.faces, full.width())
            painter.end()
        fitted = pixmap.scaled(
            self.image.size().expandedTo(SHOWN).boundedTo(pixmap.size()),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        self.image.setPixmap(fitted)

    def _full_size(self) -> QSize | None:
        """The photo's full size in display orientation (face boxes are in it)."""
        if self.loader is None or not any(face.child for face in self.record.faces):
            return None
        full = self.loader.full_size(self.record.path, PREVIEW_SIZE)
        if full is None:
            self.loader.pixmap(self.record.path, PREVIEW_SIZE)  # decoded, then shown again
        return full

    @Slot(str, int)
    def _on_loader_thumbnail_ready(self, path: str, size: int) -> None:
        if path == self.record.path and size == PREVIEW_SIZE and self.pixelate_children:
            self._show_image()

    @Slot(str)
    def _on_runner_job_failed(self, message: str) -> None:
        self.image.setPixmap(QPixmap())
        self.image.setText("")
        self.words.setText(f"No preview: {message}")

    @Slot(bool)
    def _on_runner_job_finished(self, cancelled: bool) -> None:
        if self._again:
            self._again = False
            self.start()
