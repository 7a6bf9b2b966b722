"""Where each vendor's maker note keeps its IFD: header, start, offset base and byte order.

A MakerNote is a private block whose layout only its header (or the camera make) tells.
This is ExifTool's list of maker-note types (``MakerNotes.pm``, in its order: the first
layout that matches wins), reduced to the facts photoscan needs to find the tags of
``makernote_tags``: where the IFD starts, what its offsets count from, which byte order it
uses, and whether the offsets need ExifTool's base fix. Layouts whose tag tables hold nothing
that identifies a person, a place or a device are left out; such notes are not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Order(Enum):
    """A directory's byte order: fixed, or ExifTool's "Unknown" (guessed from the entry
    count, which some editors' rewritten notes need: they flip the byte-order mark and not
    the contents)."""

    GUESS = "guess"
    LITTLE = "little"
    BIG = "big"


class Anchor(Enum):
    """What a note's value offsets count from."""

    TIFF = "tiff"  # the EXIF block's TIFF header, like any other IFD (the default)
    NOTE = "note"  # the start of the maker note value
    FILE = "file"  # the start of the file (Leica's M Monochrom)


@dataclass(frozen=True, slots=True)
class Layout:
    """One kind of maker note. ``header``/``make``/``model`` decide whether a note is this
    kind; the rest say how to open it. ``binary`` notes are not IFDs: ``table`` then names a
    record reader of ``makernote_records``."""

    name: str  # ExifTool's name for the kind (MakerNoteCanon, ...): messages and tests
    table: str  # which table of makernote_tags (or record reader) reads it
    header: re.Pattern[bytes] | None = None
    make: re.Pattern[str] | None = None
    model: re.Pattern[str] | None = None
    not_header: re.Pattern[bytes] | None = None
    not_model: re.Pattern[str] | None = None
    start: int = 0  # the IFD's position in the note
    anchor: Anchor = Anchor.TIFF
    shift: int = 0  # added to the anchor
    order: Order = Order.GUESS
    fix_base: bool = False  # offsets vary by firmware: ExifTool's FixBase
    scan: bool = False  # the IFD is somewhere in the first 32 bytes (ProcessUnknown)
    tiff_header: bool = False  # a TIFF header at ``start`` holds order and IFD offset
    offset_at: int | None = None  # the IFD's offset is stored at this position (Fujifilm)
    count_gap: bool = False  # two stray bytes beside the entry count (ExifTool's Kodak patch)
    canon_footer: bool = False  # a footer records the note's original offset
    leica_base: bool = False  # base is the IFD or the note start, whichever fits (FixLeicaBase)
    binary: bool = False

    def matches(self, head: bytes, make: str, model: str) -> bool:
        if self.header is not None and not self.header.match(head):
            return False
        if self.not_header is not None and self.not_header.match(head):
            return False
        if self.make is not None and not self.make.match(make):
            return False
        if self.model is not None and not self.model.search(model):
            return False
        return self.not_model is None or not self.not_model.search(model)


def _h(pattern: bytes) -> re.Pattern[bytes]:
    return re.compile(pattern, re.DOTALL)


def _m(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


_I = re.IGNORECASE
_N = Anchor.NOTE
_KODAK = _m(r".*kodak", _I)
_LEICA_AG = _m(r"Leica Camera AG")
_KODAK_PATCH = _h(rb"(MM\0\x2a\0\0\0\x08\0.\0\0|II\x2a\0\x08\0\0\0.\0\0\0)")

LAYOUTS: tuple[Layout, ...] = (
    Layout("MakerNoteApple", "Apple", _h(rb"Apple iOS\0"), start=14, anchor=_N),
    Layout("MakerNoteNikon", "Nikon", _h(rb"Nikon\0\x02"), start=10, tiff_header=True),
    Layout("MakerNoteCanon", "Canon", make=_m("Canon"), canon_footer=True),
    Layout("MakerNoteCasio2", "Casio2", _h(rb"(QVC|DCI)\0"), start=6, fix_base=True),
    Layout(
        "MakerNoteFujiFilm",
        "FujiFilm",
        _h(rb"(FUJIFILM|GENERALE)"),
        offset_at=8,
        anchor=_N,
        order=Order.LITTLE,
    ),
    Layout(
        "MakerNoteGE2",
        "FujiFilm",
        _h(rb"GE\x0c\0\0\0\x16\0\0\0"),
        start=12,
        anchor=_N,
        shift=6,
        order=Order.LITTLE,
    ),
    Layout("MakerNoteHP2", "hp_text", _h(rb"610[\0-\4]"), binary=True),
    Layout("MakerNoteHP4", "hp4", _h(rb"IIII[\x04\x05]\0"), binary=True),
    Layout("MakerNoteHP6", "hp6", _h(rb"IIII\x06\0"), binary=True),
    Layout(
        "MakerNoteKodak7",
        "kodak7",
        _h(rb"[CK][A-Z\d]{3} ?[A-Z\d]{1,2}\d{2}[A-Z\d]\d{4}[ \0]"),
        make=_KODAK,
        binary=True,
    ),
    Layout(
        "MakerNoteKodak8a",
        "Kodak8",
        _h(rb"(\0[\x02-\x7f]..\0[\x01-\x0c]\0\0|[\x02-\x7f]\0..[\x01-\x0c]\0..\0\0)"),
        make=_KODAK,
        scan=True,
    ),
    Layout(
        "MakerNoteKodak8b",
        "Kodak8",
        _h(rb"MM\0\x2a\0\0\0\x08\0.\0\0"),
        make=_KODAK,
        start=8,
        anchor=_N,
        order=Order.BIG,
        count_gap=True,
    ),
    Layout(
        "MakerNoteKodak8c",
        "Kodak8",
        _h(rb"(MM\0\x2a\0\0\0\x08|II\x2a\0\x08\0\0\0)"),
        make=_KODAK,
        start=8,
        anchor=_N,
    ),
    Layout(
        "MakerNoteKodak11",
        "Kodak11",
        _h(rb"II\x2a\0\x08\0\0\0.\0\0\0"),
        model=_m("(Kodak|PixPro)", _I),
        start=8,
        anchor=_N,
        order=Order.LITTLE,
        count_gap=True,
    ),
    Layout(
        "MakerNoteKodak12",
        "Kodak11",
        _h(rb"MM\0\x2a\0\0\0\x08\0\0\0."),
        model=_m("(Kodak|PixPro)", _I),
        start=8,
        anchor=_N,
        order=Order.BIG,
        count_gap=True,
    ),
    Layout(
        "MakerNoteMinolta",
        "Minolta",
        make=_m("(Konica Minolta|Minolta)", _I),
        not_header=_h(rb"(MINOL|CAMER|MLY0|KC|\+M\+M|\xd7)"),
    ),
    Layout("MakerNoteMinolta2", "Olympus", _h(rb"(MINOL|CAMER)\0"), start=8),
    Layout("MakerNoteMotorola", "Motorola", _h(rb"MOT\0"), start=8, anchor=_N),
    Layout("MakerNoteNikon2", "Nikon2", _h(rb"Nikon\0\x01"), start=8, order=Order.LITTLE),
    Layout("MakerNoteNikon3", "Nikon", make=_m("NIKON", _I)),
    Layout("MakerNoteNintendo", "Nintendo", make=_m(r"Nintendo\Z")),
    Layout("MakerNoteOlympus", "Olympus", _h(rb"(OLYMP|EPSON)\0"), start=8),
    Layout("MakerNoteOlympus2", "Olympus", _h(rb"OLYMPUS\0"), start=12, anchor=_N),
    Layout("MakerNoteOlympus3", "Olympus", _h(rb"OM SYSTEM\0"), start=16, anchor=_N),
    Layout("MakerNoteLeica", "Panasonic", make=_m(r"LEICA\Z"), start=8),
    Layout(
        "MakerNoteLeica2",
        "Leica2",
        _h(rb"LEICA\0\0\0"),
        make=_LEICA_AG,
        start=8,
        anchor=_N,
        shift=8,
        leica_base=True,
    ),
    Layout(
        "MakerNoteLeica3",
        "Leica3",
        make=_LEICA_AG,
        not_header=_h(rb"LEICA"),
        not_model=_m(r"^(S2|LEICA M \(Typ 240\))$"),
    ),
    Layout("MakerNoteLeica4", "Leica4", _h(rb"LEICA0"), make=_LEICA_AG, start=8, anchor=_N),
    Layout(
        "MakerNoteLeica5",
        "Leica5",
        _h(rb"LEICA\0[\x01\x04\x05\x06\x07\x10\x1a]\0"),
        start=8,
        anchor=_N,
    ),
    Layout(
        "MakerNoteLeica6",
        "Leica6",
        make=_m(r"Leica Camera AG\Z"),
        model=_m(r"^(S2|LEICA M \(Typ 240\)|LEICA S \(Typ 006\))$"),
        start=8,
    ),
    Layout("MakerNoteLeica7", "Leica6", _h(rb"LEICA\0\x02\xff"), start=8, anchor=Anchor.FILE),
    Layout("MakerNoteLeica8", "Leica5", _h(rb"LEICA\0[\x08\x09\x0a]\0"), start=8),
    Layout("MakerNoteLeica10", "Panasonic", _h(rb"LEICA CAMERA AG\0"), start=18),
    Layout("MakerNotePanasonic", "Panasonic", _h(rb"Panasonic"), start=12, not_model=_m("DC-FT7")),
    Layout("MakerNotePanasonic3", "Panasonic", _h(rb"Panasonic"), start=12, shift=12),
    Layout(
        "MakerNotePentax",
        "Pentax",
        _h(rb"AOC\0"),
        not_model=_m(r"^PENTAX Optio ?[34]30RS\s*$"),
        scan=True,
        fix_base=True,
    ),
    Layout(
        "MakerNotePentax3",
        "Casio2",
        make=_m("Asahi"),
        header=_h(rb"AOC\0"),
        scan=True,
        fix_base=True,
    ),
    Layout("MakerNotePentax5", "Pentax", _h(rb"PENTAX \0"), start=10, anchor=_N),
    Layout("MakerNotePhaseOne", "phase_one", _h(rb"(IIII.waR|MMMMRaw.)"), binary=True),
    Layout(
        "MakerNoteReconyxHyperFire",
        "reconyx_hyperfire",
        _h(rb"\x01\xf1[\x02\x03]\0"),
        binary=True,
    ),
    Layout(
        "MakerNoteReconyxHyperFire",
        "reconyx_hyperfire",
        _h(rb"\x01\xf1"),
        make=_m(r"RECONYX\Z"),
        binary=True,
    ),
    Layout("MakerNoteReconyxUltraFire", "reconyx_ultrafire", _h(rb"RECONYXUF\0"), binary=True),
    Layout("MakerNoteReconyxHyperFire2", "reconyx_hyperfire2", _h(rb"RECONYXH2\0"), binary=True),
    Layout("MakerNoteReconyxMicroFire", "reconyx_microfire", _h(rb"RECONYXMF\0"), binary=True),
    Layout(
        "MakerNoteReconyxHyperFire4K", "reconyx_hyperfire4k", _h(rb"RECONYXHF4K\0"), binary=True
    ),
    Layout("MakerNoteRicohPentax", "Pentax", _h(rb"RICOH\0(II|MM)"), start=8, anchor=_N),
    Layout(
        "MakerNoteRicoh",
        "Ricoh",
        _h(rb"(?i:ricoh|      |MM\0\x2a|II\x2a\0)"),
        make=_m("(PENTAX )?RICOH"),
        not_header=_KODAK_PATCH,
        not_model=_m(r"^RICOH WG-M1$"),
        start=8,
    ),
    Layout(
        "MakerNoteSamsung2",
        "Samsung",
        _h(rb"(\0.\0\x01\0\x07\0{3}\x04|.\0\x01\0\x07\0\x04\0{3})0100"),
        make=_m(r"(?i:samsung)\Z"),
        scan=True,
        fix_base=True,
    ),
    Layout(
        "MakerNoteSanyoC4",
        "Sanyo",
        _h(rb"SANYO"),
        make=_m("SANYO"),
        model=_m(r"^C4\b"),
        start=8,
        fix_base=True,
    ),
    Layout("MakerNoteSanyo", "Sanyo", _h(rb"SANYO"), make=_m("SANYO"), start=8),
    Layout(
        "MakerNoteSigma",
        "Sigma",
        _h(rb"(SIGMA|FOVEON)"),
        make=_m("(SIGMA|FOVEON)", _I),
        start=10,
    ),
    Layout(
        "MakerNoteSony",
        "Sony",
        _h(rb"(SONY (DSC|CAM|MOBILE)|\0\0SONY PIC\0|VHAB     \0)"),
        start=12,
    ),
    Layout("MakerNoteSony2", "Olympus", _h(rb"SONY PI\0"), start=12),
    Layout("MakerNoteSony3", "Olympus", _h(rb"PREMI\0"), start=8),
    Layout("MakerNoteSony5", "Sony", make=_m("SONY"), not_header=_h(rb"(\x01\x00|SONY PIC\0)")),
    Layout(
        "MakerNoteSony5",
        "Sony",
        make=_m("HASSELBLAD"),
        model=_m("^(HV|Stellar|Lusso|Lunar)"),
        not_header=_h(rb"\x01\x00"),
    ),
)


def find_layout(head: bytes, make: str, model: str) -> Layout | None:
    """The first layout (in ExifTool's order) that a note starting with ``head`` from a
    camera of this make and model matches."""
    for layout in LAYOUTS:
        if layout.matches(head, make, model):
            return layout
    return None
