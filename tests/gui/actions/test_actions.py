"""The window's actions: strip, share-safe copies and export, driven without blocking dialogs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtWidgets import QDialog, QPushButton

from photoscan.gui.actions.actions import PhotoActions
from photoscan.gui.actions.dialogs import (
    ExportChoice,
    ShareDialog,
    StripChoice,
    StripDialog,
    removal_preview,
)
from photoscan.gui.actions.strip_check import StripCheck
from photoscan.metadata import extract
from photoscan.metadata.base import Source
from photoscan.model import FindingKind, ImageFormat, Recommendation
from photoscan.strip.types import StripOptions, StripStatus
from tests.gui.factories import record

LAT, LON = (52.0, 9.0, 36.0), (4.0, 29.0, 49.0)  # 52.16, 4.497: Leiden


def gps_jpeg(path: Path, shade: int = 120) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    exif = Image.Exif()
    exif[0x013B] = "Jane Doe"  # Artist
    exif.get_ifd(0x8825).update({1: "N", 2: LAT, 3: "E", 4: LON})
    Image.new("RGB", (64, 48), (shade, 90, 60)).save(path, "JPEG", exif=exif)


def kinds(path: Path) -> set[FindingKind]:
    source = Source(path.name, path.read_bytes(), ImageFormat.JPEG)
    return {f.kind for f in extract(source).findings}


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "photos"
    gps_jpeg(root / "a" / "one.jpg", 100)
    gps_jpeg(root / "b" / "two.jpg", 200)
    assert FindingKind.LOCATION in kinds(root / "a" / "one.jpg")
    return root


def scanned(qtbot: Any, window: Any, root: Path) -> PhotoActions:
    with qtbot.waitSignal(window.scan_completed, timeout=30_000):
        window.open_folder(root)
    window.grid.selectAll()
    actions: PhotoActions = window.photo_actions
    return actions


def finish(qtbot: Any, actions: PhotoActions, start: Callable[[], None]) -> str:
    with qtbot.waitSignal(actions.runner.job_finished, timeout=30_000):
        start()
    assert actions.result_dialog is not None
    return actions.result_dialog.intro.text()


def accepting(fill: Callable[[Any], None]) -> Callable[[QDialog], bool]:
    def ask(dialog: QDialog) -> bool:
        fill(dialog)
        return True

    return ask


def test_strip_selected_to_a_folder_leaves_originals_untouched(
    qtbot: Any, window: Any, library: Path, tmp_path: Path
) -> None:
    actions = scanned(qtbot, window, library)
    before = {p: p.read_bytes() for p in library.rglob("*.jpg")}
    out = tmp_path / "clean"
    actions.ask = accepting(lambda d: d.out_field.edit.setText(str(out)))
    intro = finish(qtbot, actions, actions.strip_selected)
    assert "2 stripped" in intro
    assert actions.result_dialog is not None
    assert f"stripped: a/one.jpg → {out / 'a' / 'one.jpg'}" in (
        actions.result_dialog.text.toPlainText()
    )
    for rel in ("a/one.jpg", "b/two.jpg"):  # the folder tree is mirrored
        copy = out / rel
        assert FindingKind.LOCATION not in kinds(copy)
        assert FindingKind.PERSON not in kinds(copy)
    assert {p: p.read_bytes() for p in library.rglob("*.jpg")} == before


def test_strip_refuses_a_folder_inside_the_photos(qtbot: Any, window: Any, library: Path) -> None:
    actions = scanned(qtbot, window, library)
    records = actions.selected_records()
    choice = StripChoice(library / "clean", None, StripOptions())
    intro = finish(qtbot, actions, lambda: actions.run_strip(records, choice))
    assert "nothing was done" in intro
    assert actions.result_dialog is not None
    assert "outside the photo folder" in actions.result_dialog.text.toPlainText()
    assert not (library / "clean").exists()


def test_in_place_needs_a_backup_folder_and_keeps_backups(
    qtbot: Any, window: Any, library: Path, tmp_path: Path
) -> None:
    actions = scanned(qtbot, window, library)
    records = actions.selected_records()
    dialog = StripDialog(records)
    dialog.in_place_radio.setChecked(True)
    assert dialog.choice() is None and not dialog.ok_button.isEnabled()
    assert dialog.warning.isVisibleTo(dialog)
    backups = tmp_path / "backups"
    dialog.backup_field.edit.setText(str(backups))
    choice = dialog.choice()
    assert choice is not None and choice.out is None and dialog.ok_button.isEnabled()
    original = (library / "a" / "one.jpg").read_bytes()
    with qtbot.waitSignal(window.scan_completed, timeout=30_000):  # the rescan after it
        intro = finish(qtbot, actions, lambda: actions.run_strip(records, choice))
    assert "2 stripped" in intro
    assert (backups / "a" / "one.jpg").read_bytes() == original
    assert FindingKind.LOCATION not in kinds(library / "a" / "one.jpg")
    rescanned = window.model.record_for("a/one.jpg")
    assert rescanned is not None and rescanned.gps is None


def test_only_location_keeps_the_rest_and_the_preview_says_so() -> None:
    rec = record("a/one.jpg", gps=True, person="Jane Doe")
    only = removal_preview([rec], StripOptions(only_location=True))
    assert "Location" in only and "name" not in only
    assert "A person's name" in removal_preview([rec], StripOptions())


def test_the_preview_lists_what_matters_first() -> None:
    """Location and names before dates and software (as the detail pane orders them), not
    alphabetically ("A person's name, Camera model, …, Location, Software")."""
    rec = record("a/one.jpg", gps=True, person="Jane Doe", device=True, thumbnail=True)
    preview = removal_preview([rec], StripOptions())
    totals = [line.strip().split(":")[0] for line in preview.splitlines()[1:5]]
    assert totals == ["Location", "A person's name", "Device id", "Hidden preview image"]
    assert preview.splitlines()[-1] == (
        "a/one.jpg: Location, A person's name, Device id, Hidden preview image"
    )


def test_check_the_files_runs_the_dry_run_and_writes_nothing(
    qtbot: Any, window: Any, library: Path, tmp_path: Path
) -> None:
    actions = scanned(qtbot, window, library)
    records = actions.selected_records()
    dialog = StripDialog(records, window, tmp_path / "clean")
    check = StripCheck(dialog, library, [r.path for r in records])
    with qtbot.waitSignal(check.runner.job_finished, timeout=30_000):
        dialog.check_button.click()
    text = dialog.preview.toPlainText()
    assert "Checked 2 of 2 (nothing is written)" in text
    assert "stripped: a/one.jpg — removes" in text and "Location" in text
    assert not (tmp_path / "clean").exists()
    dialog.done(0)


def test_cancel_stops_between_files(qtbot: Any, window: Any, tmp_path: Path) -> None:
    root = tmp_path / "many"
    for i in range(40):
        gps_jpeg(root / f"p{i:02d}.jpg", i * 5)
    actions = scanned(qtbot, window, root)
    records = actions.selected_records()
    choice = StripChoice(tmp_path / "out", None, StripOptions())

    def start_and_cancel() -> None:
        actions.run_strip(records, choice)
        assert actions.progress is not None
        button = actions.progress.findChild(QPushButton)
        assert button is not None and button.text() == "Cancel"
        button.click()  # the progress dialog's Cancel button

    intro = finish(qtbot, actions, start_and_cancel)
    assert "Cancelled" in intro
    written = list((tmp_path / "out").glob("*.jpg")) if (tmp_path / "out").exists() else []
    assert len(written) < 40


def test_share_dialog_makes_renamed_copies(
    qtbot: Any, window: Any, library: Path, tmp_path: Path
) -> None:
    actions = scanned(qtbot, window, library)
    out = tmp_path / "share"

    def fill(dialog: ShareDialog) -> None:
        dialog.blur.setCurrentIndex(2)  # no faces: no detector needed for plain squares
        dialog.max_size.setValue(0)
        assert dialog.rename.isChecked()
        dialog.out_field.edit.setText(str(out))

    actions.ask = accepting(fill)  # type: ignore[arg-type]
    intro = finish(qtbot, actions, actions.share_selected)
    assert "failed" not in intro and "refused" not in intro
    names = sorted(p.name for p in out.iterdir())
    assert names == ["photo-0001.jpg", "photo-0002.jpg", "photoscan-names.csv"]
    assert FindingKind.LOCATION not in kinds(out / "photo-0001.jpg")


def test_export_summary_html_has_no_links_or_coordinates(
    qtbot: Any, window: Any, library: Path, tmp_path: Path
) -> None:
    actions = scanned(qtbot, window, library)
    path = tmp_path / "summary.html"
    intro = finish(qtbot, actions, lambda: actions.run_export(ExportChoice(path, "html", False)))
    assert intro == "Summary saved."
    html = path.read_text(encoding="utf-8")
    assert "<html" in html.lower()
    assert "http://" not in html and "https://" not in html
    assert "52.16" not in html and "4.49" not in html


def test_export_summary_pdf_is_typeset_off_the_gui_thread(
    qtbot: Any, window: Any, library: Path, tmp_path: Path
) -> None:
    actions = scanned(qtbot, window, library)
    path = tmp_path / "summary.pdf"
    intro = finish(qtbot, actions, lambda: actions.run_export(ExportChoice(path, "pdf", False)))
    assert intro == "Summary saved."
    assert path.read_bytes().startswith(b"%PDF")
    assert path.stat().st_mode & 0o077 == 0  # private until its owner shares it


def test_actions_wait_for_a_folder_and_run_one_at_a_time(
    qtbot: Any, window: Any, library: Path, tmp_path: Path
) -> None:
    actions: PhotoActions = window.photo_actions
    assert not any(a.isEnabled() for a in actions.all_actions)
    scanned(qtbot, window, library)
    assert all(a.isEnabled() for a in actions.all_actions)
    choice = StripChoice(tmp_path / "out", None, StripOptions())

    def start() -> None:
        actions.run_strip(actions.selected_records(), choice)
        assert not any(a.isEnabled() for a in actions.all_actions)

    finish(qtbot, actions, start)
    assert all(a.isEnabled() for a in actions.all_actions)


def test_detail_pane_offers_the_recommended_actions(window: Any) -> None:
    rec = record("a/one.jpg", gps=True, children=1)
    window.detail.show_record(rec)
    assert Recommendation.STRIP_LOCATION in rec.recommendations
    visible = {r for r, b in window.detail.action_buttons.items() if b.isVisibleTo(window.detail)}
    assert visible == set(rec.recommendations) & set(window.detail.action_buttons)
    assert Recommendation.BLUR_CHILDREN in visible
    assert StripStatus.STRIPPED.value == "stripped"
