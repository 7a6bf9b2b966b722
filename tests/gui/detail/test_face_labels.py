"""Face labels on the preview: never over each other, never cut by the photo's edge.

Seen under Xvfb: two far-off visitors side by side at the bottom of a museum photo drew
"child ~14" over "child ~4", which read as "ch child ~14"."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QRectF, QSizeF

from photoscan.gui.detail.preview import PreviewWidget, place_labels
from photoscan.gui.library.thumbnails import ThumbnailLoader
from photoscan.model import Face
from tests.gui.factories import record
from tests.gui.library.test_thumbnails import write_photo

# full-image boxes on a 400x300 photo: a pair at the bottom edge, touching; one in each top
# corner; one at the right edge halfway down; a tiny one at the bottom-left corner
EDGE_FACES = (
    Face((150, 280, 162, 300), 14.0, True),
    Face((163, 281, 175, 300), 4.0, True),
    Face((0, 0, 30, 30), 35.0, False),
    Face((380, 0, 400, 20), 6.0, True),
    Face((385, 140, 400, 160), None, False),
    Face((0, 292, 8, 300), 40.0, False),
)


def _overlaps(rects: list[QRectF]) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i in range(len(rects))
        for j in range(i + 1, len(rects))
        if rects[i].intersects(rects[j])
    ]


def test_labels_of_faces_at_the_edges_and_side_by_side_neither_overlap_nor_get_cut(
    qtbot, tmp_path: Path
) -> None:
    write_photo(tmp_path / "hall.jpg", (400, 300))
    loader = ThumbnailLoader()
    loader.set_root(tmp_path)
    preview = PreviewWidget(loader)
    qtbot.addWidget(preview)
    preview.resize(400, 300)  # the photo fills the widget: its edges are the widget's
    preview.show()
    rec = dataclasses.replace(record("hall.jpg"), faces=EDGE_FACES)
    with qtbot.waitSignal(preview.preview_loaded, timeout=5000):
        preview.set_record(rec)
    faces = preview.face_rects()
    labels = preview.label_rects()
    assert len(labels) == len(faces) == len(EDGE_FACES)
    area = QRectF(preview.rect())
    assert [i for i, label in enumerate(labels) if not area.contains(label)] == []
    assert _overlaps(labels) == []
    for (box, _), label in zip(faces, labels, strict=True):
        # next to its own face: at most two labels' height away, over its column of pixels
        gap = max(label.top() - box.bottom(), box.top() - label.bottom(), 0.0)
        assert gap <= 2 * label.height() + 1, (box, label)
        assert label.left() <= box.right() and label.right() >= box.left(), (box, label)
    preview.grab()  # paints with the same rectangles


def test_a_row_of_faces_gets_a_stack_of_labels() -> None:
    """Ten faces in a row, each narrower than its label: every label has its own spot."""
    boxes = [QRectF(20 + 14 * i, 100, 12, 12) for i in range(10)]
    sizes = [QSizeF(60, 16)] * 10
    bounds = QRectF(0, 0, 300, 200)
    labels = place_labels(boxes, sizes, bounds)
    assert len(labels) == 10
    assert _overlaps(labels) == []
    assert all(bounds.contains(label) for label in labels)
    assert labels[0].bottom() <= boxes[0].top()  # the first one where it always was: above
