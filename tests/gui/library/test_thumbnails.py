"""Thumbnails: decoded off the GUI thread, oriented, cached within a byte budget, and
dropped when they belong to a folder that is no longer open."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from photoscan.gui.library.thumbnails import Decoded, ThumbnailLoader, decode


def write_photo(path: Path, size: tuple[int, int] = (400, 200), orientation: int = 1) -> Path:
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))  # left half blue
    exif = Image.Exif()
    exif[0x0112] = orientation
    image.save(path, "JPEG", exif=exif.tobytes())
    return path


def test_decode_applies_exif_orientation_and_reports_the_displayed_size(tmp_path: Path) -> None:
    photo = write_photo(tmp_path / "rotated.jpg", (400, 200), orientation=6)
    decoded = decode(photo.read_bytes(), 100)
    assert (decoded.full_width, decoded.full_height) == (200, 400)  # portrait as displayed
    assert decoded.image.width() == 50 and decoded.image.height() == 100
    # Orientation 6 rotates 90° clockwise: the blue left half ends up on top.
    top = decoded.image.pixelColor(25, 10)
    assert top.blue() > 150 and top.red() < 100


def test_loader_decodes_in_the_pool_and_caches(qtbot, tmp_path: Path) -> None:
    write_photo(tmp_path / "a.jpg")
    loader = ThumbnailLoader()
    loader.set_root(tmp_path)
    with qtbot.waitSignal(loader.thumbnail_ready, timeout=5000) as ready:
        assert loader.pixmap("a.jpg", 64) is None  # queued, not decoded on this thread
    assert ready.args == ["a.jpg", 64]
    pixmap = loader.pixmap("a.jpg", 64)
    assert pixmap is not None and pixmap.width() == 64
    assert loader.full_size("a.jpg", 64).width() == 400
    assert loader.cache_bytes == 64 * 32 * 4


def test_unreadable_files_are_marked_failed_not_retried(qtbot, tmp_path: Path) -> None:
    (tmp_path / "bad.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    loader = ThumbnailLoader()
    loader.set_root(tmp_path)
    with qtbot.waitSignal(loader.thumbnail_ready, timeout=5000):
        loader.pixmap("bad.jpg")
    assert loader.is_failed("bad.jpg")
    assert loader.pixmap("bad.jpg") is None


def test_stale_generation_results_are_dropped(qtbot, tmp_path: Path) -> None:
    photo = write_photo(tmp_path / "a.jpg")
    loader = ThumbnailLoader()
    loader.set_root(tmp_path)
    old_generation = loader.generation
    loader.set_root(tmp_path / "other")  # the user opened another folder meanwhile
    late = Decoded(decode(photo.read_bytes(), 64).image, 400, 200)
    loader._signals.decoded.emit(old_generation, "a.jpg", 64, late)
    assert loader.full_size("a.jpg", 64) is None and loader.cache_bytes == 0


def test_cache_stays_within_its_byte_budget(qtbot, tmp_path: Path) -> None:
    for i in range(6):
        write_photo(tmp_path / f"{i}.jpg")
    budget = 3 * 64 * 32 * 4  # room for three 64x32 thumbnails
    loader = ThumbnailLoader(cache_bytes=budget)
    loader.set_root(tmp_path)
    for i in range(6):
        with qtbot.waitSignal(loader.thumbnail_ready, timeout=5000):
            loader.pixmap(f"{i}.jpg", 64)
    assert loader.cache_bytes <= budget
    assert loader.full_size("0.jpg", 64) is None  # least recently used went first
    assert loader.full_size("5.jpg", 64) is not None
