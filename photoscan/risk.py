"""How much a photo gives away, in one number, one level and plain words — and what to do.

Pure: a ``PhotoRecord`` (plus optional knowledge about the whole library, ``RiskContext``)
in, the same record with ``risk`` and ``recommendations`` filled out. Every rule is a row in
a table or a named function so that the tests can check them one by one and the user can be
told exactly why a photo scored what it did.

The model (architecture §6): each finding kind is worth points, scaled by the finding's own
severity; faces and children are worth most. Combinations the threat model singles out are
floors, not sums: children together with a precise location is always high, and a public,
Creative-Commons photo showing children is the worst case (100) — that is exactly what was
scraped into face datasets. Reasons never repeat coordinates, only what kind of thing leaks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from photoscan.model import (
    Face,
    Finding,
    FindingKind,
    MediaKind,
    PhotoRecord,
    Recommendation,
    RepeatedPlace,
    Risk,
    RiskContext,
    RiskLevel,
    Severity,
)
from photoscan.sidecars.visibility import LINK_SHARED, is_open_licence

# Points a finding kind is worth at HIGH severity; lower severities are scaled down.
KIND_POINTS: Mapping[FindingKind, int] = {
    FindingKind.MINOR: 45,
    FindingKind.LOCATION: 35,
    FindingKind.PERSON: 25,
    FindingKind.DEVICE: 12,
    FindingKind.THUMBNAIL: 10,
    FindingKind.FACE_REGION: 10,
    FindingKind.TEXT: 8,
    FindingKind.VISIBILITY: 0,  # exposure is handled by its own rules below
    FindingKind.DATETIME: 4,
    FindingKind.HISTORY: 3,
    FindingKind.CAMERA: 2,
    FindingKind.SOFTWARE: 1,
}
SEVERITY_FACTOR: Mapping[Severity, float] = {
    Severity.INFO: 0.0,
    Severity.LOW: 0.4,
    Severity.MEDIUM: 0.7,
    Severity.HIGH: 1.0,
}

CHILD_POINTS = 45
ADULT_AGE = 18
FACE_POINTS = 12  # adult faces: one face
EXTRA_FACE_POINTS = 3  # per additional face, up to MAX_FACE_POINTS
MAX_FACE_POINTS = 20
GPS_POINTS = 35  # a precise position (record.gps)
REPEATED_PLACE_POINTS = 15  # a place the camera keeps returning to: home, school, work
PUBLIC_POINTS = 15
LINK_SHARED_POINTS = 8
OPEN_LICENCE_POINTS = 10

CHILD_AND_GPS_FLOOR = 75
PUBLIC_OPEN_FACES_FLOOR = 60  # public + Creative Commons + any face: what face datasets scraped
PUBLIC_OPEN_EXPOSED_FLOOR = 85  # public + Creative Commons + (child or GPS)
WORST_CASE = 100  # public + Creative Commons + child

LEVEL_THRESHOLDS: tuple[tuple[int, RiskLevel], ...] = (
    (60, RiskLevel.HIGH),
    (30, RiskLevel.MEDIUM),
    (5, RiskLevel.LOW),  # below: only camera model, software, dates — nothing identifying
)

# Finding kinds removed by "strip all metadata" (location has its own action).
_STRIP_KINDS = frozenset(
    {
        FindingKind.PERSON,
        FindingKind.DEVICE,
        FindingKind.THUMBNAIL,
        FindingKind.MINOR,
        FindingKind.FACE_REGION,
        FindingKind.TEXT,
        FindingKind.HISTORY,
    }
)
_MAX_NAMES = 3


def is_child_photo(record: PhotoRecord) -> bool:
    """True when a face was estimated to be a child or a metadata field says a minor is shown."""
    return any(face.child for face in record.faces) or any(
        f.kind is FindingKind.MINOR and f.severity is not Severity.INFO for f in record.findings
    )


def is_public(findings: tuple[Finding, ...]) -> bool:
    """A sidecar says the photo is (or was) visible to everyone."""
    return any(
        f.kind is FindingKind.VISIBILITY
        and "licen" not in f.field.lower()
        and f.value.strip().lower() in {"public", "anyone", "everyone", "shared"}
        for f in findings
    )


def is_link_shared(findings: tuple[Finding, ...]) -> bool:
    """Shared with anyone who has the link (a Google Photos shared album): not listed, but
    one forwarded message away from public."""
    return any(
        f.kind is FindingKind.VISIBILITY and f.value.strip().lower() == LINK_SHARED
        for f in findings
    )


def has_open_licence(findings: tuple[Finding, ...]) -> bool:
    """A sidecar licence finding lets anyone reuse the photo."""
    return any(
        f.kind is FindingKind.VISIBILITY and "licen" in f.field.lower() and is_open_licence(f.value)
        for f in findings
    )


def level_for(score: int) -> RiskLevel:
    for threshold, level in LEVEL_THRESHOLDS:
        if score >= threshold:
            return level
    return RiskLevel.NONE


def assess(record: PhotoRecord, context: RiskContext | None = None) -> PhotoRecord:
    """The record with ``risk`` and ``recommendations`` filled (recomputed from scratch)."""
    ctx = context or RiskContext()
    repeated = ctx.repeated.get(record.path)
    score, reasons = _score(record, repeated)
    risk = Risk(level=level_for(score), score=score, reasons=tuple(reasons))
    return dataclasses.replace(record, risk=risk, recommendations=recommend(record, risk))


def _is_real_location(f: Finding) -> bool:
    return f.kind is FindingKind.LOCATION and not f.field.endswith("(invalid)")


def _kind_points(findings: tuple[Finding, ...]) -> dict[FindingKind, int]:
    """Each kind counts once, at the severity of its strongest finding."""
    points: dict[FindingKind, int] = {}
    for f in findings:
        if f.kind is FindingKind.LOCATION and not _is_real_location(f):
            continue
        value = round(KIND_POINTS.get(f.kind, 0) * SEVERITY_FACTOR[f.severity])
        points[f.kind] = max(points.get(f.kind, 0), value)
    return points


def _score(record: PhotoRecord, repeated: RepeatedPlace | None) -> tuple[int, list[str]]:
    findings = record.findings
    kinds = _kind_points(findings)
    reasons: list[str] = []
    total = 0

    children, adults = shown(record)
    child = is_child_photo(record)
    if children:
        total += CHILD_POINTS
        reasons.append(describe_children(children))
    if kinds.get(FindingKind.MINOR, 0) > 0:
        total += 0 if children else kinds[FindingKind.MINOR]
        reasons.append(_minor_reason(findings))
    if adults:
        total += min(MAX_FACE_POINTS, FACE_POINTS + EXTRA_FACE_POINTS * (len(adults) - 1))
        reasons.append(_count_phrase(len(adults), "adult face" if children else "face"))

    precise = record.gps is not None
    if precise:
        total += max(GPS_POINTS, kinds.get(FindingKind.LOCATION, 0))
        near = f" (near {record.place.name})" if record.place and record.place.name else ""
        reasons.append(f"GPS pins where it was taken{near}")
    elif kinds.get(FindingKind.LOCATION, 0) > 0:
        total += kinds[FindingKind.LOCATION]
        reasons.append("Names the place where it was taken")
    if repeated is not None:
        total += REPEATED_PLACE_POINTS
        reasons.append(describe_repeated(repeated))

    for kind, reason in _METADATA_REASONS:
        if kinds.get(kind, 0) > 0:
            total += kinds[kind]
            reasons.append(_person_reason(findings) if kind is FindingKind.PERSON else reason)

    public, open_licence = is_public(findings), has_open_licence(findings)
    if not public and is_link_shared(findings):
        total += LINK_SHARED_POINTS
        reasons.append("In an album shared with anyone who has the link")
    if public:
        total += PUBLIC_POINTS
        reasons.append("Public on the site it was exported from")
    if open_licence:
        total += OPEN_LICENCE_POINTS
        reasons.append("Under an open licence: anyone may copy it, face datasets included")

    score = min(100, total)
    if child and precise:
        score = max(score, CHILD_AND_GPS_FLOOR)
    if public and open_licence and record.faces:
        score = max(score, PUBLIC_OPEN_FACES_FLOOR)
    if public and open_licence and (child or precise):
        score = max(score, PUBLIC_OPEN_EXPOSED_FLOOR)
    if public and open_licence and child:
        score = WORST_CASE
    if not record.faces_scanned and not record.face_error:
        reasons.append("Faces not checked yet")
    elif _unchecked_video(record):
        reasons.append(_capital(record.face_error or "faces not checked"))
    return score, reasons


def shown(record: PhotoRecord) -> tuple[list[Face], list[Face]]:
    """(children, adults) the record shows. A video's faces come from several sampled frames,
    where the same people appear again and again: they count in the frame showing the most
    children (and, for adults, the most adults), not summed over frames."""
    if record.media is MediaKind.PHOTO:
        return [f for f in record.faces if f.child], [f for f in record.faces if not f.child]
    frames: dict[float | None, list[Face]] = {}
    for face in record.faces:
        frames.setdefault(face.frame_s, []).append(face)
    children = max(([f for f in fs if f.child] for fs in frames.values()), key=len, default=[])
    adults = max(([f for f in fs if not f.child] for fs in frames.values()), key=len, default=[])
    return children, adults


def _unchecked_video(record: PhotoRecord) -> bool:
    """A video whose frames could not be looked at: never called fine to share."""
    return record.media is MediaKind.VIDEO and record.face_error is not None


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


_METADATA_REASONS: tuple[tuple[FindingKind, str], ...] = (
    (FindingKind.PERSON, ""),  # built from the names
    (FindingKind.FACE_REGION, "Stores face rectangles in its metadata"),
    (FindingKind.DEVICE, "Carries a serial number or unique id that links it to your camera"),
    (FindingKind.THUMBNAIL, "Hides an embedded preview image (may show what a crop removed)"),
    (FindingKind.TEXT, "Has captions, comments or keywords"),
    (FindingKind.DATETIME, "Records when it was taken"),
    (FindingKind.HISTORY, "Keeps document ids or edit history"),
    (FindingKind.CAMERA, "Names the camera model"),
    (FindingKind.SOFTWARE, "Names the software used"),
)


def _count_phrase(n: int, noun: str) -> str:
    article = "an" if noun[0] in "aeiou" else "a"
    return f"Shows {article if n == 1 else n} {noun}{'' if n == 1 else 's'}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def describe_children(children: list[Face]) -> str:
    """'Shows 2 children (est. 4 and 7)' — ages rounded and sorted, omitted when unknown.

    The face model flags some faces as children although its age estimate is 18 or more (the
    threshold leaves a margin for young-looking teenagers); those are described as faces that
    may be a minor's rather than as "a child (est. 19)".
    """
    sure = [face for face in children if face.age is None or face.age < ADULT_AGE]
    maybe = [face for face in children if face.age is not None and face.age >= ADULT_AGE]
    text = ""
    if sure:
        text = "Shows a child" if len(sure) == 1 else f"Shows {len(sure)} children"
        text += _ages(sure)
    if maybe:
        faces = "a face" if len(maybe) == 1 else f"{len(maybe)} faces"
        text += (" and " if text else "Shows ") + f"{faces} that may be a minor's{_ages(maybe)}"
    return text


def _ages(faces: list[Face]) -> str:
    ages = sorted(round(face.age) for face in faces if face.age is not None)
    return f" (est. {_join([str(a) for a in ages])})" if ages else ""


def describe_repeated(place: RepeatedPlace) -> str:
    """'Taken at a place you return to: 23 photos over 41 days, near Leiden'."""
    near = f", near {place.name}" if place.name else ""
    return f"Taken at a place you return to: {place.photos} photos over {place.days} days{near}"


def _minor_reason(findings: tuple[Finding, ...]) -> str:
    fields = sorted({f.field.split(":")[-1] for f in findings if f.kind is FindingKind.MINOR})
    return f"Metadata says a child is shown ({_join(fields[:_MAX_NAMES])})"


def _person_reason(findings: tuple[Finding, ...]) -> str:
    names: list[str] = []
    for f in findings:
        if f.kind is FindingKind.PERSON and f.severity is not Severity.INFO:
            name = f.value[:60]
            if name not in names:
                names.append(name)
    shown = names[:_MAX_NAMES]
    if len(names) > _MAX_NAMES:
        shown.append(f"{len(names) - _MAX_NAMES} more")
    return f"Names {'a person' if len(names) == 1 else 'people'}: {_join(shown)}"


def recommend(record: PhotoRecord, risk: Risk) -> tuple[Recommendation, ...]:
    """Actions in the fixed vocabulary, in a stable order; ``ok_to_share`` only when none apply."""
    findings = record.findings
    actions: list[Recommendation] = []
    child = is_child_photo(record)
    public = is_public(findings)
    exposed = public and risk.level in {RiskLevel.MEDIUM, RiskLevel.HIGH}
    if exposed or (child and (public or is_link_shared(findings))):
        actions.append(Recommendation.MAKE_PRIVATE)
    if record.gps is not None or any(_is_real_location(f) for f in findings):
        actions.append(Recommendation.STRIP_LOCATION)
    if any(f.kind in _STRIP_KINDS and f.severity is not Severity.INFO for f in findings):
        actions.append(Recommendation.STRIP_METADATA)
    if child:
        actions.append(Recommendation.BLUR_CHILDREN)
    elif record.faces and (public or has_open_licence(findings)):
        actions.append(Recommendation.BLUR_FACES)
    if _unchecked_video(record):
        return tuple(actions)  # not checked is not "fine": no action to recommend yet
    return tuple(actions) or (Recommendation.OK_TO_SHARE,)
