"""The shape every metadata reader shares: a ``Source`` in, findings into a ``Collector``.

Readers work on bytes, not paths, so the same code reads a file on disk and a member of a
``.zip`` export. Metadata is hostile input: values are bounded and stripped of control
characters here, once, before anything shows or stores them.
"""

from __future__ import annotations

import math

from photoscan.model import Extraction, Finding, FindingKind, Gps, ImageFormat, Severity
from photoscan.printable import decode_text
from photoscan.tuples import NamedTuple

MAX_VALUE_CHARS = 300
# Control characters, zero-width and bidirectional marks: deleted (str.translate, not a
# regular expression: compiling one costs more at start-up than a strip of a small video).
_CONTROL = dict.fromkeys(
    [
        *range(0x00, 0x09),
        *range(0x0B, 0x20),
        *range(0x7F, 0xA0),
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
)


class Source(NamedTuple):
    """One image's bytes and what ``source.sniff`` made of them."""

    name: str  # relative path for messages (never trusted as a format hint beyond labels)
    data: bytes
    fmt: ImageFormat
    label: str = ""


def clean_text(value: object, limit: int = MAX_VALUE_CHARS) -> str:
    """A printable, bounded, single-line rendering of a metadata value."""
    text = decode_text(value) if isinstance(value, bytes) else str(value)
    text = text.translate(_CONTROL).replace("\r", " ").replace("\n", " ").replace("\t", " ")
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def valid_coordinates(lat: float, lon: float) -> bool:
    """False for NaN/inf, out-of-range values and the (0, 0) "null island" placeholder."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return False
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return False
    return not (lat == 0.0 and lon == 0.0)


class Collector:
    """Accumulates what the readers of one file find; ``build`` makes the frozen result."""

    __slots__ = ("_seen", "findings", "fmt", "gps_candidates", "height", "warnings", "width")

    def __init__(self, fmt: ImageFormat, width: int | None = None, height: int | None = None):
        self.fmt = fmt
        self.width = width
        self.height = height
        self.findings: list[Finding] = []
        self.gps_candidates: list[Gps] = []
        self.warnings: list[str] = []
        self._seen: set[tuple[FindingKind, str, str]] = set()

    def add(self, kind: FindingKind, field_name: str, value: object, severity: Severity) -> None:
        text = clean_text(value)
        if not text:
            return
        key = (kind, field_name, text)  # the member, not .value (an enum descriptor: slow)
        if key in self._seen:
            return
        self._seen.add(key)
        self.findings.append(Finding(kind, field_name, text, severity))

    def add_gps(
        self,
        lat: float,
        lon: float,
        source: str,
        altitude: float | None = None,
        field_name: str = "GPS",
    ) -> bool:
        """Record a position; an invalid one becomes an 'invalid GPS' finding instead.

        Returns whether the position was valid.
        """
        if valid_coordinates(lat, lon):
            self.gps_candidates.append(Gps(round(lat, 7), round(lon, 7), source, altitude))
            return True
        self.add(FindingKind.LOCATION, f"{field_name} (invalid)", f"{lat}, {lon}", Severity.LOW)
        return False

    def warn(self, message: str) -> None:
        text = clean_text(message)
        if text and text not in self.warnings:
            self.warnings.append(text)

    def build(self) -> Extraction:
        return Extraction(
            format=self.fmt,
            width=self.width,
            height=self.height,
            findings=tuple(self.findings),
            gps=self.gps_candidates[0] if self.gps_candidates else None,
            warnings=tuple(self.warnings),
        )
