"""Videos made at test time: ffmpeg-built clips (skipped when ffmpeg is absent) and
hand-built ISO-BMFF bytes for the structures ffmpeg will not write (hostile boxes); shared by
the video tests of containers, metadata, strip, images and the scan. Short shims give the
strip's entry point the shapes the tests use (``strip_to``, ``strip_in_place``, ``plan_of``)."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path
from typing import BinaryIO

import pytest

from photoscan.containers.bmff import FileReader
from photoscan.strip.types import StripOptions
from photoscan.strip.video import VideoStripped, examine, strip_video
from photoscan.strip.videoplan import VideoStripPlan

FFMPEG = shutil.which("ffmpeg")
EXIFTOOL = shutil.which("exiftool")

APPLE_KEYS = {
    "com.apple.quicktime.location.ISO6709": "+48.8584+002.2945+035.000/",
    "com.apple.quicktime.make": "Apple",
    "com.apple.quicktime.model": "iPhone 15 Pro",
    "com.apple.quicktime.author": "Anna Example",
    "com.apple.quicktime.displayname": "Anna's iPhone",
    "com.apple.quicktime.software": "17.1",
    "com.apple.quicktime.content.identifier": "0C5E1C8A-1111-2222-3333-444455556666",
    "com.apple.quicktime.creationdate": "2023-06-01T10:11:12+0200",
}


def need_ffmpeg() -> str:
    if FFMPEG is None:
        pytest.skip("ffmpeg is not installed")
    return FFMPEG


def need_exiftool() -> str:
    if EXIFTOOL is None:
        pytest.skip("exiftool is not installed")
    return EXIFTOOL


def ffmpeg(*args: str) -> None:
    subprocess.run([need_ffmpeg(), "-v", "error", "-y", *args], check=True)


def klv(key: bytes, kind: str, size: int, repeat: int, data: bytes) -> bytes:
    pad = (-len(data)) % 4
    return (
        key
        + bytes([ord(kind) if kind else 0, size])
        + struct.pack(">H", repeat)
        + data
        + bytes(pad)
    )


def gpmf_gps(lat: float, lon: float, alt: float) -> bytes:
    """One GoPro GPMF payload: DEVC / STRM / SCAL + GPS5 (lat, lon, alt, 2D and 3D speed)."""
    scal = klv(b"SCAL", "l", 4, 5, struct.pack(">5i", 10_000_000, 10_000_000, 1000, 1000, 100))
    gps5 = klv(
        b"GPS5",
        "l",
        20,
        1,
        struct.pack(">5i", round(lat * 1e7), round(lon * 1e7), round(alt * 1000), 0, 0),
    )
    strm = klv(b"STRM", "", 1, len(scal + gps5), scal + gps5)
    return klv(b"DEVC", "", 1, len(strm), strm)


def make_clip(
    path: Path,
    *,
    metadata: dict[str, str] | None = None,
    keys: bool = False,
    gpmd: bytes | None = None,
    size: str = "160x120",
    seconds: float = 1.0,
    codec: str = "mpeg4",
    extra: tuple[str, ...] = (),
) -> Path:
    """A short clip with picture and sound; ``keys`` writes metadata as Apple mdta keys,
    ``gpmd`` adds a GoPro-style timed metadata track whose every sample is that payload."""
    args = [
        "-f", "lavfi", "-i", f"testsrc=size={size}:rate=10",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050",
    ]  # fmt: skip
    maps = ["-map", "0", "-map", "1"]
    if gpmd is not None:
        data = path.with_suffix(".gpmf")
        data.write_bytes(gpmd * int(seconds * 10 + 2))
        args += ["-f", "data", "-i", str(data)]
        maps += ["-map", "2", "-c:d", "copy", "-tag:d", "gpmd"]
    out = ["-t", str(seconds), *maps, "-c:v", codec, "-c:a", "aac"]
    if codec == "libx264":
        out += ["-preset", "ultrafast", "-g", "10"]
    if keys:
        out += ["-movflags", "use_metadata_tags"]
    for key, value in (metadata or {}).items():
        out += ["-metadata", f"{key}={value}"]
    fmt = ["-f", "mov"] if gpmd is not None or path.suffix == ".mov" else []
    ffmpeg(*args, *out, *extra, *fmt, str(path))
    if gpmd is not None:
        path.with_suffix(".gpmf").unlink()
    return path


FACE_KEYS = ("com.apple.quicktime.detected-face", "com.apple.quicktime.detected-face.bounds")


def camm_gps(lat: float, lon: float, alt: float) -> bytes:
    """One CAMM sample of type 5 (latitude, longitude, altitude; little-endian doubles)."""
    return struct.pack("<HH3d", 0, 5, lat, lon, alt)


def retype_timed_track(path: Path, codec: bytes, keys: tuple[str, ...] = ()) -> Path:
    """Turn the ``gpmd`` track of a ``make_clip(gpmd=...)`` movie into another per-frame
    format: ``camm`` (Google), or ``mebx`` with Apple key names (an iPhone's face track).
    ffmpeg writes ``moov`` after the media, so growing it moves no sample."""
    data = bytearray(path.read_bytes())
    at = data.rindex(b"gpmd") - 4  # the sample entry (gmhd holds a gpmd atom too)
    if codec != b"mebx":
        data[at + 4 : at + 8] = codec
        path.write_bytes(bytes(data))
        return path
    table = b"".join(
        box(struct.pack(">I", n), box(b"keyd", b"mdta" + name.encode()))
        for n, name in enumerate(keys, 1)
    )
    entry = box(b"mebx", bytes(6) + struct.pack(">H", 1) + box(b"keys", table))
    old = struct.unpack_from(">I", data, at)[0]
    grow = len(entry) - old
    data[at : at + old] = entry
    stsd = at - 16
    assert data[stsd + 4 : stsd + 8] == b"stsd"
    for kind in (b"stsd", b"stbl", b"minf", b"mdia", b"trak", b"moov"):  # its parents
        start = data.rindex(kind, 0, stsd + 8) - 4
        size = struct.unpack_from(">I", data, start)[0]
        struct.pack_into(">I", data, start, size + grow)
        stsd = start
    path.write_bytes(bytes(data))
    return path


def _find(data: bytes | bytearray, path: tuple[bytes, ...]) -> list[tuple[int, int]]:
    """(start, size) of the first box at each depth of ``path`` (top level first)."""
    found, pos, end = [], 0, len(data)
    for kind in path:
        while pos + 8 <= end:
            size, typ = struct.unpack_from(">I4s", data, pos)
            if typ == kind:
                found.append((pos, size))
                pos, end = pos + 8 + (8 if kind == b"stsd" else 0), pos + size
                break
            pos += size
        else:
            raise ValueError(f"no {kind!r} box on {path}")
    return found


def insert_box(path: Path, where: tuple[bytes, ...], new: bytes) -> Path:
    """Append ``new`` to the payload of the box at ``where`` (``(b"moov", b"trak")``: the
    first track) and grow its parents. Only for ffmpeg's layout, ``moov`` last: no sample
    moves."""
    data = bytearray(path.read_bytes())
    chain = _find(data, where)
    start, size = chain[-1]
    assert chain[0][0] + chain[0][1] == len(data), f"{where[0]!r} is not the last box"
    data[start + size : start + size] = new
    for box_start, box_size in chain:
        struct.pack_into(">I", data, box_start, box_size + len(new))
    path.write_bytes(bytes(data))
    return path


def box_bytes(path: Path, where: tuple[bytes, ...]) -> bytes:
    """The whole first box at ``where``."""
    data = path.read_bytes()
    start, size = _find(data, where)[-1]
    return data[start : start + size]


XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")
XMP_WITH_GPS = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF'
    b' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description'
    b' xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="48,51.5N"'
    b' exif:GPSLongitude="2,17.7E" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b"<dc:creator><rdf:Seq><rdf:li>Phil</rdf:li></rdf:Seq></dc:creator>"
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def xmp_uuid_clip(path: Path) -> Path:
    """A clip with a top-level XMP ``uuid`` box (how Adobe tools and some cameras write it)
    holding a GPS position and a creator."""
    clip = make_clip(path)
    clip.write_bytes(clip.read_bytes() + box(b"uuid", XMP_UUID + XMP_WITH_GPS))
    return clip


def keys_clip_at(path: Path, where: tuple[bytes, ...]) -> Path:
    """A clip with ``APPLE_KEYS`` in the ``meta`` box of ``where`` (``(b"moov",)``: movie
    level, ``(b"moov", b"trak")``: the first track) instead of ffmpeg's ``udta/meta``."""
    clip = make_clip(path, metadata=APPLE_KEYS, keys=True)
    meta = box_bytes(clip, (b"moov", b"udta", b"meta"))
    data = bytearray(clip.read_bytes())
    at = data.index(meta)
    data[at + 4 : at + 8] = b"free"  # the udta copy is no longer a meta box
    clip.write_bytes(bytes(data))
    return insert_box(clip, where, meta)


SEF = {"Image_UTC_Data": b"1600000000123", "MCC_Data": b"234", "Original_Path_Hash_Key": b"ab12"}
SEF_TYPES = {"Image_UTC_Data": 0x0A01, "MCC_Data": 0x0AA1, "Original_Path_Hash_Key": 0x0BA1}


def samsung_sef(blocks: dict[str, bytes]) -> bytes:
    """A Samsung SEF trailer (the payload of a ``sefd`` box): named blocks, then the SEFH
    directory (type, offset back from it, size per block), its length and ``SEFT``."""
    data, entries = b"", []
    for n, (name, value) in enumerate(blocks.items()):
        kind = struct.pack("<HH", 0, SEF_TYPES.get(name, 0x0C00 + n))
        entries.append((kind, len(data), 8 + len(name) + len(value)))
        data += kind + struct.pack("<I", len(name)) + name.encode() + value
    head = b"SEFH" + struct.pack("<II", 101, len(entries))
    table = b"".join(k + struct.pack("<II", len(data) - at, size) for k, at, size in entries)
    return data + head + table + struct.pack("<I", len(head + table)) + b"SEFT"


def framemd5(path: Path, require: bool = True) -> str:
    """Hashes of every picture and sound packet (attached cover pictures are metadata)."""
    out = subprocess.run(
        [need_ffmpeg(), "-v", "error", "-i", str(path), "-map", "0:V?", "-map", "0:a?",
         "-c", "copy", "-f", "framemd5", "-"],
        check=require, capture_output=True, text=True,
    )  # fmt: skip
    lines = [line for line in out.stdout.splitlines() if not line.startswith("#")]
    assert lines or not require, f"ffmpeg saw no packets in {path}"
    return "\n".join(lines)


def exiftool_lines(path: Path) -> list[str]:
    out = subprocess.run(
        [need_exiftool(), "-a", "-G1", "-ee", "-s", str(path)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return out.stdout.splitlines()


IDENTIFYING = (
    "GPS", "Location", "Author", "Artist", "Make", "Model", "XMP", "Cover", "Thumbnail",
    "PreviewImage", "Serial", "Creator", "Owner", "DisplayName", "ContentIdentifier", "Pentax",
    "Keys]", "UserData]", "ItemList]",
)  # fmt: skip


def identifying(path: Path) -> list[str]:
    """ExifTool's lines about ``path`` that name a place, a person or a device."""
    lines = [line for line in exiftool_lines(path) if not line.startswith(("[System]", "[File]"))]
    return [line for line in lines if any(k in line for k in IDENTIFYING)]


def box(kind: bytes, payload: bytes = b"") -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def box64(kind: bytes, payload: bytes = b"") -> bytes:
    return struct.pack(">I", 1) + kind + struct.pack(">Q", 16 + len(payload)) + payload


def ftyp(brand: bytes = b"isom") -> bytes:
    return box(b"ftyp", brand + bytes(4) + brand + b"mp41")


def mvhd(created: int = 3_800_000_000, duration: int = 1000) -> bytes:
    body = bytes(4) + struct.pack(">IIII", created, created, 1000, duration)
    return box(b"mvhd", body + bytes(80))


def udta_text(kind: bytes, text: str) -> bytes:
    raw = text.encode()
    return box(kind, struct.pack(">HH", len(raw), 0x55C4) + raw)


def patch_matrix(path: Path, degrees: int) -> None:
    """Write a rotation into the first video track's tkhd matrix (ffmpeg 5 cannot)."""
    one = 1 << 16
    matrices = {
        90: (0, one, 0, -one, 0, 0),
        180: (-one, 0, 0, 0, -one, 0),
        270: (0, -one, 0, one, 0, 0),
    }
    data = bytearray(path.read_bytes())
    at = data.find(b"tkhd")
    version = data[at + 4]
    n = 8 if version == 1 else 4
    pos = at + 4 + 4 + 2 * n + 4 + 4 + n + 8 + 8
    a, b, u, c, d, v = matrices[degrees]
    struct.pack_into(">6i", data, pos, a, b, u, c, d, v)
    path.write_bytes(bytes(data))


def strip_to(source: Path, dest: Path, options: StripOptions) -> VideoStripped:
    return strip_video(source, source.name, options, dest=dest)


def strip_in_place(source: Path, backup: Path, options: StripOptions) -> VideoStripped:
    return strip_video(source, source.name, options, backup=backup)


def plan_of(fh: BinaryIO, name: str, options: StripOptions) -> VideoStripPlan:
    return examine(FileReader(fh), name, options).plan
