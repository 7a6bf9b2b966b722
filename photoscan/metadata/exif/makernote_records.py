"""Maker-note records that are not plain tag tables: the ones that name people and children.

Panasonic cameras store a BabyName/BabyAge ("or pet") and, with face recognition, the
names and ages of people the owner registered (FaceRecInfo); Fujifilm stores registered
faces with a name and a birthday; Sony enciphers some blocks with a byte substitution. Some
notes are no IFD at all: Reconyx trail cameras, HP PhotoSmart, older Kodak and Phase One
write binary records or text. Layouts follow ExifTool's Panasonic.pm, FujiFilm.pm, Sony.pm,
Reconyx.pm, HP.pm, Kodak.pm and PhaseOne.pm. Every offset is checked against the data.
"""

from __future__ import annotations

import re
import struct
from functools import cache

from photoscan.containers.tiff import Entry, TiffReader
from photoscan.metadata.base import Collector
from photoscan.model import FindingKind, Severity
from photoscan.printable import decode_text

K = FindingKind
S = Severity
GROUP = "MakerNotes"

_NOT_SET = "9999:99:99"


def _age_years(age: str) -> int | None:
    """Panasonic ages are "YYYY:MM:DD ..." spans (years:months:days); None when not set."""
    if not age or age.startswith(_NOT_SET) or not age[:4].isdigit():
        return None
    return int(age[:4])


def _add_age(col: Collector, field: str, age: str, who: str = "") -> None:
    years = _age_years(age)
    if years is None:
        return
    label = f"{who}: {age}" if who else age
    col.add(K.PERSON, f"{GROUP}:{field}", label, S.HIGH)
    if years < 18:
        col.add(K.MINOR, f"{GROUP}:{field}", label, S.HIGH)


def panasonic_people(reader: TiffReader, entries: dict[int, Entry], col: Collector) -> None:
    """BabyName/BabyAge ("or pet") and FaceRecInfo: people the camera was taught to name."""
    name_entry = entries.get(0x0066)
    baby = reader.text(name_entry) if name_entry else ""
    if baby:
        col.add(K.PERSON, f"{GROUP}:BabyName", baby, S.HIGH)
        col.add(K.MINOR, f"{GROUP}:BabyName", baby, S.HIGH)
    for tag_id in (0x0033, 0x8010):
        entry = entries.get(tag_id)
        if entry is not None:
            _add_age(col, "BabyAge", reader.text(entry), baby)
    faces = entries.get(0x0061)
    if faces is None or faces.size < 52:
        return
    raw = reader.raw(faces)
    count = min(reader.u16(faces.pos), 3)
    for i in range(count):
        base = 48 * i
        name = decode_text(raw[base + 4 : base + 24].split(b"\x00", 1)[0]).strip()
        age = raw[base + 32 : base + 52].split(b"\x00", 1)[0].decode("ascii", "replace")
        field = f"RecognizedFace{i + 1}"
        if name:
            col.add(K.PERSON, f"{GROUP}:{field}Name", name, S.HIGH)
        _add_age(col, f"{field}Age", age.strip(), name)


def _capture_year(col: Collector) -> int | None:
    """The year the photo was taken, from the EXIF dates already collected."""
    for finding in col.findings:
        if (
            finding.field.endswith(("DateTimeOriginal", "CreateDate"))
            and finding.value[:4].isdigit()
        ):
            return int(finding.value[:4])
    return None


def fujifilm_faces(reader: TiffReader, entries: dict[int, Entry], col: Collector) -> None:
    """FaceRecInfo (0x4282): records of (offset, length) with a name and a birthday each."""
    info = entries.get(0x4282)
    if info is None:
        return
    raw = reader.raw(info)
    pos, end = 0, len(raw)
    for i in range(1, 9):
        if pos + 8 > end:
            break
        off = int.from_bytes(raw[pos : pos + 4], "little")
        size = int.from_bytes(raw[pos + 4 : pos + 8], "little")
        pos += 8
        if size < 62 or off + size > end:
            break
        record = raw[off : off + 62]
        n = int.from_bytes(record[30:34], "little")
        p = int.from_bytes(record[34:38], "little")
        if n and p + n <= end:
            name = decode_text(raw[p : p + n].split(b"\x00", 1)[0])
            col.add(K.PERSON, f"{GROUP}:Face{i}Name", name, S.HIGH)
        n = int.from_bytes(record[54:58], "little")
        p = int.from_bytes(record[58:62], "little")
        if n and p + n <= end:
            birthday = raw[p : p + n].split(b"\x00", 1)[0].decode("ascii", "replace")
            col.add(K.PERSON, f"{GROUP}:Face{i}Birthday", birthday, S.HIGH)
            taken = _capture_year(col)
            if taken is not None and birthday[:4].isdigit() and 0 <= taken - int(birthday[:4]) < 18:
                col.add(K.MINOR, f"{GROUP}:Face{i}Birthday", birthday, S.HIGH)


def _fixed_text(raw: bytes, offset: int, length: int, utf16: bool = False) -> str:
    chunk = raw[offset : offset + (2 * length if utf16 else length)]
    text = chunk.decode("utf-16-le", "replace") if utf16 else decode_text(chunk)
    return text.split("\x00", 1)[0].strip()


def _serial(col: Collector, value: str, field: str = "SerialNumber") -> None:
    if value.strip(" 0"):
        col.add(K.DEVICE, f"{GROUP}:{field}", value, S.HIGH)


# Reconyx trail cameras (Reconyx.pm): (offset, characters, UCS-2?) of the serial number
_RECONYX = {
    "reconyx_hyperfire": (0x15 * 2, 15, True),  # an int16u table: entry 0x15 is byte 42
    "reconyx_ultrafire": (0x4B, 15, False),
    "reconyx_hyperfire2": (0x7E, 15, True),
    "reconyx_microfire": (0x8C, 15, True),
    "reconyx_hyperfire4k": (0x84, 15, False),
}
_HP_SERIAL = {"hp4": 0x5C, "hp6": 0x58}  # HP PhotoSmart binary notes: "SERIAL NUMBER:..."
_TEXT_SERIAL = re.compile(rb"Serial Number:\s*([\x20-\x7e]+)", re.IGNORECASE)
BINARY_KINDS = frozenset({*_RECONYX, *_HP_SERIAL, "hp_text", "kodak7", "phase_one"})


def read_binary(kind: str, raw: bytes, col: Collector) -> None:
    """Maker notes that are not IFDs, named by ``makernote_layouts`` (``Layout.table``)."""
    if kind in _RECONYX:
        _serial(col, _fixed_text(raw, *_RECONYX[kind]))
    elif kind in _HP_SERIAL:
        value = _fixed_text(raw, _HP_SERIAL[kind], 26)
        if value.startswith("SERIAL NUMBER:"):
            _serial(col, value.removeprefix("SERIAL NUMBER:").strip())
    elif kind == "hp_text":
        match = _TEXT_SERIAL.search(raw[:4096])
        if match:
            _serial(col, decode_text(match.group(1)).strip())
    elif kind == "kodak7":
        _serial(col, _fixed_text(raw, 0, 16))
    elif kind == "phase_one":
        _phase_one(raw, col)


def _phase_one(raw: bytes, col: Collector) -> None:
    """Phase One IIQ notes (PhaseOne.pm): "IIII"/"MMMM", a directory offset at 8, then a
    32-bit entry count and 16-byte entries (tag, format size, size, value or offset)."""
    order = "<" if raw[:4] == b"IIII" else ">"
    if len(raw) < 12:
        return
    start = struct.unpack_from(order + "I", raw, 8)[0]
    if start + 8 > len(raw):
        return
    count = struct.unpack_from(order + "I", raw, start)[0]
    if not 2 <= count <= 300 or start + 8 + 16 * count > len(raw):
        return
    for i in range(count):
        tag, _fmt, size, value = struct.unpack_from(order + "4I", raw, start + 8 + 16 * i)
        if tag != 0x0102 or size > 256:
            continue
        inline = size <= 4
        chunk = struct.pack(order + "I", value)[:size] if inline else raw[value : value + size]
        _serial(col, decode_text(chunk.split(b"\x00", 1)[0]).strip())


@cache
def _sony_plain() -> bytes:
    """Sony's 0x94xx/0x9050 substitution cipher is c = b**3 mod 249 (ExifTool's Decipher)."""
    table = list(range(256))
    seen: set[int] = set()
    for b in range(2, 248):
        c = b**3 % 249
        if c not in seen:
            seen.add(c)
            table[c] = b
    return bytes(table)


def sony_decipher(raw: bytes) -> bytes:
    """The plain bytes of an enciphered Sony block (0x9050, 0x94xx)."""
    return raw.translate(_sony_plain())
