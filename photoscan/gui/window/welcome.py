"""The first screen: open a folder or a .zip export, by button, by drag and drop, or again
from the list of recent folders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QSize, Qt, QUrl, Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from photoscan.gui.icons import icon
from photoscan.gui.theme import set_quiet

RECENT_KEY = "recent_folders"
MAX_RECENT = 8
PATH_ROLE = Qt.ItemDataRole.UserRole + 20


def recent_folders(settings: QSettings) -> list[Path]:
    value = settings.value(RECENT_KEY, [])
    items = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
    return [Path(str(p)) for p in items if str(p)]


def remember_folder(settings: QSettings, folder: Path) -> None:
    folders = [p for p in recent_folders(settings) if p != folder]
    settings.setValue(RECENT_KEY, [str(p) for p in [folder, *folders][:MAX_RECENT]])


def is_openable(path: Path) -> bool:
    """A folder, or a .zip export (Flickr, Google Takeout)."""
    return path.is_dir() or (path.is_file() and path.suffix.lower() == ".zip")


def dropped_folder(urls: list[QUrl]) -> Path | None:
    """The one folder or .zip export dropped on the window, if that is what it was."""
    path = Path(urls[0].toLocalFile()) if len(urls) == 1 and urls[0].isLocalFile() else None
    return path if path is not None and is_openable(path) else None


def cannot_open(path: Path) -> str:
    """Why ``path`` cannot be opened, in words that say what to do."""
    if not path.exists():
        return (
            f"Cannot open {path}: there is no such folder. It may have been moved or renamed, "
            "or be on a disk that is not connected. Open another folder below."
        )
    return (
        f"Cannot open {path}: it is not a folder or a .zip export. Open the folder that "
        "holds it, or drop the folder here."
    )


def ask_folder(parent: QWidget, start: Path) -> Path | None:
    folder = QFileDialog.getExistingDirectory(parent, "Open a photo folder", str(start))
    return Path(folder) if folder else None


def ask_zip(parent: QWidget, start: Path) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(
        parent, "Open a Flickr or Google Takeout export", str(start), "Zip exports (*.zip)"
    )
    return Path(path) if path else None


def opening(path: Path) -> tuple[Path, str | None]:
    """What to open for a path handed to the app (the launcher's "Open with photoscan"):
    a folder or a .zip export as it is; a single photo or video opens its folder, with that
    file (its path in the folder, as records name it) selected once the scan lists it."""
    path = path.expanduser().resolve()
    if path.is_file() and not is_openable(path):
        return path.parent, path.name
    return path, None


class WelcomePage(QWidget):
    open_folder_requested = Signal()
    open_zip_requested = Signal()
    folder_chosen = Signal(object)  # Path

    def __init__(self, settings: QSettings, parent: Any = None) -> None:
        super().__init__(parent)
        self._settings = settings
        logo = QLabel(self)
        logo.setPixmap(icon("app").pixmap(QSize(96, 96)))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("photoscan", self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        subtitle = QLabel(
            "See what your photos give away — children's faces, where you live, your names, "
            "your camera — before you share them. Everything stays on this computer.",
            self,
        )
        subtitle.setWordWrap(True)
        subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.open_button = QPushButton("Open Folder…", self)
        self.open_button.setDefault(True)
        self.open_button.setMinimumHeight(36)
        self.zip_button = QPushButton("Open .zip Export…", self)
        self.zip_button.setMinimumHeight(36)
        self.open_button.clicked.connect(self.open_folder_requested)
        self.zip_button.clicked.connect(self.open_zip_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.zip_button)
        buttons.addStretch(1)
        self.drop_hint = drop = QLabel(
            "or drop a photo folder or a Flickr / Google Takeout .zip here", self
        )
        drop.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_quiet(drop)  # quieter, still readable (disabled text was 1.62:1)
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # it names a path
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setAccessibleName("Message")
        mfont = self.message.font()
        mfont.setBold(True)
        self.message.setFont(mfont)
        self.message.hide()
        self.recent_title = QLabel("Recent folders", self)
        rfont = self.recent_title.font()
        rfont.setBold(True)
        self.recent_title.setFont(rfont)
        self.recent = QListWidget(self)
        self.recent.setAccessibleName("Recent folders")
        self.recent.setMaximumHeight(200)
        self.recent.itemActivated.connect(self._on_recent_item_activated)

        column = QVBoxLayout()
        column.addStretch(2)
        column.addWidget(logo)
        column.addWidget(title)
        column.addWidget(subtitle)
        column.addSpacing(12)
        column.addWidget(self.message)
        column.addSpacing(6)
        column.addLayout(buttons)
        column.addWidget(drop)
        column.addSpacing(24)
        column.addWidget(self.recent_title)
        column.addWidget(self.recent)
        column.addStretch(3)
        panel = QWidget(self)
        panel.setLayout(column)
        panel.setMaximumWidth(640)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(panel, 3)
        outer.addStretch(1)
        self.refresh()

    def show_message(self, text: str) -> None:
        """A message above the buttons (a folder that cannot be opened); '' hides it."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def refresh(self) -> None:
        self.recent.clear()
        folders = [p for p in recent_folders(self._settings) if is_openable(p)]
        style = self.style()
        folder_icon = style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
        file_icon = style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        for folder in folders:
            item = QListWidgetItem(file_icon if folder.is_file() else folder_icon, str(folder))
            item.setData(PATH_ROLE, str(folder))
            self.recent.addItem(item)
        self.recent_title.setVisible(bool(folders))
        self.recent.setVisible(bool(folders))

    @Slot(QListWidgetItem)
    def _on_recent_item_activated(self, item: QListWidgetItem) -> None:
        self.folder_chosen.emit(Path(str(item.data(PATH_ROLE))))
