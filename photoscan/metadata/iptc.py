"""IPTC-IIM (the newsroom record in JPEG APP13 / TIFF 33723) → findings.

IIM is a flat run of ``0x1C record dataset length value`` datasets. Record 2 holds what
matters here: who took the picture (By-line, Writer-Editor, Contact), where (City,
Sub-location, Province-State, Country), and free text (Caption, Keywords). Record 1:90 says
whether text is UTF-8; without it we try UTF-8 and fall back to Latin-1, as ExifTool does.
Lengths come from the file, so every read is bounded by the buffer.
"""

from __future__ import annotations

from collections.abc import Iterator

from photoscan.metadata.base import Collector, decode_text
from photoscan.model import FindingKind, Severity

K = FindingKind
S = Severity
GROUP = "IPTC"
MAX_DATASETS = 4096
_UTF8_ESCAPES = (b"\x1b%G", b"\x1b%/G", b"\x1b%/I")

# record 2 dataset -> (ExifTool name, kind, severity)
RECORD2: dict[int, tuple[str, FindingKind, Severity]] = {
    5: ("ObjectName", K.TEXT, S.LOW),
    15: ("Category", K.TEXT, S.LOW),
    20: ("SupplementalCategories", K.TEXT, S.LOW),
    25: ("Keywords", K.TEXT, S.LOW),
    26: ("ContentLocationCode", K.LOCATION, S.LOW),
    27: ("ContentLocationName", K.LOCATION, S.HIGH),
    40: ("SpecialInstructions", K.TEXT, S.LOW),
    55: ("DateCreated", K.DATETIME, S.LOW),
    60: ("TimeCreated", K.DATETIME, S.LOW),
    62: ("DigitalCreationDate", K.DATETIME, S.LOW),
    65: ("OriginatingProgram", K.SOFTWARE, S.INFO),
    80: ("By-line", K.PERSON, S.HIGH),
    85: ("By-lineTitle", K.TEXT, S.LOW),
    90: ("City", K.LOCATION, S.MEDIUM),
    92: ("Sub-location", K.LOCATION, S.HIGH),
    95: ("Province-State", K.LOCATION, S.MEDIUM),
    100: ("Country-PrimaryLocationCode", K.LOCATION, S.LOW),
    101: ("Country-PrimaryLocationName", K.LOCATION, S.LOW),
    103: ("OriginalTransmissionReference", K.HISTORY, S.LOW),
    105: ("Headline", K.TEXT, S.MEDIUM),
    110: ("Credit", K.PERSON, S.LOW),  # often an agency, as in the XMP reader
    115: ("Source", K.TEXT, S.LOW),
    116: ("CopyrightNotice", K.PERSON, S.LOW),
    118: ("Contact", K.PERSON, S.HIGH),
    120: ("Caption-Abstract", K.TEXT, S.MEDIUM),
    122: ("Writer-Editor", K.PERSON, S.HIGH),
}


def datasets(iim: bytes) -> Iterator[tuple[int, int, bytes]]:
    """(record, dataset, value) for each well-formed dataset; stops at the first garbage."""
    pos, end, n = 0, len(iim), 0
    while pos + 5 <= end and n < MAX_DATASETS:
        if iim[pos] != 0x1C:
            # some writers pad with NULs between blocks; anything else ends the data
            if iim[pos] == 0:
                pos += 1
                continue
            return
        record, dataset = iim[pos + 1], iim[pos + 2]
        length = (iim[pos + 3] << 8) | iim[pos + 4]
        pos += 5
        if length & 0x8000:  # extended dataset: the next (length & 0x7FFF) bytes hold the size
            size_len = length & 0x7FFF
            if size_len > 4 or pos + size_len > end:
                return
            length = int.from_bytes(iim[pos : pos + size_len], "big")
            pos += size_len
        if pos + length > end:
            length = end - pos  # truncated: keep what is there
        yield record, dataset, iim[pos : pos + length]
        pos += length
        n += 1


def _decode(raw: bytes, utf8: bool) -> str:
    if utf8:
        return raw.decode("utf-8", "replace")
    return decode_text(raw)  # UTF-8, else Windows-1252 (ExifTool's default for IPTC)


def read_iptc(iim: bytes, col: Collector) -> None:
    """Add findings for the IPTC-IIM record-2 datasets in ``iim``."""
    utf8 = False
    found = False
    for record, dataset, raw in datasets(iim):
        found = True
        if record == 1 and dataset == 90:
            utf8 = raw.strip() in _UTF8_ESCAPES
            continue
        if record != 2:
            continue
        spec = RECORD2.get(dataset)
        if spec is None:
            continue
        name, kind, severity = spec
        col.add(kind, f"{GROUP}:{name}", _decode(raw.rstrip(b"\x00"), utf8), severity)
    if iim and not found:
        col.warn("IPTC: unreadable IPTC-IIM block")


PHOTOSHOP_HEADER = b"Photoshop 3.0\x00"
# Resource signatures: Photoshop's "8BIM" and those other editors wrote (ExifTool reads all).
IRB_SIGNATURES = (b"8BIM", b"PHUT", b"DCSR", b"AgHg")


def irb_resources(irb: bytes) -> Iterator[tuple[int, bytes]]:
    """(resource id, data) of each Photoshop image resource ("8BIM" blocks) in ``irb``."""
    pos = len(PHOTOSHOP_HEADER) if irb.startswith(PHOTOSHOP_HEADER) else 0
    end = len(irb)
    while pos + 12 <= end and irb[pos : pos + 4] in IRB_SIGNATURES:
        res_id = int.from_bytes(irb[pos + 4 : pos + 6], "big")
        name_len = irb[pos + 6]
        pos += 6 + name_len + 1
        pos += pos % 2  # the Pascal name (with its length byte) is padded to even size
        if pos + 4 > end:
            return
        size = int.from_bytes(irb[pos : pos + 4], "big")
        pos += 4
        if pos + size > end:
            size = end - pos
        yield res_id, irb[pos : pos + size]
        pos += size + (size % 2)


def iim_from_photoshop_irb(irb: bytes) -> bytes | None:
    """The IPTC-IIM data (resource 0x0404) of an APP13 Photoshop block, or None."""
    for res_id, data in irb_resources(irb):
        if res_id == 0x0404 and data:
            return data
    return None
