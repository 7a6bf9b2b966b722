"""Camera makers' own JPEG segments that name the device: FLIR FFF (APP1), GoPro GPMF (APP6).

Thermal cameras by FLIR write an "FFF" record store into APP1 segments ("FLIR\\0", a chunk
number, the chunk count less one, then the store's bytes; a store larger than a segment is
split over several). Its CameraInfo record holds the camera's, lens' and filter's serial
numbers, its RawData record the thermal picture itself (PNG, JPEG or 16-bit samples), an
EmbeddedImage record the visible-light picture, and a GPSInfo record the position. GoPro
photos carry a GPMF stream in APP6 ("GoPro\\0"): KLV items (4-byte key, type, size of one
value, count, data padded to 4 bytes), among them the camera serial (``CASN``) and a media
unique id (``MUID``) that ties the photo to the card it was shot on.

The layouts are ExifTool's (FLIR.pm ``ProcessFLIR`` and its CameraInfo/RawData/GPSInfo
tables, GoPro.pm); every offset is checked against the bytes, and a chunk count or a record
directory that does not fit ends the reading with what was found. The stripper drops these
segments whole (``strip.jpeg`` keeps no APPn but JFIF, ICC and Adobe).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field

from photoscan.metadata.base import Collector
from photoscan.metadata.thumbs.thumbcompare import jpeg_size, main_size
from photoscan.model import FindingKind, ImageFormat, Severity

FLIR_HEADER = b"FLIR\x00"
GOPRO_HEADER = b"GoPro\x00"
MAX_FLIR_RECORDS = 256
MAX_GPMF_DEPTH = 8
_FFF_MAGICS = (b"FFF\x00", b"AFF\x00")
_REC_RAW, _REC_EMBEDDED, _REC_CAMERA, _REC_GPS = 0x01, 0x0E, 0x20, 0x2B
# CameraInfo: (offset, length, ExifTool's tag)
_CAMERA_SERIALS = (
    (0x104, 16, "CameraSerialNumber"),
    (0x1A0, 16, "LensSerialNumber"),
    (0x21C, 32, "FilterSerialNumber"),
)
_PICTURES = {
    _REC_RAW: ("RawThermalImage", "thermal image"),
    _REC_EMBEDDED: ("EmbeddedImage", "image"),
}


@dataclass(slots=True)
class FlirChunks:
    """The APP1 "FLIR" chunks of one JPEG, joined in chunk order once all have come."""

    chunks: dict[int, bytes] = field(default_factory=dict)
    total: int = 0

    def add(self, payload: bytes) -> None:
        if len(payload) < 8:
            return
        number, total = payload[6], payload[7] + 1  # the count is stored less one
        if self.total and total != self.total:
            return  # inconsistent counts: ExifTool stops here too
        self.total = total
        self.chunks[number] = self.chunks.get(number, b"") + payload[8:]

    def store(self) -> bytes:
        return b"".join(self.chunks[n] for n in sorted(self.chunks))


def read_flir(store: bytes, col: Collector) -> None:
    """Serials, pictures and the position in a FLIR FFF record store."""
    if len(store) < 0x40 or store[:4] not in _FFF_MAGICS:
        return
    order = next(
        (o for o in (">", "<") if 100 <= struct.unpack_from(o + "I", store, 0x14)[0] < 200), ""
    )
    if not order:
        col.warn("FLIR data of an unknown version; not read")
        return
    directory, count = struct.unpack_from(order + "II", store, 0x18)
    for kind, record in _records(store, order, directory, min(count, MAX_FLIR_RECORDS)):
        if kind == _REC_CAMERA:
            _camera_info(record, col)
        elif kind in _PICTURES:
            _picture(kind, record, col)
        elif kind == _REC_GPS:
            _gps(record, col)


def _records(store: bytes, order: str, directory: int, count: int) -> Iterator[tuple[int, bytes]]:
    for i in range(count):
        entry = directory + 0x20 * i
        if entry + 0x20 > len(store):
            return
        kind = struct.unpack_from(order + "H", store, entry)[0]
        start, length = struct.unpack_from(order + "II", store, entry + 0x0C)
        if kind and start + length <= len(store):
            yield kind, store[start : start + length]


def _record_order(record: bytes) -> str:
    """Each record says its own byte order: its first 16-bit word is small (2 or 3)."""
    return "<" if struct.unpack_from(">H", record)[0] >= 0x100 else ">"


def _camera_info(record: bytes, col: Collector) -> None:
    for offset, length, tag in _CAMERA_SERIALS:
        value = record[offset : offset + length].split(b"\x00", 1)[0]
        col.add(FindingKind.DEVICE, f"FLIR:{tag}", value, Severity.MEDIUM)


def _picture(kind: int, record: bytes, col: Collector) -> None:
    """RawData / EmbeddedImage: a 32-byte header (width, height as 16-bit words 1 and 2),
    then a PNG, a JPEG or raw 16-bit samples (which ExifTool wraps in a TIFF header)."""
    if len(record) <= 0x20:
        return
    tag, what = _PICTURES[kind]
    width, height = struct.unpack_from(_record_order(record) + "HH", record, 2)
    body = record[0x20:]
    size: tuple[int, int] | None = (width, height) if width and height else None
    if body.startswith(b"\x89PNG\r\n\x1a\n"):
        size, what = main_size(body, ImageFormat.PNG), f"PNG {what}"
    elif body.startswith(b"\xff\xd8\xff"):
        size, what = jpeg_size(body), f"JPEG {what}"
    elif size is None or len(body) != 2 * width * height:
        return  # not a picture anything can show
    shown = f"{size[0]}×{size[1]} " if size else ""
    words = f"{shown}{what} from the FLIR camera, {max(1, round(len(body) / 1024))} KB"
    col.add(FindingKind.THUMBNAIL, f"FLIR:{tag}", words, Severity.MEDIUM)


def _gps(record: bytes, col: Collector) -> None:
    """GPSInfo (little-endian): valid flag, refs at 8 and 10, signed degrees at 0x10/0x18."""
    if len(record) < 0x20 or struct.unpack_from("<I", record, 0)[0] != 1:
        return
    lat, lon = struct.unpack_from("<dd", record, 0x10)
    if record[8:9] == b"S":
        lat = -abs(lat)
    if record[10:11] == b"W":
        lon = -abs(lon)
    if col.add_gps(lat, lon, "flir", field_name="FLIR:GPSPosition"):
        col.add(FindingKind.LOCATION, "FLIR:GPSPosition", f"{lat:.6f}, {lon:.6f}", Severity.HIGH)


def read_gopro(payload: bytes, col: Collector) -> None:
    """The camera serial and the media unique id of a GoPro APP6 GPMF stream."""
    for key, kind, body in _gpmf(payload, len(GOPRO_HEADER), len(payload), 0):
        if key == b"CASN" and kind == ord("c"):
            col.add(FindingKind.DEVICE, "GoPro:CameraSerialNumber", body, Severity.MEDIUM)
        elif key == b"MUID" and body.strip(b"\x00"):
            # ExifTool prints the id as the hex of its bytes
            col.add(FindingKind.DEVICE, "GoPro:MediaUniqueID", body.hex(), Severity.MEDIUM)


def _gpmf(data: bytes, pos: int, end: int, depth: int) -> Iterator[tuple[bytes, int, bytes]]:
    """GPMF items (key, type, data) depth first; type 0 nests a stream."""
    if depth > MAX_GPMF_DEPTH:
        return
    while pos + 8 <= end:
        key, kind, size, repeat = struct.unpack_from(">4sBBH", data, pos)
        body = pos + 8
        length = size * repeat
        pos = body + ((length + 3) & ~3)
        if body + length > end:
            return
        if kind == 0:
            yield from _gpmf(data, body, body + length, depth + 1)
        else:
            yield key, kind, data[body : body + length]
