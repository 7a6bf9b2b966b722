"""What every container walker hands on: the metadata blocks it found, still undecoded.

A format reader (``jpeg``, ``png``, ``webp``, ``gif``, ``heif``, ``tiff``...) reads only the
container's structure: where the Exif, XMP, IPTC and Photoshop blocks are, and the image
size from the header. Decoding those blocks is the readers' job (``exif``, ``xmp``,
``iptc``), so each block format is parsed in one place whatever container carried it.
Free text a container holds itself (JPEG COM, PNG text, GIF comments) goes straight into
the collector. The walks themselves are ``photoscan.containers``'s: a reader raises
``CorruptFile`` only when the root structure is unreadable; damage later in the file becomes
a warning and whatever was read before it is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EXIF_HEADER = b"Exif\x00"


@dataclass(slots=True)
class Blocks:
    """Metadata blocks found in one file, in file order."""

    exif: list[bytes] = field(default_factory=list)  # TIFF-structured, from "II*\0"/"MM\0*"
    xmp: list[bytes] = field(default_factory=list)  # whole packets
    iptc: list[bytes] = field(default_factory=list)  # IPTC-IIM datasets (0x1C ...)
    irb: list[bytes] = field(default_factory=list)  # Photoshop image resource blocks ("8BIM")
    icc: list[bytes] = field(default_factory=list)  # whole ICC profiles (JPEG chunks joined)


def strip_exif_header(data: bytes) -> bytes:
    """Exif payloads come with or without the "Exif\\0\\0" prefix, depending on the writer."""
    if data.startswith(EXIF_HEADER):
        return data[6:]
    return data


def add_iptc_or_irb(blocks: Blocks, data: bytes) -> None:
    """Sort an IPTC-ish payload: Photoshop resources start "8BIM", IIM datasets 0x1C."""
    if data[:4] == b"8BIM":
        blocks.irb.append(data)
    elif data[:1] == b"\x1c":
        blocks.iptc.append(data)
