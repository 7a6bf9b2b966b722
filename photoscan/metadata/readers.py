"""Metadata of one image: ``extract(source) -> Extraction``; ``.xmp`` sidecars too.

Imported late through ``photoscan.metadata`` (its ``__getattr__``): loading every reader
costs ~0.25 s, which a video strip or a cached rescan never needs.

``READERS`` is the explicit registry: per format, the steps that read it, in order. The
first step walks the container (``CorruptFile`` when even its root is unreadable) and
collects the raw blocks; the others decode those blocks (EXIF before XMP, so an EXIF
position wins over an XMP one). Every later step is guarded: a damaged block costs a
warning in plain words, never the rest of the file. Nothing here decodes pixels.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, field

from photoscan.containers import bigtiff
from photoscan.errors import CorruptFile, PhotoscanError, UnsupportedFormat
from photoscan.metadata import icc
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.blocks import Blocks
from photoscan.metadata.bmp import read_bmp
from photoscan.metadata.exif import exif, iptc
from photoscan.metadata.gif import read_gif
from photoscan.metadata.heif import read_heif
from photoscan.metadata.jp2 import read_jp2
from photoscan.metadata.jpeg import exv_as_jpeg, read_jpeg
from photoscan.metadata.jxl import read_jxl
from photoscan.metadata.png import read_png
from photoscan.metadata.psd import read_psd
from photoscan.metadata.raw.raw import read_raw, tiff_based
from photoscan.metadata.thumbs import thumbnails
from photoscan.metadata.tiff import read_tiff
from photoscan.metadata.webp import read_webp
from photoscan.metadata.xmp import xmp
from photoscan.metadata.xmp.rdf import XmpError
from photoscan.model import Extraction, FindingKind, ImageFormat, Severity

__all__ = ["READERS", "Source", "extract", "extract_kinds", "read_sidecar_xmp"]


@dataclass(slots=True)
class _File:
    """One file being read: its source, what was found, and the blocks still to decode."""

    source: Source
    col: Collector
    blocks: Blocks = field(default_factory=Blocks)
    kinds_only: bool = False  # the caller needs the finding kinds, not every detail


Step = Callable[[_File], None]


def _container(walk: Callable[[Source, Collector], Blocks]) -> Step:
    def step(file: _File) -> None:
        file.blocks = walk(file.source, file.col)

    step.__name__ = f"container:{walk.__name__}"
    return step


def _tiff(file: _File) -> None:
    """TIFF; a BigTIFF is read as its classic view (same offsets, ``containers.bigtiff``)."""
    if bigtiff.is_bigtiff(file.source.data):
        source = file.source
        file.source = Source(
            source.name, bigtiff.classic_view(source.data), source.fmt, source.label
        )
    file.blocks = read_tiff(file.source, file.col)


def _exv(file: _File) -> None:
    """An Exiv2 metadata file is read as the JPEG header it holds (the result keeps EXV)."""
    file.source = exv_as_jpeg(file.source)
    file.blocks = read_jpeg(file.source, file.col)


def _bmp(file: _File) -> None:
    file.col.width, file.col.height = read_bmp(file.source.data)


def _exif_blocks(file: _File) -> None:
    for block in file.blocks.exif:
        _guarded(file.col, "EXIF block", exif.read_exif_block, block, file.col)


def _exif_file(file: _File) -> None:
    exif.read_exif(file.source, file.col)


def _iptc(file: _File) -> None:
    for irb in file.blocks.irb:
        iim = iptc.iim_from_photoshop_irb(irb)
        if iim:
            _guarded(file.col, "IPTC block", iptc.read_iptc, iim, file.col)
    for iim in file.blocks.iptc:
        _guarded(file.col, "IPTC block", iptc.read_iptc, iim, file.col)


def _xmp(file: _File) -> None:
    for packet in file.blocks.xmp:
        try:
            xmp.read_xmp(packet, file.col)
        except XmpError as exc:
            file.col.warn(str(exc))
        except RecursionError:
            file.col.warn("XMP packet is nested too deeply; not read")


def _icc(file: _File) -> None:
    for profile in file.blocks.icc:
        _guarded(file.col, "ICC profile", icc.read_icc, profile, file.col)


def _raw_exif(file: _File) -> None:
    """TIFF-based RAWs are read whole; CR3/CRW/RAF/X3F readers handed over EXIF blocks."""
    (_exif_file if tiff_based(file.source.data) else _exif_blocks)(file)


def _raw_thumbnails(file: _File) -> None:
    """The other RAW readers report their previews while walking their containers."""
    if tiff_based(file.source.data):
        _thumbnails(file)


def _thumbnails(file: _File) -> None:
    source = file.source
    kinds_only = file.kinds_only
    thumbnails.read_thumbnails(source, file.col, compare=not kinds_only, first_only=kinds_only)
    if source.fmt in _EXIF_IN_BLOCKS and exif.locate_tiff(source.data, source.fmt) is None:
        # EXIF the thumbnail reader cannot find in the file (an ImageMagick PNG text chunk,
        # a Photoshop resource, a JPEG 2000/XL box): hand it each block as a TIFF (no
        # stale-thumbnail check without pixels).
        for block in file.blocks.exif:
            for image in thumbnails.find_embedded(Source(source.name, block, ImageFormat.TIFF)):
                words = thumbnails.describe(image)
                file.col.add(FindingKind.THUMBNAIL, image.field, words, Severity.MEDIUM)


_EXIF_IN_BLOCKS = {ImageFormat.PNG, ImageFormat.PSD, ImageFormat.JP2, ImageFormat.JXL}
_JPEG = _container(read_jpeg)
_TIFF: Step = _tiff
_HEIF = _container(read_heif)

READERS: dict[ImageFormat, tuple[Step, ...]] = {
    ImageFormat.JPEG: (_JPEG, _exif_blocks, _iptc, _xmp, _icc, _thumbnails),
    ImageFormat.EXV: (_exv, _exif_blocks, _iptc, _xmp, _icc, _thumbnails),
    ImageFormat.PNG: (_container(read_png), _exif_blocks, _iptc, _xmp, _icc, _thumbnails),
    ImageFormat.WEBP: (_container(read_webp), _exif_blocks, _xmp, _icc, _thumbnails),
    ImageFormat.GIF: (_container(read_gif), _xmp),
    ImageFormat.TIFF: (_TIFF, _exif_file, _iptc, _xmp, _icc, _thumbnails),
    ImageFormat.DNG: (_TIFF, _exif_file, _iptc, _xmp, _icc, _thumbnails),
    ImageFormat.RAW: (_container(read_raw), _raw_exif, _iptc, _xmp, _raw_thumbnails),
    ImageFormat.HEIF: (_HEIF, _exif_blocks, _xmp, _icc, _thumbnails),
    ImageFormat.AVIF: (_HEIF, _exif_blocks, _xmp, _icc, _thumbnails),
    ImageFormat.BMP: (_bmp,),
    ImageFormat.PSD: (_container(read_psd), _exif_blocks, _iptc, _xmp, _thumbnails),
    ImageFormat.JP2: (_container(read_jp2), _exif_blocks, _iptc, _xmp, _thumbnails),
    ImageFormat.JXL: (_container(read_jxl), _exif_blocks, _xmp, _thumbnails),
}

_STEP_NAMES: dict[Step, str] = {
    _exif_blocks: "EXIF",
    _exif_file: "EXIF",
    _iptc: "IPTC",
    _xmp: "XMP",
    _thumbnails: "embedded thumbnails",
    _raw_exif: "EXIF",
    _icc: "ICC profile",
    _raw_thumbnails: "embedded thumbnails",
}


def extract(source: Source, kinds_only: bool = False) -> Extraction:
    """Everything the metadata of ``source`` gives away.

    Raises ``CorruptFile`` when the container is broken at its root (empty, truncated
    header, no valid segment) and ``UnsupportedFormat`` for a format without readers.
    With ``kinds_only`` the finding kinds are the same but details that cannot change them
    are skipped: an embedded thumbnail is reported without comparing its pixels to the
    photo's (which loads numpy and decodes images: more than the rest of a small file).
    """
    steps = READERS.get(source.fmt)
    if steps is None:
        raise UnsupportedFormat(f"no metadata reader for {source.label or source.fmt.value}")
    if not source.data:
        raise CorruptFile("the file is empty")
    file = _File(source, Collector(source.fmt), kinds_only=kinds_only)
    container, *readers = steps
    try:
        container(file)
    except PhotoscanError:
        raise
    except (ValueError, LookupError, ArithmeticError, TypeError, struct.error) as exc:
        raise CorruptFile(f"{source.fmt.value} structure could not be read ({exc})") from None
    for step in readers:
        _guarded(file.col, _STEP_NAMES.get(step, "metadata"), step, file)
    return file.col.build()


def extract_kinds(source: Source) -> Extraction:
    """``extract`` for callers that only use the finding kinds (strip's ``removed`` list)."""
    return extract(source, kinds_only=True)


def read_sidecar_xmp(data: bytes, name: str) -> Extraction:
    """Findings of an ``.xmp`` sidecar file (``format`` is ``XMP``, no size).

    Never raises for bad content: an unreadable sidecar gives an Extraction whose
    ``warnings`` say why, so the photo it belongs to keeps its own findings.
    """
    col = Collector(ImageFormat.XMP)
    try:
        xmp.read_xmp(data, col, gps_source="sidecar")
    except XmpError as exc:
        col.warn(f"{name}: {exc}")
    except RecursionError:
        col.warn(f"{name}: XMP is nested too deeply; not read")
    return col.build()


def _guarded(col: Collector, what: str, func: Callable[..., None], *args: object) -> None:
    """Run one reader; a failure on hostile bytes becomes a warning, not a lost file.

    Third-party parsers (exifread, libheif) raise undocumented exception types on damaged
    input, so this is the one place that catches ``Exception`` broadly; the warning names
    the block and the error type, and the other blocks are still read.
    """
    try:
        func(*args)
    except Exception as exc:
        col.warn(f"{what} could not be read ({type(exc).__name__})")
