"""PNG: walk the chunks (skipping image data by its length) for text, Exif and XMP.

Text chunks are where PNG writers put everything: Author and Comment, the Adobe XMP packet
(iTXt "XML:com.adobe.xmp"), ImageMagick's hex-encoded Exif/IPTC ("Raw profile type …") and
AI-generator prompts. Compressed chunks are inflated with a hard cap (zip bombs). Chunks
after IDAT are read too: some writers put their metadata at the end.
"""

from __future__ import annotations

import struct

from photoscan.containers import png
from photoscan.containers.png import inflate, raw_profile
from photoscan.errors import CorruptFile
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.blocks import Blocks, add_iptc_or_irb, strip_exif_header
from photoscan.model import FindingKind, Severity

MAX_TEXT_BYTES = 4096
_XMP_KEYWORD = "XML:com.adobe.xmp"
# tEXt/zTXt/iTXt keywords (lower case) -> (kind, severity); others are plain text findings.
_KEYWORDS: dict[str, tuple[FindingKind, Severity]] = {
    "author": (FindingKind.PERSON, Severity.MEDIUM),
    "artist": (FindingKind.PERSON, Severity.MEDIUM),
    "creator": (FindingKind.PERSON, Severity.MEDIUM),
    "copyright": (FindingKind.TEXT, Severity.LOW),
    "software": (FindingKind.SOFTWARE, Severity.INFO),
    "creation time": (FindingKind.DATETIME, Severity.INFO),
    "source": (FindingKind.CAMERA, Severity.INFO),
    "date:create": (FindingKind.DATETIME, Severity.INFO),
    "date:modify": (FindingKind.DATETIME, Severity.INFO),
}
_SKIP_KEYWORDS = {"date:timestamp", "signature"}


def read_png(source: Source, col: Collector) -> Blocks:
    data = source.data
    blocks = Blocks()
    for index, chunk in enumerate(png.walk(data, warn=col.warn)):
        if index == 0 and chunk.type != b"IHDR":
            raise CorruptFile("PNG does not start with a header chunk")
        if chunk.type in (b"IDAT", b"IEND"):
            continue
        try:
            _chunk(chunk.type, data[chunk.body : chunk.end], blocks, col)
        except ValueError as exc:
            col.warn(f"PNG {chunk.type.decode('latin-1')} chunk could not be read: {exc}")
    return blocks


def _chunk(kind: bytes, body: bytes, blocks: Blocks, col: Collector) -> None:
    if kind == b"IHDR" and len(body) >= 8:
        col.width, col.height = struct.unpack(">II", body[:8])
    elif kind == b"eXIf":
        blocks.exif.append(strip_exif_header(body))
    elif kind == b"iCCP":
        _name, _, rest = body.partition(b"\x00")
        blocks.icc.append(inflate(rest[1:]))
    elif kind == b"tIME" and len(body) >= 7:
        year, month, day, hour, minute, second = struct.unpack(">HBBBBB", body[:7])
        stamp = f"{year:04d}:{month:02d}:{day:02d} {hour:02d}:{minute:02d}:{second:02d}"
        col.add(FindingKind.DATETIME, "PNG:ModifyDate", stamp, Severity.INFO)
    elif kind == b"tEXt":
        keyword, _, text = body.partition(b"\x00")
        _text(keyword.decode("latin-1"), text, blocks, col)
    elif kind == b"zTXt":
        keyword, _, rest = body.partition(b"\x00")
        _text(keyword.decode("latin-1"), inflate(rest[1:]), blocks, col)
    elif kind == b"iTXt":
        keyword, _, rest = body.partition(b"\x00")
        compressed = rest[:1] == b"\x01"
        _lang, _, rest = rest[2:].partition(b"\x00")
        _translated, _, text = rest.partition(b"\x00")
        _text(keyword.decode("latin-1"), inflate(text) if compressed else text, blocks, col)


def _text(keyword: str, text: bytes, blocks: Blocks, col: Collector) -> None:
    lower = keyword.lower()
    if keyword == _XMP_KEYWORD:
        blocks.xmp.append(text)
    elif lower.startswith("raw profile type "):
        profile = raw_profile(text)
        if profile is None:
            col.warn(f"PNG text '{keyword[:40]}' is not a valid raw profile")
        elif lower.endswith(("exif", "app1")):
            blocks.exif.append(strip_exif_header(profile))
        elif lower.endswith(("iptc", "8bim")):
            add_iptc_or_irb(blocks, profile)
        elif lower.endswith("xmp"):
            blocks.xmp.append(profile)
    elif lower not in _SKIP_KEYWORDS:
        kind, severity = _KEYWORDS.get(lower, (FindingKind.TEXT, Severity.LOW))
        shown = text[:MAX_TEXT_BYTES].decode("utf-8", "replace")  # AI workflows run to MBs
        col.add(kind, f"PNG:{keyword[:40]}", shown, severity)
