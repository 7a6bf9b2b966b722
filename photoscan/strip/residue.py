"""Metadata left in bytes a strip copies without parsing them: the last check, fail closed.

A lossless strip copies what it cannot read as metadata without looking inside: a JPEG's
entropy-coded scans, a HEIF's media data. A spliced or damaged file can hold a whole EXIF
block or XMP packet there (a second copy of an item, the tail of another file's XMP), which
no reader shows but a carving tool finds. Such bytes cannot be removed without knowing where
the image data really ends, so the strip refuses the file (as damaged) instead of copying
them.

The signatures are long and specific (at least 6 bytes of a container's own header or of
XMP's vocabulary): coded image data matches one by chance about once in 2^48 positions, so a
real photo is never refused for its pixels.
"""

from __future__ import annotations

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"Exif\0\0", "EXIF"),
    (b"II*\0\x08\0\0\0", "EXIF"),  # a TIFF header whose first IFD follows it (EXIF's layout)
    (b"MM\0*\0\0\0\x08", "EXIF"),
    (b"<?xpacket", "XMP"),
    (b"<x:xmpmeta", "XMP"),
    (b"http://ns.adobe.com/", "XMP"),
    (b"rdf:Description", "XMP"),
    (b"GPSLatitude", "XMP"),
    (b"GPSLongitude", "XMP"),
    (b"Photoshop 3.0\0", "IPTC"),
    (b"8BIM\x04\x04", "IPTC"),
)


def metadata_in(data: bytes | bytearray, start: int = 0, end: int | None = None) -> str | None:
    """The kind of metadata ("EXIF", "XMP", "IPTC") whose signature is in
    ``data[start:end]``, or None (searched in place: nothing is copied)."""
    stop = len(data) if end is None else end
    for signature, kind in _SIGNATURES:
        if data.find(signature, start, stop) >= 0:
            return kind
    return None


def refusal(kind: str, where: str) -> str:
    """The per-file reason for a strip that found ``kind`` ``where`` ("inside the image
    data")."""
    return f"{kind} metadata {where}, where no reader sees it (a damaged or spliced file)"
