"""Which faces a share-safe copy hides, and how: a solid fill, never a blur.

A blur can be undone or still read by a face recogniser; a fill of the face's mean colour,
over its box grown by a quarter each side (hair, ears and chin go too), cannot.
"""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image, ImageStat

from photoscan.model import Face, FaceSource

FACE_MARGIN = 0.25  # each side, as a fraction of the face box: hair, ears and chin go too


def targets(faces: Sequence[Face], *, every: bool) -> list[Face]:
    """The faces to hide: children and possible children (a ``child`` face: the parent's
    marks and drawn boxes included), or ``every`` face (``--blur faces``, "hide every
    face in this photo")."""
    return [f for f in faces if every or f.child]


def yours(hidden: Sequence[Face]) -> int:
    """How many of them are hidden because of the parent's decisions."""
    return sum(1 for f in hidden if f.source is FaceSource.PARENT or f.mark is not None)


def hide_faces(img: Image.Image, faces: Sequence[Face], margin: float = FACE_MARGIN) -> int:
    """Cover each face box (grown by ``margin``) with its mean colour; returns how many."""
    for face in faces:
        left, top, right, bottom = face.box
        dx, dy = (right - left) * margin, (bottom - top) * margin
        box = (
            max(0, int(left - dx)),
            max(0, int(top - dy)),
            min(img.width, int(right + dx + 1)),
            min(img.height, int(bottom + dy + 1)),
        )
        if box[2] <= box[0] or box[3] <= box[1]:
            continue
        mean = tuple(int(v) for v in ImageStat.Stat(img.crop(box)).mean)
        img.paste(mean if len(mean) > 1 else mean[0], box)
    return len(faces)
