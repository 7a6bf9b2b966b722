"""photoscan.cli.stored: the fingerprint of a folder and the stored outputs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from photoscan.cli import stored as rescan


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    (root / "sub").mkdir(parents=True)
    (root / "a.jpg").write_bytes(b"a")
    (root / "sub" / "b.jpg").write_bytes(b"b")
    (root / ".hidden").mkdir()
    return root


def test_fingerprint_follows_every_change(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    seen = {rescan.tree_fingerprint(root)}
    assert rescan.tree_fingerprint(root) in seen  # stable
    changes = [
        lambda: (root / "a.jpg").write_bytes(b"aa"),  # size
        lambda: os.utime(root / "a.jpg", ns=(1, 1)),  # time
        lambda: (root / "sub" / "c.xmp").write_text("x"),  # added sidecar
        lambda: (root / "sub" / "b.jpg").unlink(),  # removed
        lambda: (root / ".hidden" / "x.jpg").write_bytes(b"x"),  # inside a hidden folder
        lambda: (root / "a.jpg").rename(root / "z.jpg"),  # renamed
        lambda: os.chmod(root / "z.jpg", 0o400),  # mode
    ]
    for change in changes:
        change()
        now = rescan.tree_fingerprint(root)
        assert now is not None and now not in seen
        seen.add(now)


def test_unreadable_folder_is_never_fingerprinted(tmp_path: Path) -> None:
    assert rescan.tree_fingerprint(tmp_path / "missing") is None


def test_symlink_loop_terminates(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    (root / "sub" / "loop").symlink_to(root)
    (root / "broken").symlink_to(tmp_path / "nowhere")
    assert rescan.tree_fingerprint(root) is not None


def test_save_load_copy_and_pruning(tmp_path: Path, monkeypatch: object) -> None:
    cache = tmp_path / "cache"
    stored = rescan.StoredScan(b'{"photos": []}\n', "Scanned: x", "\n  body\n")
    rescan.save(cache, Path("/photos"), "k1", stored)
    assert rescan.load(cache, Path("/photos"), "k2") is None
    assert rescan.load(cache, Path("/other"), "k1") is None
    hit = rescan.load(cache, Path("/photos"), "k1")
    assert hit is not None and (hit.head, hit.body) == ("Scanned: x", "\n  body\n")
    out = tmp_path / "out.json"
    fd = os.open(out, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        rescan.copy_document(hit, fd)
    finally:
        os.close(fd)
    assert out.read_bytes() == stored.document
    for i in range(rescan.KEEP + 3):
        rescan.save(cache, Path(f"/p{i}"), "k", stored)
    assert len(list((cache / "scans").iterdir())) == rescan.KEEP
    assert rescan.load(cache, Path(f"/p{rescan.KEEP + 2}"), "k") is not None


def test_a_damaged_document_raises_damaged_once(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    stored = rescan.StoredScan(b'{"photos": [1, 2, 3]}\n', "Scanned: x", "\n  body\n")
    rescan.save(cache, Path("/photos"), "k1", stored)
    (path,) = (cache / "scans").iterdir()
    data = bytearray(path.read_bytes())
    at = data.rfind(b"[1")
    data[at : at + 3] = b"[9,"  # same size: only the checksum can tell
    path.write_bytes(bytes(data))
    with pytest.raises(rescan.Damaged):
        rescan.load(cache, Path("/photos"), "k1")
    assert not path.exists()  # removed: the next load is a plain miss
    assert rescan.load(cache, Path("/photos"), "k1") is None


def test_render_matches_the_summary_layout() -> None:
    text = rescan.render("Scanned: /x\n  1 photo, 0 not scanned", "\n  Risk: ...\n", 1.25, "-")
    assert text.startswith("Scanned: /x\n  1 photo, 0 not scanned, in 1.2 s\n\n  Risk")
    assert "Details per photo" in text and "Clean copies" not in text
    assert rescan.render("h", rescan.NO_FILES, 0, None) == "h, in 0.0 s\n" + rescan.NO_FILES


def test_a_changed_decision_changes_the_fingerprint(tmp_path: Path) -> None:
    from photoscan.library import store
    from photoscan.library.store import Library, PhotoKey
    from photoscan.model import Mark

    assert store.db_path().name == "library.sqlite3"  # the name decisions_fingerprint stats
    root = _tree(tmp_path)
    seen = {rescan.fingerprint(root, "")}
    key = PhotoKey("c" * 64, 1)
    with Library() as library:
        for change in (
            lambda: library.set_reviewed(key),
            lambda: library.mark_face(key, (0, 0, 5, 5), Mark.CHILD),
            lambda: library.mark_face(key, (0, 0, 5, 5), Mark.NOT_CHILD),
            lambda: library.forget_all(),
        ):
            change()
            now = rescan.fingerprint(root, "")
            assert now is not None and now not in seen
            seen.add(now)
