"""QuickTime/3GPP user data (``udta``) atoms → findings, named as ExifTool names them.

``udta`` is where phones and cameras put what a person never sees in a player: the place
(``©xyz``, 3GPP ``loci``), names (``©ART``, ``©aut``, ``auth``), the device (``©mak``,
``manu``/``modl``/``slno``, maker-data blocks such as Pentax ``TAGS``), XMP (``XMP_``), iTunes
style lists (``meta``) and thumbnails (``thmb``, ``PXTH``...). The table gives each known atom
its ExifTool tag name, finding kind, severity and decoder. An atom not in the table and not
known harmless is still reported when it holds text (fail-closed: anything unrecognised that
could be identifying is shown, and the stripper removes ``udta`` whole).
"""

from __future__ import annotations

from photoscan.containers.bmff import type_name
from photoscan.containers.movie import Node
from photoscan.metadata.video import values
from photoscan.metadata.video.context import Context, add_iso6709, add_thumbnail
from photoscan.metadata.video.keys import read_meta
from photoscan.model import FindingKind, Severity
from photoscan.tuples import NamedTuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:  # collections.abc imports the collections package (start-up)
    from collections.abc import Callable

    Decoder = Callable[[bytes], list[str]]

K = FindingKind
S = Severity
GROUP = "UserData"


def _intl(payload: bytes) -> list[str]:
    return values.intl_strings(payload)


def _raw(payload: bytes) -> list[str]:
    text = values.counted_or_bare(payload)
    return [text] if text else []


def _3gpp(payload: bytes) -> list[str]:
    text = values.text_3gpp(payload)
    return [text] if text else []


def _runs(payload: bytes) -> list[str]:
    return values.printable_runs(payload, minimum=3, limit=8)


def _maker(payload: bytes) -> list[str]:
    runs = values.printable_runs(payload, minimum=4, limit=2)
    return runs[:1] or [f"{len(payload)} bytes of maker data"]


def _hex(payload: bytes) -> list[str]:
    return [payload[:64].hex()] if payload.strip(b"\0") else []


class Atom(NamedTuple):
    name: str
    kind: FindingKind
    severity: Severity
    decode: Decoder


def _a(name: str, kind: FindingKind, severity: Severity, decode: Decoder = _intl) -> Atom:
    return Atom(name, kind, severity, decode)


ATOMS: dict[bytes, Atom] = {
    b"\xa9ART": _a("Artist", K.PERSON, S.HIGH),
    b"\xa9aut": _a("Author", K.PERSON, S.HIGH),
    b"\xa9own": _a("Owner", K.PERSON, S.HIGH),
    b"\xa9prf": _a("Performers", K.PERSON, S.MEDIUM),
    b"\xa9cpy": _a("Copyright", K.PERSON, S.LOW),
    b"\xa9prd": _a("Producer", K.PERSON, S.LOW),
    b"\xa9dir": _a("Director", K.PERSON, S.LOW),
    b"\xa9com": _a("Composer", K.PERSON, S.LOW),
    b"\xa9wrt": _a("Composer", K.PERSON, S.LOW),
    b"\xa9src": _a("SourceCredits", K.PERSON, S.LOW),
    b"\xa9nam": _a("Title", K.TEXT, S.LOW),
    b"\xa9cmt": _a("Comment", K.TEXT, S.LOW),
    b"\xa9des": _a("Description", K.TEXT, S.LOW),
    b"\xa9inf": _a("Information", K.TEXT, S.LOW),
    b"\xa9key": _a("Keywords", K.TEXT, S.LOW),
    b"\xa9alb": _a("Album", K.TEXT, S.LOW),
    b"\xa9lyr": _a("Lyrics", K.TEXT, S.LOW),
    b"\xa9grp": _a("Grouping", K.TEXT, S.LOW),
    b"\xa9gen": _a("Genre", K.TEXT, S.INFO),
    b"\xa9fmt": _a("Format", K.TEXT, S.INFO),
    b"\xa9mak": _a("Make", K.CAMERA, S.INFO),
    b"\xa9mod": _a("Model", K.CAMERA, S.INFO),
    b"\xa9mdl": _a("Model", K.CAMERA, S.INFO),
    b"\xa9swr": _a("SoftwareVersion", K.SOFTWARE, S.INFO),
    b"\xa9too": _a("Encoder", K.SOFTWARE, S.INFO),
    b"\xa9enc": _a("EncoderID", K.SOFTWARE, S.INFO),
    b"\xa9day": _a("ContentCreateDate", K.DATETIME, S.INFO),
    b"\xa9TIM": _a("StartTimecode", K.DATETIME, S.INFO),
    b"@mak": _a("Make", K.CAMERA, S.INFO, _raw),
    b"@mod": _a("Model", K.CAMERA, S.INFO, _raw),
    b"@swr": _a("SoftwareVersion", K.SOFTWARE, S.INFO, _raw),
    b"@day": _a("ContentCreateDate", K.DATETIME, S.INFO, _raw),
    b"auth": _a("Author", K.PERSON, S.HIGH, _3gpp),
    b"perf": _a("Performer", K.PERSON, S.MEDIUM, _3gpp),
    b"cprt": _a("Copyright", K.PERSON, S.LOW, _3gpp),
    b"titl": _a("Title", K.TEXT, S.LOW, _3gpp),
    b"dscp": _a("Description", K.TEXT, S.LOW, _3gpp),
    b"albm": _a("Album", K.TEXT, S.LOW, _3gpp),
    b"coll": _a("CollectionName", K.TEXT, S.LOW, _3gpp),
    b"gnre": _a("Genre", K.TEXT, S.INFO, _3gpp),
    b"kywd": _a("Keywords", K.TEXT, S.LOW, _runs),
    b"date": _a("DateTimeOriginal", K.DATETIME, S.INFO, _raw),
    b"manu": _a("Make", K.CAMERA, S.INFO, _raw),
    b"modl": _a("Model", K.CAMERA, S.INFO, _raw),
    b"cmnm": _a("Model", K.CAMERA, S.INFO, _raw),
    b"CNMN": _a("Model", K.CAMERA, S.INFO, _raw),
    b"vndr": _a("Vendor", K.CAMERA, S.INFO, _raw),
    b"GoPr": _a("GoProType", K.CAMERA, S.INFO, _raw),
    b"slno": _a("SerialNumber", K.DEVICE, S.MEDIUM, _raw),
    b"SNum": _a("SerialNumber", K.DEVICE, S.MEDIUM, _raw),
    b"cmid": _a("CameraID", K.DEVICE, S.MEDIUM, _raw),
    b"clid": _a("ClipID", K.DEVICE, S.LOW, _raw),
    b"LENS": _a("LensSerialNumber", K.DEVICE, S.MEDIUM, _raw),
    b"CAME": _a("SerialNumberHash", K.DEVICE, S.MEDIUM, _hex),
    b"MUID": _a("MediaUID", K.DEVICE, S.LOW, _hex),
    b"FIRM": _a("FirmwareVersion", K.SOFTWARE, S.INFO, _raw),
    b"CNFV": _a("FirmwareVersion", K.SOFTWARE, S.INFO, _raw),
    b"info": _a("FirmwareVersion", K.SOFTWARE, S.INFO, _raw),
    b"fsid": _a("OriginalFilePath", K.TEXT, S.LOW, _raw),
    b"finm": _a("OriginalFileName", K.TEXT, S.LOW, _raw),
    b"reel": _a("ReelName", K.TEXT, S.LOW, _raw),
    b"scen": _a("Scene", K.TEXT, S.LOW, _raw),
    b"shot": _a("ShotName", K.TEXT, S.LOW, _raw),
}
# Camera maker-data blocks: binary, but they start with the make/model and can hold serials.
MAKER_ATOMS: dict[bytes, str] = {
    b"TAGS": "MakerNotes",
    b"NCDT": "NikonNCDT",
    b"MMA0": "MinoltaMMA0",
    b"MMA1": "MinoltaMMA1",
    b"QVMI": "CasioQVMI",
    b"FFMV": "FujiFilmFFMV",
    b"MVTG": "FujiFilmMVTG",
    b"PANA": "PanasonicPANA",
    b"LEIC": "LeicaLEIC",
    b"RICO": "RicohInfo",
    b"RMKN": "RicohRMKN",
    b"PENT": "PentaxPENT",
    b"PXMN": "MakerNotePentax",
    b"SIGM": "SigmaEXIF",
    b"Xtra": "MicrosoftXtra",
    b"smta": "SamsungSmta",
    b"GPMF": "GoProGPMF",
    b"CNCV": "CompressorVersion",
    b"DcMD": "KodakDcMD",
    b"INFO": "SamsungINFO",
    b"SIGN": "SamsungSec",
}
THUMBNAIL_ATOMS: dict[bytes, str] = {
    b"thmb": "ThumbnailImage",
    b"PXTH": "PentaxPreview",
    b"RTHU": "PreviewImage",
    b"mcvr": "PreviewImage",
    b"scrn": "OlympusPreview",
    b"nail": "ThumbnailTIFF",
    b"CNTH": "CanonCNTH",
}
GPS_ATOMS = frozenset({b"\xa9xyz", b"@xyz", b"loci"})
# Known and harmless for privacy (playback hints, edit markers, track names).
HARMLESS = frozenset(
    {
        b"hnti", b"hinf", b"hinv", b"name", b"tnam", b"WLOC", b"LOOP", b"SelO", b"AllF",
        b"ptv ", b"chpl", b"tags", b"free", b"skip", b"FIEL", b"SDLN", b"\xa9TSC", b"\xa9TSZ",
        b"AMBA", b"uuid",
    }
)  # fmt: skip


def read_udta(ctx: Context, udta: Node) -> None:
    """Every atom of one ``udta`` (movie or track level)."""
    for node in udta.kids:
        kind = node.box.type
        if kind == b"meta":
            read_meta(ctx, node)
        elif kind == b"XMP_":
            ctx.xmp.append(ctx.layout.payload(node.box))
        elif kind in GPS_ATOMS:
            read_gps_atom(ctx, node, GROUP)
        else:
            _atom(ctx, node)


def read_gps_atom(ctx: Context, node: Node, group: str) -> None:
    payload = ctx.layout.payload(node.box)
    if node.box.type == b"loci":
        found = values.loci(payload)
        if found is None:
            ctx.col.warn("a 3GPP location (loci) atom is too short to read")
            return
        place, lat, lon, alt = found
        if ctx.col.add_gps(lat, lon, "quicktime", alt, f"{group}:LocationInformation"):
            where = f"{lat:.5f}, {lon:.5f}" + (f" ({place})" if place else "")
            ctx.col.add(K.LOCATION, f"{group}:LocationInformation", where, S.HIGH)
        if place:
            ctx.col.add(K.LOCATION, f"{group}:LocationName", place, S.MEDIUM)
        return
    texts = values.intl_strings(payload) if node.box.type == b"\xa9xyz" else _raw(payload)
    add_iso6709(ctx.col, f"{group}:GPSCoordinates", " ".join(texts).encode())


def _atom(ctx: Context, node: Node) -> None:
    kind = node.box.type
    payload = ctx.layout.payload(node.box)
    known = ATOMS.get(kind)
    if known is not None:
        for text in known.decode(payload):
            ctx.col.add(known.kind, f"{GROUP}:{known.name}", text, known.severity)
        return
    if kind in MAKER_ATOMS:
        for text in _maker(payload):
            ctx.col.add(K.CAMERA, f"{GROUP}:{MAKER_ATOMS[kind]}", text, S.INFO)
        return
    if kind in THUMBNAIL_ATOMS:
        add_thumbnail(ctx, f"{GROUP}:{THUMBNAIL_ATOMS[kind]}", node.box.body, payload)
        return
    if kind in HARMLESS:
        return
    texts = _intl(payload) if kind[:1] == b"\xa9" else values.printable_runs(payload, 4, 1)
    for text in texts:
        ctx.col.add(K.TEXT, f"{GROUP}:{type_name(kind)}", text, S.INFO)
