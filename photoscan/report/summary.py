"""The shareable summary, as data: what every output format (HTML, PDF, CSV, JSON) shows.

Built purely from a scan's records, so the renderers never see anything the summary did not
decide to include. Redaction happens here, once:

- paths stay relative to the scanned folder, and the folder is named by its last component
  only (the full path only with ``include_locations``);
- no coordinates anywhere unless ``include_locations`` — places are named by city;
- no thumbnails at all (of children or anyone else);
- people's names in the reasons are replaced by a count unless ``include_names``;
- towns and neighbourhoods are left out unless ``include_places`` (or ``include_locations``):
  a photo's place is its country only, places are counted per country;
- any text that still contains the absolute root is rewritten to be relative.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from photoscan import __version__
from photoscan.model import (
    FileError,
    FindingKind,
    MediaKind,
    PhotoRecord,
    PlaceGroup,
    Recommendation,
    RiskLevel,
    Severity,
)
from photoscan.printable import readable_path
from photoscan.risk import assess, faces_checked, is_child_photo, is_possible, shown
from photoscan.sidecars.readers import PHOTOPAGE_FIELD

LEVEL_ORDER = (RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW, RiskLevel.NONE)
ACTION_LABELS: dict[Recommendation, str] = {
    Recommendation.MAKE_PRIVATE: "Make private on the site you shared it on",
    Recommendation.BLUR_CHILDREN: "Blur children's faces before sharing",
    Recommendation.STRIP_LOCATION: "Remove the location before sharing",
    Recommendation.STRIP_METADATA: "Remove all metadata before sharing",
    Recommendation.BLUR_FACES: "Blur faces before sharing",
    Recommendation.OK_TO_SHARE: "Fine to share as it is",
    Recommendation.CHECK_FACES: "Faces not checked — look at them before sharing",
    Recommendation.KEEP_PRIVATE: "Keep private (your decision)",
}
KIND_LABELS: dict[FindingKind, str] = {
    FindingKind.LOCATION: "Location",
    FindingKind.PERSON: "People's names",
    FindingKind.MINOR: "Marked as showing a child",
    FindingKind.DEVICE: "Device serials and unique ids",
    FindingKind.THUMBNAIL: "Hidden preview images",
    FindingKind.FACE_REGION: "Face tags",
    FindingKind.VISIBILITY: "Public or licensed (export)",
    FindingKind.TEXT: "Captions and comments",
    FindingKind.DATETIME: "Date and time",
    FindingKind.CAMERA: "Camera model",
    FindingKind.SOFTWARE: "Software",
    FindingKind.HISTORY: "Edit history and document ids",
}
# Which of a photo's reasons (risk.py's wording) explain each action, so an action's table
# says why *that* action, not everything again.
ACTION_REASONS: dict[Recommendation, tuple[str, ...]] = {
    Recommendation.MAKE_PRIVATE: (
        "Public on",
        "Under an open licence",
        "In an album shared",
        "Shows",
    ),
    Recommendation.BLUR_CHILDREN: ("Shows", "Possible child", "Metadata says a child"),
    Recommendation.STRIP_LOCATION: ("GPS pins", "Names the place", "Taken at a place"),
    Recommendation.STRIP_METADATA: (
        "Names a person",
        "Names people",
        "Carries a serial",
        "Hides an embedded",
        "Hides a cover",  # a video's cover picture or thumbnail (risk.py)
        "Stores face",
        "Has captions",
        "Keeps document",
        "Metadata says a child",
    ),
    Recommendation.BLUR_FACES: ("Shows", "You chose to hide"),
    Recommendation.OK_TO_SHARE: (),
    Recommendation.CHECK_FACES: ("Faces not checked",),
    Recommendation.KEEP_PRIVATE: ("You chose to keep",),
}
_NAME_REASON = re.compile(r"^Names (a person|people): (.*)$")
# risk.py names the town in "GPS pins where it was taken (near Leiden)" and "...over 41 days,
# near Leiden": cut when towns are left out.
_NEAR = re.compile(r" \(near [^)]*\)|, near .*$")


@dataclass(frozen=True, slots=True)
class PhotoLine:
    path: str
    level: RiskLevel
    score: int
    reasons: tuple[str, ...]
    recommendations: tuple[Recommendation, ...]
    children: bool
    faces: int
    kinds: tuple[FindingKind, ...]
    place: str | None  # "Leiden, NL"
    flickr_page: str | None
    has_gps: bool = False
    faces_checked: bool = True
    possible_children: int = 0  # faces that may be a child's: "possible child — please check"
    sure_children: int = 0  # faces that are a child's (photoscan sure, or the parent said)
    reviewed: bool = False  # the parent marked it reviewed
    lat: float | None = None  # only with include_locations
    lon: float | None = None
    media: MediaKind = MediaKind.PHOTO


@dataclass(frozen=True, slots=True)
class ActionGroup:
    action: Recommendation
    label: str
    photos: tuple[PhotoLine, ...]

    def reasons_for(self, photo: PhotoLine) -> tuple[str, ...]:
        """The photo's reasons that explain this action."""
        prefixes = ACTION_REASONS[self.action]
        return tuple(r for r in photo.reasons if prefixes and r.startswith(prefixes))


@dataclass(frozen=True, slots=True)
class ReportSummary:
    folder: str
    generated: str  # ISO date-time, UTC
    version: str
    total: int
    by_level: tuple[tuple[RiskLevel, int], ...]
    by_kind: tuple[tuple[str, int], ...]  # (label, photos), biggest first
    children: int
    with_faces: int
    faces_checked: int
    places: tuple[PlaceGroup, ...]
    actions: tuple[ActionGroup, ...]
    photos: tuple[PhotoLine, ...]  # every photo, riskiest first
    errors: tuple[FileError, ...]
    include_locations: bool
    cancelled: bool = False
    include_places: bool = False  # towns and neighbourhoods named (else countries only)
    details: bool = False  # the per-photo table and every photo of every action
    videos: int = 0  # videos and sound recordings among ``total``
    possible_children: int = 0  # photos with a possible child and no sure one (please check)
    reviewed: int = 0  # photos the parent marked reviewed

    @property
    def nouns(self) -> tuple[str, str]:
        """What the report's files are called, plural and as a column head: ``("photos",
        "Photo")``, ``("videos", "Video")`` (recordings too), ``("photos and videos",
        "File")``."""
        if not self.videos:
            return "photos", "Photo"
        if self.videos == self.total:
            return "videos", "Video"
        return "photos and videos", "File"


def _redact_reason(reason: str, include_names: bool) -> str:
    match = _NAME_REASON.match(reason)
    if include_names or not match:
        return reason
    if match[1] == "a person":
        return "Names a person (name left out of this report)"
    count = len(match[2].split(", ")) + match[2].count(" and ")
    return f"Names people ({count} of them; names left out of this report)"


def _redact_place(reason: str, include_places: bool) -> str:
    return reason if include_places else _NEAR.sub("", reason)


def _place_text(record: PhotoRecord, include_places: bool) -> str | None:
    if record.place is None:
        return None
    if not include_places:
        return record.place.country or None
    return f"{record.place.name}, {record.place.country}"


def _photo_line(
    record: PhotoRecord,
    include_locations: bool,
    include_names: bool,
    root: str,
    include_places: bool = True,
) -> PhotoLine:
    if record.risk is None:
        record = assess(record)
    risk = record.risk
    assert risk is not None  # assess always fills it
    page = next((f.value for f in record.findings if f.field == PHOTOPAGE_FIELD), None)
    kinds = sorted(
        {f.kind for f in record.findings if f.severity is not Severity.INFO},
        key=list(FindingKind).index,
    )
    gps = record.gps if include_locations else None
    children, adults = shown(record)  # a video: in the frame that shows the most
    return PhotoLine(
        path=_scrub(record.path, root),
        level=risk.level,
        score=risk.score,
        reasons=tuple(
            _scrub(_redact_place(_redact_reason(r, include_names), include_places), root)
            for r in risk.reasons
        ),
        recommendations=record.recommendations,
        children=is_child_photo(record),
        faces=len(children) + len(adults),
        kinds=tuple(kinds),
        place=_place_text(record, include_places),
        flickr_page=page,
        has_gps=record.gps is not None,
        faces_checked=faces_checked(record),
        possible_children=sum(1 for face in record.faces if is_possible(face)),
        sure_children=sum(1 for face in record.faces if face.child and not is_possible(face)),
        reviewed=record.decisions.reviewed,
        lat=gps.lat if gps else None,
        lon=gps.lon if gps else None,
        media=record.media,
    )


def _scrub(text: str, root: str) -> str:
    """``text`` without the absolute root, and as valid Unicode: a file name that is not
    UTF-8 is shown with replacement characters (the report is UTF-8 text)."""
    text = text.replace(root + "/", "").replace(root, ".") if root and root != "/" else text
    return readable_path(text)


def build_summary(
    root: Path,
    records: Iterable[PhotoRecord],
    errors: Sequence[FileError] = (),
    places: Sequence[PlaceGroup] = (),
    *,
    include_locations: bool = False,
    include_names: bool = False,
    include_places: bool = False,
    details: bool = False,
    cancelled: bool = False,
    now: datetime | None = None,
) -> ReportSummary:
    """Everything the report shows, redacted unless asked otherwise (see module docstring)."""
    root_text = str(root)
    towns = include_places or include_locations
    lines = sorted(
        (_photo_line(r, include_locations, include_names, root_text, towns) for r in records),
        key=lambda p: (-p.score, p.path),
    )
    levels = Counter(p.level for p in lines)
    kinds = Counter(k for p in lines for k in p.kinds)
    by_kind = [(KIND_LABELS.get(k, k.value), n) for k, n in kinds.items()]
    actions = tuple(
        ActionGroup(a, ACTION_LABELS[a], tuple(p for p in lines if a in p.recommendations))
        for a in ACTION_LABELS
    )
    shown_places = tuple(places) if include_locations else tuple(_no_centre(g) for g in places)
    if not towns:
        shown_places = _by_country(shown_places)
    return ReportSummary(
        folder=readable_path(root_text if include_locations else (root.name or root_text)),
        generated=(now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        version=__version__,
        total=len(lines),
        by_level=tuple((level, levels.get(level, 0)) for level in LEVEL_ORDER),
        by_kind=tuple(sorted(((k, n) for k, n in by_kind if n), key=lambda kn: (-kn[1], kn[0]))),
        children=sum(1 for p in lines if p.children),
        with_faces=sum(1 for p in lines if p.faces),
        faces_checked=sum(1 for p in lines if p.faces_checked),
        places=shown_places,
        actions=tuple(a for a in actions if a.photos),
        photos=tuple(lines),
        errors=tuple(
            FileError(_scrub(e.path, root_text), _scrub(e.reason, root_text)) for e in errors
        ),
        include_locations=include_locations,
        cancelled=cancelled,
        include_places=towns,
        details=details,
        videos=sum(1 for p in lines if p.media is not MediaKind.PHOTO),
        possible_children=sum(1 for p in lines if p.possible_children and not p.sure_children),
        reviewed=sum(1 for p in lines if p.reviewed),
    )


def _no_centre(group: PlaceGroup) -> PlaceGroup:
    return PlaceGroup(
        group.name, group.country, group.photos, group.days, group.repeated, group.paths, None
    )


def _by_country(groups: Sequence[PlaceGroup]) -> tuple[PlaceGroup, ...]:
    """Places without their towns: each place you return to stays a line of its own, unnamed;
    the other photos are counted per country. The days of a country line are not known (one
    trip or several): 0, which the renderers leave out."""
    repeated = tuple(
        PlaceGroup("", g.country, g.photos, g.days, True, g.paths, g.center)
        for g in groups
        if g.repeated
    )
    per: dict[str, list[PlaceGroup]] = {}
    for g in groups:
        if not g.repeated:
            per.setdefault(g.country, []).append(g)
    countries = sorted(
        (
            PlaceGroup("", country, sum(g.photos for g in gs), 0, False)
            for country, gs in per.items()
        ),
        key=lambda g: (-g.photos, g.country),
    )
    return repeated + tuple(countries)
