"""The human summary of a scan (``photoscan scan`` without ``--json -``).

Split in three so a stored summary (``photoscan.cli.stored``) can be served again: the head
line up to the elapsed time, the body (a pure function of the result), and the tail (which
depends on ``--json PATH``).
"""

from __future__ import annotations

import io
from collections import Counter
from typing import TextIO

from photoscan.cli.stored import NO_FILES, Summary
from photoscan.model import FindingKind, ImageFormat, PhotoRecord, RiskLevel
from photoscan.printable import show
from photoscan.risk import faces_checked, is_possible
from photoscan.scan.events import ScanResult

TOP_PHOTOS = 10
EXAMPLES_PER_REASON = 3
MAX_REASONS = 8

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


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def summary_parts(result: ScanResult) -> Summary:
    """The summary of ``result``, in the parts ``stored.render`` joins."""
    photos = result.photos
    images = [p for p in photos if p.format != ImageFormat.XMP]
    what = "Scan cancelled — partial result" if result.cancelled else "Scanned"
    head = (
        f"{what}: {show(result.root)}\n"
        f"  {_count(len(images), 'photo')}"
        + (f", {len(photos) - len(images)} standalone XMP" if len(photos) > len(images) else "")
        + f", {len(result.errors)} not scanned"
    )
    if not photos and not result.errors:
        return Summary(head, NO_FILES, False)
    out = io.StringIO()
    _print_overview(photos, out)
    _print_places(result.places, out)
    _print_kinds(photos, out)
    _print_top(photos, out)
    _print_errors(result, out)
    return Summary(head, out.getvalue(), any(p.findings for p in photos))


def _print_overview(photos: tuple[PhotoRecord, ...], out: TextIO) -> None:
    levels = Counter(p.risk.level for p in photos if p.risk is not None)
    with_faces = [p for p in photos if p.faces]
    possible = [p for p in photos if _possible_only(p)]
    children = [p for p in photos if any(f.child for f in p.faces) and p not in possible]
    minors = [p for p in photos if any(f.kind is FindingKind.MINOR for f in p.findings)]
    scanned = sum(1 for p in photos if p.faces_scanned)
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
            f"  Faces:      {_count(len(with_faces), 'photo')} with faces, "
            f"{len(children)} with children{maybe} (of {scanned} checked)",
            file=out,
        )
    if unchecked:
        failed = sum(1 for p in unchecked if p.face_error)
        why = f"; {failed} could not be decoded" if failed else ""
        skipped = "" if scanned else " (--no-faces)"
        print(
            f"  Unchecked:  {_count(len(unchecked), 'photo')} — faces not checked{skipped}{why}; "
            "not counted as safe",
            file=out,
        )
    decided = [p for p in photos if not p.decisions.empty]
    if decided:
        marked = sum(1 for p in decided for f in p.faces if f.mark is not None)
        reviewed = sum(1 for p in decided if p.decisions.reviewed)
        print(
            f"  Yours:      your decisions applied to {_count(len(decided), 'photo')} "
            f"({_count(marked, 'face')} marked or drawn, {reviewed} reviewed)",
            file=out,
        )
    if minors:
        print(f"  Children:   {_count(len(minors), 'photo')} whose metadata says so", file=out)
    located = sum(1 for p in photos if p.gps is not None)
    print(f"  Location:   {_count(located, 'photo')} with GPS coordinates", file=out)
    sidecars = sum(len(p.sidecars) for p in photos)
    if sidecars:
        print(
            f"  Sidecars:   {_count(sidecars, 'file')} describing photos (listed in JSON)", file=out
        )


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
        for f in p.findings:
            fields.setdefault(f.kind, Counter())[f.field] += 1
    if not per_kind:
        print("\n  No identifying metadata found.", file=out)
        return
    print("\nWhat the metadata gives away (photos per kind, most common fields):", file=out)
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
        reason = "; ".join(p.risk.reasons[:2])
        level = p.risk.level.value.upper()
        print(f"  {level:<6} {p.risk.score:>3}  {_short(p.path, 70)}", file=out)
        if reason:
            print(f"              {show(reason)}", file=out)


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
            print(f"  {rest:>4}  more, for {others} other reasons (see --json)", file=out)
    if result.skipped:
        print(
            f"\nSkipped {_count(len(result.skipped), 'hidden or system item')} "
            "(use --include-hidden to scan them).",
            file=out,
        )
