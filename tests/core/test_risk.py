"""Table-driven tests for every risk rule: points, floors, levels, reasons, recommendations."""

from __future__ import annotations

import dataclasses

import pytest

from photoscan.model import (
    ChildLevel,
    Decisions,
    Face,
    FaceMark,
    FaceSource,
    Finding,
    FindingKind,
    Gps,
    ImageFormat,
    Mark,
    MediaKind,
    PhotoRecord,
    Place,
    Recommendation,
    RepeatedPlace,
    RiskContext,
    RiskLevel,
    Severity,
)
from photoscan.risk import KIND_POINTS, assess, is_child_photo, level_for

R = Recommendation
GPS = Gps(52.16, 4.49, "exif")
CHILD4 = Face((0, 0, 10, 10), 4.2, True)
CHILD7 = Face((20, 0, 30, 10), 6.8, True)
ADULT = Face((40, 0, 50, 10), 35.0, False)
PUBLIC = Finding(FindingKind.VISIBILITY, "Flickr:privacy", "public", Severity.HIGH)
PRIVATE = Finding(FindingKind.VISIBILITY, "Flickr:privacy", "private", Severity.LOW)
SHARED = Finding(FindingKind.VISIBILITY, "Takeout:album access", "shared by link", Severity.MEDIUM)
CC = Finding(FindingKind.VISIBILITY, "Flickr:license", "Attribution License", Severity.HIGH)
ARR = Finding(FindingKind.VISIBILITY, "Flickr:license", "All Rights Reserved", Severity.LOW)
MINOR = Finding(FindingKind.MINOR, "MakerNotes:BabyAge", "3 years", Severity.HIGH)
NAME = Finding(FindingKind.PERSON, "XMP:PersonInImage", "Jane Example", Severity.HIGH)
SERIAL = Finding(FindingKind.DEVICE, "EXIF:SerialNumber", "123456", Severity.HIGH)
LAT = Finding(FindingKind.LOCATION, "EXIF:GPSLatitude", "52.1601234", Severity.HIGH)
CITY = Finding(FindingKind.LOCATION, "IPTC:City", "Leiden", Severity.MEDIUM)
BAD_GPS = Finding(FindingKind.LOCATION, "EXIF:GPS (invalid)", "0.0, 0.0", Severity.LOW)


def rec(
    *,
    faces: tuple[Face, ...] = (),
    findings: tuple[Finding, ...] = (),
    gps: Gps | None = None,
    scanned: bool = True,
    place: Place | None = None,
    path: str = "a.jpg",
) -> PhotoRecord:
    return PhotoRecord(
        path=path,
        format="JPEG",
        width=10,
        height=10,
        gps=gps,
        place=place,
        faces=faces,
        findings=findings,
        faces_scanned=scanned,
    )


@pytest.mark.parametrize(
    ("kind", "severity", "expected"),
    [
        (FindingKind.PERSON, Severity.HIGH, 25),
        (FindingKind.PERSON, Severity.MEDIUM, 18),
        (FindingKind.DEVICE, Severity.HIGH, 12),
        (FindingKind.DEVICE, Severity.LOW, 5),
        (FindingKind.THUMBNAIL, Severity.MEDIUM, 7),
        (FindingKind.FACE_REGION, Severity.HIGH, 10),
        (FindingKind.TEXT, Severity.MEDIUM, 6),
        (FindingKind.DATETIME, Severity.LOW, 2),
        (FindingKind.HISTORY, Severity.HIGH, 3),
        (FindingKind.CAMERA, Severity.LOW, 1),
        (FindingKind.SOFTWARE, Severity.INFO, 0),
        (FindingKind.LOCATION, Severity.MEDIUM, 24),
        (FindingKind.MINOR, Severity.HIGH, 45),
        (FindingKind.VISIBILITY, Severity.HIGH, 0),
    ],
)
def test_each_finding_kind_scores_by_severity(
    kind: FindingKind, severity: Severity, expected: int
) -> None:
    result = assess(rec(findings=(Finding(kind, "X:Field", "value", severity),)))
    assert result.risk is not None
    assert result.risk.score == expected


def test_strongest_finding_of_a_kind_counts_once() -> None:
    weak = Finding(FindingKind.PERSON, "EXIF:Artist", "A", Severity.LOW)
    result = assess(rec(findings=(weak, NAME, NAME)))
    assert result.risk is not None and result.risk.score == 25


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0, RiskLevel.NONE),
        (4, RiskLevel.NONE),
        (5, RiskLevel.LOW),
        (29, RiskLevel.LOW),
        (30, RiskLevel.MEDIUM),
        (59, RiskLevel.MEDIUM),
        (60, RiskLevel.HIGH),
        (100, RiskLevel.HIGH),
    ],
)
def test_levels(score: int, level: RiskLevel) -> None:
    assert level_for(score) is level


@pytest.mark.parametrize(
    ("record", "level", "score"),
    [
        (rec(), RiskLevel.NONE, 0),
        (rec(faces=(ADULT,)), RiskLevel.LOW, 12),
        (rec(faces=(ADULT, ADULT, ADULT)), RiskLevel.LOW, 18),
        (rec(faces=(CHILD4,)), RiskLevel.MEDIUM, 45),
        (rec(gps=GPS, findings=(LAT,)), RiskLevel.MEDIUM, 35),
        (rec(faces=(CHILD4,), gps=GPS), RiskLevel.HIGH, 80),
        (rec(findings=(MINOR,), gps=GPS), RiskLevel.HIGH, 80),
        (rec(findings=(MINOR,), gps=GPS, scanned=False), RiskLevel.HIGH, 80),
        (rec(findings=(PUBLIC, CC), faces=(CHILD4,)), RiskLevel.HIGH, 100),
        (rec(findings=(PUBLIC, CC, MINOR)), RiskLevel.HIGH, 100),
        (rec(findings=(PUBLIC, CC), gps=GPS), RiskLevel.HIGH, 85),
        (rec(findings=(PUBLIC, CC), faces=(ADULT,)), RiskLevel.HIGH, 60),
        (rec(findings=(PUBLIC,), faces=(ADULT,)), RiskLevel.LOW, 27),
        (rec(findings=(PUBLIC, CC)), RiskLevel.LOW, 25),
        (rec(findings=(PUBLIC, ARR), faces=(CHILD4,)), RiskLevel.HIGH, 60),
        (rec(findings=(PRIVATE, CC), faces=(CHILD4,)), RiskLevel.MEDIUM, 55),
        (rec(findings=(BAD_GPS,)), RiskLevel.NONE, 0),
        (rec(findings=(SHARED,), faces=(CHILD4,)), RiskLevel.MEDIUM, 53),
        (rec(findings=(SHARED, PUBLIC)), RiskLevel.LOW, 15),
        (rec(findings=(CITY,)), RiskLevel.LOW, 24),
    ],
)
def test_scores_and_floors(record: PhotoRecord, level: RiskLevel, score: int) -> None:
    result = assess(record)
    assert result.risk is not None
    assert (result.risk.level, result.risk.score) == (level, score)


def test_public_creative_commons_children_is_the_highest() -> None:
    worst = assess(rec(findings=(PUBLIC, CC), faces=(CHILD4,)))
    others = [
        assess(rec(faces=(CHILD4, CHILD7), gps=GPS, findings=(NAME, SERIAL, LAT))),
        assess(rec(findings=(PUBLIC, CC, NAME, SERIAL), gps=GPS, faces=(ADULT,))),
    ]
    assert worst.risk is not None and worst.risk.score == 100
    for other in others:
        assert other.risk is not None and other.risk.score <= worst.risk.score


def test_score_is_capped() -> None:
    many = tuple(Finding(kind, "X:F", "v", Severity.HIGH) for kind in KIND_POINTS)
    result = assess(rec(findings=many, faces=(CHILD4, ADULT), gps=GPS))
    assert result.risk is not None and result.risk.score == 100


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (rec(faces=(CHILD4, CHILD7, ADULT)), "Shows 2 children (est. 4 and 7)"),
        (rec(faces=(CHILD4,)), "Shows a child (est. 4)"),
        (
            rec(faces=(Face((0, 0, 1, 1), 19.4, True),)),
            "Possible child — please check (est. 19)",
        ),
        (
            rec(faces=(CHILD7, Face((0, 0, 1, 1), 19.4, True), Face((0, 0, 1, 1), 18.0, True))),
            "2 possible children — please check (est. 18 and 19)",
        ),
        (rec(faces=(Face((0, 0, 1, 1), None, True),)), "Shows a child"),
        (rec(faces=(CHILD4, ADULT)), "Shows an adult face"),
        (rec(faces=(ADULT, ADULT)), "Shows 2 faces"),
        (rec(findings=(MINOR,)), "Metadata says a child is shown (BabyAge)"),
        (rec(gps=GPS), "GPS pins where it was taken"),
        (rec(gps=GPS, place=Place("Leiden", "NL")), "GPS pins where it was taken (near Leiden)"),
        (rec(findings=(CITY,)), "Names the place where it was taken"),
        (rec(findings=(NAME,)), "Names a person: Jane Example"),
        (
            rec(findings=(SERIAL,)),
            "Carries a serial number or unique id that links it to your camera",
        ),
        (rec(findings=(PUBLIC,)), "Public on the site it was exported from"),
        (rec(findings=(CC,)), "Under an open licence: anyone may copy it, face datasets included"),
        (rec(findings=(SHARED,)), "In an album shared with anyone who has the link"),
        (rec(scanned=False), "Faces not checked yet"),
    ],
)
def test_reasons_in_plain_words(record: PhotoRecord, reason: str) -> None:
    result = assess(record)
    assert result.risk is not None
    assert reason in result.risk.reasons


def test_many_names_are_summarised() -> None:
    names = tuple(
        Finding(FindingKind.PERSON, "XMP:PersonInImage", n, Severity.HIGH)
        for n in ("Ann", "Bob", "Cy", "Di", "Ed")
    )
    result = assess(rec(findings=names))
    assert result.risk is not None
    assert "Names people: Ann, Bob, Cy and 2 more" in result.risk.reasons


def test_repeated_place_from_context() -> None:
    context = RiskContext(repeated={"home.jpg": RepeatedPlace(23, 41, "Leiden")})
    home = assess(rec(gps=GPS, findings=(LAT,), path="home.jpg"), context)
    away = assess(rec(gps=GPS, findings=(LAT,), path="away.jpg"), context)
    assert home.risk is not None and away.risk is not None
    assert "Taken at a place you return to: 23 photos over 41 days, near Leiden" in (
        home.risk.reasons
    )
    assert home.risk.score == away.risk.score + 15


def test_reasons_never_leak_coordinates() -> None:
    result = assess(
        rec(gps=GPS, findings=(LAT, CITY, BAD_GPS), place=Place("Leiden", "NL")),
        RiskContext(repeated={"a.jpg": RepeatedPlace(5, 3, "Leiden")}),
    )
    assert result.risk is not None
    text = " ".join(result.risk.reasons)
    assert "52.16" not in text and "4.49" not in text and "0.0" not in text


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (rec(), (R.OK_TO_SHARE,)),
        (rec(faces=(ADULT,)), (R.OK_TO_SHARE,)),
        (
            rec(findings=(Finding(FindingKind.CAMERA, "EXIF:Model", "X", Severity.LOW),)),
            (R.OK_TO_SHARE,),
        ),
        (rec(gps=GPS), (R.STRIP_LOCATION,)),
        (rec(findings=(CITY,)), (R.STRIP_LOCATION,)),
        (rec(findings=(BAD_GPS,)), (R.OK_TO_SHARE,)),
        (rec(findings=(NAME,)), (R.STRIP_METADATA,)),
        (rec(findings=(SERIAL,)), (R.STRIP_METADATA,)),
        (rec(faces=(CHILD4,)), (R.BLUR_CHILDREN,)),
        (rec(findings=(MINOR,), scanned=False), (R.STRIP_METADATA, R.BLUR_CHILDREN, R.CHECK_FACES)),
        (rec(faces=(CHILD4,), gps=GPS), (R.STRIP_LOCATION, R.BLUR_CHILDREN)),
        (rec(findings=(PUBLIC, CC), faces=(CHILD4,)), (R.MAKE_PRIVATE, R.BLUR_CHILDREN)),
        (rec(findings=(PUBLIC,), faces=(ADULT,)), (R.BLUR_FACES,)),
        (
            rec(findings=(PUBLIC,), gps=GPS, faces=(ADULT,)),
            (R.MAKE_PRIVATE, R.STRIP_LOCATION, R.BLUR_FACES),
        ),
        (rec(findings=(PRIVATE,), gps=GPS), (R.STRIP_LOCATION,)),
        (rec(findings=(SHARED,), faces=(CHILD4,)), (R.MAKE_PRIVATE, R.BLUR_CHILDREN)),
        (rec(findings=(SHARED,), gps=GPS), (R.STRIP_LOCATION,)),
    ],
)
def test_recommendations(record: PhotoRecord, expected: tuple[Recommendation, ...]) -> None:
    assert assess(record).recommendations == expected


@pytest.mark.parametrize(
    ("record", "child"),
    [
        (rec(), False),
        (rec(faces=(ADULT,)), False),
        (rec(faces=(ADULT, CHILD4)), True),
        (rec(findings=(MINOR,)), True),
        (rec(findings=(MINOR,), scanned=False), True),
    ],
)
def test_is_child_photo(record: PhotoRecord, child: bool) -> None:
    assert is_child_photo(record) is child


def test_assess_is_pure_and_repeatable() -> None:
    record = rec(faces=(CHILD4,), gps=GPS)
    once = assess(record)
    assert record.risk is None and record.recommendations == ()
    assert assess(once) == once


def _video(faces: tuple[Face, ...] = (), **kw: object) -> PhotoRecord:
    base = rec(faces=faces, path="v.mov")
    return assess(dataclasses.replace(base, format=ImageFormat.MOV, media=MediaKind.VIDEO, **kw))


def test_a_video_counts_the_people_of_its_busiest_frame_not_every_frame() -> None:
    child_at = [dataclasses.replace(CHILD4, frame_s=t) for t in (0.5, 1.5, 2.5, 3.5)]
    both = (dataclasses.replace(CHILD4, frame_s=4.5), dataclasses.replace(CHILD7, frame_s=4.5))
    record = _video((*child_at, *both, dataclasses.replace(ADULT, frame_s=0.5)))
    assert record.risk is not None
    assert "Shows 2 children (est. 4 and 7)" in record.risk.reasons
    assert "Shows an adult face" in record.risk.reasons
    assert R.BLUR_CHILDREN in record.recommendations


def test_a_video_whose_frames_could_not_be_checked_is_never_fine_to_share() -> None:
    why = "the video could not be decoded (the video data is damaged)"
    record = _video(faces_scanned=False, face_error=why)
    assert record.risk is not None
    assert f"Faces not checked: {why}" in record.risk.reasons
    assert R.OK_TO_SHARE not in record.recommendations
    assert R.CHECK_FACES in record.recommendations
    assert R.OK_TO_SHARE in _video().recommendations  # checked, nothing found: fine


def test_a_videos_cover_picture_is_not_said_to_undo_a_crop() -> None:
    cover = Finding(FindingKind.THUMBNAIL, "ItemList:CoverArt", "JPEG, 9 bytes", Severity.LOW)
    video = assess(
        PhotoRecord("v.mp4", ImageFormat.MP4, 2, 2, findings=(cover,), media=MediaKind.VIDEO)
    )
    photo = assess(PhotoRecord("a.jpg", ImageFormat.JPEG, 2, 2, findings=(cover,)))
    assert video.risk is not None and photo.risk is not None
    assert "Hides a cover picture or thumbnail image" in video.risk.reasons
    assert not any("crop" in r for r in video.risk.reasons)
    assert "Hides an embedded preview image (may show what a crop removed)" in photo.risk.reasons
    assert video.risk.score == photo.risk.score


# --- never "fine to share" for what was not checked (issue 11) -------------------------------


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (rec(scanned=False), "Faces not checked yet"),  # scanning, cancelled or --no-faces
        (
            dataclasses.replace(rec(scanned=False), face_error="cannot decode: truncated"),
            "Faces not checked: cannot decode: truncated",
        ),
    ],
)
def test_unchecked_faces_are_never_fine_to_share(record: PhotoRecord, reason: str) -> None:
    result = assess(record)
    assert result.risk is not None
    assert reason in result.risk.reasons
    assert result.risk.level is not RiskLevel.NONE  # nothing else found is not "none"
    assert R.OK_TO_SHARE not in result.recommendations
    assert R.CHECK_FACES in result.recommendations


def test_a_standalone_sidecar_has_no_faces_to_check() -> None:
    sidecar = dataclasses.replace(rec(scanned=False), format=ImageFormat.XMP)
    assert assess(sidecar).recommendations == (R.OK_TO_SHARE,)


def test_a_possible_child_is_named_apart_and_treated_as_a_child() -> None:
    possible = Face((0, 0, 10, 10), 23.0, True, ChildLevel.POSSIBLE_CHILD)
    result = assess(rec(faces=(CHILD7, possible)))
    assert result.risk is not None
    assert result.risk.reasons[:2] == (
        "Shows a child (est. 7)",
        "Possible child — please check (est. 23)",
    )
    assert R.BLUR_CHILDREN in result.recommendations
    assert is_child_photo(result)


# --- the parent's decisions ------------------------------------------------------------------


def test_a_child_mark_and_a_drawn_box_raise_the_risk() -> None:
    decisions = Decisions(
        marks=(FaceMark((41, 1, 50, 11), Mark.CHILD),),  # the adult's face, detected a bit off
        added=((100, 100, 120, 120),),
    )
    result = assess(rec(faces=(ADULT,)), decisions=decisions)
    assert [f.level for f in result.faces] == [ChildLevel.CHILD, ChildLevel.CHILD]
    assert [f.source for f in result.faces] == [FaceSource.DETECTOR, FaceSource.PARENT]
    assert result.faces[0].detected is ChildLevel.ADULT  # what photoscan said, kept
    assert result.risk is not None
    assert "Shows 2 children (marked by you)" in result.risk.reasons
    assert result.recommendations == (R.BLUR_CHILDREN,)


def test_not_a_child_lowers_it_and_a_lost_not_a_child_mark_does_nothing() -> None:
    decisions = Decisions(
        marks=(
            FaceMark(CHILD4.box, Mark.NOT_CHILD),
            FaceMark((500, 500, 520, 520), Mark.NOT_CHILD),  # its face is not found again
        )
    )
    result = assess(rec(faces=(CHILD4,)), decisions=decisions)
    assert len(result.faces) == 1
    assert not result.faces[0].child and result.faces[0].mark is Mark.NOT_CHILD
    assert result.recommendations == (R.OK_TO_SHARE,)


def test_a_lost_child_mark_stays_a_face_even_without_a_face_pass() -> None:
    decisions = Decisions(marks=(FaceMark((5, 5, 25, 25), Mark.CHILD),))
    result = assess(rec(scanned=False), decisions=decisions)
    assert [(f.box, f.child, f.source) for f in result.faces] == [
        ((5, 5, 25, 25), True, FaceSource.PARENT)
    ]
    assert R.BLUR_CHILDREN in result.recommendations
    assert R.CHECK_FACES in result.recommendations  # the parent's box is not a face pass


def test_decisions_apply_again_to_their_own_result_and_can_be_taken_back() -> None:
    decisions = Decisions(marks=(FaceMark(ADULT.box, Mark.CHILD),), added=((1, 1, 9, 9),))
    once = assess(rec(faces=(CHILD7, ADULT)), decisions=decisions)
    assert assess(once) == once  # re-assessed (places, a report): the same
    undone = assess(once, decisions=Decisions())
    assert undone.faces == (CHILD7, ADULT)
    assert undone == assess(rec(faces=(CHILD7, ADULT)))


def test_hide_all_and_keep_private() -> None:
    hide = assess(rec(faces=(ADULT,)), decisions=Decisions(hide_all=True))
    assert hide.recommendations == (R.BLUR_FACES,)
    assert hide.risk is not None
    assert "You chose to hide every face in it when it is shared" in hide.risk.reasons
    private = assess(rec(), decisions=Decisions(keep_private=True))
    assert private.recommendations == (R.KEEP_PRIVATE,)
