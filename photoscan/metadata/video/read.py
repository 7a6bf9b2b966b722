"""One entry point for every video container: ``read_video``.

The container is sniffed from the file's first bytes (never its name) and read by its
reader in the ``READERS`` table. Readers take a ``bmff.Reader`` (positioned reads), so the
same code reads a file on disk, a zip member in memory, and a stripped copy read back.
"""

from __future__ import annotations

from photoscan.containers.bmff import FileReader, Reader
from photoscan.errors import UnsupportedFormat
from photoscan.lazy import on_first_call
from photoscan.metadata.video.quicktime import read_bmff
from photoscan.metadata.video.types import VideoExtraction
from photoscan.model import ImageFormat
from photoscan.source.sniff import BMFF_FORMATS, HEADER_BYTES, sniff_video

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:  # collections.abc imports the collections package (start-up)
    from collections.abc import Callable
    from typing import BinaryIO

    VideoReader = Callable[[Reader, str], VideoExtraction]


_BMFF: dict[ImageFormat, VideoReader] = {fmt: read_bmff for fmt in BMFF_FORMATS}
READERS: dict[ImageFormat, VideoReader] = _BMFF | {
    ImageFormat.AVI: on_first_call("photoscan.metadata.video.avi", "read_avi"),
    ImageFormat.MKV: on_first_call("photoscan.metadata.video.mkv", "read_mkv"),
    ImageFormat.MTS: on_first_call("photoscan.metadata.video.mts", "read_mts"),
}


def container_of(reader: Reader, name: str) -> ImageFormat:
    """The video container of the file ``reader`` reads; ``UnsupportedFormat`` otherwise."""
    fmt = sniff_video(reader.read_at(0, HEADER_BYTES))
    if fmt is None:
        raise UnsupportedFormat(f"{name}: not a video photoscan reads")
    return fmt


def read_video(source: BinaryIO | int, name: str) -> VideoExtraction:
    """What the metadata of the video open as ``source`` (a binary file or a descriptor)
    gives away; ``name`` is for messages.

    Raises ``UnsupportedFormat`` for a file that is not a known video container and
    ``CorruptFile`` (naming the file) when its structure is broken.
    """
    return read_video_at(FileReader(source), name)


def read_video_at(reader: Reader, name: str) -> VideoExtraction:
    """``read_video`` of the file ``reader`` reads."""
    return READERS[container_of(reader, name)](reader, name)
