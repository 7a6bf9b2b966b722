"""Sigma/Foveon X3F: header, section directory, properties and JPEG previews.

The header ("FOVb", little-endian) gives a unique image id and the image size (version 4
headers, Quattro and later, keep the size 12 bytes further and no id there); the last
four bytes of the file point at the directory ("SECd": a count of (offset, length, type)
records). A PROP section is a list of UTF-16 name=value properties: the camera's serial
number (CAMSERIAL), make and model, a name the owner may have given it (CAMNAME). IMAG/IMA2
sections hold images: type 2 is a processed preview (format 18: JPEG, whose EXIF holds the
Sigma maker notes, so it goes through the JPEG path); the raw sensor data is not read.
"""

from __future__ import annotations

import struct

from photoscan.errors import CorruptFile
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.blocks import Blocks
from photoscan.metadata.raw.rawpreview import read_embedded_jpeg, report_image
from photoscan.model import FindingKind, Severity

X3F_MAGIC = b"FOVb"
MAX_SECTIONS = 64
MAX_PROPERTIES = 512
MAX_PROPERTY_CHARS = 1 << 16
MAX_PROPERTY_BYTES = 24 + 8 * MAX_PROPERTIES + 2 * MAX_PROPERTY_CHARS
MAX_PREVIEWS = 8  # cameras write two or three
PREVIEW_HEAD = 1 << 16  # enough of a JPEG to find its size
_JPEG_FORMAT = 18
K, S = FindingKind, Severity
_PROPERTIES: dict[str, tuple[str, FindingKind, Severity]] = {
    "CAMSERIAL": ("SerialNumber", K.DEVICE, S.HIGH),
    "CAMNAME": ("CameraName", K.DEVICE, S.MEDIUM),
    "CAMMANUF": ("Make", K.CAMERA, S.LOW),
    "CAMMODEL": ("Model", K.CAMERA, S.LOW),
    "LENSMODEL": ("LensModel", K.CAMERA, S.LOW),
    "IMAGEBOARDID": ("ImageBoardID", K.DEVICE, S.LOW),
    "SENSORID": ("SensorID", K.DEVICE, S.LOW),
}


def read_x3f(source: Source, col: Collector) -> Blocks:
    data = source.data
    if data[:4] != X3F_MAGIC or len(data) < 52:
        raise CorruptFile("X3F header is missing or truncated")
    (version,) = struct.unpack("<I", data[4:8])
    size_at = 40 if version >> 16 >= 4 else 28  # version 4 (Quattro) headers moved the size
    unique_id = data[8:24]
    if size_at == 28 and unique_id.strip(b"\x00"):
        col.add(K.DEVICE, "X3F:ImageUniqueID", unique_id.hex(), S.MEDIUM)
    width, height = struct.unpack("<II", data[size_at : size_at + 8])
    if 0 < width < 1_000_000 and 0 < height < 1_000_000:
        col.width, col.height = width, height
    (directory,) = struct.unpack("<I", data[-4:])
    if data[directory : directory + 4] != b"SECd" or directory + 12 > len(data):
        col.warn("X3F: the section directory is missing or damaged")
        return Blocks()
    (count,) = struct.unpack("<I", data[directory + 8 : directory + 12])
    blocks = Blocks()
    view = memoryview(data)  # sections may overlap: slice without copying
    previews = 0
    for i in range(min(count, MAX_SECTIONS)):
        entry = directory + 12 + 12 * i
        if entry + 12 > len(data):
            col.warn("X3F: the section directory is truncated")
            break
        start, length, kind = struct.unpack("<II4s", data[entry : entry + 12])
        section = view[start : start + length]
        if kind == b"PROP":
            _properties(bytes(section[:MAX_PROPERTY_BYTES]), col)
        elif kind in (b"IMAG", b"IMA2") and previews < MAX_PREVIEWS and _is_preview(section):
            previews += 1
            read = not blocks.exif  # the first JPEG preview holds the EXIF: copy it whole
            head = bytes(section if read else section[:PREVIEW_HEAD])
            found = _image(source.name, head, len(section), col, read)
            blocks = blocks if blocks.exif else found
    return blocks


def jpeg_spans(data: bytes) -> list[tuple[str, int, int]]:
    """(field, start, length) of the JPEG previews, for ``images.previews``:
    the same directory walk as ``read_x3f``, nothing copied."""
    (directory,) = struct.unpack("<I", data[-4:]) if len(data) >= 4 else (0,)
    if data[directory : directory + 4] != b"SECd" or directory + 12 > len(data):
        return []
    (count,) = struct.unpack("<I", data[directory + 8 : directory + 12])
    view = memoryview(data)
    spans = []
    for i in range(min(count, MAX_SECTIONS)):
        entry = directory + 12 + 12 * i
        if entry + 12 > len(data):
            break
        start, length, kind = struct.unpack("<II4s", data[entry : entry + 12])
        section = view[start : start + length]
        jpeg = len(section) > 28 and bytes(section[12:16]) == struct.pack("<I", _JPEG_FORMAT)
        if kind in (b"IMAG", b"IMA2") and jpeg and _is_preview(section):
            spans.append(("X3F:PreviewImage", start + 28, len(section) - 28))
    return spans[:MAX_PREVIEWS]


def _is_preview(section: memoryview) -> bool:
    """An image section ("SECi", version, type...) of type 2: a processed preview; the other
    types are the raw sensor data, which is never copied."""
    head = bytes(section[:12])
    return len(head) == 12 and head[:4] == b"SECi" and head[8:12] == struct.pack("<I", 2)


def _image(name: str, section: bytes, length: int, col: Collector, read: bool) -> Blocks:
    """A preview section ("SECi", version, type, format, columns, rows, row size, data);
    ``section`` may be only its first bytes, ``length`` is its real size."""
    if len(section) < 28:
        return Blocks()
    fmt, columns, rows = struct.unpack("<III", section[12:24])
    blob = section[28:]
    report_image(col, "X3F:PreviewImage", "preview", blob, (columns, rows), length - 28)
    if read and fmt == _JPEG_FORMAT:
        return read_embedded_jpeg(name, blob, col)
    return Blocks()


def _properties(section: bytes, col: Collector) -> None:
    """ "SECp", version, count, character format (0: UTF-16LE), reserved, length in chars;
    then ``count`` (name, value) character offsets, then the characters."""
    if section[:4] != b"SECp" or len(section) < 24:
        return
    count, char_format, _reserved, chars = struct.unpack("<IIII", section[8:24])
    if char_format != 0:
        return
    count = min(count, MAX_PROPERTIES)
    text_at = 24 + 8 * count
    text = section[text_at : text_at + 2 * min(chars, MAX_PROPERTY_CHARS)].decode(
        "utf-16-le", "replace"
    )
    for i in range(count):
        pair = section[24 + 8 * i : 32 + 8 * i]
        if len(pair) < 8:
            break
        name_at, value_at = struct.unpack("<II", pair)
        spec = _PROPERTIES.get(text[name_at : name_at + 16].split("\x00", 1)[0])
        if spec is not None:
            name, kind, severity = spec
            value = text[value_at : value_at + 256].split("\x00", 1)[0]
            col.add(kind, f"X3F:{name}", value.strip(), severity)
