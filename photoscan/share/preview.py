"""The share-safe copy of one photo, before anything is written: what the app's share dialog
shows for the current photo (faces covered, pixel size, the copy's name and what was hidden).

The preview is made by the very code that writes copies (``share.made_copy``), so it is the
copy, byte for byte, not an approximation of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from photoscan.images.pillow import open_image
from photoscan.library.store import Library
from photoscan.share import Detector, ShareOptions, default_detector, made_copy
from photoscan.share.names import renamed
from photoscan.strip.plan import Job
from photoscan.strip.types import FileResult
from photoscan.strip.verify import default_extractor

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from photoscan.strip.verify import Extractor


@dataclass(frozen=True, slots=True)
class SharePreview:
    """What ``share`` would make of one photo, computed without writing anything: the
    result it would report (status, reason, faces found and hidden, ``output`` = the copy's
    name) and the copy's exact bytes (None when there would be no copy: see the result's
    reason), with their pixel size."""

    result: FileResult
    data: bytes | None
    width: int = 0
    height: int = 0

    @property
    def name(self) -> str:
        return Path(self.result.output).name if self.result.output else ""


def preview(
    path: Path,
    options: ShareOptions,
    *,
    member: str | None = None,
    index: int = 1,
    detect: Detector | None = None,
    extractor: Extractor | None = None,
) -> SharePreview:
    """The share-safe copy of the photo at ``path`` (or of member ``member`` of the zip
    export ``path``), as ``share`` would write it as the ``index``-th photo of a run. For a
    live preview in the app, off the GUI thread: face detection takes about a second; pass
    ``detect=lambda _data: record.faces`` to reuse the scan's faces (the same detector, in
    the same upright pixel coordinates) and it takes a fraction of that."""
    own = member.rsplit("/", 1)[-1] if member is not None else path.name
    job = Job(str(path), member or path.name, dest=own, member=member)
    dest = renamed(Path(), index, own) if options.rename else Path(own)
    detector = detect if detect is not None else default_detector()
    reader = extractor if extractor is not None else default_extractor()
    with Library(create=False) as library:  # the parent's decisions, as a share applies them
        result, data = made_copy(job, dest, options, detector, reader, library)
    if data is None:
        return SharePreview(result, None)
    try:
        with open_image(data) as img:
            width, height = img.size
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        width = height = 0
    return SharePreview(result, data, width, height)
