"""The maker-note tags that name a person, a place or a device, by vendor table.

One declarative registry, the facts taken from ExifTool's tag tables (``lib/Image/ExifTool/
<Vendor>.pm``: tag ids, formats, offsets inside binary records, model conditions): each
table maps a tag id to a ``Tag`` (a value to report), a ``Record`` (a binary block with
``Field``\\ s at fixed offsets) or a ``SubIfd`` (another IFD, by offset or inline), or to
several of them tried in order (ExifTool's conditional lists). Names are ExifTool's, so a
finding says ``MakerNotes:InternalSerialNumber`` as ``exiftool`` would. Decoders return ""
for what identifies nothing (all-zero ids, blank strings); ``makernotes`` reads the tables.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from dataclasses import dataclass

from photoscan.metadata.exif.makernote_layouts import Order
from photoscan.model import FindingKind, Severity
from photoscan.printable import decode_text

K = FindingKind
S = Severity
BYTE, ASCII, SHORT, LONG, UNDEFINED = 1, 2, 3, 4, 7

# (value bytes, TIFF type, little-endian) -> text, "" for nothing
Decoder = Callable[[bytes, int, bool], str]


def text(raw: bytes, _type: int = ASCII, _little: bool = True) -> str:
    """A string cut at its first NUL, trailing blanks removed (ExifTool trims them too)."""
    return decode_text(raw.split(b"\x00", 1)[0]).strip()


def number(raw: bytes, type_: int, little: bool) -> str:
    """The first integer of a SHORT/LONG/BYTE value (text when it is stored as text)."""
    if type_ not in (BYTE, SHORT, LONG):
        return text(raw)
    value = _int(raw, type_, little)
    return str(value) if value else ""


def digits(width: int) -> Decoder:
    """An integer printed with leading zeros, as the camera's label shows it."""

    def decode(raw: bytes, type_: int, little: bool) -> str:
        if type_ not in (BYTE, SHORT, LONG):
            return text(raw)
        value = _int(raw, type_, little)
        return f"{value:0{width}d}" if value else ""

    return decode


def hexbytes(raw: bytes, _type: int = UNDEFINED, _little: bool = True) -> str:
    """Raw bytes as lowercase hex (ExifTool's ``unpack "H*"``); all zero is no id."""
    return raw[:64].hex() if raw.strip(b"\x00") else ""


def _hex_0x(raw: bytes, type_: int, little: bool) -> str:
    value = hexbytes(raw)
    return "0x" + value if value else ""


def _utf16(raw: bytes, _type: int, _little: bool) -> str:
    return raw.decode("utf-16-le", "replace").split("\x00", 1)[0].strip()


def _names(raw: bytes, _type: int, _little: bool) -> str:
    """Several NUL-separated names (Samsung's LocalLocationName), up to a double NUL."""
    parts = (p.strip() for p in decode_text(raw.split(b"\x00\x00", 1)[0]).split("\x00"))
    return ", ".join(p for p in parts if p)


def _canon_d30(raw: bytes, type_: int, little: bool) -> str:
    if type_ not in (BYTE, SHORT, LONG):
        return text(raw)
    value = _int(raw, type_, little)
    return f"{value >> 16:04x}{value & 0xFFFF:05d}" if value else ""


def _canon_internal(raw: bytes, _type: int, _little: bool) -> str:
    return text(raw.rstrip(b"\xff"))


def _canon_lens(raw: bytes, _type: int, _little: bool) -> str:
    return "" if raw[:4] == b"\x00" * 4 else hexbytes(raw[:5])


def _nikon_location(raw: bytes, _type: int, _little: bool) -> str:
    """Nikon LocationInfo: text encoding at byte 4 (2 = UTF-16), the place name from 9."""
    body = raw[9:79]
    if raw[4:5] == b"\x02":
        return body.decode("utf-16-be", "replace").split("\x00", 1)[0].strip()
    return text(body)


def _int(raw: bytes, type_: int, little: bool) -> int:
    size = {BYTE: 1, SHORT: 2, LONG: 4}.get(type_, 0)
    if not size or len(raw) < size:
        return 0
    code = {1: "B", 2: "H", 4: "I"}[size]
    value: int = struct.unpack_from(("<" if little else ">") + code, raw)[0]
    return value


@dataclass(frozen=True, slots=True)
class Tag:
    """One value to report. ``model``/``value`` are ExifTool's conditions: the tag means this
    only for those camera models, or only when its raw bytes look like that."""

    name: str
    kind: FindingKind = K.DEVICE
    severity: Severity = S.HIGH
    decode: Decoder = text
    model: re.Pattern[str] | None = None
    value: re.Pattern[bytes] | None = None


@dataclass(frozen=True, slots=True)
class Field:
    """A value at a fixed place in a binary record (``length`` -1: to the record's end)."""

    offset: int
    length: int
    tag: Tag
    type: int = ASCII


@dataclass(frozen=True, slots=True)
class Record:
    """A tag whose value is a binary block of fields (ExifTool's ProcessBinaryData tables).
    ``decipher``: Sony's substitution cipher covers the whole block."""

    fields: tuple[Field, ...]
    model: re.Pattern[str] | None = None
    value: re.Pattern[bytes] | None = None
    little: bool | None = None  # a fixed byte order, else the note's
    decipher: bool = False


@dataclass(frozen=True, slots=True)
class SubIfd:
    """A tag whose value is another IFD: its offset (LONG/IFD type) or the IFD itself
    (UNDEFINED), after ``skip`` header bytes that must start with ``header``. An inline IFD
    with ``own_base`` counts its offsets from its own start (Kodak's SubIFD0)."""

    table: str
    skip: int = 0
    header: bytes = b""
    order: Order = Order.GUESS
    own_base: bool = False


Spec = Tag | Record | SubIfd
Table = dict[int, Spec | tuple[Spec, ...]]


def _r(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_SERIAL = Tag("SerialNumber")
_INTERNAL = Tag("InternalSerialNumber")
_LENS_SERIAL = Tag("LensSerialNumber")


def _person(name: str, severity: Severity = S.HIGH) -> Tag:
    return Tag(name, K.PERSON, severity)


def _place(name: str, severity: Severity = S.HIGH, decode: Decoder = text) -> Tag:
    return Tag(name, K.LOCATION, severity, decode)


def _sony_serial(offset: int, length: int, model: str | None = None) -> Field:
    condition = _r(model) if model else None
    return Field(offset, length, Tag("InternalSerialNumber", decode=hexbytes, model=condition))


def _sony_9050(model: str, *fields: Field, value: bytes | None = None) -> Record:
    raw = re.compile(value, re.DOTALL) if value else None
    return Record(fields, model=_r(model), value=raw, little=True, decipher=True)


_CANON: Table = {
    0x0009: _person("OwnerName"),
    0x000C: (
        Tag("SerialNumber", decode=_canon_d30, model=_r(r"EOS D30\b")),
        Tag("SerialNumber", decode=digits(6), model=_r("EOS-1D")),
        Tag("SerialNumber", decode=digits(10)),
    ),
    0x000D: (  # CameraInfo: model-specific binary records
        Record((Field(0xAC, 16, _person("ShortOwnerName")),), model=_r("EOS 5D$")),
        Record((Field(0x18E, 32, _person("OwnerName")),), model=_r("EOS 5D Mark II$")),
        Record(
            (Field(0x10F, 32, _person("OwnerName")),), model=_r(r"\b(450D|REBEL XSi|Kiss X2)\b")
        ),
        Record(
            (Field(0x16B, 5, Tag("LensSerialNumber", decode=hexbytes), UNDEFINED),),
            model=_r("^Canon EOS 5DS"),
        ),
    ),
    0x0028: Tag("ImageUniqueID", severity=S.MEDIUM, decode=hexbytes),
    0x0096: (
        Record(
            (
                Field(0, 9, Tag("InternalSerialNumber2", value=re.compile(rb"\w{6}"))),
                Field(9, -1, Tag("InternalSerialNumber", value=re.compile(rb"\w{6}"))),
            ),
            model=_r("EOS 5D"),
        ),
        Tag("InternalSerialNumber", decode=_canon_internal),
    ),
    0x4019: Record((Field(0, 5, Tag("LensSerialNumber", decode=_canon_lens), UNDEFINED),)),
}
_NIKON: Table = {
    0x001D: _SERIAL,
    0x00A0: _SERIAL,
    0x0039: Record(
        (
            Field(5, 3, _place("CountryCode", S.MEDIUM)),
            Field(0, -1, _place("Location", decode=_nikon_location), UNDEFINED),
        )
    ),
}
_SONY: Table = {
    0x2031: _SERIAL,
    0xB028: SubIfd("Minolta"),  # the A100's Minolta-style note, by offset
    0x9050: (  # enciphered; where the serial sits depends on the model family
        _sony_9050(
            r"^(?!DSC-|Stellar|ILCE-(1|6100|6300|6400|6500|6600|6700|7C|7M3|7M4|7M5|7RM2"
            r"|7RM3A?|7RM4A?|7RM5|7SM2|7SM3|9|9M2)|ILCA-99M2|ILME-(FX2|FX3)|ZV-)",
            _sony_serial(0x7C, 4, r"^(?!Lunar|NEX-(5N|7|VG20E)|SLT-|HV|ILCA-)"),
            _sony_serial(0xF0, 5, r"^(SLT-|HV|ILCA-)"),
        ),
        _sony_9050(
            r"^(ILCE-(6100A?|6300|6400A?|6500|6600|7C|7M3|7RM2|7RM3A?|7RM4A?|7SM2|9|9M2)"
            r"|ILCA-99M2|ZV-E10)\b",
            _sony_serial(0x88, 6),
        ),
        _sony_9050(
            r"^(ILCE-(1\b|7M4|7RM5|7SM3)|ILME-FX3)",
            _sony_serial(0x88, 6, r"^(ILCE-(7M4|7RM5|7SM3)|ILME-FX3)"),
            _sony_serial(0x8A, 6, r"^ILCE-1"),
        ),
        _sony_9050(
            r"^(ILCE-(6700|7CM2|7CR)|ILME-FX2|ZV-(E1|E10M2))\b",
            _sony_serial(0x38, 6, r"^(?!ZV-E10M2)"),
        ),
        _sony_9050(r"^ILCE-(1M2|7M5)", _sony_serial(0x38, 6), value=rb"\0{5}"),
    ),
}
_OLYMPUS: Table = {
    0x0209: Tag("CameraID", severity=S.LOW),
    0x0404: _SERIAL,
    0x101A: _SERIAL,
    0x2010: SubIfd("Olympus.Equipment"),
}
_OLYMPUS_EQUIPMENT: Table = {
    0x0101: _SERIAL,
    0x0102: _INTERNAL,
    0x0202: _LENS_SERIAL,
    0x0302: Tag("ExtenderSerialNumber"),
    0x1003: Tag("FlashSerialNumber"),
}
_PANASONIC: Table = {
    0x0025: _INTERNAL,
    0x0052: _LENS_SERIAL,
    0x0054: Tag("AccessorySerialNumber"),
    0x0065: Tag("Title", K.TEXT, S.MEDIUM),
    0x0067: _place("Location"),
    0x0069: _place("Country", S.MEDIUM),
    0x006B: _place("State", S.MEDIUM),
    0x006D: _place("City"),
    0x006F: _place("Landmark"),
    0x0080: _place("City2"),
}
_LEICA_SUBDIR: Table = {0x3103: _SERIAL}
_PENTAX: Table = {
    0x0229: _SERIAL,
    0x022E: _person("Artist"),
    0x022F: _person("Copyright", S.MEDIUM),
    0x0215: Record((Field(16, 4, Tag("InternalSerialNumber", decode=number), LONG),)),
}
_SAMSUNG: Table = {
    0x0030: _place("LocalLocationName", decode=_names),
    0x0031: _place("LocationName"),
    0x0123: _person("FaceName"),
    0xA002: _SERIAL,
    0xA005: Tag("InternalLensSerialNumber"),
}
_RICOH: Table = {
    0x0005: (
        Tag("SerialNumber", value=re.compile(rb"[-\w ]+\Z")),
        Tag("InternalSerialNumber", decode=hexbytes),
    ),
    0x2001: SubIfd("Ricoh.Subdir", skip=20, header=b"[Ricoh Camera Info]", order=Order.BIG),
}
_RICOH_SUBDIR: Table = {
    0x002C: Record((Field(16, 16, Tag("BodySerialNumber")), Field(48, 16, _LENS_SERIAL))),
}
_APPLE: Table = {
    0x000B: Tag("BurstUUID", severity=S.MEDIUM),
    0x0011: Tag("ContentIdentifier", severity=S.MEDIUM),
    0x0015: Tag("ImageUniqueID", severity=S.MEDIUM),
    0x002B: Tag("PhotoIdentifier", severity=S.MEDIUM),
}
_KODAK8: Table = {
    0xFC00: SubIfd("Kodak.SubIFD0", own_base=True),
    0xFF00: SubIfd("Kodak.CameraInfo"),
}

TABLES: dict[str, Table] = {
    "Apple": _APPLE,
    "Canon": _CANON,
    "Casio2": {0x3006: _place("HometownCity", S.MEDIUM)},
    "FujiFilm": {0x0010: _INTERNAL},
    "Kodak8": _KODAK8,
    "Kodak.SubIFD0": {0xFA19: _SERIAL},
    "Kodak.CameraInfo": {0xFA04: _SERIAL},
    "Kodak11": {0x0308: _LENS_SERIAL},
    "Leica2": {0x0303: Tag("SerialNumber", decode=digits(7))},
    "Leica3": {0x000B: Record((Field(4, 8, _SERIAL),))},
    "Leica4": {tag: SubIfd("Leica.Subdir") for tag in (0x3000, 0x3100, 0x3400, 0x3900)},
    "Leica.Subdir": _LEICA_SUBDIR,
    "Leica5": {
        0x0305: Tag("SerialNumber", decode=number),
        0x0500: _INTERNAL,
    },
    "Leica6": {
        0x0321: Tag("LensSerialNumber", decode=digits(10), model=_r("Typ 006")),
    },
    "Minolta": {
        0x0020: Record(  # WBInfoA100, decoded by ExifTool for the A100 only
            (Field(0x49DC, 12, _INTERNAL),), model=_r(r"^DSLR-A100$"), little=False
        ),
    },
    "Motorola": {0x5501: _SERIAL},
    "Nikon": _NIKON,
    "Nikon2": {},
    "Nintendo": {
        0x1101: Record(
            (Field(0x18, 4, Tag("InternalSerialNumber", decode=_hex_0x), UNDEFINED),),
            little=True,
        ),
    },
    "Olympus": _OLYMPUS,
    "Olympus.Equipment": _OLYMPUS_EQUIPMENT,
    "Panasonic": _PANASONIC,
    "Pentax": _PENTAX,
    "Ricoh": _RICOH,
    "Ricoh.Subdir": _RICOH_SUBDIR,
    "Samsung": _SAMSUNG,
    "Sanyo": {0x0209: Tag("CameraID", severity=S.LOW)},
    "Sigma": {0x0002: _SERIAL},
    "Sony": _SONY,
}


def alternatives(spec: Spec | tuple[Spec, ...]) -> tuple[Spec, ...]:
    return spec if isinstance(spec, tuple) else (spec,)


def decode_utf16(raw: bytes) -> str:
    """UCS-2 text as Reconyx writes it (for the record readers)."""
    return _utf16(raw, UNDEFINED, True)
