"""A photo's file on disk: its full path, and Open / Show in Folder / Copy Path.

Records name photos relative to the opened folder (``a/b.jpg``); these helpers turn that
into the file the user can open. A photo inside a ``.zip`` export has no file of its own:
"open" is refused for it (photoscan never extracts a member to disk) and "show in folder"
shows the folder holding the zip.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication

from photoscan.source.fileref import export_member


def in_zip(root: Path) -> bool:
    return root.is_file()


def photo_path(root: Path, rel: str) -> Path:
    """The photo's file; for a zip member, the member's name under its (part's) zip."""
    if in_zip(root):  # a .zip export: the photo lives inside it (or inside another part)
        try:
            return Path(export_member(root, rel).path, rel)
        except OSError:
            return root / rel
    return root.joinpath(*rel.split("/"))


def source_of(root: Path, rel: str) -> tuple[Path, str | None]:
    """What the core reads for a photo: (its file, None), or (the zip part, the member).
    Off the GUI thread: a multi-part Takeout export is listed to find the part."""
    if in_zip(root):
        return Path(export_member(root, rel).path), rel
    return photo_path(root, rel), None


def containing_folder(root: Path, rel: str) -> Path:
    """The folder a file manager should show for the photo (the zip's folder for a member)."""
    return root.parent if in_zip(root) else photo_path(root, rel).parent


def open_url(path: Path) -> bool:
    """Open ``path`` (a file or a folder) with the desktop's default application."""
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))


def open_photo(root: Path, rel: str) -> bool:
    """Open the photo in the desktop's viewer; False for a zip member (not extracted)."""
    if in_zip(root):
        return False
    return open_url(photo_path(root, rel))


def show_in_folder(root: Path, rel: str) -> bool:
    return open_url(containing_folder(root, rel))


def copy_paths(root: Path, rels: Sequence[str]) -> str:
    """Put the photos' full paths on the clipboard, one per line; returns the text."""
    text = "\n".join(str(photo_path(root, rel)) for rel in rels)
    QGuiApplication.clipboard().setText(text)
    return text
