"""XMP about the people shown: face regions (MWG, Apple, Microsoft) and model ages.

Named regions are people (a pet's name is still a name someone chose); unnamed face
rectangles are ``face_region`` findings. An age under 18, or a PLUS disclosure code of 17
or younger, is a ``minor`` finding: the strongest signal a photo shows a child.
"""

from __future__ import annotations

from photoscan.lazy import TYPE_CHECKING, LazyModule
from photoscan.metadata.base import Collector
from photoscan.metadata.xmp.rdf import XStruct, XValue, by_local, first_text, structs, texts
from photoscan.model import FindingKind, Severity

if TYPE_CHECKING:
    import re
else:
    re = LazyModule("re")  # imported when a pattern is first needed

K = FindingKind
S = Severity
_AGE_CODE = r"AG-(UNK|[AU]\d\d)"  # compiled on first use (re.IGNORECASE)
MINOR_AGE = 18


def _area(fields: XStruct) -> str:
    area = by_local(fields, "Area") or by_local(fields, "Rectangle")
    if isinstance(area, dict):
        parts = [first_text(by_local(area, axis)) for axis in ("x", "y", "w", "h")]
        return "area " + ",".join(p[:8] for p in parts if p)
    return "area " + first_text(area)[:40] if area else ""


def mwg_regions(value: XValue, col: Collector, prefix: str) -> None:
    """MWG (and Apple's look-alike) regions: names of faces, or unnamed face rectangles."""
    for regions in structs(value):
        for region in structs(by_local(regions, "RegionList")):
            kind = first_text(by_local(region, "Type")).lower()
            name = first_text(by_local(region, "Name"))
            if name:
                severity = S.HIGH if kind in ("", "face") else S.MEDIUM
                col.add(K.PERSON, f"XMP:{prefix}RegionName", name, severity)
            elif kind == "face":
                where = _area(region)
                col.add(K.FACE_REGION, f"XMP:{prefix}RegionType", f"Face ({where})", S.MEDIUM)
            for text in texts(by_local(region, "Description")):
                col.add(K.TEXT, f"XMP:{prefix}RegionDescription", text, S.LOW)
            extensions = by_local(region, "Extensions")
            if isinstance(extensions, dict) and by_local(extensions, "FaceID") is not None:
                face_id = first_text(by_local(extensions, "FaceID"))
                col.add(K.FACE_REGION, f"XMP:{prefix}RegionFaceID", face_id, S.MEDIUM)


def mp_regions(value: XValue, col: Collector, prefix: str) -> None:
    """Microsoft Photo regions (Windows Photo Gallery, Live): names, e-mail digests, ids."""
    for info in structs(value):
        for region in structs(info.get("MPRI:Regions")):
            name = first_text(region.get("MPReg:PersonDisplayName"))
            if name:
                col.add(K.PERSON, f"XMP:{prefix}RegionPersonDisplayName", name, S.HIGH)
            for key, tag in (
                ("MPReg:PersonEmailDigest", "RegionPersonEmailDigest"),
                ("MPReg:PersonLiveIdCID", "RegionPersonLiveIdCID"),
            ):
                for text in texts(region.get(key)):
                    col.add(K.PERSON, f"XMP:{prefix}{tag}", text, S.MEDIUM)
            if not name and region.get("MPReg:Rectangle"):
                rect = first_text(region.get("MPReg:Rectangle"))[:40]
                col.add(K.FACE_REGION, f"XMP:{prefix}RegionRectangle", rect, S.MEDIUM)


def model_age(value: XValue, col: Collector, prefix: str) -> None:
    for text in texts(value):
        match = re.search(r"\d{1,3}", text)
        if match and int(match.group()) < MINOR_AGE:
            col.add(K.MINOR, f"XMP:{prefix}ModelAge", f"{match.group()} years", S.HIGH)
        else:
            col.add(K.TEXT, f"XMP:{prefix}ModelAge", text, S.LOW)


def age_disclosure(code: str) -> tuple[bool, str]:
    """(is a minor, plain words) for a PLUS MinorModelAgeDisclosure code such as AG-A17."""
    match = re.search(_AGE_CODE, code, re.IGNORECASE)
    if not match:
        return False, code
    value = match.group(1).upper()
    if value == "UNK":
        return False, "age unknown (AG-UNK)"
    age = int(value[1:])
    if value[0] == "U":
        return True, f"age {age} or under (AG-{value})"
    if age >= 25:
        return False, f"age 25 or over (AG-{value})"
    return age < MINOR_AGE, f"age {age} (AG-{value})"


def plus_age_disclosure(value: XValue, col: Collector, prefix: str) -> None:
    for text in texts(value):
        minor, words = age_disclosure(text)
        kind, severity = (K.MINOR, S.HIGH) if minor else (K.TEXT, S.LOW)
        col.add(kind, f"XMP:{prefix}MinorModelAgeDisclosure", words, severity)
