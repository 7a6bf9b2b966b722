"""The share dialog shows the copy of the current photo before anything is written: faces
covered, its size, its new name; redone when the options change; nothing written."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from PIL import Image

from photoscan.gui.actions.dialogs import ShareDialog
from photoscan.gui.actions.share_preview import SharePreviewer, copy_index
from photoscan.model import Face
from photoscan.share import Blur
from tests.gui.actions.test_actions import gps_jpeg, scanned
from tests.gui.factories import record

FACE = (40, 40, 120, 120)


def photo(path: Path) -> Path:
    """A 400 x 300 photo with a busy 'face' area (a checkerboard: covering it is visible)."""
    image = Image.new("RGB", (400, 300), (30, 120, 200))
    for x in range(FACE[0], FACE[2], 8):
        for y in range(FACE[1], FACE[3], 8):
            if (x + y) // 8 % 2:
                image.paste((250, 250, 250), (x, y, x + 8, y + 8))
    image.save(path, "JPEG", quality=95)
    return path


def child_record(name: str) -> Any:
    rec = record(name)
    face = Face(FACE, 5.0, True)
    return dataclasses.replace(rec, faces=(face,), width=400, height=300, faces_scanned=True)


def made(qtbot: Any, previewer: SharePreviewer) -> Any:
    qtbot.waitUntil(
        lambda: not previewer.runner.is_running and previewer.made is not None, timeout=20_000
    )
    return previewer.made


def test_the_preview_is_the_copy_with_the_childs_face_covered(qtbot: Any, tmp_path: Path) -> None:
    photo(tmp_path / "kid.jpg")
    rec = child_record("kid.jpg")
    dialog = ShareDialog(3, Blur.CHILDREN)
    qtbot.addWidget(dialog)
    previewer = SharePreviewer(dialog, tmp_path, rec, ["a.jpg", "kid.jpg", "c.jpg"])
    first = made(qtbot, previewer)
    assert first.preview.result.faces_found == 1 and first.preview.result.faces_hidden == 1
    words = previewer.words.text()
    assert "Faces: 1 found, 1 covered" in words
    assert "400 × 300 px" in words
    assert "Saved as: photo-0002.jpg" in words  # its place in the run: the second photo
    inside = first.image.copy(60, 60, 40, 40)
    colours = {inside.pixelColor(x, y).name() for x in range(0, 40, 4) for y in range(0, 40, 4)}
    assert len(colours) <= 3  # one fill (JPEG may shift a shade), no checkerboard left
    assert not previewer.image.pixmap().isNull()
    assert list(tmp_path.iterdir()) == [tmp_path / "kid.jpg"]  # nothing written

    # The options change: the preview follows.
    previewer.made = None
    dialog.max_size.setValue(200)
    dialog.rename.setChecked(False)
    dialog.blur.setCurrentIndex(2)  # no faces hidden
    second = made(qtbot, previewer)
    assert (second.preview.width, second.preview.height) == (200, 150)
    assert second.preview.result.faces_hidden == 0
    assert "Saved as: kid.jpg" in previewer.words.text()
    dialog.done(0)


def test_a_photo_that_cannot_be_shared_says_why(qtbot: Any, tmp_path: Path) -> None:
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 nothing more")
    rec = dataclasses.replace(child_record("broken.jpg"), width=None, height=None)
    dialog = ShareDialog(1, Blur.CHILDREN)
    qtbot.addWidget(dialog)
    previewer = SharePreviewer(dialog, tmp_path, rec, ["broken.jpg"])
    qtbot.waitUntil(lambda: "would not be shared" in previewer.words.text(), timeout=20_000)
    dialog.done(0)


def test_the_share_dialog_of_the_window_previews_the_current_photo(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    root = tmp_path / "photos"
    gps_jpeg(root / "a" / "one.jpg", 100)
    gps_jpeg(root / "b" / "two.jpg", 200)
    actions = scanned(qtbot, window, root)
    window.select_path("b/two.jpg")
    window.views.select_all()
    seen: list[str] = []

    def look(dialog: ShareDialog) -> None:
        previewer = actions.previewer
        assert previewer is not None and previewer.record.path == "b/two.jpg"
        dialog.blur.setCurrentIndex(2)  # no faces: the preview needs no detector
        qtbot.waitUntil(lambda: "Saved as" in previewer.words.text(), timeout=20_000)
        seen.append(previewer.words.text())

    actions.ask = lambda dialog: look(dialog) or False  # type: ignore[func-returns-value]
    actions.share_selected()
    assert seen and "Saved as: photo-000" in seen[0]


def test_a_zip_members_place_follows_the_exports_order(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "takeout.zip"
    source = photo(tmp_path / "p.jpg")
    with zipfile.ZipFile(archive, "w") as zf:
        for name in ("T/b.jpg", "T/a.jpg"):
            zf.write(source, name)
    assert copy_index(archive, ["T/a.jpg", "T/b.jpg"], "T/a.jpg") in (1, 2)
    assert copy_index(tmp_path, ["x.jpg", "y.jpg"], "y.jpg") == 2


def test_the_preview_words_count_the_faces_covered_by_the_parents_marks() -> None:
    """Seen under Xvfb: mei_Canon_IXUS_750.jpg with the toddler marked a child and a box
    drawn around a missed face said 'Faces: 2 found, 2 covered' beside three boxes; a photo
    with only a drawn box said 'none found' while one face was covered."""
    from types import SimpleNamespace

    from photoscan.gui.actions.share_preview import preview_words
    from photoscan.strip.types import StripStatus

    def words(found: int, hidden: int, yours: int) -> str:
        result = SimpleNamespace(
            status=StripStatus.STRIPPED,
            reason="",
            faces_found=found,
            faces_hidden=hidden,
            faces_yours=yours,
        )
        shown = SimpleNamespace(result=result, data=b"x" * 2000, width=40, height=30, name="p.jpg")
        return preview_words(SimpleNamespace(preview=shown))

    assert "Faces: 2 found, 2 covered (2 by your marks)" in words(2, 2, 2)
    assert "Faces: 0 found, 1 covered (1 by your marks)" in words(0, 1, 1)
    assert "Faces: 1 found, 1 covered\n" in words(1, 1, 0)
    assert "Faces: none found" in words(0, 0, 0)
