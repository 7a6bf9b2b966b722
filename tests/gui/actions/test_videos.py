"""Videos in the window's actions: Strip works on them (a verified copy), share-safe copies
are not offered as if they would work, and the words fit a video."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from photoscan.gui.actions.context import PhotoMenu
from photoscan.gui.detail.words import VIDEO_SHARE_REFUSAL, faces_text, frames_text
from photoscan.metadata.video.read import read_video
from photoscan.model import ChildLevel, Face, FindingKind, ImageFormat, MediaKind, Recommendation
from photoscan.risk import assess
from photoscan.share import VIDEO_REFUSAL, VIDEO_SHARE_WHY
from tests import videos as fx
from tests.gui.actions.test_actions import accepting, finish
from tests.gui.factories import record


def _video(rec: Any, **kw: Any) -> Any:
    return assess(dataclasses.replace(rec, format=ImageFormat.MP4, media=MediaKind.VIDEO, **kw))


def _findings(path: Path) -> dict[str, FindingKind]:
    with open(path, "rb") as fh:
        return {f.field: f.kind for f in read_video(fh, path.name).extraction.findings}


def test_strip_selected_on_an_mp4_writes_a_verified_copy(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    root = tmp_path / "videos"
    root.mkdir()
    clip = fx.make_clip(root / "party.mp4", keys=True, metadata=fx.APPLE_KEYS)
    assert FindingKind.LOCATION in _findings(clip).values()
    before = clip.read_bytes()
    with qtbot.waitSignal(window.scan_completed, timeout=60_000):
        window.open_folder(root)
    window.grid.selectAll()
    actions = window.photo_actions
    assert [r.media for r in actions.selected_records()] == [MediaKind.VIDEO]
    out = tmp_path / "clean"
    actions.ask = accepting(lambda d: d.out_field.edit.setText(str(out)))
    intro = finish(qtbot, actions, actions.strip_selected)
    assert "1 stripped" in intro, intro
    copy = out / "party.mp4"
    kinds = set(_findings(copy).values())
    assert not kinds & {FindingKind.LOCATION, FindingKind.PERSON, FindingKind.DEVICE}
    assert fx.framemd5(copy) == fx.framemd5(clip)  # every packet as it was
    assert clip.read_bytes() == before  # the original untouched


def test_share_of_videos_alone_says_why_and_opens_no_dialog(
    window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: said.append(text))
    asked: list[object] = []
    window.photo_actions.ask = lambda dialog: asked.append(dialog) or False
    window.root = Path("/videos")
    window.photo_actions.update_enabled()
    clip = _video(record("clip.mp4", children=1))
    window.photo_actions.share([clip])
    assert said == [VIDEO_SHARE_REFUSAL] and not asked
    assert VIDEO_SHARE_WHY in VIDEO_REFUSAL and VIDEO_SHARE_WHY in VIDEO_SHARE_REFUSAL
    menu = PhotoMenu(window.photo_actions, Path("/videos"), [clip], window, lambda _t: None)
    assert not menu.share_action.isEnabled()
    assert menu.share_action.toolTip() == VIDEO_SHARE_REFUSAL
    assert menu.strip_action.isEnabled()  # strip works on videos
    assert menu.strip_action.text() == "Strip Video…"
    mixed = PhotoMenu(
        window.photo_actions, Path("/videos"), [clip, record("a.jpg")], window, lambda _t: None
    )
    assert mixed.share_action.isEnabled()


def test_the_detail_pane_offers_no_share_for_a_video_and_says_what_to_do(window: Any) -> None:
    clip = _video(record("clip.mp4", children=1, gps=True))
    assert Recommendation.BLUR_CHILDREN in clip.recommendations  # the JSON keeps its word
    window.detail.show_record(clip)
    pane = window.detail
    visible = {r for r, b in pane.action_buttons.items() if b.isVisibleTo(pane)}
    assert Recommendation.BLUR_CHILDREN not in visible
    assert Recommendation.STRIP_LOCATION in visible
    assert "in a video editor" in pane.actions_label.text()
    assert "Blur children and share" not in pane.actions_label.text()


def _face(x: int, age: float, level: ChildLevel, t: float) -> Face:
    return Face((x, 10, x + 30, 40), age, level is not ChildLevel.ADULT, level, frame_s=t)


def test_a_videos_faces_line_and_its_reasons_count_the_same() -> None:
    """pkg_flashmob.mkv said '6 children, 6 adults' (every frame summed) beside '4 possible
    children' and '3 adult faces' (the busiest frame): both now count the busiest frame."""
    maybe = ChildLevel.POSSIBLE_CHILD
    faces = (
        *(_face(40 * i, a, maybe, 6.4) for i, a in enumerate((19, 21, 24, 25))),
        *(_face(200 + 40 * i, 31, ChildLevel.ADULT, 6.4) for i in range(2)),
        *(_face(40 * i, a, maybe, 12.9) for i, a in enumerate((21, 23))),
        *(_face(200 + 40 * i, 30, ChildLevel.ADULT, 12.9) for i in range(3)),
        _face(300, 33, ChildLevel.ADULT, 1.0),
    )
    clip = _video(record("flashmob.mkv"), faces=faces, faces_scanned=True)
    assert clip.risk is not None
    assert "4 possible children — please check (est. 19, 21, 24 and 25)" in clip.risk.reasons
    assert "Shows 3 adult faces" in clip.risk.reasons
    text = faces_text(clip)
    assert text == (
        "Faces in the frames checked: at most 4 possible children (est. 19, 21, 24, 25) "
        "and 3 adults in one frame (faces in 3 frames)"
    )
    frames = frames_text(clip)
    assert "No face boxes on the picture above" in frames
    assert "  0:01.0 — 1 adult" in frames
    assert "  0:06.4 — 4 possible children, 2 adults" in frames
    assert "  0:12.9 — 2 possible children, 3 adults" in frames
    photo = record("a.jpg", children=1, adults=1)
    assert faces_text(photo) == "Faces: 1 child (est. 6), 1 adult" and frames_text(photo) == ""
