"""AVI (RIFF): the metadata chunks → findings (the strip is ``strip.avi``).

Cameras and editors put what they know in ``LIST INFO`` (``IART`` artist, ``ICRD`` date,
``ISFT`` software — Pentax writes the camera model there), ``IDIT`` (the recording time, in
``hdrl``), ``_PMX`` (XMP), maker lists (Pentax ``hydt``, Nikon ``ncdt`` with a thumbnail),
Adobe's ``Tdat`` (reel names) and stream data ``strd`` (maker data such as EXIF). The chunk
walk is ``containers.riff.avi_chunks``; the ``movi`` list (the frames) is never read.
"""

from __future__ import annotations

import struct

from photoscan.containers.bmff import Reader
from photoscan.containers.riff import AviChunk, avi_chunks
from photoscan.metadata.base import Collector
from photoscan.metadata.video.types import TrackInfo, VideoExtraction
from photoscan.metadata.video.values import printable_runs, read_xmp_packet
from photoscan.model import FindingKind, ImageFormat, Severity
from photoscan.printable import decode_text

K = FindingKind
S = Severity
MAX_READ = 16 * 1024 * 1024
JUNK = b"JUNK"

INFO_TAGS: dict[bytes, tuple[str, FindingKind, Severity]] = {
    b"IART": ("Artist", K.PERSON, S.HIGH),
    b"IENG": ("Engineer", K.PERSON, S.MEDIUM),
    b"ITCH": ("Technician", K.PERSON, S.MEDIUM),
    b"ICMS": ("Commissioned", K.PERSON, S.LOW),
    b"ICOP": ("Copyright", K.PERSON, S.LOW),
    b"ICRD": ("DateCreated", K.DATETIME, S.INFO),
    b"ISFT": ("Software", K.SOFTWARE, S.INFO),
    b"INAM": ("Title", K.TEXT, S.LOW),
    b"ICMT": ("Comment", K.TEXT, S.LOW),
    b"IKEY": ("Keywords", K.TEXT, S.LOW),
    b"ISBJ": ("Subject", K.TEXT, S.LOW),
    b"ISRC": ("Source", K.TEXT, S.LOW),
    b"IPRD": ("Product", K.TEXT, S.LOW),
    b"IARL": ("ArchivalLocation", K.LOCATION, S.LOW),
    b"ICNT": ("Country", K.LOCATION, S.LOW),
    b"ISMP": ("TimeCode", K.DATETIME, S.INFO),
}
MAKER_LISTS = {b"hydt": "PentaxData", b"ncdt": "NikonData", b"Tdat": "AdobeTdat"}
_MAKER_SIGNATURES = (b"AVIF", b"Exif", b"II*\0", b"MM\0*", b"PENTAX", b"FUJIFILM", b"CASIO")


def read_avi(reader: Reader, name: str) -> VideoExtraction:
    chunks = avi_chunks(reader, name)
    size = reader.size
    col = Collector(ImageFormat.AVI)
    tracks: list[TrackInfo] = []
    for chunk in chunks:
        if chunk.end > size and chunk.kind != b"movi":
            col.warn(f"the {chunk.kind.decode('latin-1')} chunk is cut short")
        payload = b"" if chunk.kind == b"movi" else chunk_payload(reader, chunk)
        _chunk(chunk, payload, col, tracks)
    return VideoExtraction(col.build(), ImageFormat.AVI, _duration(chunks, reader), tuple(tracks))


def chunk_payload(reader: Reader, chunk: AviChunk) -> bytes:
    return reader.read_at(chunk.body, min(chunk.end - chunk.body, MAX_READ))


def _chunk(chunk: AviChunk, payload: bytes, col: Collector, tracks: list[TrackInfo]) -> None:
    kind = chunk.kind
    if chunk.parent == b"INFO" and not chunk.is_list:
        tag = INFO_TAGS.get(kind)
        text = decode_text(payload.split(b"\0", 1)[0]).strip()
        if tag is not None and text:
            col.add(tag[1], f"RIFF:{tag[0]}", text, tag[2])
        elif text:
            col.add(K.TEXT, f"RIFF:{kind.decode('latin-1')}", text, S.INFO)
    elif kind == b"IDIT":
        col.add(K.DATETIME, "RIFF:DateTimeOriginal", payload.split(b"\0", 1)[0], S.INFO)
    elif kind == b"_PMX":
        read_xmp_packet(payload, col)
    elif chunk.is_list and kind == b"Tdat":
        for text in printable_runs(payload, minimum=6, limit=4):
            col.add(K.TEXT, "RIFF:AdobeTdat", text, S.LOW)  # reel and scene names
    elif chunk.is_list and kind in MAKER_LISTS:
        words = " ".join(printable_runs(payload[8:], minimum=4, limit=2)) or "maker data"
        field = f"RIFF:{MAKER_LISTS[kind]}"
        col.add(K.CAMERA, field, words, S.INFO)
        col.add(K.DEVICE, "RIFF:MakerNotes", "maker notes (may hold serial numbers)", S.LOW)
    elif kind == b"strd" and maker_stream_data(payload):
        col.add(K.CAMERA, "RIFF:StreamData", " ".join(printable_runs(payload, 4, 2)), S.INFO)
    elif kind == b"strh" and len(payload) >= 8:
        handler, codec = (decode_text(payload[i : i + 4].strip(b"\0 ")) for i in (0, 4))
        tracks.append(TrackInfo(len(tracks) + 1, handler, codec))
    elif kind == JUNK and printable_runs(payload, 6, 1):
        col.add(K.CAMERA, "RIFF:Junk", printable_runs(payload, 6, 1)[0], S.INFO)


def maker_stream_data(payload: bytes) -> bool:
    return payload.startswith(_MAKER_SIGNATURES)


def _duration(chunks: list[AviChunk], reader: Reader) -> float | None:
    avih = next((c for c in chunks if c.kind == b"avih"), None)
    if avih is None:
        return None
    data = reader.read_at(avih.body, 24)
    if len(data) < 24:
        return None
    micro, _rate, _pad, _flags, frames = struct.unpack_from("<5I", data)
    return round(micro * frames / 1_000_000, 3) if micro and frames else None
