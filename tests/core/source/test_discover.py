"""Discovery: every file is accounted for, formats by content, sidecars paired, no hangs."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from photoscan.source.discover import discover, walk
from photoscan.source.entries import Kind, entries
from tests.conftest import testdata_dir as _testdata_dir


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buf, "JPEG")
    return buf.getvalue()


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buf, "PNG")
    return buf.getvalue()


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def _sidecars_of(root: Path, rel: str) -> set[str]:
    for cand in walk(root).files:
        if cand.file.rel == rel:
            return {s.rel for s in cand.sidecars.all()}
    raise AssertionError(f"{rel} not a candidate")


def test_formats_by_content_and_reasons(tmp_path: Path) -> None:
    _write(tmp_path / "really_png.jpg", _png())
    _write(tmp_path / "photo.JPG", _jpeg())
    _write(tmp_path / "notes.txt", "hello")
    _write(tmp_path / "clip.jpg", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\0" * 64)
    _write(tmp_path / "empty.png", b"")
    _write(tmp_path / "old.mpg", b"\x00\x00\x01\xba" + b"\0" * 64)
    d = discover(tmp_path)
    formats = {c.file.rel: s.format.value for c, s in d.photos if s.format}
    assert formats == {"really_png.jpg": "PNG", "photo.JPG": "JPEG", "clip.jpg": "MP4"}
    reasons = {e.path: e.reason for e in d.errors}
    assert reasons["old.mpg"] == "unsupported video format: MPEG program stream"
    assert reasons["notes.txt"].startswith("unsupported format:")
    assert reasons["empty.png"] == "unsupported format: empty file"


def test_xmp_sidecars_pair_both_naming_styles(tmp_path: Path) -> None:
    _write(tmp_path / "a" / "IMG_1.jpg", _jpeg())
    _write(tmp_path / "a" / "IMG_1.xmp", "<x:xmpmeta/>")
    _write(tmp_path / "a" / "IMG_2.jpg", _jpeg())
    _write(tmp_path / "a" / "img_2.JPG.xmp", "<x:xmpmeta/>")
    _write(tmp_path / "a" / "lonely.xmp", "<x:xmpmeta/>")
    w = walk(tmp_path)
    assert _sidecars_of(tmp_path, "a/IMG_1.jpg") == {"a/IMG_1.xmp"}
    assert _sidecars_of(tmp_path, "a/IMG_2.jpg") == {"a/img_2.JPG.xmp"}
    assert [x.rel for x in w.orphan_xmp] == ["a/lonely.xmp"]
    assert w.errors == ()


def test_export_sidecars_attach_or_are_reported(tmp_path: Path) -> None:
    album = tmp_path / "Takeout" / "Album"
    _write(album / "PXL_1.jpg", _jpeg())
    _write(album / "PXL_1.jpg.json", "{}")
    _write(album / "PXL_3.jpg", _jpeg())
    _write(album / "PXL_3.jpg.supplemental-metadata.json", "{}")
    _write(album / "metadata.json", "{}")  # album-level: describes every photo in the folder
    _write(album / "PXL_2.mp4.json", "{}")  # its video is missing
    _write(album / ".picasa.ini", "[PXL_1.jpg]\nfaces=rect64(0),abc\n")
    _write(album / "IMG_4120.AAE", "<plist/>")
    _write(tmp_path / "Albums" / "album.csv", "imgName\nPXL_1.jpg\n")
    _write(tmp_path / "notes.txt", "a document, not a sidecar")
    w = walk(tmp_path)
    assert _sidecars_of(tmp_path, "Takeout/Album/PXL_1.jpg") == {
        "Takeout/Album/PXL_1.jpg.json",
        "Takeout/Album/metadata.json",
        "Takeout/Album/.picasa.ini",
    }
    assert "Takeout/Album/PXL_3.jpg.supplemental-metadata.json" in _sidecars_of(
        tmp_path, "Takeout/Album/PXL_3.jpg"
    )
    assert "notes.txt" in {c.file.rel for c in w.files}  # sniffed like any file
    reasons = {e.path: e.reason for e in w.errors}
    unmatched = "not matched to any photo (not read)"
    assert reasons == {
        "Albums/album.csv": f"export metadata (CSV) {unmatched}",
        "Takeout/Album/PXL_2.mp4.json": f"export metadata (JSON) {unmatched}",
        "Takeout/Album/IMG_4120.AAE": f"Apple Photos edit file (AAE) {unmatched}",
    }


def test_sidecar_of_a_non_photo_is_reported(tmp_path: Path) -> None:
    _write(tmp_path / "scan.pdf", "%PDF-1.4 ...")
    _write(tmp_path / "scan.pdf.xmp", "<x:xmpmeta/>")
    reasons = {e.path: e.reason for e in discover(tmp_path).errors}
    assert reasons["scan.pdf"] == "unsupported format: PDF document"
    assert reasons["scan.pdf.xmp"] == "sidecar of a file that is not a readable photo (scan.pdf)"


def test_hidden_and_system_folders_are_skipped_with_a_reason(tmp_path: Path) -> None:
    _write(tmp_path / "ok.jpg", _jpeg())
    for hidden in (".git", "@eaDir", "$RECYCLE.BIN", "__MACOSX", ".thumbnails"):
        _write(tmp_path / hidden / "x.jpg", _jpeg())
    _write(tmp_path / ".DS_Store", b"\0\0\0\1Bud1")
    _write(tmp_path / "._ok.jpg", b"\0\5\26\7")
    w = walk(tmp_path)
    assert [c.file.rel for c in w.files] == ["ok.jpg"]
    assert {e.path for e in w.skipped} == {
        ".git/",
        "@eaDir/",
        "$RECYCLE.BIN/",
        "__MACOSX/",
        ".thumbnails/",
        ".DS_Store",
        "._ok.jpg",
    }
    every = walk(tmp_path, include_hidden=True)
    assert len(every.files) == 8 and every.skipped == ()


def test_symlink_loops_do_not_hang(tmp_path: Path) -> None:
    _write(tmp_path / "a" / "b" / "p.jpg", _jpeg())
    os.symlink(tmp_path / "a", tmp_path / "a" / "b" / "back_to_a")
    os.symlink(tmp_path, tmp_path / "a" / "root_again")
    os.symlink(tmp_path / "missing.jpg", tmp_path / "broken.jpg")
    w = walk(tmp_path)
    assert [c.file.rel for c in w.files] == ["a/b/p.jpg"]
    assert {e.path for e in w.skipped} == {"a/b/back_to_a/", "a/root_again/"}
    assert {e.path: e.reason for e in w.errors} == {"broken.jpg": "broken symbolic link"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads everything")
def test_unreadable_folder_is_an_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    _write(locked / "p.jpg", _jpeg())
    locked.chmod(0)
    try:
        reasons = {e.path: e.reason for e in walk(tmp_path).errors}
    finally:
        locked.chmod(0o700)
    assert reasons == {"locked/": "cannot read folder: permission denied"}


def test_nothing_lost_in_the_real_test_data() -> None:
    """Every file under testdata is a photo, an error, a sidecar of a photo, or skipped."""
    root = _testdata_dir()
    d = discover(root)
    every = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    photos = {c.file.rel for c, _ in d.photos}
    sidecars = {s.rel for c, _ in d.photos for s in c.sidecars.all()}
    placed = (
        photos
        | sidecars
        | {x.rel for x in d.orphan_xmp}
        | {e.path for e in d.errors}
        | {e.path for e in d.skipped}
    )
    assert every == placed
    assert all(e.reason for e in d.errors)
    assert photos.isdisjoint({e.path for e in d.errors})


def test_entries_is_the_walk_entry_by_entry(tmp_path: Path) -> None:
    """The one walk the scan and strip/share plan from: every kind of entry, in order."""
    _write(tmp_path / "a.jpg", _jpeg())
    _write(tmp_path / "b" / "c.jpg", _jpeg())
    _write(tmp_path / ".git" / "x.jpg", _jpeg())
    os.mkfifo(tmp_path / "b" / "pipe.jpg")
    os.symlink(tmp_path / "missing.jpg", tmp_path / "broken.jpg")
    os.symlink(tmp_path / "b", tmp_path / "b" / "loop")
    kinds = [(e.rel, e.kind) for e in entries(tmp_path)]
    assert kinds == [
        (".git/", Kind.SKIPPED),
        ("a.jpg", Kind.FILE),
        ("b/", Kind.FOLDER),
        ("broken.jpg", Kind.BROKEN),
        ("b/c.jpg", Kind.FILE),
        ("b/loop/", Kind.SKIPPED),
        ("b/pipe.jpg", Kind.OTHER),
    ]
