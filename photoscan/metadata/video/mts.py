"""AVCHD ``.MTS``/``.M2TS`` (MPEG transport stream): the camera data inside the H.264 stream.

AVCHD cameras (Sony, Panasonic, Canon, JVC) write a "modified DV pack" (``MDPM``) into H.264
SEI messages — user data with UUID 17ee8c60-f84d-11d9-8cd6-0800200c9a66 — every few frames:
the recording date, the maker's code, the model name (Sony), exposure values and, on GPS
models, the position (tags 0xb0–0xc8, as ExifTool's H264 tables describe them). This reader
follows the transport stream (188-byte packets, or 192 with a time code first) to the H.264
stream of the programme, reassembles its first packets (at most ``MAX_SCAN_BYTES``), removes
emulation-prevention bytes from SEI NAL units and decodes the first ``MDPM``.

Nothing here can be stripped losslessly: the data is part of the coded video frames, so a
strip is refused with that reason (``strip.video``).
"""

from __future__ import annotations

import struct

from photoscan.containers.bmff import Reader
from photoscan.errors import CorruptFile
from photoscan.metadata.base import Collector
from photoscan.metadata.video.types import TrackInfo, VideoExtraction
from photoscan.model import FindingKind, ImageFormat, Severity

K = FindingKind
S = Severity
MAX_SCAN_BYTES = 8 * 1024 * 1024
MDPM_UUID = bytes.fromhex("17ee8c60f84d11d98cd60800200c9a66") + b"MDPM"
MAKERS = {0x0103: "Panasonic", 0x0108: "Sony", 0x1011: "Canon", 0x1104: "JVC"}


def _packets(reader: Reader) -> tuple[int, int]:
    """(packet size, offset of the first sync byte)."""
    head = reader.read_at(0, 600)
    for stride, first in ((188, 0), (192, 4)):
        if len(head) > first + 2 * stride and all(
            head[first + i * stride] == 0x47 for i in range(3)
        ):
            return stride, first
    raise CorruptFile("not an MPEG transport stream (no sync bytes)")


def _video_payload(reader: Reader, name: str) -> bytes:
    """The start of the programme's H.264 elementary stream (PES headers removed)."""
    try:
        stride, first = _packets(reader)
    except CorruptFile as exc:
        raise CorruptFile(f"{name}: {exc}") from None
    pmt_pids: set[int] = set()
    video_pid: int | None = None
    out = bytearray()
    pos = first
    end = min(reader.size, MAX_SCAN_BYTES * 2)
    while pos + 188 <= end and len(out) < MAX_SCAN_BYTES:
        packet = reader.read_at(pos, 188)
        pos += stride
        if len(packet) < 188 or packet[0] != 0x47:
            continue
        pid = ((packet[1] & 0x1F) << 8) | packet[2]
        start = bool(packet[1] & 0x40)
        adaptation = (packet[3] >> 4) & 3
        body = 4
        if adaptation in (2, 3):
            body += 1 + packet[4]
        if adaptation == 2 or body >= 188:
            continue
        payload = packet[body:]
        if pid == 0 and start:
            pmt_pids |= _pat(payload)
        elif pid in pmt_pids and start and video_pid is None:
            video_pid = _pmt_video(payload)
        elif pid == video_pid:
            if start and payload[:3] == b"\0\0\1" and len(payload) > 9:
                payload = payload[9 + payload[8] :]
            out += payload
    return bytes(out)


def _pat(section: bytes) -> set[int]:
    pointer = section[0]
    data = section[1 + pointer :]
    if len(data) < 8:
        return set()
    length = ((data[1] & 0x0F) << 8) | data[2]
    pids = set()
    for i in range(8, min(3 + length - 4, len(data) - 3), 4):
        program = struct.unpack_from(">H", data, i)[0]
        if program:
            pids.add(((data[i + 2] & 0x1F) << 8) | data[i + 3])
    return pids


def _pmt_video(section: bytes) -> int | None:
    pointer = section[0]
    data = section[1 + pointer :]
    if len(data) < 12:
        return None
    length = ((data[1] & 0x0F) << 8) | data[2]
    info = ((data[10] & 0x0F) << 8) | data[11]
    pos = 12 + info
    while pos + 5 <= min(3 + length - 4, len(data)):
        kind = data[pos]
        pid = ((data[pos + 1] & 0x1F) << 8) | data[pos + 2]
        if kind == 0x1B:  # H.264
            return pid
        pos += 5 + (((data[pos + 3] & 0x0F) << 8) | data[pos + 4])
    return None


def _unescape(nal: bytes) -> bytes:
    return nal.replace(b"\0\0\3", b"\0\0")


def _mdpm(stream: bytes) -> bytes | None:
    """The first MDPM record list in SEI NAL units of ``stream``."""
    pos = 0
    while True:
        at = stream.find(b"\0\0\1\x06", pos)  # a start code then an SEI NAL header
        if at < 0:
            return None
        nal_end = stream.find(b"\0\0\1", at + 4)
        nal = _unescape(stream[at + 4 : nal_end if nal_end > 0 else len(stream)])
        found = nal.find(MDPM_UUID)
        if found >= 0:
            return nal[found + len(MDPM_UUID) :]
        pos = at + 4


def _records(data: bytes) -> dict[int, bytes]:
    count = data[0] if data else 0
    out: dict[int, bytes] = {}
    for i in range(count):
        pos = 1 + i * 5
        if pos + 5 > len(data):
            break
        out.setdefault(data[pos], data[pos + 1 : pos + 5])
    return out


def read_mts(reader: Reader, name: str) -> VideoExtraction:
    col = Collector(ImageFormat.MTS)
    stream = _video_payload(reader, name)
    tracks = (TrackInfo(1, "vide", "avc1"),) if stream else ()
    data = _mdpm(stream)
    if data is not None:
        _decode(_records(data), col)
    return VideoExtraction(col.build(), ImageFormat.MTS, None, tracks)


def _bcd(value: int) -> int:
    return (value >> 4) * 10 + (value & 15)


def _decode(records: dict[int, bytes], col: Collector) -> None:
    date, time = records.get(0x18), records.get(0x19)
    if date and time:
        tz, c, y, mo = date
        d, h, mi, s = time
        sign = "-" if tz & 0x20 else "+"
        zone = f"{sign}{(tz >> 1) & 0x0F:02d}:{'30' if tz & 1 else '00'}"
        zone += " DST" if tz & 0x40 else ""
        when = f"{c:02x}{y:02x}:{mo:02x}:{d:02x} {h:02x}:{mi:02x}:{s:02x}{zone}"
        col.add(K.DATETIME, "H264:DateTimeOriginal", when, S.INFO)
    make = records.get(0xE0)
    maker = ""
    if make:
        code = struct.unpack_from(">H", make)[0]
        maker = MAKERS.get(code, str(code))
        col.add(K.CAMERA, "H264:Make", maker, S.INFO)
    if maker == "Sony":
        model = b"".join(records.get(t, b"") for t in (0xE4, 0xE5, 0xE6)).split(b"\0", 1)[0]
        if model.strip():
            col.add(K.CAMERA, "H264:Model", model, S.INFO)
    _gps(records, col)


def _gps(records: dict[int, bytes], col: Collector) -> None:
    def degrees(tags: tuple[int, int, int]) -> float | None:
        parts = []
        for tag in tags:
            raw = records.get(tag)
            if raw is None:
                return None
            num, den = struct.unpack(">HH", raw)
            parts.append(num / den if den else 0.0)
        return parts[0] + parts[1] / 60 + parts[2] / 3600

    lat, lon = degrees((0xB2, 0xB3, 0xB4)), degrees((0xB6, 0xB7, 0xB8))
    if lat is None or lon is None:
        return
    if records.get(0xB1, b"N")[:1] == b"S":
        lat = -lat
    if records.get(0xB5, b"E")[:1] == b"W":
        lon = -lon
    if col.add_gps(lat, lon, "h264", None, "H264:GPS"):
        col.add(K.LOCATION, "H264:GPSLatitude", f"{lat:.6f}, {lon:.6f}", S.HIGH)
