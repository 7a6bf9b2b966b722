"""PhotoRecords for GUI tests, built the way the core builds them (risk from the real model)."""

from __future__ import annotations

from photoscan.model import (
    Face,
    Finding,
    FindingKind,
    Gps,
    PhotoRecord,
    Place,
    Severity,
)
from photoscan.risk import assess


def record(
    path: str,
    *,
    children: int = 0,
    adults: int = 0,
    gps: bool = False,
    place: str | None = None,
    repeated: bool = False,
    person: str | None = None,
    device: bool = False,
    thumbnail: bool = False,
    public: bool = False,
    assessed: bool = True,
) -> PhotoRecord:
    """A PhotoRecord as the core would build it (risk from the real risk model)."""
    faces = tuple(Face((10 + 60 * i, 10, 50 + 60 * i, 50), 6.0, True) for i in range(children))
    faces += tuple(Face((10 + 60 * i, 70, 50 + 60 * i, 110), 35.0, False) for i in range(adults))
    findings: list[Finding] = []
    if gps:
        findings.append(Finding(FindingKind.LOCATION, "EXIF:GPSLatitude", "52.1", Severity.HIGH))
    if person:
        findings.append(Finding(FindingKind.PERSON, "EXIF:Artist", person, Severity.HIGH))
    if device:
        findings.append(Finding(FindingKind.DEVICE, "EXIF:BodySerialNumber", "123", Severity.HIGH))
    if thumbnail:
        findings.append(
            Finding(FindingKind.THUMBNAIL, "EXIF:ThumbnailImage", "160x120", Severity.MEDIUM)
        )
    if public:
        findings.append(Finding(FindingKind.VISIBILITY, "Flickr:privacy", "public", Severity.HIGH))
    rec = PhotoRecord(
        path=path,
        format="JPEG",
        width=400,
        height=300,
        gps=Gps(52.1, 4.5, "exif") if gps else None,
        place=Place(place, "NL", repeated) if place else None,
        faces=faces,
        findings=tuple(findings),
        faces_scanned=True,
    )
    return assess(rec) if assessed else rec
