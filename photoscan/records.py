"""The records of a scan: faces, the parent's decisions, risk, places, ``PhotoRecord``.

``photoscan.model`` names every one of them too, and imports this module only when one is
first used: a strip, which needs only findings and formats (``photoscan.findings``), does
not build these dataclasses at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from photoscan.findings import Box, Finding, Gps, ImageFormat, MediaKind

__all__ = [
    "NO_DECISIONS",
    "ChildLevel",
    "Decisions",
    "Face",
    "FaceMark",
    "FaceSource",
    "FileError",
    "Mark",
    "PhotoRecord",
    "Place",
    "PlaceGroup",
    "Recommendation",
    "RepeatedPlace",
    "Risk",
    "RiskContext",
    "RiskLevel",
]


class RiskLevel(StrEnum):
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Recommendation(StrEnum):
    """Fixed vocabulary of actions (architecture §6, issue 5)."""

    MAKE_PRIVATE = "make_private"
    STRIP_LOCATION = "strip_location"
    STRIP_METADATA = "strip_metadata"
    BLUR_CHILDREN = "blur_children"
    BLUR_FACES = "blur_faces"
    OK_TO_SHARE = "ok_to_share"  # never for a photo whose faces were not checked
    CHECK_FACES = "check_faces"  # faces not checked: look before sharing (issue 11)
    KEEP_PRIVATE = "keep_private"  # the parent decided it is not to be shared


class Mark(StrEnum):
    """What the parent said about one face (``photoscan.library``). JSON contract values."""

    CHILD = "child"
    NOT_CHILD = "not_child"


class FaceSource(StrEnum):
    """Who found a face. Values are part of the JSON contract."""

    DETECTOR = "detector"
    PARENT = "parent"  # a box the parent drew around a face photoscan missed


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str
    repeated: bool = False  # one of the places you return to (``scan --places``)


@dataclass(frozen=True, slots=True)
class PlaceGroup:
    """One line of the top-level ``places`` list (``scan --places``): a repeated spot, or a
    city's other photos."""

    name: str
    country: str
    photos: int
    days: int
    repeated: bool
    paths: tuple[str, ...] = ()
    center: tuple[float, float] | None = None  # only shown when the user opts in


@dataclass(frozen=True, slots=True)
class RepeatedPlace:
    """A spot the camera keeps returning to (``photoscan.places.places`` finds them)."""

    photos: int
    days: int
    name: str | None = None  # nearest city, from offline geocoding


@dataclass(frozen=True, slots=True)
class RiskContext:
    """What the whole library knows about a photo that the photo alone does not.

    ``repeated`` maps a record's path to the repeated place it was taken at.
    """

    repeated: Mapping[str, RepeatedPlace] = field(default_factory=dict)


class ChildLevel(StrEnum):
    """How sure photoscan is that a face is a child (``faces.levels``). Values are part of
    the JSON contract."""

    CHILD = "child"
    POSSIBLE_CHILD = "possible_child"  # the age estimate is near the line: please check
    ADULT = "adult"


@dataclass(frozen=True, slots=True)
class Face:
    """A detected face. ``box`` is (left, top, right, bottom) in original-image pixels, in the
    orientation the photo is displayed (EXIF orientation applied); for a video, in the pixels
    of its upright frame at ``frame_s`` seconds (the video's displayed size). ``child`` means
    *treated as a child*: a child or a possible child (``level``). ``level`` defaults to what
    ``child`` says (CHILD or ADULT) for records made before there were three levels."""

    box: tuple[int, int, int, int]
    age: float | None
    child: bool
    level: ChildLevel | None = None
    # The parent's corrections (``faces.marks.apply``): ``mark`` is their word on this face
    # (``level`` then follows it), ``detected`` what the detector said before it, so the
    # mark can be taken back; a ``PARENT`` face is a box they drew (treated as a child).
    source: FaceSource = FaceSource.DETECTOR
    mark: Mark | None = None
    detected: ChildLevel | None = None
    frame_s: float | None = None  # videos: the time of the sampled frame it was found in

    def __post_init__(self) -> None:
        if self.level is None:
            object.__setattr__(self, "level", ChildLevel.CHILD if self.child else ChildLevel.ADULT)
        elif self.child != (self.level is not ChildLevel.ADULT):
            raise ValueError(f"child={self.child} contradicts level {self.level}")

    @property
    def possible(self) -> bool:
        """A possible child: photoscan is unsure and the parent has not said."""
        return self.level is ChildLevel.POSSIBLE_CHILD


# --- the parent's decisions (stored by ``photoscan.library``) ----------------------------------


@dataclass(frozen=True, slots=True)
class FaceMark:
    """The parent's word on the face at ``box`` (matched to detected faces by overlap)."""

    box: Box
    mark: Mark


@dataclass(frozen=True, slots=True)
class Decisions:
    """Everything the parent decided about one photo. ``added`` are boxes they drew around
    faces photoscan missed (each is treated as a child's: hidden when shared);
    ``dismissed`` are faces they said are not the child a suggestion thought they were."""

    marks: tuple[FaceMark, ...] = ()
    added: tuple[Box, ...] = ()
    hide_all: bool = False  # hide every face in this photo when sharing
    reviewed: bool = False
    keep_private: bool = False  # never make a share-safe copy of it
    dismissed: tuple[Box, ...] = ()

    @property
    def empty(self) -> bool:
        return self == NO_DECISIONS


NO_DECISIONS = Decisions()


@dataclass(frozen=True, slots=True)
class Risk:
    level: RiskLevel
    score: int  # 0..100
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PhotoRecord:
    """Everything photoscan knows about one photo. ``path`` is relative to the scan root,
    with forward slashes."""

    path: str
    format: ImageFormat  # XMP for a standalone .xmp sidecar (no pixels, no faces)
    width: int | None
    height: int | None
    gps: Gps | None = None
    place: Place | None = None
    faces: tuple[Face, ...] = ()
    findings: tuple[Finding, ...] = ()
    risk: Risk | None = None
    recommendations: tuple[Recommendation, ...] = ()
    faces_scanned: bool = False  # False when faces were skipped (--no-faces) or are pending
    face_error: str | None = None
    sidecars: tuple[str, ...] = ()  # files describing this photo (.xmp, export .json, .AAE...)
    media: MediaKind = MediaKind.PHOTO
    duration_s: float | None = None  # videos and recordings: their length in seconds
    decisions: Decisions = NO_DECISIONS  # the parent's, applied to ``faces`` (``risk.assess``)


@dataclass(frozen=True, slots=True)
class FileError:
    """A file that could not be (fully) read, and why, in plain words."""

    path: str
    reason: str
