"""JPEG: strip by segments, never touching the entropy-coded image data.

Kept: JFIF APP0 and Adobe APP14 (the colour transform), both rebuilt from their fields (no
thumbnail, no byte past the fields), ICC profile APP2 chunks (without a display's tags), and
every coding segment (DQT, DHT, SOFn, DRI, SOS and the scans), each only when its length is
exactly what its fields declare.
Dropped: Exif/XMP/Extended-XMP APP1, APP13 Photoshop/IPTC, COM, MPF and every other APPn, and
anything after EOI (motion-photo videos, vendor blobs, MPF extra images). Orientation (and on
request the capture dates) come back in a fresh minimal EXIF segment.
Refused (the original untouched): a marker no decoder knows, a coding segment longer than its
fields, and metadata signatures inside the scans (``strip.residue``): bytes that no reader
would parse are never copied.
"""

from __future__ import annotations

import struct

from photoscan.containers import icc as icc_profile
from photoscan.containers import jpeg
from photoscan.errors import CorruptFile
from photoscan.strip import icc, location, residue
from photoscan.strip.exif import Kept, build_exif, read_kept
from photoscan.strip.types import Refused, StripOptions, Stripped

_EXIF = b"Exif\0\0"


def _segment(marker: int, payload: bytes) -> bytes:
    if len(payload) + 2 > 0xFFFF:
        raise CorruptFile("segment too large to write")
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


_ADOBE_SIZE = 12  # "Adobe", version, flags0, flags1, transform
_CODING_NAMES = {0xC4: "DHT", 0xCC: "DAC", 0xDA: "SOS", 0xDB: "DQT", 0xDC: "DNL", 0xDD: "DRI"}
_CODING_NAMES |= {0xDE: "DHP", 0xDF: "EXP"}


def _check_coding(marker: int, payload: bytes) -> None:
    """A coding segment is copied only when its length is exactly what its fields say (as
    libjpeg requires): a longer one may have swallowed metadata segments, and a marker no
    decoder knows (a reserved 0xFF02-0xFFBF, JPG, JPGn) may hold anything; both are
    refused rather than copied."""
    name = "SOF" if marker in jpeg.SOF else _CODING_NAMES.get(marker)
    if name is None:
        raise CorruptFile(f"unknown JPEG marker 0xFF{marker:02X}")
    if _coding_size(marker, payload) != len(payload):
        raise CorruptFile(f"JPEG {name} segment length does not match its content")


def _coding_size(marker: int, payload: bytes) -> int:
    """The payload size that the fields of a coding segment declare (-1: unreadable)."""
    size = len(payload)
    if marker in jpeg.SOF or marker == 0xDE:  # frame header, DHP: 6 bytes + 3 per component
        return 6 + 3 * payload[5] if size >= 6 else -1
    if marker == 0xDA:  # scan header: count, 2 per component, then 3 bytes
        return 1 + 2 * payload[0] + 3 if size >= 1 else -1
    if marker in (0xDC, 0xDD):  # DNL, DRI: one 16-bit number
        return 2
    if marker == 0xDF:  # EXP: one byte
        return 1
    if marker == 0xCC:  # DAC: 2 bytes per table
        return size - size % 2
    pos = 0
    while pos < size:  # DQT: 65 or 129 bytes per table; DHT: 17 bytes + its code count
        if marker == 0xDB:
            pos += 1 + (128 if payload[pos] >> 4 else 64)
        elif pos + 17 <= size:
            pos += 17 + sum(payload[pos + 1 : pos + 17])
        else:
            return -1
    return pos


class _Rewriter:
    """Decides, segment by segment, what goes to the output."""

    def __init__(self, options: StripOptions) -> None:
        self.options = options
        self.blocks: list[str] = []
        self.kept = Kept()
        self.saw_exif = False
        self.icc_chunks: list[tuple[bytes, bytes]] = []  # (payload after ICC_PROFILE, raw)

    def _drop(self, label: str) -> None:
        if label not in self.blocks:
            self.blocks.append(label)

    def _icc(self, chunk: bytes, raw: bytes) -> bytes:
        """ICC chunks are held until the last one the first declares (b"" before it): then the
        whole profile is written back as it was, or without the display's tags. A profile whose
        chunks never complete is dropped (``strip.icc``: fail closed)."""
        if self.options.only_location:
            return raw
        self.icc_chunks.append((chunk, raw))
        total = self.icc_chunks[0][0][1:2]
        if len(self.icc_chunks) < (total[0] if total else 1):
            return b""
        chunks, self.icc_chunks = self.icc_chunks, []
        profile = icc_profile.join_jpeg_chunks([c for c, _ in chunks])
        kept = icc.kept_profile(profile, self.blocks)
        if kept is profile:
            return b"".join(r for _, r in chunks)
        if kept is None:
            return b""
        size = 0xFFFF - 2 - len(jpeg.ICC_PROFILE) - 2
        parts = [kept[i : i + size] for i in range(0, len(kept), size)]
        return b"".join(
            _segment(0xE2, jpeg.ICC_PROFILE + bytes((n, len(parts))) + part)
            for n, part in enumerate(parts, 1)
        )

    def segment(self, marker: int, payload: bytes, raw: bytes) -> bytes:
        """The bytes to write for one marker segment (b"" to drop it)."""
        only_loc = self.options.only_location
        if marker == 0xE0:
            return self._app0(payload, raw)
        if marker == 0xE1:
            return self._app1(payload, raw)
        if marker == 0xE2:
            if payload.startswith(jpeg.ICC_PROFILE):
                if self.options.keep_icc:
                    return self._icc(payload[len(jpeg.ICC_PROFILE) :], raw)
                self._drop("ICC profile")
                return b""
            if payload.startswith(b"MPF\0"):
                self._drop("APP2 MPF")
                return b""
            self._drop("APP2 " + payload[:4].decode("latin-1", "replace").strip("\0"))
            return b""
        if marker == 0xED:
            return self._app13(payload, raw)
        if marker == 0xEE:
            return self._app14(payload, raw)
        if marker == 0xFE and only_loc:
            return raw  # a comment is text, not a place
        if 0xE3 <= marker <= 0xEF or marker == 0xFE:
            self._drop("COM" if marker == 0xFE else f"APP{marker - 0xE0}")
            return b""
        _check_coding(marker, payload)
        return raw

    def _app0(self, payload: bytes, raw: bytes) -> bytes:
        """JFIF: always the 16-byte header rebuilt from its fields, without a thumbnail. The
        original's bytes are never copied: a raised length can make it swallow the next
        segments (an EXIF APP1 no reader would see any more, but a carving tool would)."""
        if not (payload.startswith(b"JFIF\0") and len(payload) >= 14):
            self._drop("APP0 extension")
            return b""
        rebuilt = _segment(0xE0, payload[:12] + b"\0\0")
        if rebuilt != raw:
            self._drop("JFIF thumbnail" if payload[12] or payload[13] else "JFIF extra bytes")
        return rebuilt

    def _app14(self, payload: bytes, raw: bytes) -> bytes:
        """Adobe APP14 decides the colour transform: kept as its 12 bytes of fields, rebuilt
        (like JFIF, a longer one may hold anything); any other APP14 is dropped."""
        if not (payload.startswith(b"Adobe") and len(payload) >= _ADOBE_SIZE):
            self._drop("APP14")
            return b""
        rebuilt = _segment(0xEE, payload[:_ADOBE_SIZE])
        if rebuilt != raw:
            self._drop("APP14 Adobe extra bytes")
        return rebuilt

    def _app1(self, payload: bytes, raw: bytes) -> bytes:
        opts = self.options
        if payload.startswith(_EXIF):
            tiff = payload[len(_EXIF) :]
            if opts.only_location:
                cut = location.tiff_without_location(tiff)
                if cut is None:
                    return raw
                for label in cut[1]:
                    self._drop(label)
                return _segment(0xE1, _EXIF + cut[0])
            if not self.saw_exif:
                self.saw_exif = True
                try:
                    self.kept = read_kept(tiff, opts.keep_orientation, opts.keep_datetime)
                except CorruptFile:
                    self.kept = Kept()
            self._drop("APP1 Exif")
            return b""
        if payload.startswith(jpeg.XMP) and opts.only_location:
            try:
                packet = location.xmp_without_location(payload[len(jpeg.XMP) :])
            except ValueError:
                self._drop("APP1 XMP")
                return b""
            if packet is None:
                return raw
            self._drop("XMP location")
            return _segment(0xE1, jpeg.XMP + packet)
        if payload.startswith(jpeg.XMP):
            self._drop("APP1 XMP")
        elif payload.startswith(jpeg.XMP_EXTENSION):
            self._drop("APP1 Extended XMP")
        else:
            self._drop("APP1")
        return b""

    def _app13(self, payload: bytes, raw: bytes) -> bytes:
        if self.options.only_location and payload.startswith(jpeg.PHOTOSHOP):
            try:
                cut = location.irb_without_location(payload[len(jpeg.PHOTOSHOP) :])
            except ValueError:
                cut = b""
            if cut is None:
                return raw
            self._drop("IPTC location")
            return _segment(0xED, jpeg.PHOTOSHOP + cut) if cut else b""
        if self.options.only_location:
            return raw
        self._drop("APP13 IPTC/Photoshop")
        return b""


def strip_jpeg(data: bytes, options: StripOptions) -> Stripped:
    """``data`` with identifying segments removed; entropy-coded data copied verbatim."""
    if data[:2] != jpeg.SOI:
        raise CorruptFile("not a JPEG (no SOI marker)")
    rewriter = _Rewriter(options)
    parts: list[bytes | memoryview] = [jpeg.SOI]
    view = memoryview(data)  # the scans (nearly all the bytes) are joined without a copy
    dropped: list[bytes] = [jpeg.SOI]  # SOI + every segment dropped or rewritten
    insert_at = 1  # where a minimal EXIF goes: after SOI, or after a leading JFIF APP0
    frame: tuple[int, int] | None = None  # the first frame header's width and height
    scanned = False
    walk = jpeg.Walk(data, through_scans=True)
    for segment in walk:
        marker = segment.marker
        if marker in jpeg.SOF and frame is None and segment.end - segment.body >= 5:
            height, width = struct.unpack_from(">HH", data, segment.body + 1)
            frame = (width, height)
        scanned = scanned or marker == jpeg.SOS
        if marker == jpeg.DATA:
            if kind := residue.metadata_in(data, segment.start, segment.end):
                raise Refused(residue.refusal(kind, "inside the image data"))
            parts.append(view[segment.start : segment.end])
            continue
        raw = data[segment.start : segment.end]
        if marker in jpeg.STANDALONE:
            parts.append(raw)
            continue
        out = rewriter.segment(marker, data[segment.body : segment.end], raw)
        if out is not raw:
            dropped.append(raw)
        if out:
            parts.append(out)
            if marker == 0xE0 and len(parts) == 2:
                insert_at = 2
    walk.check()
    if rewriter.icc_chunks:
        rewriter._drop(icc.DAMAGED)  # fewer chunks than the first declared: none written
    if frame is None or not scanned:
        raise CorruptFile("no image data (no frame header or scan)")
    size = len(data)
    if walk.stop is jpeg.Stop.IMAGE_END:
        parts.append(b"\xff\xd9")
    evidence: bytes | None = None
    if walk.at < size:
        rewriter._drop(f"trailer after EOI ({size - walk.at} bytes)")
    # Trailer readers (MPF, AFCP, Samsung) use offsets into the whole file, and a location
    # strip rewrites blocks that the readers join with kept ones (Photoshop IRBs split over
    # APP13 segments): then verify reads the whole original instead.
    elif not options.only_location:
        dropped.append(b"\xff\xd9")
        evidence = b"".join(dropped)
    if not options.only_location:
        exif = build_exif(rewriter.kept, frame)
        if exif is not None:
            parts.insert(insert_at, _segment(0xE1, _EXIF + exif))
    return Stripped(b"".join(parts), tuple(rewriter.blocks), evidence=evidence)


def undecodable_copy(data: bytes) -> bytes:
    """``data`` with an end-of-image marker written over the start of its first scan, so a
    decoder stops at once while every metadata byte stays where it was (see ``verify``)."""
    scan = jpeg.first_scan(data)
    if scan is None or scan.end + 2 > len(data):
        return data
    return data[: scan.end] + b"\xff\xd9" + data[scan.end + 2 :]
