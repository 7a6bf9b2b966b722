"""Videos in the grid and the preview: a poster frame decoded in the loader's pool, from a
folder and from a zip export; a clear "No preview" when it cannot be decoded."""

from __future__ import annotations

import zipfile
from pathlib import Path

from photoscan.gui.library.thumbnails import ThumbnailLoader, decode_file
from tests import videos as fx


def test_a_video_gets_its_poster_frame_in_the_pool(qtbot, tmp_path: Path) -> None:
    fx.make_clip(tmp_path / "clip.mp4", size="320x240", seconds=3, codec="libx264")
    loader = ThumbnailLoader()
    loader.set_root(tmp_path)
    with qtbot.waitSignal(loader.thumbnail_ready, timeout=10000):
        assert loader.pixmap("clip.mp4", 192) is None
    pixmap = loader.pixmap("clip.mp4", 192)
    assert pixmap is not None and (pixmap.width(), pixmap.height()) == (192, 144)
    assert loader.full_size("clip.mp4", 192).width() == 320
    assert not loader.is_failed("clip.mp4", 192)


def test_a_video_inside_a_zip_export_gets_a_poster(tmp_path: Path) -> None:
    clip = fx.make_clip(tmp_path / "clip.mp4", size="320x240", seconds=2, codec="libx264")
    export = tmp_path / "takeout.zip"
    with zipfile.ZipFile(export, "w") as zf:
        zf.write(clip, "Takeout/Google Photos/clip.mp4")
    decoded = decode_file(export, "Takeout/Google Photos/clip.mp4", 96)
    assert (decoded.image.width(), decoded.image.height()) == (96, 72)
    assert (decoded.full_width, decoded.full_height) == (320, 240)


def test_an_undecodable_video_is_no_preview(qtbot, tmp_path: Path) -> None:
    audio = tmp_path / "talk.m4a"
    fx.ffmpeg("-f", "lavfi", "-i", "sine=frequency=440", "-t", "1", "-c:a", "aac", str(audio))
    loader = ThumbnailLoader()
    loader.set_root(tmp_path)
    with qtbot.waitSignal(loader.thumbnail_ready, timeout=10000):
        loader.pixmap("talk.m4a")
    assert loader.is_failed("talk.m4a")


def test_a_video_tile_has_the_film_badge_with_its_duration(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from PySide6.QtCore import QPoint

    from photoscan.gui.library.delegates import FILM, badges_for, film_rect, thumb_area
    from photoscan.gui.library.models import FLAGS_ROLE
    from photoscan.gui.library.photoinfo import Column, PhotoFlag, duration_text
    from photoscan.model import ImageFormat, MediaKind
    from tests.gui.factories import record

    assert [duration_text(s) for s in (0.4, 42, 65.2, 3729, None)] == [
        "0:01", "0:42", "1:05", "1:02:09", ""
    ]  # fmt: skip
    clip = replace(record("clip.mov"), format=ImageFormat.MOV, media=MediaKind.VIDEO)
    clip = replace(clip, duration_s=42.0)
    window.root = Path("/videos")
    window.pages.setCurrentIndex(1)
    window.model.set_records([clip, record("photo.jpg")])
    flags = {window.model.record(r).path: window.model.flags_at(r) for r in range(2)}
    assert flags["clip.mov"] & PhotoFlag.VIDEO and not flags["photo.jpg"] & PhotoFlag.VIDEO
    assert FILM not in badges_for(flags["clip.mov"])  # drawn apart, in the corner
    row = window.model.row_of("clip.mov")
    assert window.model.index(row, Column.FORMAT).data() == "MOV"
    index = window.proxy.mapFromSource(window.model.index(row, 0))
    cell = window.grid.visualRect(index)
    placeholder = thumb_area(cell).adjusted(20, 20, -20, -20)
    pill = film_rect(placeholder, 30)
    found = window.delegate.badge_at(
        cell, clip, int(index.data(FLAGS_ROLE)), pill.topLeft() + QPoint(6, 6)
    )
    assert found is FILM
    window.grid.viewport().grab()  # paints the pill without error


def test_a_poster_of_a_video_with_a_child_is_pixelated_whole(qtbot) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from PySide6.QtGui import QPainter, QPixmap

    from photoscan.gui.library.pixelate import hides_whole, paint_whole_pixelated
    from photoscan.model import Face, MediaKind
    from photoscan.risk import assess
    from tests.gui.library.test_pixelate import stripes

    child = Face((10, 10, 20, 20), 6.0, True, frame_s=2.0)
    adult = Face((10, 10, 20, 20), 40.0, False, frame_s=2.0)
    base = replace(record_of("v.mp4"), media=MediaKind.VIDEO, faces_scanned=True)
    assert hides_whole(assess(replace(base, faces=(child,))))
    assert not hides_whole(assess(replace(base, faces=(adult,))))
    assert hides_whole(assess(replace(base, faces_scanned=False)))  # not checked: hidden
    assert not hides_whole(assess(replace(base, media=MediaKind.PHOTO, faces=(child,))))
    source = stripes()
    canvas = QPixmap(source.size())
    painter = QPainter(canvas)
    paint_whole_pixelated(painter, source, source.rect())
    painter.end()
    after = canvas.toImage()
    for x in (5, 60, 140, 190):  # no 1-pixel stripe is left anywhere
        assert after.pixelColor(x, 60) == after.pixelColor(x + 1, 60)


def test_the_preview_draws_no_face_boxes_on_a_poster(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from photoscan.model import MediaKind
    from tests.gui.factories import record

    clip = replace(record("v.mp4", children=1), media=MediaKind.VIDEO)
    window.detail.show_record(clip)
    assert window.detail.preview.face_rects() == []
    assert "No face boxes" in window.detail.frames_label.text()
    assert window.detail.frames_label.isVisibleTo(window.detail)


def record_of(path: str):  # type: ignore[no-untyped-def]
    from tests.gui.factories import record

    return record(path)


def test_the_table_counts_a_videos_faces_as_its_reasons_do() -> None:
    from dataclasses import replace

    from photoscan.gui.library.photoinfo import children_count, face_count
    from photoscan.model import Face, MediaKind

    frames = [Face((0, 0, 9, 9), 6.0, True, frame_s=t) for t in (1.0, 2.0, 2.0)] + [
        Face((20, 0, 29, 9), 40.0, False, frame_s=t) for t in (1.0, 3.0)
    ]
    clip = replace(record_of("v.mp4"), media=MediaKind.VIDEO, faces=tuple(frames))
    assert (face_count(clip), children_count(clip)) == (3, 2)  # 2 children at 2 s, 1 adult
    photo = replace(clip, media=MediaKind.PHOTO)
    assert (face_count(photo), children_count(photo)) == (5, 3)
