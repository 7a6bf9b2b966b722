"""The parent's corrections applied to the faces photoscan found (pure; no pixels).

A decision is kept with the box of the face it was about (``model.FaceMark``); the next scan
may find that face with a slightly different box (another detector, other settings), so a
mark goes to the found face it overlaps most — the same rule the detector passes use to say
two boxes are one face: IoU over 0.3, or 60% of the smaller box inside the other.

Asymmetric on purpose, so a correction can only ever make photoscan *more* careful where
the face is gone: a "child" mark, or a box the parent drew, whose face is not found again
(``--no-faces``, a face the new detector misses) stays a face of its own — shown, counted
and hidden when shared; a "not a child" mark whose face is not found has nothing to lower
and is left out. ``apply`` first undoes any earlier application, so it can be run again on
its own output (a re-assessed record, a changed decision) and gives the same result.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from photoscan.model import Box, ChildLevel, Decisions, Face, FaceMark, FaceSource, Mark

SAME_FACE_IOU = 0.3
SAME_FACE_INSIDE = 0.6


def _areas(a: Box, b: Box) -> tuple[int, int, int]:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    inter = max(0, width) * max(0, height)
    return inter, (a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1])


def iou(a: Box, b: Box) -> float:
    inter, area_a, area_b = _areas(a, b)
    union = area_a + area_b - inter
    return inter / union if union > 0 else 0.0


def same_face(a: Box, b: Box) -> bool:
    inter, area_a, area_b = _areas(a, b)
    if inter <= 0:
        return False
    smaller = min(area_a, area_b)
    return iou(a, b) > SAME_FACE_IOU or (smaller > 0 and inter / smaller >= SAME_FACE_INSIDE)


def undo(faces: Sequence[Face]) -> tuple[Face, ...]:
    """The faces as the detector found them: drawn boxes gone, marks taken off."""
    out = []
    for face in faces:
        if face.source is FaceSource.PARENT:
            continue
        if face.mark is not None:
            level = face.detected or ChildLevel.ADULT
            face = dataclasses.replace(
                face, level=level, child=level is not ChildLevel.ADULT, mark=None, detected=None
            )
        out.append(face)
    return tuple(out)


def _match(boxes: Sequence[Box], faces: Sequence[Face], taken: set[int]) -> dict[int, int]:
    """box index → face index, best overlap first, each face and box at most once."""
    pairs = sorted(
        (
            (iou(box, face.box), b, f)
            for b, box in enumerate(boxes)
            for f, face in enumerate(faces)
            if f not in taken and same_face(box, face.box)
        ),
        reverse=True,
    )
    matched: dict[int, int] = {}
    for _, b, f in pairs:
        if b in matched or f in taken:
            continue
        matched[b] = f
        taken.add(f)
    return matched


def _marked(face: Face, mark: Mark) -> Face:
    level = ChildLevel.CHILD if mark is Mark.CHILD else ChildLevel.ADULT
    return dataclasses.replace(
        face, level=level, child=mark is Mark.CHILD, mark=mark, detected=face.level
    )


def drawn(box: Box) -> Face:
    """A face the parent pointed out: treated as a child's (hidden when shared)."""
    return Face(
        box, None, True, ChildLevel.CHILD, source=FaceSource.PARENT, mark=Mark.CHILD, detected=None
    )


def apply(faces: Sequence[Face], decisions: Decisions) -> tuple[Face, ...]:
    """``faces`` with ``decisions`` applied (see the module docstring)."""
    base = list(undo(faces))
    if not decisions.marks and not decisions.added:
        return tuple(base)
    taken: set[int] = set()
    marks = decisions.marks
    by_mark = _match([m.box for m in marks], base, taken)
    extra: list[Face] = []
    for index, face_mark in enumerate(marks):
        if index in by_mark:
            base[by_mark[index]] = _marked(base[by_mark[index]], face_mark.mark)
        elif face_mark.mark is Mark.CHILD:
            _add_once(extra, face_mark.box)
    by_added = _match(decisions.added, base, taken)
    for index, box in enumerate(decisions.added):
        if index in by_added:
            base[by_added[index]] = _marked(base[by_added[index]], Mark.CHILD)
        else:
            _add_once(extra, box)
    return (*base, *extra)


def _add_once(extra: list[Face], box: Box) -> None:
    """A lost child mark and a drawn box on one face are one face, not two."""
    if not any(same_face(box, face.box) for face in extra):
        extra.append(drawn(box))


def scaled(decisions: Decisions, scale: tuple[float, float]) -> Decisions:
    """The decisions' boxes in another frame of the same picture (a RAW's preview, whose
    pixels are not the photo's: ``images.previews.photo_frame``)."""
    if scale == (1.0, 1.0) or decisions.empty:
        return decisions
    sx, sy = scale

    def box(b: Box) -> Box:
        return (round(b[0] * sx), round(b[1] * sy), round(b[2] * sx), round(b[3] * sy))

    return dataclasses.replace(
        decisions,
        marks=tuple(FaceMark(box(m.box), m.mark) for m in decisions.marks),
        added=tuple(box(b) for b in decisions.added),
        dismissed=tuple(box(b) for b in decisions.dismissed),
    )
