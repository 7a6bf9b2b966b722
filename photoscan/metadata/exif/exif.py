"""EXIF (IFD0, ExifIFD, GPS) → findings, decoded by exifread; maker notes via ``makernotes``.

exifread decodes the entries photoscan maps (``exifread_bridge``: over the bytes, only the
wanted tags). Its own maker-note pass is not used: it reads a large MakerNote one byte per
seek (milliseconds per photo) and knows only some vendors — ``makernotes`` reads the vendor
tags that matter straight from the bytes. Tags are mapped by numeric ID to ExifTool's names,
so a finding says ``EXIF:SerialNumber`` whichever spelling exifread uses. GPS becomes signed
decimal degrees (refs S/W negative; 0/0, NaN, out of range: an "invalid" finding). A broken
directory costs a warning, never the rest of the file.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from typing import Any

from photoscan.containers.tiff import TiffReader
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.exif import makernotes
from photoscan.metadata.exif.exiflocate import jpeg_exif_offset, locate_tiff
from photoscan.metadata.exif.exifread_bridge import READ_ERRORS, exifread_tags, silence_exifread
from photoscan.metadata.exif.makernotes import CAMERA_DEFAULT_TEXT
from photoscan.model import FindingKind, ImageFormat, Severity
from photoscan.printable import decode_text

__all__ = ["locate_tiff", "read_exif", "read_exif_block", "tiff_image_size"]  # locate_tiff: API

K = FindingKind
S = Severity

# (tag id) -> (ExifTool name, kind, severity) for IFD0 and the Exif IFD
_TAGS: dict[int, tuple[str, FindingKind, Severity]] = {
    0x010D: ("DocumentName", K.TEXT, S.LOW),
    0x010E: ("ImageDescription", K.TEXT, S.MEDIUM),
    0x010F: ("Make", K.CAMERA, S.LOW),
    0x0110: ("Model", K.CAMERA, S.LOW),
    0x0131: ("Software", K.SOFTWARE, S.INFO),
    0x0132: ("ModifyDate", K.DATETIME, S.LOW),
    0x013B: ("Artist", K.PERSON, S.HIGH),
    0x013C: ("HostComputer", K.DEVICE, S.MEDIUM),
    0x8298: ("Copyright", K.PERSON, S.LOW),  # as the XMP reader: often an agency
    0x9C9B: ("XPTitle", K.TEXT, S.LOW),
    0x9C9C: ("XPComment", K.TEXT, S.MEDIUM),
    0x9C9D: ("XPAuthor", K.PERSON, S.HIGH),
    0x9C9E: ("XPKeywords", K.TEXT, S.LOW),
    0x9C9F: ("XPSubject", K.TEXT, S.LOW),
    0x9003: ("DateTimeOriginal", K.DATETIME, S.LOW),
    0x9004: ("CreateDate", K.DATETIME, S.LOW),
    0x9010: ("OffsetTime", K.DATETIME, S.LOW),
    0x9011: ("OffsetTimeOriginal", K.DATETIME, S.LOW),
    0x9211: ("ImageNumber", K.DEVICE, S.LOW),
    0xA420: ("ImageUniqueID", K.DEVICE, S.MEDIUM),
    0xA430: ("OwnerName", K.PERSON, S.HIGH),
    0xA431: ("SerialNumber", K.DEVICE, S.HIGH),
    0xA433: ("LensMake", K.CAMERA, S.LOW),
    0xA434: ("LensModel", K.CAMERA, S.LOW),
    0xA435: ("LensSerialNumber", K.DEVICE, S.HIGH),
    0xFDE8: ("OwnerName", K.PERSON, S.HIGH),
    0xFDE9: ("SerialNumber", K.DEVICE, S.HIGH),
    0xC614: ("UniqueCameraModel", K.CAMERA, S.LOW),
    0xC62F: ("CameraSerialNumber", K.DEVICE, S.HIGH),
    0xC65D: ("RawDataUniqueID", K.DEVICE, S.MEDIUM),
}
_XP_TAGS = {0x9C9B, 0x9C9C, 0x9C9D, 0x9C9E, 0x9C9F}
_HEX_TAGS = {0xC65D}  # DNG RawDataUniqueID: 16 raw bytes, shown as hex (as ExifTool does)
_GPS_TEXT: dict[int, tuple[str, FindingKind, Severity]] = {
    0x0007: ("GPSTimeStamp", K.DATETIME, S.LOW),
    0x001D: ("GPSDateStamp", K.DATETIME, S.LOW),
    0x0011: ("GPSImgDirection", K.LOCATION, S.LOW),
    0x001B: ("GPSProcessingMethod", K.LOCATION, S.LOW),
    0x001C: ("GPSAreaInformation", K.LOCATION, S.MEDIUM),
}
_TIFF_FORMATS = {ImageFormat.TIFF, ImageFormat.DNG, ImageFormat.RAW}
_WANTED = frozenset(_TAGS) | {0x8769, 0x8825, 0xA002, 0xA003}  # + Exif/GPS pointers, pixel size


def read_exif(source: Source, col: Collector) -> None:
    """EXIF of a whole file (JPEG, TIFF/DNG/RAW, HEIF, WebP, PNG eXIf) into ``col``."""
    data = source.data
    offset = locate_tiff(data, source.fmt)
    if offset is None:
        return
    whole_tiff = source.fmt in _TIFF_FORMATS
    _read_at(data, offset, col, "EXIF")
    if whole_tiff:
        # a plain TIFF's own directory is authoritative (EXIF sizes go stale on resizing);
        # RAW files state the developed size in EXIF and the sensor size in the structure
        if col.width is None or source.fmt is ImageFormat.TIFF:
            reader = TiffReader(data, offset, data[offset : offset + 2] == b"II")
            size = tiff_image_size(reader)
            if size is not None:
                col.width, col.height = size
        _read_embedded_jpeg(data, offset, col)


def _read_embedded_jpeg(data: bytes, offset: int, col: Collector) -> None:
    """Panasonic RW2 keeps its full EXIF (and maker notes) in the JpgFromRaw tag of IFD0."""
    reader = TiffReader(data, offset, data[offset : offset + 2] == b"II")
    chain = reader.ifd_chain(limit=1)
    entry = reader.entries(chain[0]).get(0x002E) if chain else None
    if entry is None:
        return
    jpeg = reader.raw(entry)
    inner = jpeg_exif_offset(jpeg) if jpeg[:2] == b"\xff\xd8" else None
    if inner is not None:
        size = (col.width, col.height)  # the preview's size is not the photo's
        _read_at(jpeg, inner, col, "EXIF")
        col.width, col.height = size


def read_exif_block(tiff_bytes: bytes, col: Collector, group: str = "EXIF") -> None:
    """EXIF of a bare TIFF block (PNG eXIf, WebP EXIF, HEIF Exif item, APP1 minus header)."""
    start = tiff_bytes.find(b"II*\x00", 0, 16)
    if start < 0:
        start = tiff_bytes.find(b"MM\x00*", 0, 16)
    if start < 0:
        col.warn(f"{group}: no TIFF header in the EXIF block")
        return
    _read_at(tiff_bytes, start, col, group)


def _read_at(data: bytes, offset: int, col: Collector, group: str) -> None:
    silence_exifread()
    if data[offset + 2 : offset + 4] in (b"\x00\x2b", b"\x2b\x00"):
        col.warn(f"{group}: BigTIFF directories are not read")
        return
    reader = TiffReader(data, offset, data[offset : offset + 2] == b"II")
    tags: dict[str, Any] = {}
    try:
        tags = exifread_tags(reader, col, group, _WANTED)
    except READ_ERRORS as exc:
        col.warn(f"{group}: damaged EXIF block ({type(exc).__name__})")
    _findings_from_tags(tags, col, group)
    try:
        _user_comment(reader, col, group)
        makernotes.read_makernotes(reader, col)
    except (struct.error, ValueError, IndexError) as exc:
        col.warn(f"MakerNotes: damaged ({type(exc).__name__})")


_COMMENT_CODES = {b"ASCII\x00\x00\x00": "ascii", b"UNICODE\x00": "utf-16", b"\x00" * 8: "ascii"}


def _user_comment(reader: TiffReader, col: Collector, group: str) -> None:
    """UserComment (0x9286): an 8-byte charset code, then the text (exifread skips it)."""
    chain = reader.ifd_chain(limit=1)
    if not chain:
        return
    exif_ifd = reader.sub_ifd(reader.entries(chain[0]), 0x8769)
    entry = reader.entries(exif_ifd).get(0x9286) if exif_ifd else None
    if entry is None or entry.size <= 8:
        return
    raw = reader.raw(entry)
    code = _COMMENT_CODES.get(raw[:8])
    if code == "utf-16":
        utf16 = "utf-16-le" if reader.order == "<" else "utf-16-be"
        text = raw[8:].decode(utf16, "replace").split("\x00", 1)[0]
    elif code == "ascii":
        text = _decode(raw[8:])
    else:
        return  # JIS or unknown: not worth guessing
    if not _placeholder(K.TEXT, text):
        col.add(K.TEXT, f"{group}:UserComment", text.strip(), S.MEDIUM)


_CAMERA_SUFFIXES = ("digital camera", "digital still camera")


def _placeholder(kind: FindingKind, value: str) -> bool:
    """Zero serials, "0000:00:00" dates, a camera's default description and its model name in
    a person field are what cameras write when they know nothing."""
    if kind is K.DEVICE:
        return not value.strip("0 ")
    if kind is K.DATETIME:
        return value.startswith("0000:00:00")
    if kind is K.TEXT:
        return value.strip().lower() in CAMERA_DEFAULT_TEXT
    if kind is K.PERSON:  # Kodak: Copyright "KODAK DC3400 ZOOM DIGITAL CAMERA"
        low = value.strip().lower()
        return low in CAMERA_DEFAULT_TEXT or low.endswith(_CAMERA_SUFFIXES)
    return False


def _decode(raw: bytes) -> str:
    """EXIF ASCII is often Latin-1 or Windows-1252 in practice; UTF-8 when it decodes."""
    return decode_text(raw.split(b"\x00", 1)[0]).strip()


def _text(tag: Any) -> str:
    values = tag.values
    if isinstance(values, str):
        return values.strip()
    if isinstance(values, bytes):
        return _decode(values)
    if (
        isinstance(values, list)
        and tag.field_type in (1, 7)  # BYTE / UNDEFINED holding text
        and all(isinstance(v, int) for v in values)
    ):
        return _decode(bytes(v & 0xFF for v in values))
    return str(tag.printable).strip()


def _xp_text(tag: Any) -> str:
    values = tag.values
    if isinstance(values, list):
        raw = bytes(v & 0xFF for v in values if isinstance(v, int))
        return raw.decode("utf-16-le", "replace").split("\x00", 1)[0].strip()
    return _text(tag)


def _findings_from_tags(tags: dict[str, Any], col: Collector, group: str) -> None:
    gps: dict[int, Any] = {}
    for key, tag in tags.items():
        ifd, _, _name = key.partition(" ")
        tag_id = getattr(tag, "tag", None)
        if not isinstance(tag_id, int):
            continue
        if ifd == "GPS":
            gps[tag_id] = tag
            continue
        if ifd not in ("Image", "EXIF"):
            continue
        spec = _TAGS.get(tag_id)
        if spec is None:
            continue
        name, kind, severity = spec
        value = _xp_text(tag) if tag_id in _XP_TAGS else _text(tag)
        if tag_id in _HEX_TAGS and isinstance(tag.values, list):
            value = bytes(v & 0xFF for v in tag.values if isinstance(v, int)).hex()
        if not _placeholder(kind, value):
            col.add(kind, f"{group}:{name}", value, severity)
    if col.width is None:
        _set_size(tags, col)
    if gps:
        _gps_findings(gps, col, group)


def _first_int(tags: dict[str, Any], key: str) -> int | None:
    tag = tags.get(key)
    if tag is None or not isinstance(tag.values, list) or not tag.values:
        return None
    value = tag.values[0]
    return value if isinstance(value, int) and 0 < value < 1_000_000 else None


def _set_size(tags: dict[str, Any], col: Collector) -> None:
    w = _first_int(tags, "EXIF ExifImageWidth")
    h = _first_int(tags, "EXIF ExifImageLength")
    if w is not None and h is not None:
        col.width, col.height = w, h


def tiff_image_size(reader: TiffReader) -> tuple[int, int] | None:
    """The full-resolution image of a TIFF-based file: the largest IFD or SubIFD that is not
    a reduced-resolution copy (RAW files keep a thumbnail in IFD0 and the sensor data in a
    SubIFD); Panasonic RW2 states its sensor size in IFD0 tags 2 and 3 instead."""
    chain = reader.ifd_chain(limit=4)
    if not chain:
        return None
    ifd0 = reader.entries(chain[0])
    if reader.u16(reader.base + 2) == 0x55 and 0x0002 in ifd0 and 0x0003 in ifd0:
        w, h = reader.ints(ifd0[0x0002]), reader.ints(ifd0[0x0003])
        return (w[0], h[0]) if w and h and w[0] and h[0] else None
    subs = reader.ints(ifd0[0x014A])[:8] if 0x014A in ifd0 else ()
    best: tuple[int, int] | None = None
    for ifd in [*chain, *subs]:
        entries = reader.entries(ifd)
        kind = reader.ints(entries[0x00FE]) if 0x00FE in entries else (0,)
        if not kind or kind[0] & 1 or 0x0100 not in entries or 0x0101 not in entries:
            continue
        w, h = reader.ints(entries[0x0100]), reader.ints(entries[0x0101])
        plausible = w and h and 0 < w[0] < 1_000_000 and 0 < h[0] < 1_000_000
        if plausible and (best is None or w[0] * h[0] > best[0] * best[1]):
            best = (w[0], h[0])
    return best


def _floats(tag: Any) -> list[float]:
    out: list[float] = []
    values = tag.values if isinstance(tag.values, list) else []
    for v in values[:3]:
        if isinstance(v, tuple):  # exifread wraps floats in 1-tuples
            v = v[0] if v else float("nan")
        try:
            out.append(float(v))
        except (ZeroDivisionError, TypeError, ValueError):
            out.append(float("nan"))
    return out


def _dms(tag: Any) -> float:
    parts = _floats(tag)
    if not parts:
        return float("nan")
    while len(parts) < 3:
        parts.append(0.0)
    return parts[0] + parts[1] / 60.0 + parts[2] / 3600.0


def _ref(tags: dict[int, Any], tag_id: int) -> str:
    tag = tags.get(tag_id)
    return _text(tag).upper()[:1] if tag is not None else ""


def _gps_findings(gps: dict[int, Any], col: Collector, group: str) -> None:
    add: Callable[[FindingKind, str, object, Severity], None] = col.add
    for tag_id, (name, kind, severity) in _GPS_TEXT.items():
        if tag_id in gps:
            value = _text(gps[tag_id])
            if tag_id == 0x0007:
                value = ":".join(f"{v:02.0f}" for v in _floats(gps[tag_id]))
            elif tag_id == 0x0011:
                value = ", ".join(f"{v:.1f}°" for v in _floats(gps[tag_id])[:1])
            if tag_id == 0x001B or tag_id == 0x001C:
                value = value.removeprefix("ASCII").strip("\x00 ")
            add(kind, f"{group}:{name}", value, severity)
    if 0x0002 not in gps or 0x0004 not in gps:
        return
    lat = _dms(gps[0x0002])
    lon = _dms(gps[0x0004])
    if _ref(gps, 0x0001) == "S":
        lat = -lat
    if _ref(gps, 0x0003) == "W":
        lon = -lon
    altitude: float | None = None
    if 0x0006 in gps:
        alt = _floats(gps[0x0006])
        if alt and math.isfinite(alt[0]):
            altitude = round(-alt[0] if _ref_byte(gps.get(0x0005)) == 1 else alt[0], 2)
    if col.add_gps(lat, lon, "exif", altitude, field_name=f"{group}:GPS"):
        add(K.LOCATION, f"{group}:GPSLatitude", f"{lat:.6f}", S.HIGH)
        add(K.LOCATION, f"{group}:GPSLongitude", f"{lon:.6f}", S.HIGH)
        if altitude is not None:
            add(K.LOCATION, f"{group}:GPSAltitude", f"{altitude:.1f} m", S.MEDIUM)


def _ref_byte(tag: Any) -> int:
    if tag is None or not isinstance(tag.values, list) or not tag.values:
        return 0
    value = tag.values[0]
    return value if isinstance(value, int) else 0
