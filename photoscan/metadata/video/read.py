"""One entry point for every video container: ``read_video``.

The container is sniffed from the file's first bytes (never its name) and read by its
reader in the ``READERS`` table. Readers take a ``bmff.Reader`` (positioned reads), so the
same code reads a file on disk, a zip member in memory, and a stripped copy read back.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import BinaryIO

from photoscan.containers.bmff import FileReader, Reader
from photoscan.errors import UnsupportedFormat
from photoscan.metadata.video.quicktime import read_bmff
from photoscan.metadata.video.types import VideoExtraction
from photoscan.model import ImageFormat
from photoscan.source.sniff import BMFF_FORMATS, HEADER_BYTES, sniff_video

VideoReader = Callable[[Reader, str], VideoExtraction]


def _on_first_read(module: str) -> VideoReader:
    """The reader ``read_<format>`` of ``photoscan.metadata.video.<module>``, imported when
    it first reads a file: a run of MP4s (a strip's start-up) never loads the RIFF, EBML and
    transport-stream code."""

    def read(reader: Reader, name: str) -> VideoExtraction:
        found = importlib.import_module(f"photoscan.metadata.video.{module}")
        func: VideoReader = getattr(found, f"read_{module}")
        return func(reader, name)

    read.__name__ = read.__qualname__ = f"read_{module}"
    return read


_BMFF: dict[ImageFormat, VideoReader] = {fmt: read_bmff for fmt in BMFF_FORMATS}
READERS: dict[ImageFormat, VideoReader] = _BMFF | {
    ImageFormat.AVI: _on_first_read("avi"),
    ImageFormat.MKV: _on_first_read("mkv"),
    ImageFormat.MTS: _on_first_read("mts"),
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
