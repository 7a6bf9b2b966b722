"""Videos among the photos an action is for: share-safe copies leave them out, and say why.

The CLI refuses ``share`` of a video (``share.VIDEO_REFUSAL``); the app does not offer what
would only be refused: a selection of videos alone gets the reason and the advice instead of
the share dialog, and a mixed selection shares its photos, the status bar saying how many
videos were left out. Strip works on videos as on photos.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QMessageBox, QWidget

from photoscan.gui.detail.words import VIDEO_SHARE_REFUSAL, is_video
from photoscan.model import PhotoRecord


def photos_to_share(
    records: Sequence[PhotoRecord], parent: QWidget, show_status: Callable[[str], None]
) -> list[PhotoRecord] | None:
    """The photos of ``records``; None (after saying why) when they are all videos."""
    photos = [r for r in records if not is_video(r)]
    videos = len(records) - len(photos)
    if videos and not photos:
        QMessageBox.information(parent, "Share-safe copies", VIDEO_SHARE_REFUSAL)
        return None
    if videos:
        some = "a video" if videos == 1 else f"{videos:,} videos"
        show_status(f"Left out {some}: share-safe copies are made of photos only")
    return photos


def all_videos(records: Sequence[PhotoRecord]) -> bool:
    return bool(records) and all(is_video(r) for r in records)
