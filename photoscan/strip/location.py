"""``--only location``: cut GPS and place names out of XMP and IPTC, leave the rest alone.

A full strip simply drops whole blocks; this mode has to edit inside them. XMP is re-serialised
without any property whose name says position or place (``exif:GPS*``, ``photoshop:City``,
``Iptc4xmpExt:LocationShown``...); IPTC-IIM keeps every dataset except the location ones.
Both parsers treat their input as hostile (defusedxml, bounded lengths); anything they cannot
parse is dropped whole rather than kept, so the mode fails towards removing too much.
"""

from __future__ import annotations

import io
import re
import struct
import xml.etree.ElementTree as std_et
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from photoscan.containers import irb
from photoscan.containers.tiff import (
    TAG_IPTC,
    TAG_PHOTOSHOP,
    TAG_XMP,
    TYPE_SIZES,
    Entry,
    TiffReader,
)
from photoscan.errors import CorruptFile
from photoscan.metadata.xmp import xmp as xmp_reader
from photoscan.strip.exif import drop_gps_ifd
from photoscan.strip.types import Refused

_LOCATION_NAME = re.compile(
    r"^(gps.*|.*latitude|.*longitude|.*altitude|location.*|city|state|country|countrycode"
    r"|countryname|sublocation|provincestate|worldregion|ciadrcity|ciadrctry|ciadrregion"
    r"|ciadrextadr|ciadrpcode)$",
    re.IGNORECASE,
)
_READER_LOCATION_NAMES = xmp_reader.LOCATION_NAMES
_IPTC_LOCATION_DATASETS = {26, 27, 90, 92, 95, 100, 101}
_XPACKET_HEAD = b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
_XPACKET_TAIL = b'\n<?xpacket end="w"?>'
MAX_XMP_BYTES = 16 * 1024 * 1024


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _is_location(name: str) -> bool:
    """A property name that says position or place: by its shape (``GPS*``, ``City``...) or
    because photoscan's XMP reader reports it as a location (``plus:LicensorCity``...)."""
    local = _local(name)
    return bool(_LOCATION_NAME.match(local)) or local.lower() in _READER_LOCATION_NAMES


def _prune(element: Element) -> bool:
    changed = False
    for key in [k for k in element.attrib if _is_location(k)]:
        del element.attrib[key]
        changed = True
    for child in list(element):
        if _is_location(child.tag):
            element.remove(child)
            changed = True
        elif _prune(child):
            changed = True
    return changed


def xmp_without_location(xmp: bytes) -> bytes | None:
    """The XMP packet without location properties; None when it had none.

    Raises ValueError when the packet cannot be parsed (the caller then drops it whole).
    """
    if len(xmp) > MAX_XMP_BYTES:
        raise ValueError("XMP packet too large")
    start = xmp.find(b"<x:xmpmeta")
    if start < 0:
        start = xmp.find(b"<rdf:RDF")
    end_tag = b"</x:xmpmeta>" if xmp[start : start + 10] == b"<x:xmpmeta" else b"</rdf:RDF>"
    end = xmp.find(end_tag, start)
    if start < 0 or end < 0:
        raise ValueError("no XMP root element")
    body = xmp[start : end + len(end_tag)]
    namespaces: list[tuple[str, str]] = []
    root: Element | None = None
    try:
        for event, item in iterparse(io.BytesIO(body), events=("start-ns", "end")):
            if event == "start-ns":
                namespaces.append(item)
            else:
                root = item
    except (ParseError, DefusedXmlException) as exc:
        raise ValueError(f"unreadable XMP: {exc}") from exc
    if root is None:
        raise ValueError("empty XMP")
    try:  # pruning and serialising recurse: a hostile packet nests thousands deep
        if not _prune(root):
            return None
        for prefix, uri in namespaces:
            try:
                std_et.register_namespace(prefix, uri)
            except ValueError:  # reserved prefixes like ns0: ElementTree renames them
                continue
        packet: bytes = std_et.tostring(root, encoding="utf-8", xml_declaration=False)
    except RecursionError:
        raise ValueError("XMP nested too deeply") from None
    return _XPACKET_HEAD + packet + _XPACKET_TAIL


def _iptc_without_location(iptc: bytes) -> bytes | None:
    """IPTC-IIM without its location datasets; None when it had none."""
    kept = bytearray()
    changed = False
    for item in irb.datasets(iptc):
        if item.record == 2 and item.dataset in _IPTC_LOCATION_DATASETS:
            changed = True
        else:
            kept += iptc[item.start : item.end]
    return bytes(kept) if changed else None


def irb_without_location(data: bytes) -> bytes | None:
    """A Photoshop image-resource block (APP13 payload after "Photoshop 3.0\\0") without the
    IPTC location datasets (and then without the stale IPTC digest) and without embedded
    EXIF/XMP copies; None if unchanged.

    Raises ValueError on a malformed block (the caller drops it whole).
    """
    try:  # (id, header without size, data)
        resources = [
            (r.id, data[r.start : r.body - 4], data[r.body : r.end])
            for r in irb.resources(data, strict=True)
        ]
    except CorruptFile as exc:
        raise ValueError(str(exc)) from None
    changed = False
    kept: list[tuple[int, bytes, bytes]] = []
    for rid, header, body in resources:
        if rid in (0x0422, 0x0424):  # EXIF copy, XMP copy
            changed = True
            continue
        if rid == irb.IPTC_RESOURCE and (filtered := _iptc_without_location(body)) is not None:
            changed = True
            body = filtered
        kept.append((rid, header, body))
    if not changed:
        return None
    out = bytearray()
    for rid, header, body in kept:
        if rid == 0x0425:  # IPTC digest: stale once IPTC changed
            continue
        out += header + struct.pack(">I", len(body)) + body + (b"\0" if len(body) % 2 else b"")
    return bytes(out)


def _shrink(out: bytearray, reader: TiffReader, entry: Entry, new: bytes) -> None:
    """Write ``new`` over ``entry``'s value in place (it is never longer) and fix the count."""
    unit = TYPE_SIZES.get(entry.type, 1)
    new = new + bytes(-len(new) % unit)
    if entry.size <= 4 or len(new) > entry.size:
        raise Refused("cannot rewrite TIFF metadata in place")
    out[entry.pos : entry.pos + entry.size] = new.ljust(entry.size, b"\0")
    struct.pack_into(reader.order + "I", out, entry.at + 4, len(new) // unit)


def tiff_without_location(data: bytes) -> tuple[bytes, tuple[str, ...]] | None:
    """A TIFF stream (a TIFF file or an EXIF block) without its GPS IFD and with the XMP,
    IPTC and Photoshop blocks of IFD0 rewritten without places, all in place: nothing else
    moves. None when there was nothing to remove; raises ``Refused`` when a rewrite does
    not fit, ``CorruptFile`` on a broken structure."""
    blocks: list[str] = []
    reader = TiffReader.parse(data)
    cut = drop_gps_ifd(data)
    if cut is not None:
        blocks.append("EXIF GPS")
        data = cut
        reader = TiffReader.parse(data)
    out = bytearray(data)
    entries, _ = reader.ifd(reader.first_ifd())
    for tag, label in ((TAG_XMP, "XMP location"), (TAG_PHOTOSHOP, "IPTC location")):
        entry = reader.find(entries, tag)
        if entry is None:
            continue
        value = reader.value(entry)
        try:
            rewrite = xmp_without_location if tag == TAG_XMP else irb_without_location
            new = rewrite(value)
        except ValueError:
            new = b""
        if new is not None:
            _shrink(out, reader, entry, new)
            blocks.append(label)
    iptc = reader.find(entries, TAG_IPTC)
    if iptc is not None:
        irb = b"8BIM\x04\x04\0\0" + struct.pack(">I", iptc.size) + reader.value(iptc)
        try:
            new_irb = irb_without_location(irb)
        except ValueError:
            new_irb = b"8BIM\x04\x04\0\0\0\0\0\0"
        if new_irb is not None:
            _shrink(out, reader, iptc, new_irb[12:])
            blocks.append("IPTC location")
    return (bytes(out), tuple(blocks)) if blocks else None
