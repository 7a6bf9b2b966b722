"""The report's summary and text formats: redaction, self-containment, escaping."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from photoscan.model import (
    Face,
    FileError,
    Finding,
    FindingKind,
    Gps,
    ImageFormat,
    MediaKind,
    PhotoRecord,
    PlaceGroup,
    Recommendation,
    RepeatedPlace,
    RiskContext,
    RiskLevel,
    Severity,
)
from photoscan.report import render, render_html, summarize
from photoscan.report.charts import bar_chart
from photoscan.report.summary import ReportSummary, build_summary
from photoscan.report.tables import render_csv, render_json
from photoscan.risk import assess

ROOT = Path("/home/someone/Pictures/Family")
COORD = re.compile(r"-?\d{1,3}\.\d{4,}")
RESOURCE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(|@import""", re.I)


def finding(kind: FindingKind, field: str, value: str, sev: Severity = Severity.HIGH) -> Finding:
    return Finding(kind, field, value, sev)


def records() -> list[PhotoRecord]:
    lat = finding(FindingKind.LOCATION, "EXIF:GPSLatitude", "52.1601234")
    child = PhotoRecord(
        "kids/beach.jpg",
        "JPEG",
        10,
        10,
        gps=Gps(52.1601234, 4.4970567, "exif"),
        faces=(Face((0, 0, 5, 5), 6.6, True),),
        findings=(lat, finding(FindingKind.PERSON, "XMP:PersonInImage", "Robin Example")),
        faces_scanned=True,
    )
    flickr = PhotoRecord(
        "export/2634391576_6ab6f1017f_o.jpg",
        "JPEG",
        10,
        10,
        faces=(Face((0, 0, 5, 5), 30.0, False),),
        findings=(
            finding(FindingKind.VISIBILITY, "Flickr:privacy", "public"),
            finding(FindingKind.VISIBILITY, "Flickr:license", "Attribution License"),
            finding(
                FindingKind.VISIBILITY,
                "Flickr:photopage",
                "https://www.flickr.com/photos/x/2634391576/",
                Severity.INFO,
            ),
        ),
        faces_scanned=True,
    )
    hostile = PhotoRecord(
        '=cmd|"/c calc"!A0 <script>alert(1)</script>.jpg',
        "JPEG",
        10,
        10,
        findings=(finding(FindingKind.DEVICE, "EXIF:SerialNumber", "123"),),
        faces_scanned=True,
    )
    plain = PhotoRecord("plain.jpg", "JPEG", 10, 10, faces_scanned=True)
    context = RiskContext(repeated={"kids/beach.jpg": RepeatedPlace(7, 4, "Leiden")})
    return [assess(r, context) for r in (child, flickr, hostile, plain)]


PLACES = (
    PlaceGroup("Leiden", "NL", 7, 4, True, ("kids/beach.jpg",), (52.16012, 4.49706)),
    PlaceGroup("Paris", "FR", 2, 2, False, ("a.jpg", "b.jpg")),
)
NOW = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)


def summary(include_locations: bool = False, include_places: bool = False) -> ReportSummary:
    return build_summary(
        ROOT,
        records(),
        [FileError("broken.jpg", f"cannot read {ROOT}/broken.jpg: truncated")],
        PLACES,
        include_locations=include_locations,
        include_places=include_places,
        now=NOW,
    )


def test_totals_actions_and_order() -> None:
    s = summary()
    assert s.total == 4 and s.children == 1 and s.with_faces == 2
    assert dict(s.by_level)[RiskLevel.HIGH] == 2
    assert [p.path for p in s.photos[:2]] == [
        "kids/beach.jpg",
        "export/2634391576_6ab6f1017f_o.jpg",
    ]
    actions = {a.action: [p.path for p in a.photos] for a in s.actions}
    assert actions[Recommendation.MAKE_PRIVATE] == ["export/2634391576_6ab6f1017f_o.jpg"]
    assert actions[Recommendation.BLUR_CHILDREN] == ["kids/beach.jpg"]
    assert actions[Recommendation.OK_TO_SHARE] == ["plain.jpg"]
    assert s.photos[1].flickr_page == "https://www.flickr.com/photos/x/2634391576/"
    assert s.folder == "Family" and s.generated == "2026-01-02 03:04 UTC"
    assert dict(s.by_kind)["Public or licensed (export)"] == 1
    safety = finding(FindingKind.VISIBILITY, "Flickr:safety", "safe", Severity.INFO)
    info_only = build_summary(ROOT, [PhotoRecord("x.jpg", "JPEG", 1, 1, findings=(safety,))])
    assert info_only.photos[0].kinds == () and info_only.by_kind == ()


@pytest.mark.parametrize("fmt", ["html", "csv", "json"])
def test_redacted_by_default(fmt: str) -> None:
    text = render(summary(), fmt)  # type: ignore[arg-type]
    assert not COORD.search(text), COORD.search(text)
    assert str(ROOT) not in text and "/home/" not in text
    assert "Robin Example" not in text  # names stay out of a shareable report
    assert "Leiden" not in text and "Paris" not in text  # countries only, never towns
    if fmt != "csv":  # the CSV has no places list
        assert "NL" in text and "FR" in text
    assert "Leiden" in render(summary(include_places=True), fmt)  # named, never pinned


@pytest.mark.parametrize("fmt", ["html", "csv", "json"])
def test_include_locations_opts_in(fmt: str) -> None:
    text = render(summary(include_locations=True), fmt)  # type: ignore[arg-type]
    assert "52.160123" in text and "4.49705" in text
    if fmt != "csv":
        assert str(ROOT) in text


def test_html_is_self_contained_and_escaped() -> None:
    html = render_html(summary())
    assert not RESOURCE.search(html.replace('href="https://www.flickr.com/', 'href="#'))
    links = re.findall(r"https?://[^\"'<> ]+", html)
    assert links == ["https://www.flickr.com/photos/x/2634391576/"]  # a plain link, not loaded
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert html.count("<svg") == 2 and "xmlns" not in html
    assert "Places you return to" in html and "Make private" in html


def test_html_without_flickr_has_no_url_at_all() -> None:
    plain = build_summary(ROOT, [assess(PhotoRecord("a.jpg", "JPEG", 1, 1))], now=NOW)
    html = render_html(plain)
    assert "http://" not in html and "https://" not in html


@pytest.mark.parametrize("fmt", ["html", "csv", "json"])
def test_a_name_that_is_not_utf8_is_shown_with_a_replacement_character(fmt: str) -> None:
    """File names are bytes; one that is not UTF-8 (a lone surrogate in Python) broke the
    report's UTF-8 encoding. Every path and reason is valid text in the summary."""
    odd = "caf\udce9.jpg"  # os.fsdecode(b"caf\xe9.jpg")
    root = Path("/home/someone/\udcff")
    records = [assess(PhotoRecord(odd, "JPEG", 1, 1))]
    shown = build_summary(root, records, [FileError(odd, "cannot read")], now=NOW)
    assert shown.photos[0].path == "caf\ufffd.jpg" and shown.errors[0].path == "caf\ufffd.jpg"
    assert shown.folder == "\ufffd"
    assert "caf\ufffd.jpg" in render(shown, fmt)  # type: ignore[arg-type]
    render(shown, fmt).encode("utf-8")  # type: ignore[arg-type]


def test_qt_flavour_uses_chart_resources() -> None:
    html = render_html(summary(), flavour="qt")
    assert "<svg" not in html and 'src="chart:levels"' in html


def test_csv_neutralises_formulas() -> None:
    rows = list(csv.DictReader(io.StringIO(render(summary(), "csv"))))
    hostile = next(r for r in rows if "calc" in r["path"])
    assert hostile["path"].startswith("'=")
    assert {r["risk_level"] for r in rows} == {"high", "low", "none"}
    assert len(rows) == 4


def test_json_document() -> None:
    doc = json.loads(render(summary(), "json"))
    assert doc["places"][1] == {
        "name": "",
        "country": "FR",
        "photos": 2,
        "days": 0,
        "repeated": False,
    }
    doc = json.loads(render(summary(include_places=True), "json"))
    assert doc["totals"]["photos"] == 4 and doc["totals"]["children"] == 1
    assert doc["places"][0] == {
        "name": "Leiden",
        "country": "NL",
        "photos": 7,
        "days": 4,
        "repeated": True,
    }
    private = next(a for a in doc["actions"] if a["action"] == "make_private")
    assert private["photos"][0]["flickr_page"].startswith("https://www.flickr.com/")
    assert doc["errors"] == [{"path": "broken.jpg", "reason": "cannot read broken.jpg: truncated"}]


def test_summarize_works_out_places_when_the_scan_did_not() -> None:
    photos = [
        assess(
            PhotoRecord(
                f"h/{i}.jpg",
                "JPEG",
                1,
                1,
                gps=Gps(10.0, 10.0 + i * 0.0001, "exif"),
                findings=(
                    finding(FindingKind.DATETIME, "EXIF:DateTimeOriginal", f"2024:01:0{i + 1}"),
                ),
            )
        )
        for i in range(5)
    ]
    s = summarize(ROOT, photos)
    assert [g.repeated for g in s.places] == [True]
    assert any("place you return to" in r for r in s.photos[0].reasons)


def test_chart_escapes_labels() -> None:
    svg = bar_chart("<b>", [("<x>&", 3, "#123456"), ("y", 0, "red")])
    assert "<x>" not in svg and "&lt;x&gt;&amp;" in svg and "<b>" not in svg
    assert "Nothing to show" in bar_chart("t", [])


def test_unchecked_faces_are_never_fine_to_share_in_the_report() -> None:
    unchecked = assess(PhotoRecord("a.jpg", "JPEG", 1, 1, faces_scanned=False))
    built = build_summary(ROOT, [unchecked], now=NOW)
    groups = {a.action for a in built.actions}
    assert Recommendation.CHECK_FACES in groups and Recommendation.OK_TO_SHARE not in groups
    html = render_html(built)
    assert "Faces not checked — look at them before sharing (1)" in html
    assert "faces not checked" not in html  # the per-photo table only with details
    detailed = build_summary(ROOT, [unchecked], now=NOW, details=True)
    assert "faces not checked" in render_html(detailed)  # the photo's own row
    assert "Faces not checked —" not in render_html(summary())
    assert '"faces_not_checked": 1' in render(built, "json")


def test_a_possible_child_is_shown_apart() -> None:
    from photoscan.model import ChildLevel

    possible = Face((0, 0, 9, 9), 23.0, True, ChildLevel.POSSIBLE_CHILD)
    record = assess(PhotoRecord("p.jpg", "JPEG", 10, 10, faces=(possible,), faces_scanned=True))
    built = build_summary(ROOT, [record], now=NOW)
    assert built.possible_children == 1 and built.photos[0].possible_children == 1
    assert "Possible child — please check" in render_html(built)  # at a glance
    detailed = build_summary(ROOT, [record], now=NOW, details=True)
    assert "possible child — please check" in render_html(detailed)  # the photo's row
    assert "possible child - please check" in render(built, "csv")


def test_each_action_says_its_own_reasons() -> None:
    s = summary(include_places=True)
    groups = {a.action: a for a in s.actions}
    beach = next(p for p in s.photos if p.path == "kids/beach.jpg")
    location = groups[Recommendation.STRIP_LOCATION].reasons_for(beach)
    children = groups[Recommendation.BLUR_CHILDREN].reasons_for(beach)
    metadata = groups[Recommendation.STRIP_METADATA].reasons_for(beach)
    assert location == (
        "GPS pins where it was taken",
        "Taken at a place you return to: 7 photos over 4 days, near Leiden",
    )
    assert children == ("Shows a child (est. 7)",)
    assert metadata == ("Names a person (name left out of this report)",)
    redacted = summary()
    beach = next(p for p in redacted.photos if p.path == "kids/beach.jpg")
    assert "Taken at a place you return to: 7 photos over 4 days" in beach.reasons


def test_videos_are_named_as_such_and_counted_by_their_busiest_frame() -> None:
    child = Face((0, 0, 9, 9), 5.0, True)
    frames = tuple(dataclasses.replace(child, frame_s=t) for t in (0.5, 1.5, 2.5))
    video = assess(
        PhotoRecord(
            "clips/party.mov", ImageFormat.MOV, 640, 480, faces=frames, faces_scanned=True,
            media=MediaKind.VIDEO, duration_s=12.5,
        )
    )  # fmt: skip
    pair = [video, assess(PhotoRecord("a.jpg", ImageFormat.JPEG, 1, 1))]
    summary = build_summary(ROOT, pair, details=True)
    line = next(p for p in summary.photos if p.path == "clips/party.mov")
    assert (line.media, line.faces, line.children) == (MediaKind.VIDEO, 1, True)
    html = render_html(summary)
    assert "1 photo and 1 video" in html and "clips/\u200bparty.mov (video)" in html
    assert "What your photos and videos give away" in html and "<h2>All photos and videos" in html
    assert json.loads(render_json(summary))["photos"][0]["media"] == "video"
    assert render_csv(summary).splitlines()[0].endswith(",media")


def test_a_report_on_videos_alone_never_calls_them_photos() -> None:
    cover = Finding(FindingKind.THUMBNAIL, "ItemList:CoverArt", "JPEG, 9 bytes", Severity.LOW)
    child = Face((0, 0, 9, 9), 5.0, True, frame_s=0.5)
    video = assess(
        PhotoRecord(
            "clips/party.mov", ImageFormat.MOV, 640, 480, faces=(child,), faces_scanned=True,
            media=MediaKind.VIDEO, findings=(cover,), gps=Gps(52.1, 4.4, "quicktime"),
        )
    )  # fmt: skip
    summary = build_summary(ROOT, [video], now=NOW, details=True)
    assert summary.nouns == ("videos", "Video")
    html = render_html(summary)
    words = html.replace("photoscan", "")
    assert "photo" not in words.lower(), [w for w in re.findall(r"[^<>]*[Pp]hoto[^<>]*", words)]
    assert "What your videos give away" in html and "1 video ·" in html
    assert "<h2>Highest-risk videos</h2>" in html and "<th>Video</th>" in html
    groups = {a.action: a for a in summary.actions}
    [line] = summary.photos
    assert groups[Recommendation.STRIP_METADATA].reasons_for(line) == (
        "Hides a cover picture or thumbnail image",
    )
