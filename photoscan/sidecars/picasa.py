"""Picasa's ``.picasa.ini``: face rectangles per photo, and who they are.

Picasa stores, per folder, a section per file with ``faces=rect64(<16 hex>),<contact id>;…``
and a ``[Contacts2]`` section mapping contact ids to ``Name;;``. ``rect64`` packs left, top,
right and bottom as 16-bit fractions of the image size. A face rectangle with a known contact
is a named person in the photo — exactly what face-recognition datasets are labelled with —
so it becomes a ``person`` finding; an unnamed one a ``face_region`` finding.
"""

from __future__ import annotations

import configparser
import re

from photoscan.errors import CorruptFile
from photoscan.metadata.base import clean_text
from photoscan.model import Finding, FindingKind, Severity

UNKNOWN_CONTACT = "ffffffffffffffff"
MAX_FACES = 100
_RECT = re.compile(r"rect64\(([0-9a-fA-F]{1,16})\)")


def parse_rect64(hex_value: str) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) as fractions 0..1 of the image size."""
    value = int(hex_value, 16)
    parts = [(value >> shift) & 0xFFFF for shift in (48, 32, 16, 0)]
    left, top, right, bottom = (p / 65535.0 for p in parts)
    return left, top, right, bottom


def _parser(data: bytes) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(data.decode("utf-8", errors="replace"))
    except configparser.Error as exc:
        raise CorruptFile(f"unreadable .picasa.ini ({type(exc).__name__})") from exc
    return parser


def contacts(parser: configparser.RawConfigParser) -> dict[str, str]:
    out: dict[str, str] = {}
    for section in ("Contacts2", "Contacts"):
        if parser.has_section(section):
            for key, value in parser.items(section):
                name = clean_text(value.split(";", 1)[0], 120)
                if name:
                    out[key.lower()] = name
    return out


def read_picasa(data: bytes, photo_name: str) -> tuple[Finding, ...]:
    """Findings the ini holds for ``photo_name`` (its section is matched case-insensitively)."""
    parser = _parser(data)
    section = next((s for s in parser.sections() if s.lower() == photo_name.lower()), None)
    if section is None or not parser.has_option(section, "faces"):
        return ()
    names = contacts(parser)
    findings: list[Finding] = []
    for entry in parser.get(section, "faces").split(";")[:MAX_FACES]:
        rect_text, _, contact = entry.strip().partition(",")
        match = _RECT.search(rect_text)
        if not match:
            continue
        left, top, right, bottom = parse_rect64(match[1])
        where = f"x {left:.0%}–{right:.0%}, y {top:.0%}–{bottom:.0%}"
        findings.append(Finding(FindingKind.FACE_REGION, "Picasa:faces", where, Severity.MEDIUM))
        name = names.get(contact.strip().lower())
        if name and contact.strip().lower() != UNKNOWN_CONTACT:
            findings.append(Finding(FindingKind.PERSON, "Picasa:faces", name, Severity.HIGH))
    return tuple(dict.fromkeys(findings))
