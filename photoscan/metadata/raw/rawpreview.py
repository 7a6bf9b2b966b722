"""What the non-TIFF RAW readers (CR3, CRW, RAF, X3F) share: previews and embedded JPEGs.

These containers keep their previews at offsets of their own, so the thumbnail reader
(which follows TIFF and JPEG structures) cannot see them: each reader reports them here, as
``thumbnail`` findings worded like every other embedded image. RAF and X3F also keep the
photo's EXIF inside an embedded JPEG; ``read_embedded_jpeg`` hands it to the JPEG path, so
EXIF, maker notes (Fujifilm, Sigma) and the JPEG's own thumbnail come out as for any JPEG.
"""

from __future__ import annotations

from photoscan.errors import CorruptFile
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.blocks import Blocks
from photoscan.metadata.jpeg import read_jpeg
from photoscan.metadata.thumbs import thumbcompare, thumbnails
from photoscan.model import FindingKind, ImageFormat, Severity

JPEG_SOI = b"\xff\xd8"


def report_image(
    col: Collector,
    field: str,
    what: str,
    blob: bytes,
    size: tuple[int, int] | None = None,
    nbytes: int | None = None,
) -> None:
    """A ``thumbnail`` finding for one embedded image (JPEG or not; empty: nothing).

    ``blob`` may be just the start of the image (its header gives the size) when ``nbytes``
    says how long it really is: a reader need not copy a large preview only to name it.
    """
    if not blob:
        return
    jpeg = blob if blob[:2] == JPEG_SOI else None
    if jpeg is not None:
        size = thumbcompare.jpeg_size(jpeg) or size
    image = thumbnails.Embedded(field, what, jpeg, size, nbytes or len(blob))
    col.add(FindingKind.THUMBNAIL, field, thumbnails.describe(image), Severity.MEDIUM)


def read_embedded_jpeg(name: str, jpeg: bytes, col: Collector) -> Blocks:
    """The metadata blocks of a preview JPEG inside a RAW, plus its own embedded images.

    The preview's pixel size is not the photo's, so the collector's size is kept as it was;
    a preview too damaged to walk costs a warning, not the RAW file.
    """
    if jpeg[:2] != JPEG_SOI:
        return Blocks()
    size = (col.width, col.height)
    col.width = col.height = None
    try:
        blocks = read_jpeg(Source(name, jpeg, ImageFormat.JPEG), col)
    except CorruptFile as exc:
        col.warn(f"embedded preview JPEG could not be read ({exc})")
        blocks = Blocks()
    col.width, col.height = size
    for image in thumbnails.find_embedded(Source(name, jpeg, ImageFormat.JPEG)):
        words = thumbnails.describe(image)
        col.add(FindingKind.THUMBNAIL, image.field, words, Severity.MEDIUM)
    return blocks
