"""The lossless video strip: what goes, what stays byte for byte, and the safety rules."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest

from photoscan.containers.bmff import FileReader
from photoscan.containers.movie import read_layout
from photoscan.containers.samples import chunk_extents
from photoscan.errors import StripError
from photoscan.metadata.video.read import read_video
from photoscan.model import FindingKind
from photoscan.strip import video, videoplan
from photoscan.strip.types import StripOptions
from tests import videos as fx

ALL = StripOptions()
LOCATION = StripOptions(only_location=True)


def _findings(path: Path) -> dict[str, FindingKind]:
    with open(path, "rb") as fh:
        return {f.field: f.kind for f in read_video(fh, path.name).extraction.findings}


def test_apple_keys_video_strips_to_nothing_identifying_with_every_packet_kept(
    tmp_path: Path,
) -> None:
    clip = fx.make_clip(tmp_path / "keys.mov", metadata=fx.APPLE_KEYS, keys=True)
    out = tmp_path / "out" / "keys.mov"
    result = fx.strip_to(clip, out, ALL)
    assert result.changed
    assert {"location", "person", "device", "camera"} <= set(result.removed)
    assert result.remaining == ()
    assert _findings(out) == {}
    assert fx.framemd5(out) == fx.framemd5(clip)
    assert out.stat().st_size == clip.stat().st_size
    assert fx.identifying(out) == []


@pytest.mark.parametrize("where", [(b"moov",), (b"moov", b"trak")], ids=["moov", "trak"])
def test_apple_keys_in_moov_meta_or_trak_meta_are_stripped(
    tmp_path: Path, where: tuple[bytes, ...]
) -> None:
    clip = fx.keys_clip_at(tmp_path / "keys.mov", where)
    assert "Keys:Author" in _findings(clip)
    out = tmp_path / "clean.mov"
    fx.strip_to(clip, out, ALL)
    assert _findings(out) == {}
    assert fx.box_bytes(out, (*where, b"free"))  # neutralised where it was
    assert fx.framemd5(out) == fx.framemd5(clip)


def test_a_top_level_xmp_uuid_box_is_read_and_stripped_or_kept_without_its_place(
    tmp_path: Path,
) -> None:
    clip = fx.xmp_uuid_clip(tmp_path / "xmp.mov")
    with open(clip, "rb") as fh:
        found = read_video(fh, clip.name).extraction
    assert found.gps is not None and (round(found.gps.lat, 4), found.gps.lon) == (48.8583, 2.295)
    assert {f.field: f.value for f in found.findings}["XMP:Creator"] == "Phil"
    assert any("GPSLatitude" in line for line in fx.exiftool_lines(clip))
    out = tmp_path / "clean.mov"
    assert "uuid XMP" in fx.strip_to(clip, out, ALL).blocks
    assert _findings(out) == {} and fx.identifying(out) == []
    assert fx.framemd5(out) == fx.framemd5(clip)
    placeless = tmp_path / "placeless.mov"
    fx.strip_to(clip, placeless, LOCATION)
    assert _findings(placeless).get("XMP:Creator") is FindingKind.PERSON
    assert FindingKind.LOCATION not in _findings(placeless).values()
    assert not any("GPS" in line for line in fx.exiftool_lines(placeless))
    assert placeless.stat().st_size == clip.stat().st_size


def test_gpmd_samples_are_zeroed_and_the_track_structure_stays(tmp_path: Path) -> None:
    clip = fx.make_clip(tmp_path / "gopro.mov", gpmd=fx.gpmf_gps(47.6205, -122.3493, 56.0))
    out = tmp_path / "clean.mov"
    result = fx.strip_to(clip, out, ALL)
    assert any("timed metadata (gpmd)" in b for b in result.blocks)
    assert "location" in result.removed
    assert _findings(out) == {}
    assert fx.framemd5(out) == fx.framemd5(clip)
    with open(out, "rb") as fh:
        tracks = read_video(fh, "clean.mov").tracks
    assert [t.codec for t in tracks] == ["mp4v", "mp4a", "gpmd"]  # offsets all still hold
    assert fx.gpmf_gps(47.6205, -122.3493, 56.0)[:16] not in out.read_bytes()


def _timed_bytes(path: Path) -> bytes:
    """The sample data of the movie's timed-metadata track, read by its chunk table."""
    with open(path, "rb") as fh:
        layout = read_layout(FileReader(fh), path.name)
        [*_, trak] = layout.moov.children(b"trak")
        stbl = trak.path(b"mdia", b"minf", b"stbl")
        assert stbl is not None
        out = b""
        for ext in chunk_extents(layout, stbl):
            fh.seek(ext.offset)
            out += fh.read(ext.length)
    return out


@pytest.mark.parametrize(
    ("codec", "keys", "sample"),
    [
        (b"mebx", fx.FACE_KEYS, bytes(range(1, 65))),  # an iPhone's detected faces
        (b"camm", (), fx.camm_gps(35.6586, 139.7454, 40.0)),  # Google's camera motion + GPS
    ],
    ids=["mebx-faces", "camm-gps"],
)
def test_face_and_camm_track_samples_are_zeroed_and_every_packet_kept(
    tmp_path: Path, codec: bytes, keys: tuple[str, ...], sample: bytes
) -> None:
    clip = fx.retype_timed_track(fx.make_clip(tmp_path / "t.mov", gpmd=sample), codec, keys)
    assert _timed_bytes(clip).strip(b"\0")
    out = tmp_path / "clean.mov"
    result = fx.strip_to(clip, out, ALL)
    assert f"track 3 timed metadata ({codec.decode()}) samples" in result.blocks
    data = _timed_bytes(out)
    assert data and not data.strip(b"\0")  # every sample zeroed, none moved or resized
    assert _findings(out) == {}
    assert fx.framemd5(out) == fx.framemd5(clip)
    assert fx.identifying(out) == []
    with open(out, "rb") as fh:
        assert read_video(fh, "clean.mov").tracks[2].codec == codec.decode()


def test_only_location_empties_a_camm_track_but_keeps_an_iphone_face_track(
    tmp_path: Path,
) -> None:
    faces = fx.make_clip(tmp_path / "f.mov", gpmd=bytes(range(1, 65)))
    fx.retype_timed_track(faces, b"mebx", fx.FACE_KEYS)
    camm = fx.make_clip(tmp_path / "c.mov", gpmd=fx.camm_gps(35.6586, 139.7454, 40.0))
    fx.retype_timed_track(camm, b"camm")
    fx.strip_to(faces, tmp_path / "f2.mov", LOCATION)
    fx.strip_to(camm, tmp_path / "c2.mov", LOCATION)
    assert _timed_bytes(tmp_path / "f2.mov") == _timed_bytes(faces)
    assert not _timed_bytes(tmp_path / "c2.mov").strip(b"\0")


STBL = (b"moov", b"trak", b"mdia", b"minf", b"stbl")


def test_what_playback_needs_survives_byte_for_byte(tmp_path: Path) -> None:
    """Edit lists, the rotation matrix, tapt, sdtp, ctts, cslg, the hvc1 sample entry and
    boxes photoscan does not know stay as they were; only metadata, dates and vendor codes
    change."""
    hevc = ("-tag:v", "hvc1", "-x265-params", "log-level=error:bframes=3")
    clip = fx.make_clip(
        tmp_path / "h.mov", metadata=fx.APPLE_KEYS, keys=True, codec="libx265", extra=hevc
    )
    fx.patch_matrix(clip, 90)
    dims = struct.pack(">II", 160 << 16, 120 << 16)
    tapt = b"".join(fx.box(kind, bytes(4) + dims) for kind in (b"clef", b"prof", b"enof"))
    fx.insert_box(clip, (b"moov", b"trak"), fx.box(b"tapt", tapt))
    fx.insert_box(clip, STBL, fx.box(b"cslg", bytes(4) + struct.pack(">5i", 0, 1, 0, 10, 20)))
    fx.insert_box(clip, (b"moov",), fx.box(b"zzzz", b"a box photoscan does not know"))
    clip.write_bytes(clip.read_bytes() + fx.box(b"zzzt", b"and one at the top level"))
    out = tmp_path / "clean.mov"
    assert fx.strip_to(clip, out, ALL).changed
    for where in [
        (b"moov", b"trak", b"edts"),
        (b"moov", b"trak", b"tapt"),
        (*STBL, b"sdtp"),
        (*STBL, b"ctts"),
        (*STBL, b"cslg"),
        (b"moov", b"zzzz"),
        (b"zzzt",),
    ]:
        assert fx.box_bytes(out, where) == fx.box_bytes(clip, where), where
    entry = fx.box_bytes(clip, (*STBL, b"stsd", b"hvc1"))
    after = fx.box_bytes(out, (*STBL, b"stsd", b"hvc1"))
    assert after[:20] + after[24:] == entry[:20] + entry[24:]  # all but the vendor code
    tkhd, tkhd_after = (fx.box_bytes(p, (b"moov", b"trak", b"tkhd")) for p in (clip, out))
    assert tkhd_after[48:92] == tkhd[48:92]  # the display matrix and the shown size
    with open(out, "rb") as fh:
        assert read_video(fh, out.name).rotation == 90
    assert out.stat().st_size == clip.stat().st_size
    assert fx.framemd5(out) == fx.framemd5(clip)
    assert fx.identifying(out) == []


@pytest.mark.parametrize("options", [ALL, LOCATION], ids=["all", "only-location"])
def test_a_samsung_trailer_is_neutralised_where_it_is(
    tmp_path: Path, options: StripOptions
) -> None:
    clip = fx.make_clip(tmp_path / "galaxy.mp4")
    clip.write_bytes(clip.read_bytes() + fx.box(b"sefd", fx.samsung_sef(fx.SEF)))
    assert any(line.startswith("[Samsung]") for line in fx.exiftool_lines(clip))
    out = tmp_path / "clean.mp4"
    result = fx.strip_to(clip, out, options)
    assert "Samsung trailer (sefd)" in result.blocks
    assert not any(line.startswith("[Samsung]") for line in fx.exiftool_lines(out))
    assert b"MCC_Data" not in out.read_bytes()
    assert out.stat().st_size == clip.stat().st_size
    assert fx.framemd5(out) == fx.framemd5(clip)


def test_only_location_keeps_names_and_dates_but_not_the_place(tmp_path: Path) -> None:
    clip = fx.make_clip(tmp_path / "keys.mov", metadata=fx.APPLE_KEYS, keys=True)
    out = tmp_path / "loc.mov"
    fx.strip_to(clip, out, LOCATION)
    after = _findings(out)
    assert FindingKind.LOCATION not in after.values()
    assert after["Keys:Author"] is FindingKind.PERSON
    assert after["Keys:Model"] is FindingKind.CAMERA
    assert "QuickTime:CreateDate" in after or "Keys:CreationDate" in after
    assert fx.framemd5(out) == fx.framemd5(clip)
    lines = fx.exiftool_lines(out)
    assert not [line for line in lines if "GPS" in line]
    assert any("Anna Example" in line for line in lines)


def test_keep_datetime_leaves_the_movie_header_dates(tmp_path: Path) -> None:
    clip = fx.make_clip(tmp_path / "d.mp4", metadata={"creation_time": "2021-03-04T05:06:07Z"})
    kept, reset = tmp_path / "kept.mp4", tmp_path / "reset.mp4"
    fx.strip_to(clip, kept, StripOptions(keep_datetime=True))
    fx.strip_to(clip, reset, ALL)
    assert "QuickTime:CreateDate" in _findings(kept)
    assert "QuickTime:CreateDate" not in _findings(reset)


def test_in_place_keeps_a_backup_and_never_overwrites_a_different_one(tmp_path: Path) -> None:
    clip = fx.make_clip(tmp_path / "v.mov", metadata=fx.APPLE_KEYS, keys=True)
    original = clip.read_bytes()
    backup = tmp_path / "backup" / "v.mov"
    fx.strip_in_place(clip, backup, ALL)
    assert backup.read_bytes() == original
    assert _findings(clip) == {}
    assert len(clip.read_bytes()) == len(original)
    again = fx.make_clip(tmp_path / "w.mov", metadata=fx.APPLE_KEYS, keys=True)
    other = tmp_path / "backup" / "w.mov"
    other.write_bytes(b"something else")
    before = again.read_bytes()
    with pytest.raises(StripError, match="different backup"):
        fx.strip_in_place(again, other, ALL)
    assert again.read_bytes() == before


def test_an_existing_output_is_never_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clip = fx.make_clip(tmp_path / "v.mp4", metadata={"artist": "Ben"})
    out = tmp_path / "out.mp4"
    out.write_bytes(b"mine")
    copies: list[int] = []
    monkeypatch.setattr(video, "copy_fd", lambda *args: copies.append(1))
    with pytest.raises(StripError, match="already exists"):
        fx.strip_to(clip, out, ALL)
    assert out.read_bytes() == b"mine"
    assert copies == []  # said before the video is copied
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".photoscan-")] == []


def test_a_copy_gets_its_name_only_once_patched_and_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Until its patches are written the copy holds the original's metadata: a run killed
    then must not leave it under the stripped copy's name."""
    clip = fx.make_clip(tmp_path / "v.mp4", metadata={"artist": "Ben"})
    out = tmp_path / "out" / "v.mp4"
    seen: list[tuple[bool, int]] = []
    real_apply = videoplan.apply

    def apply(fd: int, plan: videoplan.VideoStripPlan) -> None:
        seen.append((out.exists(), len(list(out.parent.glob(".photoscan-*.tmp")))))
        real_apply(fd, plan)

    monkeypatch.setattr(videoplan, "apply", apply)
    fx.strip_to(clip, out, ALL)
    assert seen == [(False, 1)]
    assert _findings(out) == {}
    assert list(out.parent.glob(".photoscan-*")) == []


def test_a_dry_run_plan_lists_blocks_and_writes_nothing(tmp_path: Path) -> None:
    clip = fx.make_clip(tmp_path / "v.mp4", metadata={"artist": "Ben"})
    before = clip.read_bytes()
    with open(clip, "rb") as fh:
        plan = fx.plan_of(fh, clip.name, ALL)
    assert plan.changed and "movie udta" in plan.blocks and plan.size == len(before)
    assert clip.read_bytes() == before


def test_a_clean_file_plans_no_change_and_a_dirty_one_does() -> None:
    clean = fx.ftyp(b"qt  ") + fx.box(b"moov", fx.mvhd(created=0))
    assert not fx.plan_of(io.BytesIO(clean), "clean.mov", ALL).changed
    dated = fx.ftyp(b"qt  ") + fx.box(b"moov", fx.mvhd())
    plan = fx.plan_of(io.BytesIO(dated), "dated.mov", ALL)
    assert plan.blocks == ("mvhd dates",)
    assert not fx.plan_of(io.BytesIO(dated), "dated.mov", StripOptions(keep_datetime=True)).changed
