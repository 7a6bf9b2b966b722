"""read_video on clips made at test time: every form a phone or camera writes."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest

from photoscan.errors import UnsupportedFormat
from photoscan.metadata.video.read import read_video
from photoscan.metadata.video.types import VideoExtraction
from photoscan.model import FindingKind, ImageFormat
from tests import videos as fx


def _read(path: Path) -> VideoExtraction:
    with open(path, "rb") as fh:
        return read_video(fh, path.name)


def _fields(video: VideoExtraction) -> dict[str, str]:
    return {f.field: f.value for f in video.extraction.findings}


def test_apple_keys_give_place_person_device_and_live_photo_id(tmp_path: Path) -> None:
    clip = fx.make_clip(tmp_path / "keys.mov", metadata=fx.APPLE_KEYS, keys=True)
    video = _read(clip)
    fields = _fields(video)
    assert video.container is ImageFormat.MOV
    assert video.extraction.gps is not None
    assert (video.extraction.gps.lat, video.extraction.gps.lon) == (48.8584, 2.2945)
    assert video.extraction.gps.altitude == 35.0
    assert fields["Keys:GPSCoordinates"] == "48.858400, 2.294500"
    assert fields["Keys:Author"] == "Anna Example"
    assert fields["Keys:DisplayName"] == "Anna's iPhone"
    assert fields["Keys:Make"] == "Apple"
    assert fields["Keys:Model"] == "iPhone 15 Pro"
    assert (
        fields["Keys:ContentIdentifier"] == fx.APPLE_KEYS["com.apple.quicktime.content.identifier"]
    )
    kinds = {f.field: f.kind for f in video.extraction.findings}
    assert kinds["Keys:Author"] is FindingKind.PERSON
    assert kinds["Keys:ContentIdentifier"] is FindingKind.DEVICE
    assert video.duration_s == pytest.approx(1.0, abs=0.1)
    assert (video.extraction.width, video.extraction.height) == (160, 120)


@pytest.mark.parametrize("where", [(b"moov",), (b"moov", b"trak")], ids=["moov-meta", "trak-meta"])
def test_apple_keys_are_read_in_moov_meta_and_trak_meta_too(
    tmp_path: Path, where: tuple[bytes, ...]
) -> None:
    """ffmpeg writes the keys in udta/meta; iPhones put them in moov/meta, and per track."""
    video = _read(fx.keys_clip_at(tmp_path / "keys.mov", where))
    fields = _fields(video)
    assert fields["Keys:Author"] == "Anna Example"
    assert fields["Keys:DisplayName"] == "Anna's iPhone"
    assert video.extraction.gps is not None
    assert (video.extraction.gps.lat, video.extraction.gps.lon) == (48.8584, 2.2945)


def test_gopro_gpmd_track_is_per_frame_data_with_its_first_gps_fix(tmp_path: Path) -> None:
    clip = fx.make_clip(tmp_path / "gopro.mov", gpmd=fx.gpmf_gps(47.6205, -122.3493, 56.0))
    video = _read(clip)
    timed = [t for t in video.tracks if t.timed_metadata]
    assert [t.codec for t in timed] == ["gpmd"]
    fields = _fields(video)
    assert "may hold GPS or face positions" in fields["Track3:MetaFormat"]
    assert fields["Track3:GPSCoordinates"] == "47.620500, -122.349300"
    assert video.extraction.gps is not None and video.extraction.gps.source == "gpmd"
    assert [t.handler for t in video.tracks if not t.timed_metadata] == ["vide", "soun"]


def test_an_iphone_face_track_is_per_frame_face_data_naming_its_keys(tmp_path: Path) -> None:
    clip = fx.make_clip(tmp_path / "faces.mov", gpmd=bytes(range(1, 65)))
    video = _read(fx.retype_timed_track(clip, b"mebx", fx.FACE_KEYS))
    [timed] = [t for t in video.tracks if t.timed_metadata]
    assert (timed.codec, timed.keys) == ("mebx", fx.FACE_KEYS)
    [face] = [f for f in video.extraction.findings if f.field == "Track3:MetaFormat"]
    assert face.kind is FindingKind.FACE_REGION
    assert face.value == (
        "Apple timed metadata track [detected-face, detected-face.bounds]: "
        "per-frame data: may hold GPS or face positions"
    )
    assert video.extraction.gps is None  # no location key: not counted as a place


def test_a_camm_track_is_per_frame_data_with_its_first_gps_fix(tmp_path: Path) -> None:
    clip = fx.make_clip(tmp_path / "camm.mov", gpmd=fx.camm_gps(35.6586, 139.7454, 40.0))
    video = _read(fx.retype_timed_track(clip, b"camm"))
    fields = _fields(video)
    assert fields["Track3:MetaFormat"].startswith("camera motion metadata track (CAMM")
    assert fields["Track3:GPSCoordinates"] == "35.658600, 139.745400"
    assert video.extraction.gps is not None and video.extraction.gps.source == "camm"
    assert video.extraction.gps.altitude == 40.0


def test_a_samsung_trailer_names_the_network_country_and_the_time(tmp_path: Path) -> None:
    """ExifTool reads a Galaxy's ``sefd`` box as [Samsung] TimeStamp and MCCData."""
    clip = fx.make_clip(tmp_path / "galaxy.mp4")
    clip.write_bytes(clip.read_bytes() + fx.box(b"sefd", fx.samsung_sef(fx.SEF)))
    found = {f.field: (f.kind, f.value) for f in _read(clip).extraction.findings}
    assert found["Samsung:MCC_Data"] == (FindingKind.LOCATION, "mobile network country code 234")
    assert found["Samsung:Image_UTC_Data"] == (FindingKind.DATETIME, "1600000000123")
    assert found["Samsung:Original_Path_Hash_Key"] == (FindingKind.TEXT, "ab12")
    damaged = fx.samsung_sef(fx.SEF)[:-9] + b"SEFT"  # its directory's length is cut
    clip.write_bytes(clip.read_bytes() + fx.box(b"sefd", damaged))
    assert "Samsung:Trailer" in _fields(_read(clip))


def test_udta_forms_3gpp_location_author_and_quicktime_gps(tmp_path: Path) -> None:
    where = {"location": "+51.4169-000.0806/", "artist": "Ben"}
    mp4 = _fields(_read(fx.make_clip(tmp_path / "plain.mp4", metadata=where)))
    assert mp4["UserData:LocationInformation"] == "51.41689, -0.08060"  # 3GPP loci
    assert mp4["ItemList:Artist"] == "Ben"
    mov = _fields(_read(fx.make_clip(tmp_path / "plain.mov", metadata=where)))
    assert mov["UserData:GPSCoordinates"] == "51.416900, -0.080600"  # QuickTime ©xyz


def test_rotation_from_the_display_matrix_swaps_the_shown_size(tmp_path: Path) -> None:
    clip = fx.make_clip(tmp_path / "r.mp4")
    fx.patch_matrix(clip, 90)
    video = _read(clip)
    assert video.rotation == 90
    assert (video.extraction.width, video.extraction.height) == (120, 160)


XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF'
    b' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description'
    b' xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>Phil</rdf:li>'
    b"</rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
)


def _movie(udta: bytes) -> bytes:
    return fx.ftyp(b"qt  ") + fx.box(b"moov", fx.mvhd() + fx.box(b"udta", udta))


def test_hand_built_udta_atoms_in_exiftool_names() -> None:
    loci = bytes(4) + b"\x15\xc7" + b"Home\0" + b"\0" + struct.pack(">iii", -1 << 16, 52 << 16, 0)
    loci += b"earth\0\0"
    thumb = b"\xff\xd8\xff\xe0" + bytes(200)
    data = _movie(
        fx.box(b"loci", loci)
        + fx.box(b"auth", bytes(4) + b"\x15\xc7" + "Zoë Parent".encode() + b"\0")
        + fx.udta_text(b"\xa9own", "Oma Example")
        + fx.box(b"titl", bytes(4) + b"\x15\xc7" + b"Kita Sommerfest\0")
        + fx.box(b"dscp", bytes(4) + b"\x15\xc7" + b"Lena (4) on the slide\0")
        + fx.udta_text(b"\xa9mak", "Canon")
        + fx.udta_text(b"\xa9mod", "PowerShot")
        + fx.box(b"slno", b"SN 12345\0")
        + fx.box(b"thmb", bytes(4) + thumb)
        + fx.box(b"XMP_", XMP)
    )
    video = read_video(io.BytesIO(data), "hand.mov")
    fields = _fields(video)
    assert fields["UserData:LocationInformation"] == "52.00000, -1.00000 (Home)"
    assert fields["UserData:Author"] == "Zoë Parent"
    assert fields["UserData:Owner"] == "Oma Example"
    assert fields["UserData:Title"] == "Kita Sommerfest"
    assert fields["UserData:Description"] == "Lena (4) on the slide"
    assert fields["UserData:Make"] == "Canon"
    assert fields["UserData:Model"] == "PowerShot"
    assert fields["UserData:SerialNumber"] == "SN 12345"
    assert fields["XMP:Creator"] == "Phil"
    assert fields["QuickTime:CreateDate"] == "2024:05:31 11:33:20"
    [thumbnail] = video.thumbnails
    assert thumbnail.field == "UserData:ThumbnailImage" and thumbnail.format == "JPEG"
    assert thumbnail.length == len(thumb)
    assert data[thumbnail.offset : thumbnail.offset + 4] == thumb[:4]


def test_an_image_in_box_format_is_not_a_video() -> None:
    heic = fx.box(b"ftyp", b"heic" + bytes(4) + b"mif1heic") + fx.box(b"meta", bytes(4))
    with pytest.raises(UnsupportedFormat):
        read_video(io.BytesIO(heic), "photo.heic")
