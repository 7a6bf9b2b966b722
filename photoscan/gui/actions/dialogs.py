"""The dialogs that ask how to strip, share or export, and the plain-text result summary.

Each dialog only collects a choice (a frozen dataclass from ``choice()``); ``actions`` runs it.
Tests construct a dialog, fill its fields and call ``choice()`` without showing it. File names
and metadata are hostile input: previews and summaries are plain text, never rich text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from photoscan.gui.detail.pane import KIND_WORDS, kind_rank
from photoscan.gui.library.photoinfo import count_words
from photoscan.gui.theme import warning_text
from photoscan.model import FindingKind, MediaKind, PhotoRecord
from photoscan.share import Blur, ShareOptions
from photoscan.strip.types import StripOptions

PREVIEW_LINES = 300  # the preview names the first files; the counts cover them all
LOCATION_KINDS = frozenset({FindingKind.LOCATION})
REPORT_FORMATS: tuple[tuple[str, str], ...] = (
    ("HTML page", "html"),
    ("PDF document", "pdf"),
    ("CSV table", "csv"),
    ("JSON data", "json"),
)


@dataclass(frozen=True, slots=True)
class StripChoice:
    out: Path | None  # a folder for cleaned copies, or None when cleaning in place
    backup_dir: Path | None  # where the originals go first (in place only)
    options: StripOptions


@dataclass(frozen=True, slots=True)
class ShareChoice:
    out: Path
    options: ShareOptions


@dataclass(frozen=True, slots=True)
class ExportChoice:
    path: Path
    fmt: str
    include_locations: bool
    details: bool = False  # every photo listed, not a few examples (``report --details``)


def photos(n: int, videos: int = 0) -> str:
    return count_words(n, videos)


def files_of(records: Sequence[PhotoRecord]) -> str:
    """'3 photos', '1 video', '2 photos and 1 video'."""
    videos = sum(1 for r in records if r.media is MediaKind.VIDEO)
    return count_words(len(records), videos, sum(1 for r in records if r.media is MediaKind.AUDIO))


def _noun(records: Sequence[PhotoRecord]) -> Callable[[int], str]:
    """How the preview's totals count: photos, videos or (a mix) files."""
    kinds = {r.media for r in records}
    noun = "file" if len(kinds) > 1 else "photo" if MediaKind.PHOTO in kinds else "video"
    return lambda n: f"{n:,} {noun}{'s' if n != 1 else ''}"


def plain(text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setText(text)
    return label


class FolderField(QWidget):
    """A folder path with a Browse… button."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(f"{title}…")  # which folder: the backups are not the copies
        self.browse = QPushButton("Browse…", self)
        self.browse.clicked.connect(self._on_browse_clicked)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.browse)

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text).expanduser() if text else None

    @Slot()
    def _on_browse_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.title, self.edit.text())
        if folder:
            self.edit.setText(folder)


def removal_preview(records: Sequence[PhotoRecord], options: StripOptions) -> str:
    """What a strip would remove, from the scan's findings (no file is read)."""
    counts: Counter[FindingKind] = Counter()
    lines: list[str] = []
    touched = 0
    for record in records:
        kinds = {f.kind for f in record.findings}
        if options.only_location:
            kinds &= LOCATION_KINDS
        if options.keep_datetime:
            kinds.discard(FindingKind.DATETIME)
        counts.update(kinds)
        touched += bool(kinds)
        if kinds and len(lines) < PREVIEW_LINES:
            words = ", ".join(KIND_WORDS.get(k, k.value) for k in sorted(kinds, key=kind_rank))
            lines.append(f"{record.path}: {words}")
    head = files_of(records)
    if not counts:
        return f"{head}: nothing found that these options remove."
    most = sorted(counts.items(), key=lambda item: (-item[1], kind_rank(item[0])))
    count = _noun(records)
    totals = "\n".join(f"  {KIND_WORDS.get(k, k.value)}: {count(c)}" for k, c in most)
    more = touched - len(lines)
    tail = f"\n… and {more} more" if more > 0 else ""
    return f"{head}, {touched} with something to remove:\n{totals}\n\n" + "\n".join(lines) + tail


class StripDialog(QDialog):
    """Cleaned copies to a folder (default) or in place with a required backup folder."""

    def __init__(
        self,
        records: Sequence[PhotoRecord],
        parent: QWidget | None = None,
        default_out: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.records = tuple(records)
        self.setWindowTitle("Strip metadata")
        self.copy_radio = QRadioButton("Save cleaned copies to a folder (originals untouched)")
        self.copy_radio.setChecked(True)
        self.out_field = FolderField("Folder for the cleaned copies", self)
        if default_out is not None:
            self.out_field.edit.setText(str(default_out))
        self.in_place_radio = QRadioButton("Clean in place (replace the originals)")
        self.backup_field = FolderField("Folder for the backups of the originals", self)
        self.warning = plain(
            "The originals are replaced. Each original is first copied to the backup folder, "
            "which must be outside the photo folder. Keep it until you have checked the result."
        )
        warning = self.warning.palette()
        warning.setColor(QPalette.ColorRole.WindowText, warning_text(warning))
        self.warning.setPalette(warning)  # red that reads on light and dark alike
        group = QButtonGroup(self)
        group.addButton(self.copy_radio)
        group.addButton(self.in_place_radio)
        self.only_location = QCheckBox("Only location (GPS and place names)")
        self.keep_datetime = QCheckBox("Keep date and time")
        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName("What will be removed")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.check_button = self.buttons.addButton(
            "Check the Files", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.check_button.setToolTip("Run the strip in memory: nothing is written")
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        title = " ".join(w if w == "and" else w.capitalize() for w in files_of(records).split())
        self.ok_button.setText(f"Strip {title}")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(plain(f"Remove identifying metadata from {files_of(self.records)}."))
        layout.addWidget(self.copy_radio)
        layout.addWidget(self.out_field)
        layout.addWidget(self.in_place_radio)
        layout.addWidget(self.backup_field)
        layout.addWidget(self.warning)
        layout.addWidget(self.only_location)
        layout.addWidget(self.keep_datetime)
        self.preview_label = plain("What will be removed (from the scan):")
        layout.addWidget(self.preview_label)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.buttons)
        for widget in (self.copy_radio, self.in_place_radio, self.only_location):
            widget.toggled.connect(self._refresh)
        self.keep_datetime.toggled.connect(self._refresh)
        self.out_field.edit.textChanged.connect(self._refresh_ok)
        self.backup_field.edit.textChanged.connect(self._refresh_ok)
        self.resize(620, 560)
        self._refresh()

    def copies_only(self) -> None:
        """For a .zip export: its photos cannot be changed in place, only copied."""
        self.copy_radio.setChecked(True)
        self.in_place_radio.setEnabled(False)
        self.in_place_radio.setText(
            "Clean in place: not for a .zip export (the zip is left as it is)"
        )

    def options(self) -> StripOptions:
        return StripOptions(
            only_location=self.only_location.isChecked(),
            keep_datetime=self.keep_datetime.isChecked(),
        )

    def choice(self) -> StripChoice | None:
        """The user's choice, or None while it is incomplete (no folder)."""
        if self.copy_radio.isChecked():
            out = self.out_field.path()
            return None if out is None else StripChoice(out, None, self.options())
        backup = self.backup_field.path()
        return None if backup is None else StripChoice(None, backup, self.options())

    @Slot()
    def _refresh_ok(self) -> None:
        self.ok_button.setEnabled(self.choice() is not None)

    @Slot()
    def _refresh(self) -> None:
        """Options changed: the preview is recomputed (not on every keystroke of a path)."""
        in_place = self.in_place_radio.isChecked()
        self.out_field.setEnabled(not in_place)
        self.backup_field.setEnabled(in_place)
        self.warning.setVisible(in_place)
        self._refresh_ok()
        self.preview_label.setText("What will be removed (from the scan):")
        self.preview.setPlainText(removal_preview(self.records, self.options()))


class ShareDialog(QDialog):
    """Share-safe copies: faces hidden, optionally smaller, neutral names; with a preview of
    one photo's copy beside the options (``set_preview``), redone whenever they change."""

    options_changed = Signal()  # what the copies would be like changed (not the folder)

    BLURS = (
        ("Children's faces", Blur.CHILDREN),
        ("All faces", Blur.FACES),
        ("No faces", Blur.NONE),
    )

    def __init__(
        self, count: int, blur: Blur = Blur.CHILDREN, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Share-safe copies")
        self.blur = QComboBox(self)
        for text, value in self.BLURS:
            self.blur.addItem(text, value)
        self.blur.setCurrentIndex([b for _, b in self.BLURS].index(blur))
        self.max_size = QSpinBox(self)
        self.max_size.setRange(0, 20_000)
        self.max_size.setSingleStep(256)
        self.max_size.setValue(2048)
        self.max_size.setSpecialValueText("Keep the size")
        self.max_size.setSuffix(" px")
        self.rename = QCheckBox("Rename to neutral names (photo-0001.jpg …)")
        self.rename.setChecked(True)
        self.out_field = FolderField("Folder for the share-safe copies", self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(f"Make {count} Cop{'ies' if count != 1 else 'y'}")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Hide", self.blur)
        form.addRow("Longest side", self.max_size)
        form.addRow("", self.rename)
        form.addRow("Save to", self.out_field)
        self.body = QHBoxLayout()
        self.body.addLayout(form, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain(
                f"Make share-safe copies of {photos(count)}: metadata stripped, the chosen "
                "faces covered (a solid fill, not a reversible blur). Photos whose faces cannot "
                "be checked are not shared."
            )
        )
        layout.addLayout(self.body, 1)
        layout.addWidget(buttons)
        self.out_field.edit.textChanged.connect(self._refresh)
        self.blur.currentIndexChanged.connect(self.options_changed)
        self.max_size.valueChanged.connect(self.options_changed)
        self.rename.toggled.connect(self.options_changed)
        self.setMinimumWidth(560)
        self._refresh()

    def set_preview(self, preview: QWidget) -> None:
        self.body.addWidget(preview, 1)
        self.setMinimumWidth(980)

    def options(self) -> ShareOptions:
        size = self.max_size.value() or None
        blur = Blur(self.blur.currentData())
        return ShareOptions(blur=blur, max_size=size, rename=self.rename.isChecked())

    def choice(self) -> ShareChoice | None:
        out = self.out_field.path()
        return None if out is None else ShareChoice(out, self.options())

    @Slot()
    def _refresh(self) -> None:
        self.ok_button.setEnabled(self.choice() is not None)


class ExportDialog(QDialog):
    """Export the summary: format, file, and whether coordinates may be included."""

    def __init__(self, default: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export summary")
        self.format = QComboBox(self)
        for text, fmt in REPORT_FORMATS:
            self.format.addItem(text, fmt)
        self.path_edit = QLineEdit(str(default.with_suffix(".html")), self)
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._on_browse_clicked)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.include_locations = QCheckBox("Include locations (coordinates of places)")
        self.details = QCheckBox("List every photo (not only a few examples)")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("File", row)
        form.addRow("", self.include_locations)
        form.addRow("", self.details)
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain("A shareable summary of this scan. Locations are left out unless you ask.")
        )
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.format.currentIndexChanged.connect(self._on_format_changed)
        self.setMinimumWidth(560)

    def choice(self) -> ExportChoice | None:
        text = self.path_edit.text().strip()
        if not text:
            return None
        fmt = str(self.format.currentData())
        locations, details = self.include_locations.isChecked(), self.details.isChecked()
        return ExportChoice(Path(text).expanduser(), fmt, locations, details)

    @Slot()
    def _on_format_changed(self) -> None:
        text = self.path_edit.text().strip()
        if text:
            self.path_edit.setText(
                str(Path(text).with_suffix("." + str(self.format.currentData())))
            )

    @Slot()
    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export summary", self.path_edit.text())
        if path:
            self.path_edit.setText(path)
