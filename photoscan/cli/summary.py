"""The human summary of a scan (``photoscan scan`` without ``--json -``).

Split in three so a stored summary (``photoscan.cli.stored``) can be served again: the head
line up to the elapsed time, the body (a pure function of the result), and the tail (which
depends on ``--json PATH``).
"""

from __future__ import annotations

import io
import shlex
from collections import Counter
from typing import TextIO

from photoscan.cli.grammar import are, count, it, thing, verb_s, was
from photoscan.cli.plainwords import field_words
from photoscan.cli.stored import NO_FILES, Summary
from photoscan.limits import MAX_PIXELS
from photoscan.model import (
    FindingKind,
    ImageFormat,
    MediaKind,
    PhotoRecord,
    Recommendation,
    RiskLevel,
)
from photoscan.printable import show
from photoscan.risk import faces_checked, is_possible
from photoscan.scan.events import ScanResult

TOP_PHOTOS = 10
EXAMPLES_PER_REASON = 3
MAX_REASONS = 8
REASONS_PER_PHOTO = 2

_KIND_WORDS: dict[FindingKind, str] = {
    FindingKind.LOCATION: "location (GPS, place names)",
    FindingKind.PERSON: "people's names",
    FindingKind.MINOR: "says a child is shown",
    FindingKind.DEVICE: "device serials / unique ids",
    FindingKind.THUMBNAIL: "hidden preview images",
    FindingKind.FACE_REGION: "face regions in metadata",
    FindingKind.VISIBILITY: "export visibility / licence",
    FindingKind.TEXT: "free text (captions, keywords)",
    FindingKind.DATETIME: "date and time",
    FindingKind.CAMERA: "camera make / model",
    FindingKind.SOFTWARE: "software",
    FindingKind.HISTORY: "edit history / document ids",
}


def _short(path: str, limit: int = 56) -> str:
    """A long path as its first folder, an ellipsis and the file name (cut in the middle
    only when the name itself is too long)."""
    text = show(path)
    if len(text) <= limit:
        return text
    head, _, name = text.rpartition("/")
    top = head.split("/", 1)[0]
    if head and len(top) + len(name) + 3 <= limit:
        return f"{top}/…/{name}" if top != head else f"{top}/{name}"
    keep = limit - 1
    return text[: keep // 3] + "…" + text[-(keep - keep // 3) :]


def summary_parts(result: ScanResult, *, no_faces: bool = False) -> Summary:
    """The summary of ``result``, in the parts ``stored.render`` joins; ``no_faces``: the
    scan was asked not to look for faces (``--no-faces``)."""
    photos = result.photos
    media = Counter(p.media for p in photos if p.format != ImageFormat.XMP)
    xmp = sum(1 for p in photos if p.format == ImageFormat.XMP)
    what = "Scan cancelled — partial result" if result.cancelled else "Scanned"
    head = (
        f"{what}: {show(result.photo or result.root)}\n"
        f"  {count(media[MediaKind.PHOTO], 'photo')}"
        + (f", {count(media[MediaKind.VIDEO], 'video')}" if media[MediaKind.VIDEO] else "")
        + (f", {count(media[MediaKind.AUDIO], 'recording')}" if media[MediaKind.AUDIO] else "")
        + (f", {count(xmp, 'sidecar file')} without their photo" if xmp else "")
        + f", {len(result.errors)} not scanned"
    )
    if not photos and not result.errors:
        return Summary(head, NO_FILES)
    out = io.StringIO()
    _print_overview(result, no_faces, out)
    _print_places(result.places, out)
    _print_kinds(photos, out)
    _print_top(photos, out)
    _print_errors(result, out)
    _print_next_steps(result, out)
    return Summary(head, out.getvalue())


# Why faces were not checked, from the record's ``face_error`` (its words come from the
# decoders, the preview finder and the face model loader) or the scan: in the order listed.
# A clause is said with "because" after a count; a verb phrase with "they" alone.
_MODEL_MISSING = "the face model is missing or damaged (reinstall photoscan)"
_NO_FACES = "you asked not to look for faces (--no-faces)"
_UNDECODABLE = "could not be decoded"
_TOO_LARGE = f"are too large to decode (over the {MAX_PIXELS / 1e6:.3g}-megapixel limit)"
_NO_PICTURE = "hold no picture large enough to look at"
_CANCELLED = "were not reached before the scan was cancelled"
_PENDING = "were not looked at yet"
_CLAUSES = (_MODEL_MISSING, _NO_FACES)
_ORDER = (_MODEL_MISSING, _NO_FACES, _UNDECODABLE, _TOO_LARGE, _NO_PICTURE, _CANCELLED, _PENDING)


def unchecked_why(record: PhotoRecord) -> str:
    """Which of the plain reasons above a photo's faces went unchecked for (``face_error``)."""
    error = (record.face_error or "").lower()
    if "face model" in error:
        return _MODEL_MISSING
    if "preview" in error or "no video track" in error:
        return _NO_PICTURE
    if "picture too large" in error:
        return _TOO_LARGE
    return _UNDECODABLE


def _unchecked_line(result: ScanResult, unchecked: list[PhotoRecord], no_faces: bool) -> str:
    why: Counter[str] = Counter()
    for p in unchecked:
        if p.face_error:
            why[unchecked_why(p)] += 1
        else:
            why[_NO_FACES if no_faces else _CANCELLED if result.cancelled else _PENDING] += 1
    parts = sorted(why.items(), key=lambda kv: _ORDER.index(kv[0]))
    if len(parts) == 1:
        reason = parts[0][0]
        if len(unchecked) == 1:  # "it holds", "it was"
            reason = (
                reason.replace("hold ", "holds ").replace("were ", "was ").replace("are ", "is ")
            )
        text = reason if parts[0][0] in _CLAUSES else f"{it(len(unchecked))} {reason}"
    else:
        text = ", ".join(
            f"{n} because {reason}" if reason in _CLAUSES else f"{n} {reason}"
            for reason, n in parts
        )
    return (
        f"  Unchecked:  {count(len(unchecked), thing(unchecked))} — faces not checked: {text}; "
        "not counted as safe"
    )


def _print_overview(result: ScanResult, no_faces: bool, out: TextIO) -> None:
    photos = result.photos
    levels = Counter(p.risk.level for p in photos if p.risk is not None)
    with_faces = [p for p in photos if p.faces]
    possible = [p for p in photos if _possible_only(p)]
    children = [p for p in photos if any(f.child for f in p.faces) and p not in possible]
    minors = [p for p in photos if any(f.kind is FindingKind.MINOR for f in p.findings)]
    checked = [p for p in photos if p.faces_scanned]
    scanned = len(checked)
    unchecked = [p for p in photos if not faces_checked(p)]
    print("", file=out)
    risk_line = " · ".join(
        f"{level.value} {levels.get(level, 0)}"
        for level in (RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW, RiskLevel.NONE)
    )
    print(f"  Risk:       {risk_line}", file=out)
    if scanned:
        maybe = f", {len(possible)} with a possible child — please check" if possible else ""
        print(
            f"  Faces:      {count(len(with_faces), thing(checked))} with faces, "
            f"{len(children)} with children{maybe} (of {scanned} checked)",
            file=out,
        )
    if unchecked:
        print(_unchecked_line(result, unchecked, no_faces), file=out)
    decided = [p for p in photos if not p.decisions.empty]
    if decided:
        marked = sum(1 for p in decided for f in p.faces if f.mark is not None)
        reviewed = sum(1 for p in decided if p.decisions.reviewed)
        print(
            f"  Yours:      your decisions applied to {count(len(decided), thing(decided))} "
            f"({count(marked, 'face')} marked or drawn, {reviewed} reviewed)",
            file=out,
        )
    if minors:
        print(f"  Children:   {count(len(minors), thing(minors))} whose metadata says so", file=out)
    located = [p for p in photos if p.gps is not None]
    where = count(len(located), thing(located, photos))
    print(f"  Location:   {where} with GPS coordinates", file=out)
    _print_videos(photos, out)
    sidecars = sum(len(p.sidecars) for p in photos)
    if sidecars:
        print(
            f"  Sidecars:   {count(sidecars, 'file')} describing photos (listed in JSON)", file=out
        )


def _print_videos(photos: tuple[PhotoRecord, ...], out: TextIO) -> None:
    """One line for videos and recordings: what they give away (they are counted above too)."""
    videos = [p for p in photos if p.media is not MediaKind.PHOTO]
    if not videos:
        return
    parts = [f"{sum(1 for p in videos if p.gps is not None)} with GPS"]
    children = sum(1 for p in videos if any(f.child for f in p.faces))
    if any(p.faces_scanned for p in videos):
        parts.append(f"{children} with children in sampled frames")
    unchecked = sum(1 for p in videos if p.face_error)
    if unchecked:
        parts.append(f"{unchecked} whose frames could not be checked")
    audio = any(p.media is MediaKind.AUDIO for p in videos)
    what = f"{len(videos)} videos and recordings" if audio else count(len(videos), "video")
    print(f"  Videos:     {what}: {', '.join(parts)}", file=out)


def _possible_only(record: PhotoRecord) -> bool:
    """Treated as a child only because of a possible child: 'please check'."""
    kids = [f for f in record.faces if f.child]
    return bool(kids) and all(is_possible(f) for f in kids)


def _print_places(places: tuple[object, ...], out: TextIO) -> None:
    """Place names from ``--places`` (photoscan.places.places.PlaceGroup), most photos first."""
    if not places:
        return
    shown = []
    for group in places[:5]:
        name = show(f"{getattr(group, 'name', '?')} {getattr(group, 'country', '')}".strip())
        again = " — a place you return to" if getattr(group, "repeated", False) else ""
        shown.append(f"{name} ({getattr(group, 'photos', 0)}){again}")
    more = f" and {len(places) - 5} more" if len(places) > 5 else ""
    print(f"  Places:     {'; '.join(shown)}{more}", file=out)


def _print_kinds(photos: tuple[PhotoRecord, ...], out: TextIO) -> None:
    per_kind: Counter[FindingKind] = Counter()
    fields: dict[FindingKind, Counter[str]] = {}
    for p in photos:
        kinds = {f.kind for f in p.findings}
        per_kind.update(kinds)
        for kind, words in sorted({(f.kind, field_words(f.field)) for f in p.findings}):
            fields.setdefault(kind, Counter())[words] += 1  # photos per plain name
    if not per_kind:
        print("\n  No identifying metadata found.", file=out)
        return
    what = thing(p for p in photos if p.findings)
    print(f"\nWhat the metadata gives away ({what}s per kind, most common first):", file=out)
    for kind, words in _KIND_WORDS.items():
        n = per_kind.get(kind, 0)
        if not n:
            continue
        top = ", ".join(show(name) for name, _ in fields[kind].most_common(3))
        print(f"  {n:>6}  {words:<32} {top}", file=out)


def _print_top(photos: tuple[PhotoRecord, ...], out: TextIO) -> None:
    risky = sorted(
        (p for p in photos if p.risk is not None and p.risk.score > 0),
        key=lambda p: (-(p.risk.score if p.risk else 0), p.path),
    )[:TOP_PHOTOS]
    if not risky:
        return
    print(f"\nHighest risk ({len(risky)} of {len(photos)}):", file=out)
    for p in risky:
        assert p.risk is not None
        reason = show("; ".join(p.risk.reasons[:REASONS_PER_PHOTO]))
        cut = len(p.risk.reasons) - REASONS_PER_PHOTO
        if cut > 0:  # said after the cut, so a long reason never hides it
            reason += f" (+{count(cut, 'more reason')})"
        level = p.risk.level.value.upper()
        print(f"  {level:<6} {p.risk.score:>3}  {_short(p.path, 70)}", file=out)
        if reason:
            print(f"              {reason}", file=out)


def _print_errors(result: ScanResult, out: TextIO) -> None:
    if result.errors:
        by_reason: dict[str, list[str]] = {}
        for e in result.errors:
            by_reason.setdefault(e.reason, []).append(e.path)
        print(f"\nNot scanned ({len(result.errors)}):", file=out)
        groups = sorted(by_reason.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        for reason, paths in groups[:MAX_REASONS]:
            examples = ", ".join(_short(p) for p in paths[:EXAMPLES_PER_REASON])
            more = f" (+{len(paths) - EXAMPLES_PER_REASON} more)" if len(paths) > 3 else ""
            print(f"  {len(paths):>4}  {show(reason)}", file=out)
            print(f"        {examples}{more}", file=out)
        if len(groups) > MAX_REASONS:
            rest = sum(len(paths) for _, paths in groups[MAX_REASONS:])
            others = len(groups) - MAX_REASONS
            print(f"  {rest:>4}  +{count(others, 'more reason')} (see --json)", file=out)
    if result.skipped:
        print(
            f"\nSkipped {count(len(result.skipped), 'hidden or system item')} "
            "(use --include-hidden to scan them).",
            file=out,
        )


def _print_next_steps(result: ScanResult, out: TextIO) -> None:
    """What to do, with how many photos each step is for and the command that does it."""
    photos = [p for p in result.photos if p.media is MediaKind.PHOTO]
    counts: Counter[Recommendation] = Counter(r for p in photos for r in p.recommendations)
    possible = sum(1 for p in photos if _possible_only(p))
    videos = [p for p in result.photos if p.media is not MediaKind.PHOTO]
    # every other step counts videos with photos; `share` makes copies of photos only
    counts.update(r for p in videos for r in p.recommendations if r not in _SHARED)
    with_faces = sum(1 for p in videos if _SHARED & set(p.recommendations))
    in_videos = {r for p in videos for r in p.recommendations}
    in_photos = {r for p in photos for r in p.recommendations}

    def noun(step: Recommendation, n: int) -> str:  # '3 photos', '2 videos', '4 files' (both)
        video, photo = step in in_videos, step in in_photos
        return count(n, "file" if video and photo else "video" if video else "photo")

    target = shlex.quote(show(result.photo or result.root))
    steps: list[tuple[str, str]] = []
    if counts[Recommendation.MAKE_PRIVATE]:
        n = counts[Recommendation.MAKE_PRIVATE]
        what = noun(Recommendation.MAKE_PRIVATE, n)
        steps.append(
            (
                f"{what} {are(n)} public or shared where you exported them from",
                "make them private on that site",
            )
        )
    children = counts[Recommendation.BLUR_CHILDREN]
    if children:
        maybe = f" ({possible} possibly — please check)" if possible else ""
        steps.append(
            (
                f"{count(children, 'photo')} show{verb_s(children)} children{maybe}",
                f"run `photoscan share {target} --out SAFE` (copies with children's faces "
                "hidden and metadata removed)",
            )
        )
    if counts[Recommendation.BLUR_FACES]:
        n = counts[Recommendation.BLUR_FACES]
        steps.append(
            (
                f"{count(n, 'photo')} show{verb_s(n)} faces to hide",
                f"run `photoscan share {target} --out SAFE --blur faces`",
            )
        )
    if with_faces:
        steps.append(
            (
                f"{count(with_faces, 'video')} show{verb_s(with_faces)} children or faces to hide "
                "in sampled frames",
                "blur them in a video editor before sharing (share-safe copies are made of "
                "photos only); `photoscan strip` removes the metadata first",
            )
        )
    if counts[Recommendation.STRIP_LOCATION]:
        n = counts[Recommendation.STRIP_LOCATION]
        what = noun(Recommendation.STRIP_LOCATION, n)
        steps.append(
            (
                f"{what} give{verb_s(n)} away where {it(n)} {was(n)} taken",
                f"run `photoscan strip {target} --out CLEAN --only location`",
            )
        )
    if counts[Recommendation.STRIP_METADATA]:
        n = counts[Recommendation.STRIP_METADATA]
        what = noun(Recommendation.STRIP_METADATA, n)
        steps.append(
            (
                f"{what} carr{'y' if n != 1 else 'ies'} names, serial numbers or other metadata",
                f"run `photoscan strip {target} --out CLEAN` (pixels untouched)",
            )
        )
    if counts[Recommendation.CHECK_FACES]:
        n = counts[Recommendation.CHECK_FACES]
        what = noun(Recommendation.CHECK_FACES, n)
        steps.append(
            (
                f"{what} could not be checked for faces",
                f"look at {'them' if n != 1 else 'it'} before sharing: "
                f"`photoscan {target}` opens the app",
            )
        )
    if not steps:
        return
    print("\nWhat to do next:", file=out)
    for what, how in steps:
        print(f"  {what}:", file=out)
        print(f"      {how}", file=out)


_SHARED = frozenset({Recommendation.BLUR_CHILDREN, Recommendation.BLUR_FACES})
