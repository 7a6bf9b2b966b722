"""Thumbnails and previews, decoded off the GUI thread and kept in a byte-bounded cache.

Decoding runs in a ``QThreadPool`` and produces a ``QImage`` (safe across threads); the GUI
thread turns it into a ``QPixmap`` (which only the GUI thread may touch, as in vimiv-qt). Each
request carries the loader's *generation*; opening another folder bumps it and clears the
queue, so late results for the old folder are dropped (TagStudio's generation counter).
Newer requests get a higher pool priority, so scrolling fast decodes what is on screen first.

Thumbnails live only in memory: writing them to the shared system thumbnail cache
(~/.cache/thumbnails) would leak private photos to every other program.
"""

from __future__ import annotations

import io
import logging
import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError
from PySide6.QtCore import QObject, QRunnable, QSize, QThreadPool, Signal, Slot
from PySide6.QtGui import QImage, QPixmap

from photoscan.errors import FileTooLarge, PhotoscanError
from photoscan.images.pillow import ROTATING, open_image, upright
from photoscan.images.poster import poster_frame
from photoscan.images.previews import photo_frame, preview_for
from photoscan.limits import MAX_FILE_BYTES, MAX_VIDEO_MEMBER_BYTES, VIDEO_MEMBER_ADVICE
from photoscan.source.fileref import export_member, read_member
from photoscan.source.sniff import HEADER_BYTES, sniff_video

log = logging.getLogger(__name__)

THUMB_SIZE = 192
DEFAULT_CACHE_BYTES = 96 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Decoded:
    """A display image and the size of the full photo in display orientation (face boxes are
    in those coordinates)."""

    image: QImage
    full_width: int
    full_height: int


def read_photo_bytes(root: Path, relpath: str) -> bytes:
    """The bytes of one photo of a folder or of a ``.zip`` export (never extracted to disk;
    ``ZipArchive`` refuses unsafe names and caps what a member may inflate to)."""
    if root.is_file():  # the member's own zip: a Takeout export may come in several parts
        return read_member(export_member(root, relpath), MAX_FILE_BYTES)
    path = root / relpath
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ValueError("photo too large to preview")
    return path.read_bytes()


def decode_file(root: Path, relpath: str, size: int) -> Decoded:
    """The display image of one file of a folder or ``.zip`` export: a photo decoded, or a
    video's poster frame (``images.poster``), told apart by the file's first bytes. A video
    on disk is read by the decoder as it seeks, never whole; one inside a zip is held in
    memory under the cap every video member has (``limits.MAX_VIDEO_MEMBER_BYTES``)."""
    if root.is_file():
        ref = export_member(root, relpath)
        if sniff_video(read_member(ref, HEADER_BYTES, truncate=True)) is None:
            return decode(read_member(ref, MAX_FILE_BYTES), size, relpath)
        try:
            data = read_member(ref, MAX_VIDEO_MEMBER_BYTES)
        except FileTooLarge:
            raise FileTooLarge(
                VIDEO_MEMBER_ADVICE.format(mb=MAX_VIDEO_MEMBER_BYTES >> 20)
            ) from None
        return decode_video(io.BytesIO(data), size)
    path = root / relpath
    with open(path, "rb") as fh:  # once: a photo's head is the start of its bytes
        head = fh.read(HEADER_BYTES)
        if sniff_video(head) is None:
            if os.fstat(fh.fileno()).st_size > MAX_FILE_BYTES:
                raise ValueError("photo too large to preview")
            return decode(head + fh.read(), size, relpath)
    return decode_video(path, size)


def decode_video(source: Path | BinaryIO, size: int) -> Decoded:
    """A video's poster frame at most ``size`` on its long side; the full size is the
    video's displayed size (the pixels its faces' boxes are in)."""
    frame = poster_frame(source, size)
    pixels = frame.pixels
    height, width = pixels.shape[:2]
    image = QImage(pixels.data, width, height, width * 3, QImage.Format.Format_RGB888)
    return Decoded(image.copy(), frame.size[0], frame.size[1])  # copy: own the pixels


def decode(data: bytes, size: int, name: str = "") -> Decoded:
    """Decode to at most ``size`` pixels on the long side, EXIF orientation applied.

    A RAW or DNG photo (told from TIFF by ``name``) shows the embedded preview its faces
    were looked for in, and its full size is the photo's, so face boxes land where they
    belong (Pillow alone would show a TIFF-based RAW's 160-pixel IFD0 thumbnail).
    """
    preview = preview_for(data, name) if name else None
    with open_image(data if preview is None else preview.jpeg) as im:
        width, height = im.size
        orientation = im.getexif().get(0x0112, 1)
        if im.format == "JPEG":
            im.draft("RGB", (size, size))  # DCT scaling: decodes 1/2..1/8 size, much faster
        if im.format != "PSD":  # a PSD's frames are its layers, from 1; frame 0 is invalid
            im.seek(0)
        if preview is None:
            shown = ImageOps.exif_transpose(im)
        else:
            shown, orientation = upright(im, preview.orientation)
        if orientation in ROTATING:
            width, height = height, width
        if preview is not None:
            width, height = photo_frame(
                (width, height), preview.photo_size, orientation in ROTATING
            )
        shown.thumbnail((size, size), Image.Resampling.LANCZOS)
        rgba = shown.convert("RGBA")
    raw = rgba.tobytes()
    image = QImage(raw, rgba.width, rgba.height, rgba.width * 4, QImage.Format.Format_RGBA8888)
    return Decoded(image.copy(), width, height)  # copy: own the pixels, not Python's buffer


class _Signals(QObject):
    decoded = Signal(int, str, int, object)  # generation, path, size, Decoded | None


class _DecodeTask(QRunnable):
    def __init__(
        self, signals: _Signals, generation: int, root: Path, path: str, size: int
    ) -> None:
        super().__init__()
        self._signals, self._generation = signals, generation
        self._root, self._path, self._size = root, path, size

    def run(self) -> None:
        result: Decoded | None
        try:
            result = decode_file(self._root, self._path, self._size)
        except (
            OSError,
            EOFError,  # Pillow on a damaged multi-frame file, pillow-heif on a truncated one
            ValueError,
            KeyError,
            PhotoscanError,
            UnidentifiedImageError,
        ) as exc:
            log.info("no preview for a file: %s", type(exc).__name__)  # no names: privacy
            result = None
        except Image.DecompressionBombError:
            log.info("no preview for a photo: too many pixels")
            result = None
        self._signals.decoded.emit(self._generation, self._path, self._size, result)


class ThumbnailLoader(QObject):
    """Asynchronous, cached thumbnails for the photos of one root folder."""

    thumbnail_ready = Signal(str, int)  # path, size

    def __init__(
        self,
        pool: QThreadPool | None = None,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool(self)
        if pool is None:
            self._pool.setMaxThreadCount(2)
        self._signals = _Signals(self)
        self._signals.decoded.connect(self._on_task_decoded)
        self._cache: OrderedDict[tuple[str, int], tuple[QPixmap, int, int, int]] = OrderedDict()
        self._cache_bytes, self._limit = 0, cache_bytes
        self._pending: set[tuple[str, int]] = set()
        self._failed: set[tuple[str, int]] = set()
        self._root: Path | None = None
        self._generation = 0
        self._priority = 0

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def cache_bytes(self) -> int:
        return self._cache_bytes

    def set_root(self, root: Path | None) -> None:
        """Switch folders: forget the old thumbnails and ignore any still being decoded."""
        self._generation += 1
        self._pool.clear()  # queued, not yet started
        self._root = root
        self._cache.clear()
        self._cache_bytes = 0
        self._pending.clear()
        self._failed.clear()

    def pixmap(self, path: str, size: int = THUMB_SIZE) -> QPixmap | None:
        """The cached image, or None after queuing a decode (``thumbnail_ready`` follows)."""
        key = (path, size)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit[0]
        if key not in self._pending and key not in self._failed and self._root is not None:
            self._pending.add(key)
            self._priority += 1
            task = _DecodeTask(self._signals, self._generation, self._root, path, size)
            self._pool.start(task, min(self._priority, 2**31 - 1))
        return None

    def full_size(self, path: str, size: int) -> QSize | None:
        hit = self._cache.get((path, size))
        return None if hit is None else QSize(hit[1], hit[2])

    def is_failed(self, path: str, size: int = THUMB_SIZE) -> bool:
        return (path, size) in self._failed

    def wait_idle(self, msecs: int = -1) -> bool:
        """For tests and shutdown: wait for running decodes."""
        return bool(self._pool.waitForDone(msecs))

    @Slot(int, str, int, object)
    def _on_task_decoded(self, generation: int, path: str, size: int, result: object) -> None:
        if generation != self._generation:
            return  # a request for a folder that is no longer open
        key = (path, size)
        self._pending.discard(key)
        if not isinstance(result, Decoded):
            self._failed.add(key)
            self.thumbnail_ready.emit(path, size)
            return
        pixmap = QPixmap.fromImage(result.image)
        cost = max(1, result.image.sizeInBytes())
        self._cache[key] = (pixmap, result.full_width, result.full_height, cost)
        self._cache_bytes += cost
        while self._cache_bytes > self._limit and len(self._cache) > 1:
            _, (_, _, _, old_cost) = self._cache.popitem(last=False)
            self._cache_bytes -= old_cost
        self.thumbnail_ready.emit(path, size)
