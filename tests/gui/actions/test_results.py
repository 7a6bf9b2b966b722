"""Zip exports become clean copies in the app too, and every result says what it did: the
copies a cancelled run wrote, the faces a share hid, the names file it left."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QPushButton

from photoscan.gui.actions.dialogs import ShareChoice, StripChoice, StripDialog
from photoscan.model import FindingKind
from photoscan.share import Blur, ShareOptions
from photoscan.strip.types import StripOptions
from tests.gui.actions.test_actions import accepting, finish, gps_jpeg, kinds, scanned


def test_a_zip_export_is_stripped_to_copies_and_never_in_place(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    photos = tmp_path / "src"
    gps_jpeg(photos / "one.jpg", 80)
    gps_jpeg(photos / "two.jpg", 160)
    archive = tmp_path / "takeout.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(photos / "one.jpg", "Takeout/Google Photos/Trip/one.jpg")
        zf.write(photos / "two.jpg", "Takeout/Google Photos/Trip/two.jpg")
    before = archive.read_bytes()
    actions = scanned(qtbot, window, archive)
    records = actions.selected_records()
    assert len(records) == 2
    out = tmp_path / "clean"

    def fill(dialog: StripDialog) -> None:
        assert not dialog.in_place_radio.isEnabled()  # a zip is never changed
        dialog.out_field.edit.setText(str(out))

    actions.ask = accepting(fill)
    intro = finish(qtbot, actions, actions.strip_selected)
    assert "2 stripped" in intro
    copy = out / "Takeout" / "Google Photos" / "Trip" / "one.jpg"  # the member's path
    assert FindingKind.LOCATION not in kinds(copy)
    assert archive.read_bytes() == before
    # In place is refused with the reason, should anything ask for it.
    intro = finish(
        qtbot, actions, lambda: actions.run_strip(records, StripChoice(None, out, StripOptions()))
    )
    assert "nothing was done" in intro
    assert actions.result_dialog is not None
    assert "cannot be changed in place" in actions.result_dialog.text.toPlainText()


def test_a_cancelled_share_lists_the_copies_it_wrote_and_the_names_file(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    root = tmp_path / "many"
    for i in range(30):
        gps_jpeg(root / f"p{i:02d}.jpg", i * 7)
    actions = scanned(qtbot, window, root)
    records = actions.selected_records()
    out = tmp_path / "share"
    choice = ShareChoice(out, ShareOptions(blur=Blur.NONE, rename=True))

    def start_and_cancel() -> None:
        actions.run_share(records, choice)
        assert actions.progress is not None
        button = actions.progress.findChild(QPushButton)
        assert button is not None
        qtbot.waitUntil(lambda: out.exists() and any(out.glob("*.jpg")), timeout=20_000)
        button.click()

    intro = finish(qtbot, actions, start_and_cancel)
    written = sorted(out.glob("*.jpg"))
    assert "Cancelled" in intro and 0 < len(written) < 30
    assert f"{30 - len(written)} files not handled" in intro
    body = actions.result_dialog.text.toPlainText()  # type: ignore[union-attr]
    for copy in written:  # every copy written is listed
        assert str(copy) in body
    assert "photoscan-names.csv beside the copies" in intro and "do not share it" in intro
    assert (out / "photoscan-names.csv").is_file()


def test_a_share_says_how_many_faces_it_hid_per_photo() -> None:
    from photoscan.gui.actions.summaries import share_summary
    from photoscan.strip.types import FileResult, StripStatus

    results = [
        FileResult("a.jpg", StripStatus.REENCODED, output="/s/photo-0001.jpg", faces_found=3,
                   faces_hidden=2),
        FileResult("b.jpg", StripStatus.STRIPPED, output="/s/photo-0002.jpg", faces_found=0,
                   faces_hidden=0),
    ]  # fmt: skip
    intro, body = share_summary(results, 2, False, None, None)
    assert "2 faces hidden" in intro
    assert "a.jpg → /s/photo-0001.jpg (faces: 3 found, 2 hidden)" in body
    assert "b.jpg → /s/photo-0002.jpg (faces: 0 found, 0 hidden)" in body
