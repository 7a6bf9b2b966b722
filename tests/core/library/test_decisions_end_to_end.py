"""Issue 11's bars for the parent's corrections: a "child" mark and a drawn box survive a
rescan, a rename and a moved folder, and ``share`` hides them; an unchecked photo is never
"fine to share". Real metadata readers and a real share; the detector is a stand-in that
finds one adult face, so what is tested is what the decisions do to it."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from PIL import Image

from photoscan.cancel import CancelToken
from photoscan.library.content import HashCache
from photoscan.library.store import Library
from photoscan.model import (
    ChildLevel,
    Face,
    FaceSource,
    FileError,
    Mark,
    PhotoRecord,
    Recommendation,
    RiskLevel,
)
from photoscan.scan.jobs import ScanOptions
from photoscan.scan.run import scan_all
from photoscan.share import Blur, ShareOptions, share
from photoscan.source.fileref import FileRef

ADULT_BOX = (20, 20, 60, 60)  # what the stand-in detector finds: an adult, it says
DRAWN_BOX = (120, 110, 170, 160)  # a face it missed, boxed by the parent
OPTIONS = ScanOptions(workers=1, use_cache=True)


def _photo(path: Path, blue: int = 200) -> bytes:
    img = Image.new("RGB", (200, 180), (30, 90, blue))
    for x in range(200):  # texture everywhere, so a covered box is easy to tell
        for y in range(0, 180, 3):
            img.putpixel((x, y), ((x * 7) % 256, (y * 5) % 256, 40))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=95)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())
    return buf.getvalue()


class OneAdultPool:
    """The face pool, as a stand-in: one adult face in every photo."""

    def __init__(self, workers: int, settings: object) -> None:
        pass

    def run(
        self, jobs: Iterable[tuple[str, FileRef]], cancel: CancelToken | None = None
    ) -> Iterator[tuple[str, tuple[Face, ...] | FileError]]:
        for rel, _ in jobs:
            if "broken" in rel:
                yield rel, FileError(rel, "cannot decode: truncated")
            else:
                yield rel, (Face(ADULT_BOX, 34.0, False, ChildLevel.ADULT),)

    def close(self) -> None:
        pass


def _scan(root: Path, options: ScanOptions = OPTIONS) -> dict[str, PhotoRecord]:
    result = scan_all(root, options, face_pool=OneAdultPool)
    return {r.path: r for r in result.photos}


def _one_adult(data: bytes) -> tuple[Face, ...]:
    return (Face(ADULT_BOX, 34.0, False, ChildLevel.ADULT),)


def _is_covered(img: Image.Image, box: tuple[int, int, int, int]) -> bool:
    """A solid fill: every pixel inside the box is (nearly) the same colour."""
    left, top, right, bottom = box
    colours = img.crop((left + 2, top + 2, right - 2, bottom - 2)).getcolors(1 << 16) or []
    spread = [max(c[1][i] for c in colours) - min(c[1][i] for c in colours) for i in range(3)]
    return max(spread) <= 12  # JPEG ringing only


def test_a_child_mark_and_a_drawn_box_survive_rescan_rename_and_move_and_share_hides_them(
    tmp_path: Path,
) -> None:
    root = tmp_path / "Family"
    _photo(root / "2023" / "beach.jpg")
    first = _scan(root)["2023/beach.jpg"]
    assert first.faces[0].level is ChildLevel.ADULT
    assert Recommendation.BLUR_CHILDREN not in first.recommendations

    with HashCache() as cache:  # what the app does when the parent clicks
        key = cache.key(FileRef(str(root / "2023" / "beach.jpg")))
    assert key is not None
    with Library() as library:
        library.mark_face(key, first.faces[0].box, Mark.CHILD)
        library.add_face(key, DRAWN_BOX)

    def check(record: PhotoRecord) -> None:
        assert [(f.box, f.level, f.source) for f in record.faces] == [
            (ADULT_BOX, ChildLevel.CHILD, FaceSource.DETECTOR),
            (DRAWN_BOX, ChildLevel.CHILD, FaceSource.PARENT),
        ]
        assert Recommendation.BLUR_CHILDREN in record.recommendations
        assert record.risk is not None
        assert "Shows 2 children (marked by you)" in record.risk.reasons

    check(_scan(root)["2023/beach.jpg"])  # a rescan (cached results: decisions still apply)
    check(_scan(root, ScanOptions(workers=1, use_cache=False))["2023/beach.jpg"])
    (root / "2023" / "beach.jpg").rename(root / "2023" / "renamed.jpg")
    moved = tmp_path / "Elsewhere" / "Old family"
    moved.parent.mkdir()
    shutil.move(root, moved)
    check(_scan(moved)["2023/renamed.jpg"])

    out = tmp_path / "share"
    results = list(share([moved], out, ShareOptions(), detect=_one_adult))
    assert len(results) == 1 and results[0].faces_hidden == 2 and results[0].faces_yours == 2
    assert results[0].output is not None
    with Image.open(results[0].output) as shared:
        assert _is_covered(shared.convert("RGB"), ADULT_BOX)
        assert _is_covered(shared.convert("RGB"), DRAWN_BOX)
    with Image.open(moved / "2023" / "renamed.jpg") as original:  # the original untouched
        assert not _is_covered(original.convert("RGB"), ADULT_BOX)


def test_not_a_child_keep_private_and_hide_all_in_share(tmp_path: Path) -> None:
    data = _photo(tmp_path / "in" / "a.jpg")
    other = _photo(tmp_path / "in2" / "b.jpg", blue=20)
    with Library() as library:
        from photoscan.library.content import hash_bytes

        library.set_hide_all(hash_bytes(data))
        library.set_keep_private(hash_bytes(other))
    hide_all = list(share([tmp_path / "in"], tmp_path / "o1", ShareOptions(), detect=_one_adult))
    assert hide_all[0].faces_hidden == 1  # the adult too: "hide every face in this photo"
    private = list(share([tmp_path / "in2"], tmp_path / "o2", ShareOptions(), detect=_one_adult))
    assert private[0].output is None and "keep it private" in private[0].reason
    none = ShareOptions(blur=Blur.NONE)
    asked = list(share([tmp_path / "in"], tmp_path / "o3", none, detect=_one_adult))
    assert asked[0].faces_hidden is None  # --blur none: nothing hidden, as asked


def test_a_photo_whose_faces_were_not_checked_is_never_fine_to_share(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    _photo(root / "plain.jpg")
    (root / "broken.jpg").write_bytes(_photo(tmp_path / "x.jpg")[:400])  # decodes for metadata

    def unchecked(records: dict[str, PhotoRecord]) -> None:
        for record in records.values():
            assert record.risk is not None
            assert record.risk.level is not RiskLevel.NONE
            assert any(r.startswith("Faces not checked") for r in record.risk.reasons)
            assert Recommendation.OK_TO_SHARE not in record.recommendations
            assert Recommendation.CHECK_FACES in record.recommendations

    unchecked(_scan(root, ScanOptions(workers=1, faces=False)))  # --no-faces
    checked = _scan(root)
    unchecked({"broken.jpg": checked["broken.jpg"]})  # a decode failure
    assert checked["broken.jpg"].face_error == "cannot decode: truncated"
    assert Recommendation.CHECK_FACES not in checked["plain.jpg"].recommendations

    cancel = CancelToken()
    cancel.cancel()  # cancelled before the face pass: every photo unchecked
    result = scan_all(root, ScanOptions(workers=1, use_cache=False), cancel, face_pool=OneAdultPool)
    unchecked({r.path: r for r in result.photos})


def test_a_damaged_decisions_file_never_stops_a_scan(tmp_path: Path) -> None:
    from photoscan.library import store

    root = tmp_path / "lib"
    _photo(root / "a.jpg")
    store.db_path().parent.mkdir(parents=True, exist_ok=True)
    store.db_path().write_bytes(b"garbage, not a database" * 200)
    result = scan_all(root, OPTIONS, face_pool=OneAdultPool)
    assert [p.path for p in result.photos] == ["a.jpg"]
    assert any("damaged" in w for w in result.warnings)
