"""XMP → findings: people, places, devices, ages and history, named as ExifTool names them.

XMP is where photo managers write what they know about the *people* in a photo: face
regions with names (MWG, Microsoft Photo, IPTC ImageRegion), PersonInImage, keyword trees
such as ``People/Anna``, model ages and the PLUS minor-age disclosure. A packet is folded
into plain values by ``photoscan.metadata.xmp.rdf`` and then read by the table and the few
structure readers below; fields are ``XMP:<ExifTool tag name>``.
"""

from __future__ import annotations

from collections.abc import Callable

from photoscan.lazy import TYPE_CHECKING, LazyModule
from photoscan.metadata.base import Collector
from photoscan.metadata.xmp import rdf
from photoscan.metadata.xmp.images import container, embedded, motion_photo, thumbnails
from photoscan.metadata.xmp.people import (
    model_age,
    mp_regions,
    mwg_regions,
    plus_age_disclosure,
)
from photoscan.metadata.xmp.places import LOCATION_FIELDS, locations, read_gps
from photoscan.metadata.xmp.rdf import XStruct, XValue, first_text, structs, texts
from photoscan.model import FindingKind, Severity

if TYPE_CHECKING:
    import re
else:
    re = LazyModule("re")  # imported when a pattern is first needed

K = FindingKind
S = Severity

# Simple properties: key -> (ExifTool tag name, kind, severity). Arrays give one finding each.
SIMPLE: dict[str, tuple[str, FindingKind, Severity]] = {
    "dc:creator": ("Creator", K.PERSON, S.MEDIUM),
    "dc:contributor": ("Contributor", K.PERSON, S.LOW),
    "dc:publisher": ("Publisher", K.PERSON, S.LOW),
    "dc:rights": ("Rights", K.PERSON, S.LOW),
    "dc:description": ("Description", K.TEXT, S.LOW),
    "dc:title": ("Title", K.TEXT, S.LOW),
    "tiff:Artist": ("Artist", K.PERSON, S.MEDIUM),
    "tiff:Copyright": ("Copyright", K.PERSON, S.LOW),
    "tiff:ImageDescription": ("ImageDescription", K.TEXT, S.LOW),
    "tiff:Make": ("Make", K.CAMERA, S.INFO),
    "tiff:Model": ("Model", K.CAMERA, S.INFO),
    "tiff:Software": ("Software", K.SOFTWARE, S.INFO),
    "xmp:CreatorTool": ("CreatorTool", K.SOFTWARE, S.INFO),
    "xmp:CreateDate": ("CreateDate", K.DATETIME, S.INFO),
    "exif:DateTimeOriginal": ("DateTimeOriginal", K.DATETIME, S.INFO),
    "exif:UserComment": ("UserComment", K.TEXT, S.LOW),
    "exif:ImageUniqueID": ("ImageUniqueID", K.DEVICE, S.LOW),
    "exifEX:CameraOwnerName": ("OwnerName", K.PERSON, S.MEDIUM),
    "exifEX:Photographer": ("Photographer", K.PERSON, S.HIGH),
    "exifEX:BodySerialNumber": ("SerialNumber", K.DEVICE, S.MEDIUM),
    "exifEX:LensSerialNumber": ("LensSerialNumber", K.DEVICE, S.MEDIUM),
    "exifEX:ImageUniqueID": ("ImageUniqueID", K.DEVICE, S.LOW),
    "exifEX:LensModel": ("LensModel", K.CAMERA, S.INFO),
    "aux:SerialNumber": ("SerialNumber", K.DEVICE, S.MEDIUM),
    "aux:LensSerialNumber": ("LensSerialNumber", K.DEVICE, S.MEDIUM),
    "aux:OwnerName": ("OwnerName", K.PERSON, S.MEDIUM),
    "aux:Lens": ("Lens", K.CAMERA, S.INFO),
    "MicrosoftPhoto:CameraSerialNumber": ("CameraSerialNumber", K.DEVICE, S.MEDIUM),
    "drone-dji:DroneSerialNumber": ("DroneSerialNumber", K.DEVICE, S.HIGH),
    "drone-dji:CameraSerialNumber": ("CameraSerialNumber", K.DEVICE, S.HIGH),
    "drone-dji:LensSerialNumber": ("LensSerialNumber", K.DEVICE, S.HIGH),
    "GettyImagesGIFT:CameraSerialNumber": ("CameraSerialNumber", K.DEVICE, S.MEDIUM),
    "digiKam:ImageUniqueID": ("ImageUniqueID", K.DEVICE, S.LOW),
    "digiKam:CaptionsAuthorNames": ("CaptionsAuthorNames", K.PERSON, S.MEDIUM),
    "xmp:Author": ("Author", K.PERSON, S.MEDIUM),
    "xmpDM:artist": ("Artist", K.PERSON, S.MEDIUM),
    "acdsee:author": ("Author", K.PERSON, S.MEDIUM),
    "cc:attributionName": ("AttributionName", K.PERSON, S.MEDIUM),
    "xmpRights:Owner": ("Owner", K.PERSON, S.MEDIUM),
    "xmpRights:UsageTerms": ("UsageTerms", K.TEXT, S.LOW),
    "xmpRights:WebStatement": ("WebStatement", K.TEXT, S.LOW),
    "photoshop:AuthorsPosition": ("AuthorsPosition", K.TEXT, S.LOW),
    "photoshop:Credit": ("Credit", K.PERSON, S.LOW),
    "photoshop:CaptionWriter": ("CaptionWriter", K.PERSON, S.LOW),
    "photoshop:City": ("City", K.LOCATION, S.MEDIUM),
    "photoshop:State": ("State", K.LOCATION, S.MEDIUM),
    "photoshop:Country": ("Country", K.LOCATION, S.LOW),
    "photoshop:Headline": ("Headline", K.TEXT, S.LOW),
    "photoshop:Instructions": ("Instructions", K.TEXT, S.LOW),
    "photoshop:Source": ("Source", K.TEXT, S.LOW),
    "photoshop:TransmissionReference": ("TransmissionReference", K.TEXT, S.LOW),
    "photoshop:DateCreated": ("DateCreated", K.DATETIME, S.INFO),
    "Iptc4xmpCore:Location": ("Location", K.LOCATION, S.MEDIUM),
    "Iptc4xmpCore:CountryCode": ("CountryCode", K.LOCATION, S.LOW),
    "Iptc4xmpExt:PersonInImage": ("PersonInImage", K.PERSON, S.HIGH),
    "Iptc4xmpExt:Event": ("Event", K.TEXT, S.LOW),
    "Iptc4xmpExt:OrganisationInImageName": ("OrganisationInImageName", K.TEXT, S.LOW),
    "Iptc4xmpExt:AdditionalModelInformation": ("AdditionalModelInformation", K.TEXT, S.LOW),
    "Iptc4xmpExt:DigImageGUID": ("DigitalImageGUID", K.DEVICE, S.LOW),
    "plus:ModelReleaseStatus": ("ModelReleaseStatus", K.TEXT, S.LOW),
    "plus:ModelReleaseID": ("ModelReleaseID", K.TEXT, S.LOW),
    "xmpMM:DocumentID": ("DocumentID", K.HISTORY, S.LOW),
    "xmpMM:InstanceID": ("InstanceID", K.HISTORY, S.LOW),
    "xmpMM:OriginalDocumentID": ("OriginalDocumentID", K.HISTORY, S.LOW),
    "xmpMM:PreservedFileName": ("PreservedFileName", K.TEXT, S.LOW),
    "crs:RawFileName": ("RawFileName", K.TEXT, S.LOW),
    "GCamera:SpecialTypeID": ("SpecialTypeID", K.TEXT, S.INFO),
    "mediapro:People": ("People", K.PERSON, S.HIGH),
    "pdf:Author": ("Author", K.PERSON, S.MEDIUM),
    "pdf:Producer": ("Producer", K.SOFTWARE, S.INFO),
    "pdf:Creator": ("PDFCreator", K.SOFTWARE, S.INFO),
    "pdf:Keywords": ("Keywords", K.TEXT, S.LOW),
}

# Structs whose fields are each a finding: key -> (ExifTool prefix, {field: (suffix, kind)}).
_CONTACT = {
    "Iptc4xmpCore:CiAdrExtadr": ("Address", K.LOCATION),
    "Iptc4xmpCore:CiAdrCity": ("City", K.LOCATION),
    "Iptc4xmpCore:CiAdrRegion": ("Region", K.LOCATION),
    "Iptc4xmpCore:CiAdrPcode": ("PostalCode", K.LOCATION),
    "Iptc4xmpCore:CiAdrCtry": ("Country", K.LOCATION),
    "Iptc4xmpCore:CiEmailWork": ("WorkEmail", K.PERSON),
    "Iptc4xmpCore:CiTelWork": ("WorkTelephone", K.PERSON),
    "Iptc4xmpCore:CiUrlWork": ("WorkURL", K.PERSON),
}
_PLUS_PARTIES = {
    "plus:LicensorName": ("Name", K.PERSON),
    "plus:LicensorEmail": ("Email", K.PERSON),
    "plus:LicensorTelephone1": ("Telephone1", K.PERSON),
    "plus:LicensorTelephone2": ("Telephone2", K.PERSON),
    "plus:LicensorStreetAddress": ("StreetAddress", K.LOCATION),
    "plus:LicensorExtendedAddress": ("ExtendedAddress", K.LOCATION),
    "plus:LicensorCity": ("City", K.LOCATION),
    "plus:ImageCreatorName": ("Name", K.PERSON),
    "plus:CopyrightOwnerName": ("Name", K.PERSON),
    "plus:ImageSupplierName": ("Name", K.PERSON),
    "plus:LicenseeName": ("Name", K.PERSON),
}
_REC_DEVICE = {
    "Iptc4xmpExt:DeviceSerialNumber": ("SerialNumber", K.DEVICE),
    "Iptc4xmpExt:DeviceOwnersDeviceId": ("OwnersDeviceId", K.DEVICE),
    "Iptc4xmpExt:DeviceManufacturer": ("Manufacturer", K.CAMERA),
    "Iptc4xmpExt:DeviceModelName": ("ModelName", K.CAMERA),
}
_ARTWORK = {
    "Iptc4xmpExt:AOCreator": ("Creator", K.PERSON),
    "Iptc4xmpExt:AOCurrentCopyrightOwnerName": ("CopyrightOwnerName", K.PERSON),
}
STRUCTS: dict[str, tuple[str, dict[str, tuple[str, FindingKind]]]] = {
    "Iptc4xmpExt:RecDevice": ("RecDevice", _REC_DEVICE),
    "Iptc4xmpExt:ArtworkOrObject": ("Artwork", _ARTWORK),
    "Iptc4xmpCore:CreatorContactInfo": ("Creator", _CONTACT),
    "plus:Licensor": ("Licensor", _PLUS_PARTIES),
    "plus:ImageCreator": ("ImageCreator", _PLUS_PARTIES),
    "plus:CopyrightOwner": ("CopyrightOwner", _PLUS_PARTIES),
    "plus:ImageSupplier": ("ImageSupplier", _PLUS_PARTIES),
    "plus:Licensee": ("Licensee", _PLUS_PARTIES),
}


def _location_names() -> frozenset[str]:
    """Local names (no prefix) of every property read as a location, for ``strip --only
    location``, which must cut exactly what this reader reports as one."""
    keys = [k for k, (_, kind, _) in SIMPLE.items() if kind is K.LOCATION]
    for _, fields in STRUCTS.values():
        keys += [k for k, (_, kind) in fields.items() if kind is K.LOCATION]
    keys += list(LOCATION_FIELDS)
    return frozenset(k.split(":", 1)[-1].lower() for k in keys)


LOCATION_NAMES = _location_names()
# Keyword trees whose first level names people ("People/Anna", "Persons|Ben").
_HIERARCHIES = {
    "lr:hierarchicalSubject": "HierarchicalSubject",
    "digiKam:TagsList": "TagsList",
    "MicrosoftPhoto:LastKeywordXMP": "LastKeywordXMP",
    "mediapro:CatalogSets": "CatalogSets",
}
_PEOPLE_ROOTS = {
    "people",
    "persons",
    "person",
    "personen",
    "personnes",
    "faces",
    "names",
    "photographers",
    "family",
    "friends",
}
MAX_KEYWORDS_SHOWN = 40
_PLACEHOLDERS = frozenset({"unknown", "none", "n/a", "null", "not set", "-"})
# Compiled on first use (``re``'s cache), not at every start; both are matched ignoring case.
_SERIAL_PROPERTY = r"serial(number|no)?$|serialnumber"
_PERSON_PROPERTY = (
    r"^(full_?name|person_?name|author|authors|artist|photographer|creator|owner_?name"
    r"|by_?line|copyright_?owner)$"
)


def _maybe_serial(local: str) -> bool:
    """False only when ``_SERIAL_PROPERTY`` cannot match: an ASCII name without "serial" in
    any case (other names go to the pattern, whose case rules are Unicode's)."""
    return not local.isascii() or "serial" in local.lower()


def read_xmp(packet: bytes, col: Collector, gps_source: str = "xmp") -> None:
    """Parse one packet and add what it gives away to ``col``.

    Raises ``rdf.XmpError`` (a ``ValueError``) with a plain-words reason when the packet
    cannot be read at all; the caller turns that into a warning.
    """
    read_properties(rdf.parse_packet(packet), col, gps_source)


def read_properties(props: XStruct, col: Collector, gps_source: str, prefix: str = "") -> None:
    """Apply every rule to one property set (a packet, or an IPTC image region)."""
    read_gps(props, col, gps_source, prefix)  # first: the camera position wins over places
    for key, value in props.items():
        simple = SIMPLE.get(key)
        if simple is not None:
            name, kind, severity = simple
            for text in texts(value):
                if not _placeholder(kind, text):
                    col.add(kind, f"XMP:{prefix}{name}", text, severity)
            continue
        handler = _HANDLERS.get(key)
        if handler is not None:
            handler(value, col, prefix)
            continue
        nested = STRUCTS.get(key)
        if nested is not None:
            _struct_fields(value, col, prefix + nested[0], nested[1])
    _keywords(props, col, prefix)
    _unknown_schema_names(props, col, prefix, 0)


def _placeholder(kind: FindingKind, text: str) -> bool:
    """What writers put in an owner or serial field that nobody filled in."""
    if kind not in (K.PERSON, K.DEVICE):
        return False
    return not text.strip(" 0") or text.strip().lower() in _PLACEHOLDERS


def _unknown_schema_names(props: XStruct, col: Collector, prefix: str, depth: int) -> None:
    """Properties no rule above knows still give people and devices away: a serial number
    in any schema (vendors add their own: drones, thermal and action cameras), and in an
    unknown namespace a property called fullName, author, photographer... Each is reported
    at low severity with its local name as the field, rather than silently passed over."""
    for key, value in props.items():
        if key in SIMPLE or key in _HANDLERS or key in STRUCTS:
            continue
        unknown = key.startswith("{")
        local = key.rpartition("}")[2] if unknown else key.partition(":")[2]
        field = f"XMP:{prefix}{local[:1].upper()}{local[1:]}"
        if _maybe_serial(local) and re.search(_SERIAL_PROPERTY, local, re.IGNORECASE):
            for text in texts(value)[:MAX_KEYWORDS_SHOWN]:
                if not _placeholder(K.DEVICE, text) and text.lower() not in ("true", "false"):
                    col.add(K.DEVICE, field, text, S.LOW)
        elif unknown and re.match(_PERSON_PROPERTY, local, re.IGNORECASE):
            for text in texts(value)[:MAX_KEYWORDS_SHOWN]:
                if not _placeholder(K.PERSON, text):
                    col.add(K.PERSON, field, text, S.LOW)
        if depth < 3:
            for struct in structs(value)[:MAX_KEYWORDS_SHOWN]:
                _unknown_schema_names(struct, col, prefix, depth + 1)


def _struct_fields(
    value: XValue, col: Collector, prefix: str, fields: dict[str, tuple[str, FindingKind]]
) -> None:
    for struct in structs(value):
        for key, item in struct.items():
            spec = fields.get(key)
            if spec is None:
                continue
            suffix, kind = spec
            for text in texts(item):
                col.add(kind, f"XMP:{prefix}{suffix}", text, S.MEDIUM)


def _keywords(props: XStruct, col: Collector, prefix: str) -> None:
    """Keywords become one text finding per list; ``People/…`` tree leaves become names."""
    _joined(texts(props.get("dc:subject")), col, f"XMP:{prefix}Subject")
    for key, name in _HIERARCHIES.items():
        other = []
        for text in texts(props.get(key)):
            parts = [p.strip() for p in re.split(r"[/|]", text) if p.strip()]
            if len(parts) >= 2 and parts[0].lower() in _PEOPLE_ROOTS:
                col.add(K.PERSON, f"XMP:{prefix}{name}", parts[-1], S.HIGH)
            else:
                other.append(text)
        _joined(other, col, f"XMP:{prefix}{name}")


def _joined(items: list[str], col: Collector, field: str) -> None:
    unique = list(dict.fromkeys(items))
    if unique:
        col.add(K.TEXT, field, ", ".join(unique[:MAX_KEYWORDS_SHOWN]), S.LOW)


def _person_details(value: XValue, col: Collector, prefix: str) -> None:
    for struct in structs(value):
        for text in texts(struct.get("Iptc4xmpExt:PersonName")):
            col.add(K.PERSON, f"XMP:{prefix}PersonInImageName", text, S.HIGH)
        for text in texts(struct.get("Iptc4xmpExt:PersonId")):
            col.add(K.PERSON, f"XMP:{prefix}PersonInImageId", text, S.MEDIUM)
        for text in texts(struct.get("Iptc4xmpExt:PersonDescription")):
            col.add(K.TEXT, f"XMP:{prefix}PersonInImageDescription", text, S.LOW)


def _mwg_keywords(value: XValue, col: Collector, prefix: str) -> None:
    """MWG keyword trees (``mwg-kw:Keywords/Hierarchy``): leaves under a People node."""

    def walk(nodes: XValue | None, people: bool, depth: int) -> None:
        for node in structs(nodes)[:500] if depth < 8 else []:
            keyword = first_text(node.get("mwg-kw:Keyword"))
            children = node.get("mwg-kw:Children")
            if people and keyword and not structs(children):
                col.add(K.PERSON, f"XMP:{prefix}HierarchicalKeywords", keyword, S.HIGH)
            walk(children, people or keyword.lower() in _PEOPLE_ROOTS, depth + 1)

    for keywords in structs(value):
        walk(keywords.get("mwg-kw:Hierarchy"), False, 0)


def _image_regions(value: XValue, col: Collector, prefix: str) -> None:
    """IPTC 2021 ImageRegion: each region is a property set of its own (persons, names)."""
    for struct in structs(value):
        for text in texts(struct.get("Iptc4xmpExt:Name")):
            col.add(K.TEXT, f"XMP:{prefix}ImageRegionName", text, S.LOW)
        inner = {k: v for k, v in struct.items() if k != "Iptc4xmpExt:Name"}
        read_properties(inner, col, "xmp", prefix + "ImageRegion")
        kinds = " ".join(texts(struct.get("Iptc4xmpExt:rCtype")))
        kinds += " " + " ".join(
            t
            for s in structs(struct.get("Iptc4xmpExt:rCtype"))
            for t in texts(s.get("Iptc4xmpExt:Identifier"))
        )
        if ("human" in kinds or "face" in kinds) and "Iptc4xmpExt:PersonInImage" not in struct:
            col.add(K.FACE_REGION, f"XMP:{prefix}ImageRegion", "unnamed person region", S.MEDIUM)


def _history(value: XValue, col: Collector, prefix: str) -> None:
    for event in structs(value):
        action = first_text(event.get("stEvt:action"))
        agent = first_text(event.get("stEvt:softwareAgent"))
        when = first_text(event.get("stEvt:when"))
        words = " ".join(p for p in (action, "with " + agent if agent else "", when) if p)
        col.add(K.HISTORY, f"XMP:{prefix}History", words, S.LOW)
        if agent:
            col.add(K.SOFTWARE, f"XMP:{prefix}HistorySoftwareAgent", agent, S.INFO)


def _derived_from(value: XValue, col: Collector, prefix: str) -> None:
    for ref in structs(value):
        for key in ("stRef:documentID", "stRef:originalDocumentID", "stRef:instanceID"):
            for text in texts(ref.get(key)):
                col.add(K.HISTORY, f"XMP:{prefix}DerivedFrom", text, S.LOW)


def _ancestors(value: XValue, col: Collector, prefix: str) -> None:
    count = len(texts(value))
    if count:
        col.add(K.HISTORY, f"XMP:{prefix}DocumentAncestors", f"{count} document ids", S.LOW)


_HANDLERS: dict[str, Callable[[XValue, Collector, str], None]] = {
    "Iptc4xmpExt:LocationCreated": locations("LocationCreated"),
    "Iptc4xmpExt:LocationShown": locations("LocationShown"),
    "Iptc4xmpExt:PersonInImageWDetails": _person_details,
    "Iptc4xmpExt:ImageRegion": _image_regions,
    "mwg-kw:Keywords": _mwg_keywords,
    "Iptc4xmpExt:ModelAge": model_age,
    "plus:MinorModelAgeDisclosure": plus_age_disclosure,
    "mwg-rs:Regions": mwg_regions,
    "apple-fi:Regions": mwg_regions,
    "MP:RegionInfo": mp_regions,
    "xmpMM:History": _history,
    "xmpMM:DerivedFrom": _derived_from,
    "photoshop:DocumentAncestors": _ancestors,
    "GCamera:MotionPhoto": motion_photo,
    "GCamera:MicroVideo": motion_photo,
    "Container:Directory": container,
    "xmp:Thumbnails": thumbnails,
    "GImage:Data": embedded("image", "ImageData"),
    "GDepth:Data": embedded("depth map", "DepthData"),
}
