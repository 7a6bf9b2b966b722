"""Canon CIFF heaps → findings: old PowerShot JPEGs keep one in APP0, CRW RAW files are one.

The heap walk is ``containers.ciff``'s; ``identify`` turns the two tags that name someone
into findings: OwnerName (0x0810) and SerialNumber (0x180b). ``crw`` reads the camera model
and the previews of a whole CRW file on top.
"""

from __future__ import annotations

import struct

from photoscan.containers import ciff
from photoscan.metadata.base import Collector
from photoscan.model import FindingKind, Severity

MAX_TEXT = 4096  # owner names and serials are short; never copy more than this
_OWNER, _SERIAL = 0x0810, 0x180B


def read_ciff(payload: bytes, col: Collector) -> None:
    """Read an APP0 CIFF payload ("II" + header length + "HEAPJPGM" ...)."""
    found = ciff.header(payload, ciff.JPEG_SIGNATURE)
    if found is None:
        return
    order, start = found
    for tag_id, value in ciff.heap_values(payload, start, len(payload), order):
        identify(tag_id, bytes(value[:MAX_TEXT]), order, col)


def identify(tag_id: int, value: bytes, order: str, col: Collector) -> None:
    """Owner name and camera serial number, the CIFF values that identify someone."""
    if tag_id == _OWNER:
        owner = value.split(b"\x00", 1)[0]
        col.add(FindingKind.PERSON, "CIFF:OwnerName", owner, Severity.MEDIUM)
    elif tag_id == _SERIAL and len(value) >= 4:
        (serial,) = struct.unpack(order + "I", value[:4])
        if serial:
            col.add(FindingKind.DEVICE, "CIFF:SerialNumber", serial, Severity.MEDIUM)
