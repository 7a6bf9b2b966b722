"""IPTC-IIM (the newsroom record in JPEG APP13 / TIFF 33723) → findings.

IIM is a flat run of ``0x1C record dataset length value`` datasets (``containers.irb``
walks them, and the Photoshop resources that carry them). Record 2 holds what
matters here: who took the picture (By-line, Writer-Editor, Contact), where (City,
Sub-location, Province-State, Country), and free text (Caption, Keywords). Record 1:90 says
whether text is UTF-8; without it we try UTF-8 and fall back to Latin-1, as ExifTool does.
"""

from __future__ import annotations

from collections.abc import Iterator

from photoscan.containers import irb
from photoscan.containers.jpeg import PHOTOSHOP
from photoscan.metadata.base import Collector
from photoscan.model import FindingKind, Severity
from photoscan.printable import decode_text

K = FindingKind
S = Severity
GROUP = "IPTC"
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


def _decode(raw: bytes, utf8: bool) -> str:
    if utf8:
        return raw.decode("utf-8", "replace")
    return decode_text(raw)  # UTF-8, else Windows-1252 (ExifTool's default for IPTC)


def read_iptc(iim: bytes, col: Collector) -> None:
    """Add findings for the IPTC-IIM record-2 datasets in ``iim``."""
    utf8 = False
    found = False
    for item in irb.datasets(iim):
        record, dataset, raw = item.record, item.dataset, iim[item.body : item.end]
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


PHOTOSHOP_HEADER = PHOTOSHOP  # APP13's "Photoshop 3.0\0": the image resources follow


def irb_resources(block: bytes) -> Iterator[tuple[int, bytes]]:
    """(resource id, data) of each Photoshop image resource in ``block``."""
    for resource in irb.resources(block):
        yield resource.id, block[resource.body : resource.end]


def iim_from_photoshop_irb(block: bytes) -> bytes | None:
    """The IPTC-IIM data (resource 0x0404) of an APP13 Photoshop block, or None."""
    for res_id, data in irb_resources(block):
        if res_id == irb.IPTC_RESOURCE and data:
            return data
    return None
