"""Maker-note records that are not plain tag tables: the ones that name people and children.

Panasonic cameras store a BabyName/BabyAge ("or pet") and, with face recognition, the
names and ages of people the owner registered (FaceRecInfo); Fujifilm stores registered
faces with a name and a birthday; Sony enciphers its internal serial number with a byte
substitution; Reconyx trail cameras use a binary record. Layouts follow ExifTool's
Panasonic.pm, FujiFilm.pm, Sony.pm and Reconyx.pm. Every offset is checked against the data.
"""

from __future__ import annotations

import re
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


def reconyx(reader: TiffReader, entry: Entry, col: Collector) -> None:
    """Reconyx trail cameras: binary maker notes with a UCS-2 or ASCII serial number."""
    raw = reader.raw(entry)
    if raw.startswith(b"\x01\xf1"):
        serial = raw[42:72].decode("utf-16-le", "replace")
    elif raw.startswith(b"RECONYXUF\x00"):
        serial = raw[0x4B : 0x4B + 15].decode("ascii", "replace")
    elif raw.startswith(b"RECONYXH2\x00"):
        serial = raw[0x7E : 0x7E + 30].decode("utf-16-le", "replace")
    else:
        return
    serial = serial.split("\x00", 1)[0].strip()
    if serial:
        col.add(K.DEVICE, f"{GROUP}:SerialNumber", serial, S.HIGH)


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


# (model pattern, offset, length) of InternalSerialNumber in the enciphered 0x9050 block
_SONY_9050 = (
    (re.compile(r"ILCE-1(?!\d)"), 0x8A, 6),
    (re.compile(r"(ILCE-(7M4|7RM5|7SM3)|ILME-FX3)"), 0x88, 6),
    (
        re.compile(
            r"(ILCE-(6100|6300|6400|6500|6600|7C|7M3|7RM2|7RM3A?|7RM4A?|7SM2|9|9M2)|ILCA-99M2|ZV-E10)"
        ),
        0x88,
        6,
    ),
    (re.compile(r"(SLT-|HV|ILCA-)"), 0xF0, 5),
    (re.compile(r"(ILCE-|NEX-(?!5N|7|VG20E))"), 0x7C, 4),
)


def sony_serial(reader: TiffReader, entries: dict[int, Entry], model: str, col: Collector) -> None:
    """InternalSerialNumber from Sony's enciphered 0x9050 block (offsets by model family)."""
    entry = entries.get(0x9050)
    if entry is None:
        return
    for pattern, offset, length in _SONY_9050:
        if pattern.match(model):
            raw = reader.raw(entry)[offset : offset + length].translate(_sony_plain())
            if len(raw) == length and raw.strip(b"\x00"):
                col.add(K.DEVICE, f"{GROUP}:InternalSerialNumber", raw.hex(), S.HIGH)
            return
