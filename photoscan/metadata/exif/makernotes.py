"""Vendor maker notes: the tags that name an owner, a child, a place or a camera body.

A MakerNote is a private block whose header (or the camera's make) says how to read it;
``makernote_layouts`` lists the kinds ExifTool knows in its order, ``makernote_tags`` the
identifying tags of each vendor table, ``makernote_records`` the notes and records that are
not plain tag tables, ``makernote_bases`` ExifTool's fixes for notes an editor moved
(Canon's footer, FixBase, Leica's two bases). This module opens a note — start, offset base,
byte order — and reports the table's tags, following sub-IFDs and binary records. Vendor
notes are hostile, bounded input: every offset is checked, sub-IFDs nest at most
``MAX_DEPTH`` deep, and a bad note yields nothing rather than an exception.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from photoscan.containers.tiff import Entry, TiffReader
from photoscan.metadata.base import Collector
from photoscan.metadata.exif import makernote_bases as bases
from photoscan.metadata.exif import makernote_records as records
from photoscan.metadata.exif.makernote_layouts import Anchor, Layout, find_layout
from photoscan.metadata.exif.makernote_tags import TABLES, Record, SubIfd, Tag, alternatives

GROUP = "MakerNotes"
EXIF_OFFSET, MAKER_NOTE, MAKE_TAG, MODEL_TAG = 0x8769, 0x927C, 0x010F, 0x0110
MAX_DEPTH = 3
_POINTER_TYPES = (4, 13)  # LONG, IFD

# descriptions cameras write into every photo: they describe the camera, not the picture
CAMERA_DEFAULT_TEXT = frozenset(
    {
        "olympus digital camera",
        "sanyo digital camera",
        "minolta digital camera",
        "konica minolta digital camera",
        "kodak digital still camera",
        "leica digital camera",
        "pentax digital camera",
        "digital camera",
        "sony dsc",
        "samsung",
        "exif_jpeg_picture",
        "default",
        "null",
    }
)


@dataclass(frozen=True, slots=True)
class Opened:
    """A maker-note IFD ready to read: which table reads it, its reader and entries."""

    table: str
    reader: TiffReader
    entries: dict[int, Entry]
    model: str = ""


def find_note_entry(reader: TiffReader) -> tuple[Entry, str, str] | None:
    """The MakerNote entry of the Exif IFD, with the camera's make and model."""
    chain = reader.ifd_chain(limit=1)
    if not chain:
        return None
    ifd0 = reader.entries(chain[0])
    make_entry, model_entry = ifd0.get(MAKE_TAG), ifd0.get(MODEL_TAG)
    make = reader.text(make_entry) if make_entry else ""
    model = reader.text(model_entry) if model_entry else ""
    exif = reader.entries(reader.sub_ifd(ifd0, EXIF_OFFSET))
    note_entry = exif.get(MAKER_NOTE)
    if note_entry is None or note_entry.size < 8:
        return None
    return note_entry, make, model


def read_makernotes(reader: TiffReader, col: Collector) -> None:
    """Find the MakerNote of the EXIF block ``reader`` reads and add its identifying tags."""
    found = find_note_entry(reader)
    if found is None:
        return
    entry, make, model = found
    layout = find_layout(reader.data[entry.pos : entry.pos + 32], make, model)
    if layout is None:
        return
    if layout.binary:
        records.read_binary(layout.table, reader.raw(entry), col)
        return
    opened = open_note(reader, entry, layout, model)
    if opened is None:
        col.warn(f"{GROUP}: unreadable maker note ({layout.name})")
        return
    _read_table(opened, col, 0)


def read_vendor_ifd(vendor: str, reader: TiffReader, ifd: int, col: Collector) -> None:
    """A maker-note IFD a container keeps on its own, outside any Exif IFD (Canon CR3 stores
    it as a TIFF of its own, the CMT3 box): the same tags as from a MakerNote entry."""
    entries = reader.entries(ifd)
    if entries:
        _read_table(Opened(vendor, reader, entries), col, 0)


def open_note(reader: TiffReader, entry: Entry, layout: Layout, model: str) -> Opened | None:
    """The IFD of a maker note of this layout, with its offsets based right, or None."""
    data, pos, end = reader.data, entry.pos, entry.pos + entry.size
    little = reader.order == "<"
    base = {Anchor.TIFF: reader.base, Anchor.NOTE: pos, Anchor.FILE: 0}[layout.anchor]
    base += layout.shift
    if layout.tiff_header:
        sub = TiffReader.at_header(data, pos + layout.start)
        return _opened(layout, sub, sub.first_ifd(), model) if sub else None
    if layout.offset_at is not None:
        start = base + TiffReader(data, 0, True).u32(pos + layout.offset_at)
    elif layout.scan:
        located = bases.locate_ifd(data, pos, end, little)
        if located is None:
            return None
        start, little = located
    else:
        start = pos + layout.start
    little = bases.order(data, start, little, layout.order)
    if layout.count_gap:
        patched = bases.kodak_patched(data, pos, end, start, base, little)
        return _opened(layout, *patched, model) if patched else None
    note = TiffReader(data, base, little)
    ifd = start - base
    if layout.canon_footer:
        note, ifd = bases.canon_footer(note, ifd, pos, end)
    elif layout.leica_base:
        note, ifd = bases.leica_base(note, ifd)
    elif layout.fix_base:
        note, ifd = bases.fix_base(note, ifd)
    return _opened(layout, note, ifd, model)


def _opened(layout: Layout, reader: TiffReader, ifd: int, model: str) -> Opened | None:
    entries = reader.entries(ifd) if ifd >= 0 else {}
    return Opened(layout.table, reader, entries, model) if entries else None


def _read_table(note: Opened, col: Collector, depth: int) -> None:
    for tag_id, spec in TABLES.get(note.table, {}).items():
        entry = note.entries.get(tag_id)
        if entry is None:
            continue
        raw = note.reader.raw(entry)
        for alt in alternatives(spec):
            if _applies(alt, note.model, raw):
                _apply(alt, note, entry, raw, col, depth)
                break
    hook = _HOOKS.get(note.table)
    if hook is not None:
        hook(note, col)


def _applies(spec: Tag | Record | SubIfd, model: str, raw: bytes) -> bool:
    if isinstance(spec, SubIfd):
        return raw[: len(spec.header)] == spec.header or len(raw) <= 4
    if spec.model is not None and not spec.model.search(model):
        return False
    return spec.value is None or spec.value.match(raw) is not None


def _apply(
    spec: Tag | Record | SubIfd,
    note: Opened,
    entry: Entry,
    raw: bytes,
    col: Collector,
    depth: int,
) -> None:
    little = note.reader.order == "<"
    if isinstance(spec, Tag):
        _add(spec, spec.decode(raw, entry.type, little), col)
    elif isinstance(spec, Record):
        _record(spec, raw, little, note.model, col)
    elif depth < MAX_DEPTH:
        sub = _sub_ifd(note, entry, spec)
        if sub is not None:
            _read_table(sub, col, depth + 1)


def _record(spec: Record, raw: bytes, little: bool, model: str, col: Collector) -> None:
    if spec.decipher:
        raw = records.sony_decipher(raw)
    if spec.little is not None:
        little = spec.little
    for field in spec.fields:
        chunk = raw[field.offset :] if field.length < 0 else raw[field.offset :][: field.length]
        if not chunk or (field.length > 0 and len(chunk) < field.length):
            continue
        if _applies(field.tag, model, chunk):
            _add(field.tag, field.tag.decode(chunk, field.type, little), col)


def _sub_ifd(note: Opened, entry: Entry, spec: SubIfd) -> Opened | None:
    """The IFD a SubIfd tag holds: at the offset it stores, or inline in its value."""
    reader = note.reader
    little = reader.order == "<"
    if entry.type in _POINTER_TYPES and entry.values == 1:
        if not reader.u32(entry.pos):
            return None  # a zero offset: the camera wrote the tag without the IFD
        start, base = reader.base + reader.u32(entry.pos) + spec.skip, reader.base
    else:
        start = entry.pos + spec.skip
        base = entry.pos if spec.own_base else reader.base
    little = bases.order(reader.data, start, little, spec.order)
    sub = TiffReader(reader.data, base, little)
    entries = sub.entries(start - base) if start >= base else {}
    return Opened(spec.table, sub, entries, note.model) if entries else None


# what cameras store in an owner or serial field nobody filled in
_PLACEHOLDERS = frozenset({"unknown", "none", "n/a", "not set", "owner", "serial number"})


def _add(tag: Tag, value: str, col: Collector) -> None:
    value = value.strip()
    low = value.lower()
    if value.strip(" 0\x00-") and low not in CAMERA_DEFAULT_TEXT and low not in _PLACEHOLDERS:
        col.add(tag.kind, f"{GROUP}:{tag.name}", value, tag.severity)


_HOOKS: dict[str, Callable[[Opened, Collector], None]] = {
    "Panasonic": lambda note, col: records.panasonic_people(note.reader, note.entries, col),
    "FujiFilm": lambda note, col: records.fujifilm_faces(note.reader, note.entries, col),
}


def preview_spans(reader: TiffReader) -> list[tuple[str, int, int]]:
    """(field, absolute start, length) of preview JPEGs stored in the maker note."""
    found = find_note_entry(reader)
    if found is None:
        return []
    entry, make, model = found
    layout = find_layout(reader.data[entry.pos : entry.pos + 32], make, model)
    if layout is None and reader.data[entry.pos : entry.pos + 3] == b"\xff\xd8\xff":
        return [(f"{GROUP}:PreviewImage", entry.pos, entry.size)]  # the whole note is one
    opened = None if layout is None or layout.binary else open_note(reader, entry, layout, model)
    if opened is None:
        return []
    return _previews(opened)


# table -> (pointer tag of a sub-IFD or 0 for the note itself, start tag, length tag)
_PREVIEW_TAGS: dict[str, tuple[tuple[int, int, int], ...]] = {
    "Nikon": ((0x0011, 0x0201, 0x0202),),
    "Pentax": ((0, 0x0004, 0x0003),),
    "Olympus": ((0, 0x0088, 0x0089), (0x2020, 0x0101, 0x0102)),
    "Minolta": ((0, 0x0088, 0x0089),),
    "Casio2": ((0, 0x0004, 0x0003),),
}


def _previews(note: Opened) -> list[tuple[str, int, int]]:
    reader, entries = note.reader, note.entries
    field = f"{GROUP}:PreviewImage"
    if note.table == "Canon" and 0x00B6 in entries:
        info = reader.ints(entries[0x00B6])
        return [(field, reader.base + info[5], info[2])] if len(info) > 5 else []
    spans = []
    if note.table == "Casio2" and 0x2000 in entries:  # the preview itself, inline
        blob = entries[0x2000]
        spans.append((field, blob.pos, blob.size))
    for pointer, start_tag, length_tag in _PREVIEW_TAGS.get(note.table, ()):
        table = note
        if pointer:
            sub = (
                _sub_ifd(note, entries[pointer], SubIfd(note.table)) if pointer in entries else None
            )
            if sub is None:
                continue
            table = sub
        start, length = table.entries.get(start_tag), table.entries.get(length_tag)
        if start is None or length is None:
            continue
        s, n = table.reader.ints(start), table.reader.ints(length)
        if s and n and n[0] > 0:
            spans.append((field, table.reader.base + s[0], n[0]))
    return spans
