"""Vendor maker notes: the tags that name an owner, a child or a camera body.

A MakerNote is a private IFD with a vendor-specific header, byte order and offset base
(ExifTool's MakerNotes.pm documents them). We locate it, read only the few tags that identify
a person or a device, and never decode the rest: owner names (Canon, Pentax), serial numbers
(Canon, Nikon, Olympus, Pentax, Panasonic, Samsung, Sigma, Sony, Fujifilm, Motorola), image
and content ids (Canon, Apple), and — most sensitive — Panasonic's BabyName/BabyAge and the
names and ages of faces the camera was taught to recognise (Panasonic, Fujifilm; decoded
in ``makernote_records``). Vendor records are hostile, bounded input: a bad offset yields
nothing rather than an exception.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from photoscan.containers.tiff import Entry, TiffReader
from photoscan.metadata.base import Collector
from photoscan.metadata.exif import makernote_records as records
from photoscan.model import FindingKind, Severity
from photoscan.printable import decode_text

K = FindingKind
S = Severity
GROUP = "MakerNotes"
EXIF_OFFSET, MAKER_NOTE, MAKE_TAG, MODEL_TAG = 0x8769, 0x927C, 0x010F, 0x0110

Decoder = Callable[[TiffReader, Entry], str]

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


def _text(reader: TiffReader, entry: Entry) -> str:
    return reader.text(entry)


def _number(reader: TiffReader, entry: Entry) -> str:
    values = reader.ints(entry)
    return str(values[0]) if values and values[0] else reader.text(entry)


def _names(reader: TiffReader, entry: Entry) -> str:
    """Several NUL-separated names (Samsung's LocalLocationName), up to a double NUL."""
    raw = reader.raw(entry).split(b"\x00\x00", 1)[0]
    parts = (p.strip() for p in decode_text(raw).split("\x00"))
    return ", ".join(p for p in parts if p)


def _hex(reader: TiffReader, entry: Entry) -> str:
    raw = reader.raw(entry)[:64]
    return raw.hex() if raw.strip(b"\x00") else ""


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    kind: FindingKind
    severity: Severity
    decode: Decoder = _text


_SERIAL = Tag("SerialNumber", K.DEVICE, S.HIGH)
_INTERNAL = Tag("InternalSerialNumber", K.DEVICE, S.HIGH)

CANON = {
    0x0009: Tag("OwnerName", K.PERSON, S.HIGH),
    0x000C: Tag("SerialNumber", K.DEVICE, S.HIGH, _number),
    0x0028: Tag("ImageUniqueID", K.DEVICE, S.MEDIUM, _hex),
    0x0096: _INTERNAL,
}
NIKON = {0x001D: _SERIAL, 0x00A0: _SERIAL}
OLYMPUS = {0x0209: Tag("CameraID", K.DEVICE, S.LOW), 0x0404: _SERIAL}
OLYMPUS_EQUIPMENT = {
    0x0101: _SERIAL,
    0x0102: _INTERNAL,
    0x0202: Tag("LensSerialNumber", K.DEVICE, S.HIGH),
    0x0302: Tag("ExtenderSerialNumber", K.DEVICE, S.HIGH),
}
PANASONIC = {
    0x0025: _INTERNAL,
    0x0052: Tag("LensSerialNumber", K.DEVICE, S.HIGH),
    0x0067: Tag("Location", K.LOCATION, S.HIGH),
    0x0069: Tag("Country", K.LOCATION, S.MEDIUM),
    0x006B: Tag("State", K.LOCATION, S.MEDIUM),
    0x006D: Tag("City", K.LOCATION, S.HIGH),
    0x006F: Tag("Landmark", K.LOCATION, S.HIGH),
    0x0080: Tag("Title", K.TEXT, S.MEDIUM),
}
PENTAX = {
    0x0229: _SERIAL,
    0x022E: Tag("Artist", K.PERSON, S.HIGH),
    0x022F: Tag("Copyright", K.PERSON, S.MEDIUM),
}
SAMSUNG = {
    0x0030: Tag("LocalLocationName", K.LOCATION, S.HIGH, _names),
    0x0031: Tag("LocationName", K.LOCATION, S.HIGH),
    0x0123: Tag("FaceName", K.PERSON, S.HIGH),
    0xA002: _SERIAL,
    0xA005: Tag("InternalLensSerialNumber", K.DEVICE, S.HIGH),
}
SIGMA = {0x0002: _SERIAL}
SONY = {0x2031: _SERIAL}
FUJIFILM = {0x0010: _INTERNAL}
MOTOROLA = {0x5501: _SERIAL}
APPLE = {
    0x0011: Tag("ContentIdentifier", K.DEVICE, S.MEDIUM),
    0x0015: Tag("ImageUniqueID", K.DEVICE, S.MEDIUM),
    0x002B: Tag("PhotoIdentifier", K.DEVICE, S.MEDIUM),
}


@dataclass(frozen=True, slots=True)
class Note:
    """Where a vendor's IFD lives: a reader with the right base/byte order and the IFD offset."""

    vendor: str
    reader: TiffReader
    ifd: int


@dataclass(frozen=True, slots=True)
class Opened:
    """A maker note ready to read: its vendor, reader and entries."""

    vendor: str
    reader: TiffReader
    entries: dict[int, Entry]
    model: str = ""


def find_note_entry(reader: TiffReader) -> tuple[Entry, str] | None:
    """The MakerNote entry of the Exif IFD and "make\nmodel" of the camera, if there is one."""
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
    return note_entry, f"{make}\n{model}"


def open_note(reader: TiffReader, note_entry: Entry, camera: str) -> Opened | None:
    """Locate the vendor IFD and read its entries (retrying the other byte order: some
    editors rewrite a note's byte-order mark without converting its contents)."""
    make, _, model = camera.partition("\n")
    note = locate(reader, note_entry, make)
    if note is None:
        return None
    entries = note.reader.entries(note.ifd)
    if not entries:
        flipped = TiffReader(note.reader.data, note.reader.base, note.reader.order == ">")
        entries = flipped.entries(note.ifd)
        note = Note(note.vendor, flipped, note.ifd)
    if entries and note.vendor in _FIX_BASE:
        note, entries = _fix_base(note, entries)
    return Opened(note.vendor, note.reader, entries, model) if entries else None


_FIX_BASE = {"Samsung"}  # absolute offsets in some models, note-relative in others


def _fix_base(note: Note, entries: dict[int, Entry]) -> tuple[Note, dict[int, Entry]]:
    """ExifTool's FixBase: out-of-line values start right after the directory, so the
    first value's offset tells which base the writer used."""
    r = note.reader
    start = r.base + note.ifd
    data_start = start + 2 + 12 * r.u16(start) + 4
    outside = [e.pos for e in entries.values() if e.size > 4]
    if not outside or min(outside) == data_start:
        return note, entries
    delta = data_start - min(outside)
    fixed = TiffReader(r.data, r.base + delta, r.order == "<")
    fixed_entries = fixed.entries(note.ifd - delta)
    if not fixed_entries:
        return note, entries
    return Note(note.vendor, fixed, note.ifd - delta), fixed_entries


def read_makernotes(reader: TiffReader, col: Collector) -> None:
    """Find the MakerNote of the EXIF block ``reader`` reads and add its identifying tags."""
    found = find_note_entry(reader)
    if found is None:
        return
    note_entry, camera = found
    head = reader.data[note_entry.pos : note_entry.pos + 7]
    if head.startswith(b"\x01\xf1") or head == b"RECONYX":
        records.reconyx(reader, note_entry, col)
        return
    opened = open_note(reader, note_entry, camera)
    if opened is None:
        if locate(reader, note_entry, camera.partition("\n")[0]) is not None:
            col.warn(f"{GROUP}: unreadable maker note")
        return
    _emit(opened.reader, opened.entries, _TABLES.get(opened.vendor, {}), col)
    extra = _EXTRA.get(opened.vendor)
    if extra is not None:
        extra(opened, col)


def read_vendor_ifd(vendor: str, reader: TiffReader, ifd: int, col: Collector) -> None:
    """A maker-note IFD a container keeps on its own, outside any Exif IFD (Canon CR3 stores
    it as a TIFF of its own, the CMT3 box): the same tags as from a MakerNote entry."""
    entries = reader.entries(ifd)
    if not entries:
        return
    _emit(reader, entries, _TABLES.get(vendor, {}), col)
    extra = _EXTRA.get(vendor)
    if extra is not None:
        extra(Opened(vendor, reader, entries), col)


def locate(reader: TiffReader, entry: Entry, make: str) -> Note | None:
    """The vendor IFD inside a MakerNote value (headers per ExifTool's MakerNotes.pm)."""
    data, pos = reader.data, entry.pos
    head = data[pos : pos + 16]
    little = reader.order == "<"
    same = TiffReader(data, reader.base, little)

    def rel(base: int, order_at: int | None = None) -> TiffReader:
        if order_at is None:
            return TiffReader(data, base, little)
        return TiffReader(data, base, data[order_at : order_at + 2] == b"II")

    at = pos - reader.base  # the note's offset relative to the TIFF header
    if head.startswith(b"Apple iOS\x00"):
        return Note("Apple", rel(pos, pos + 12), 14)
    if head.startswith(b"Nikon\x00\x02"):
        sub = TiffReader.at_header(data, pos + 10)
        return Note("Nikon", sub, sub.first_ifd()) if sub else None
    if head.startswith(b"Nikon\x00\x01"):
        return Note("Nikon", same, at + 8)
    if head.startswith((b"FUJIFILM", b"GENERALE")):
        fuji = TiffReader(data, pos, True)
        return Note("FujiFilm", fuji, fuji.u32(pos + 8))
    if head.startswith(b"OLYMPUS\x00"):
        return Note("Olympus", rel(pos, pos + 8), 12)
    if head.startswith(b"OM SYSTEM\x00"):
        return Note("Olympus", rel(pos, pos + 12), 16)
    if head.startswith((b"OLYMP\x00", b"EPSON\x00")):
        return Note("Olympus", same, at + 8)
    if head.startswith(b"MOT\x00"):
        return Note("Motorola", _guess_order(data, pos, pos + 8), 8)
    if head.startswith(b"Panasonic\x00"):
        return Note("Panasonic", same, at + 12)
    if head.startswith(b"AOC\x00"):
        order = data[pos + 4 : pos + 6]
        pentax = rel(reader.base, pos + 4) if order in (b"II", b"MM") else same
        return Note("Pentax", pentax, at + 6)
    if head.startswith(b"PENTAX \x00"):
        return Note("Pentax", rel(pos, pos + 8), 10)
    if head.startswith((b"SIGMA\x00\x00\x00", b"FOVEON\x00\x00")):
        return Note("Sigma", same, at + 10)
    if head.startswith((b"SONY DSC ", b"SONY CAM ", b"SONY MOBILE")):
        return Note("Sony", same, at + 12)
    vendor = _vendor_from_make(make)
    return Note(vendor, same, at) if vendor else None


def _guess_order(data: bytes, base: int, ifd_pos: int) -> TiffReader:
    """A reader whose byte order gives the IFD at ``ifd_pos`` a plausible entry count."""
    little = TiffReader(data, base, True)
    big = TiffReader(data, base, False)
    return little if 0 < little.u16(ifd_pos) <= big.u16(ifd_pos) else big


def _vendor_from_make(make: str) -> str | None:
    """Maker notes without a header: a bare IFD, recognised by the camera make."""
    upper = make.upper()
    for prefix, vendor in (
        ("CANON", "Canon"),
        ("NIKON", "Nikon"),
        ("SAMSUNG", "Samsung"),
        ("SONY", "Sony"),
        ("MOTOROLA", "Motorola"),
        ("PENTAX", "Pentax"),
    ):
        if upper.startswith(prefix):
            return vendor
    return None


def _emit(
    reader: TiffReader, entries: dict[int, Entry], table: dict[int, Tag], col: Collector
) -> None:
    for tag_id, tag in table.items():
        entry = entries.get(tag_id)
        if entry is None:
            continue
        value = tag.decode(reader, entry).strip()
        if value.strip(" 0\x00") and value.lower() not in CAMERA_DEFAULT_TEXT:
            col.add(tag.kind, f"{GROUP}:{tag.name}", value, tag.severity)


def _olympus_extra(note: Opened, col: Collector) -> None:
    reader, entries = note.reader, note.entries
    equipment = reader.sub_ifd(entries, 0x2010)
    if equipment:
        _emit(reader, reader.entries(equipment), OLYMPUS_EQUIPMENT, col)


def _pentax_extra(note: Opened, col: Collector) -> None:
    reader, entries = note.reader, note.entries
    info = entries.get(0x0215)  # CameraInfo: ModelID, ManufactureDate, ProductionCode x2, serial
    if info is not None and info.size >= 20:
        fields = TiffReader(reader.data, info.pos, reader.order == "<")
        serial = fields.u32(info.pos + 16)
        if serial:
            col.add(K.DEVICE, f"{GROUP}:InternalSerialNumber", str(serial), S.HIGH)


_TABLES: dict[str, dict[int, Tag]] = {
    "Canon": CANON,
    "Nikon": NIKON,
    "Olympus": OLYMPUS,
    "Panasonic": PANASONIC,
    "Pentax": PENTAX,
    "Samsung": SAMSUNG,
    "Sigma": SIGMA,
    "Sony": SONY,
    "FujiFilm": FUJIFILM,
    "Motorola": MOTOROLA,
    "Apple": APPLE,
}
_EXTRA: dict[str, Callable[[Opened, Collector], None]] = {
    "Sony": lambda note, col: records.sony_serial(note.reader, note.entries, note.model, col),
    "Olympus": _olympus_extra,
    "Pentax": _pentax_extra,
    "Panasonic": lambda note, col: records.panasonic_people(note.reader, note.entries, col),
    "FujiFilm": lambda note, col: records.fujifilm_faces(note.reader, note.entries, col),
}


def preview_spans(reader: TiffReader) -> list[tuple[str, int, int]]:
    """(field, absolute start, length) of preview JPEGs stored in the maker note."""
    found = find_note_entry(reader)
    if found is None:
        return []
    opened = open_note(reader, *found)
    if opened is None:
        return []
    note, entries = opened.reader, opened.entries
    pairs: list[tuple[dict[int, Entry], int, int, TiffReader]] = []
    if opened.vendor == "Nikon":
        sub = note.sub_ifd(entries, 0x0011)  # PreviewIFD
        if sub:
            pairs.append((note.entries(sub), 0x0201, 0x0202, note))
    elif opened.vendor == "Pentax":
        pairs.append((entries, 0x0004, 0x0003, note))
    elif opened.vendor == "Olympus":
        pairs.append((entries, 0x0088, 0x0089, note))
        settings = note.sub_ifd(entries, 0x2020)
        if settings:
            pairs.append((note.entries(settings), 0x0101, 0x0102, note))
    elif opened.vendor == "Canon" and 0x00B6 in entries:
        info = note.ints(entries[0x00B6])
        if len(info) > 5:
            return [(f"{GROUP}:PreviewImage", note.base + info[5], info[2])]
    spans = []
    for table, start_tag, length_tag, r in pairs:
        start, length = table.get(start_tag), table.get(length_tag)
        if start is None or length is None:
            continue
        s, n = r.ints(start), r.ints(length)
        if s and n and n[0] > 0:
            spans.append((f"{GROUP}:PreviewImage", r.base + s[0], n[0]))
    return spans
