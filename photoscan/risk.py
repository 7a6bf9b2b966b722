"""How much a photo gives away, in one number, one level and plain words — and what to do.

Pure: a ``PhotoRecord`` (plus optional knowledge about the whole library, ``RiskContext``,
and the parent's ``Decisions``) in, the same record with its faces corrected by those
decisions (``faces.marks``) and ``risk`` and ``recommendations`` filled out. Every rule is a row in
a table or a named function so that the tests can check them one by one and the user can be
told exactly why a photo scored what it did.

The model (architecture §6): each finding kind is worth points, scaled by the finding's own
severity; faces and children are worth most. Combinations the threat model singles out are
floors, not sums: children together with a precise location is always high, and a public,
Creative-Commons photo showing children is the worst case (100) — that is exactly what was
scraped into face datasets. Reasons never repeat coordinates, only what kind of thing leaks.

Never "fine to share" for what was not checked: a photo whose faces were not looked at
(still scanning, cancelled, ``--no-faces``, undecodable, a RAW without a usable preview)
says so, is at least low risk however clean its metadata, and gets ``check_faces`` instead
of ``ok_to_share``. A possible child (an age estimate near the line) is treated as a child
and named apart: "Possible child — please check".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from photoscan.faces import marks
from photoscan.model import (
    ChildLevel,
    Decisions,
    Face,
    Finding,
    FindingKind,
    ImageFormat,
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

UNCHECKED_FLOOR = 5  # faces not checked: never "none" just because nothing else was found
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


def faces_checked(record: PhotoRecord) -> bool:
    """Whether photoscan looked for faces in it (a standalone XMP sidecar has no pixels)."""
    return record.faces_scanned or record.format is ImageFormat.XMP


def unchecked_reason(record: PhotoRecord) -> str | None:
    """'Faces not checked …' in plain words, or None when they were."""
    if faces_checked(record):
        return None
    if record.face_error:
        return f"Faces not checked: {record.face_error}"
    return "Faces not checked yet"


def assess(
    record: PhotoRecord, context: RiskContext | None = None, decisions: Decisions | None = None
) -> PhotoRecord:
    """The record with the parent's decisions applied to its faces (``decisions``, else
    the ones it carries) and ``risk`` and ``recommendations`` filled, from scratch."""
    if decisions is not None and decisions != record.decisions:
        record = dataclasses.replace(record, decisions=decisions)
    corrected = marks.apply(record.faces, record.decisions)
    if corrected != record.faces:
        record = dataclasses.replace(record, faces=corrected)
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
        reasons.extend(describe_children(children))
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
            if kind is FindingKind.THUMBNAIL and record.media is not MediaKind.PHOTO:
                reason = _MOVIE_THUMBNAIL  # a cover or thumbnail: no crop for it to undo
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
    unchecked = unchecked_reason(record)
    if unchecked is not None:
        score = max(score, UNCHECKED_FLOOR)
        reasons.append(unchecked)
    decided = record.decisions
    if decided.hide_all:
        reasons.append("You chose to hide every face in it when it is shared")
    if decided.keep_private:
        reasons.append("You chose to keep it private: no share-safe copy is made")
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
_MOVIE_THUMBNAIL = "Hides a cover picture or thumbnail image"


def _count_phrase(n: int, noun: str) -> str:
    article = "an" if noun[0] in "aeiou" else "a"
    return f"Shows {article if n == 1 else n} {noun}{'' if n == 1 else 's'}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def is_possible(face: Face) -> bool:
    """Treated as a child although photoscan is not sure: the estimate is near the line
    (``POSSIBLE_CHILD``), or the older two-level rule flagged an estimate of 18 or more;
    never once the parent has said."""
    if not face.child or face.mark is not None:
        return False
    return face.level is ChildLevel.POSSIBLE_CHILD or (
        face.age is not None and face.age >= ADULT_AGE
    )


def describe_children(children: list[Face]) -> list[str]:
    """'Shows 2 children (est. 4 and 7)' and, apart, 'Possible child — please check (est.
    23)': ages rounded and sorted, omitted when unknown; the ones the parent marked or drew
    are said to be theirs."""
    maybe = [face for face in children if is_possible(face)]
    sure = [face for face in children if not is_possible(face)]
    out = []
    if sure:
        text = "Shows a child" if len(sure) == 1 else f"Shows {len(sure)} children"
        ages = _ages([face for face in sure if face.mark is None])  # the parent knows better
        yours = sum(1 for face in sure if face.mark is not None)
        if yours:
            mine = "marked by you" if yours == len(sure) else f"{yours} marked by you"
            ages = f"{ages[:-1]}; {mine})" if ages else f" ({mine})"
        out.append(text + ages)
    if maybe:
        text = "Possible child" if len(maybe) == 1 else f"{len(maybe)} possible children"
        out.append(f"{text} — please check{_ages(maybe)}")
    return out


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
    """Actions in the fixed vocabulary, in a stable order; ``ok_to_share`` only when none
    apply and the faces were checked (else ``check_faces``)."""
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
    decided = record.decisions
    if decided.hide_all and record.faces:
        actions.append(Recommendation.BLUR_FACES)
    elif child:
        actions.append(Recommendation.BLUR_CHILDREN)
    elif record.faces and (public or has_open_licence(findings)):
        actions.append(Recommendation.BLUR_FACES)
    if not faces_checked(record):
        actions.append(Recommendation.CHECK_FACES)
    if decided.keep_private:
        actions.append(Recommendation.KEEP_PRIVATE)
    return tuple(actions) or (Recommendation.OK_TO_SHARE,)
