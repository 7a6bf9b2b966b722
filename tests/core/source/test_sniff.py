from __future__ import annotations

import io
import struct

import pytest
from PIL import Image

from photoscan.model import ImageFormat
from photoscan.source.sniff import SniffStatus, sniff, sniff_video
from tests import videos as fx


def _encode(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, fmt)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("pil_format", "expected"),
    [
        ("JPEG", ImageFormat.JPEG),
        ("PNG", ImageFormat.PNG),
        ("GIF", ImageFormat.GIF),
        ("BMP", ImageFormat.BMP),
        ("TIFF", ImageFormat.TIFF),
        ("WEBP", ImageFormat.WEBP),
    ],
)
def test_sniff_by_content_not_extension(pil_format: str, expected: ImageFormat) -> None:
    result = sniff(_encode(pil_format), "mislabelled.txt")
    assert result.status is SniffStatus.SUPPORTED
    assert result.format is expected


def _ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return struct.pack(">I", 8 + len(body)) + b"ftyp" + body + b"\x00" * 16


def test_iso_bmff_brands() -> None:
    assert sniff(_ftyp(b"heic", b"mif1", b"heic")).format is ImageFormat.HEIF
    assert sniff(_ftyp(b"avif", b"mif1", b"avif")).format is ImageFormat.AVIF
    video = sniff(_ftyp(b"isom", b"isom", b"mp41"))
    assert video.status is SniffStatus.VIDEO and video.is_video
    assert (video.format, video.label) == (ImageFormat.MP4, "MP4 video")
    assert sniff(_ftyp(b"qt  ")).format is ImageFormat.MOV
    assert (sniff(_ftyp(b"crx ")).format, sniff(_ftyp(b"crx ")).label) == (ImageFormat.RAW, "CR3")


def test_unsupported_and_empty() -> None:
    assert sniff(b"").reason == "unsupported format: empty file"
    assert sniff(b"%PDF-1.7").status is SniffStatus.UNSUPPORTED
    assert sniff(b"hello world").status is SniffStatus.UNSUPPORTED


def test_text_files_are_named_as_text() -> None:
    """A MANIFEST.tsv or notes.txt beside the photos said "not an image (unknown content)",
    which reads like a damaged photo (seen in the app on b_group_photos)."""
    assert sniff(b"file\tfaces\r\nkid.jpg\t2\n").reason == "unsupported format: plain text"
    assert sniff("Zoë's notes — café".encode()).label == "plain text"
    assert sniff("naïve".encode()[:-3]).label == "plain text"  # the head cut a character
    assert sniff("naïve".encode()[:3]).label == "plain text"  # ... in two
    for binary in (b"text\x00with a NUL", b"\x01\x02\x03\x04", b"caf\xe9 in Latin-1 \x80x"):
        assert sniff(binary).label == "not an image (unknown content)", binary


def test_bigtiff_mrw_and_exv_are_read() -> None:
    for head in (b"II+\x00\x08\x00\x00\x00", b"MM\x00+\x00\x08\x00\x00"):
        assert (sniff(head).format, sniff(head).label) == (ImageFormat.TIFF, "BigTIFF")
    mrw = sniff(b"\x00MRM\x00\x00\x0a\x0c\x00PRD")
    assert (mrw.format, mrw.label) == (ImageFormat.RAW, "MRW")
    assert sniff(b"\xff\x01Exiv2\xff\xe1").format is ImageFormat.EXV


def test_xmp_sidecar_only_when_the_file_is_xmp() -> None:
    assert sniff(b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta/>').label == (
        "XMP sidecar"
    )
    assert sniff(b'<?xml version="1.0"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/"/>').label == (
        "XMP sidecar"
    )
    # A damaged RAF whose header is followed by an XMP packet is not a sidecar.
    assert sniff(b"FUJIFILM<x:xmpmeta ...").label == "Fujifilm RAF RAW (damaged header)"


@pytest.mark.parametrize(
    ("head", "expected", "label"),
    [
        (b"8BPS\x00\x01" + b"\x00" * 20, ImageFormat.PSD, "Photoshop PSD"),
        (b"8BPS\x00\x02" + b"\x00" * 20, ImageFormat.PSD, "Photoshop PSB"),
        (b"\x00\x00\x00\x0cjP  \r\n\x87\n" + _ftyp(b"jp2 "), ImageFormat.JP2, "JPEG 2000"),
        (_ftyp(b"jpx ", b"jpx "), ImageFormat.JP2, "JPEG 2000"),
        (b"\x00\x00\x00\x0cJXL \r\n\x87\n" + _ftyp(b"jxl "), ImageFormat.JXL, "JPEG XL"),
        (_ftyp(b"jxl "), ImageFormat.JXL, "JPEG XL"),
        (b"\xff\x0a\x08\x04\x8e\x81", ImageFormat.JXL, "JPEG XL"),  # bare codestream
    ],
)
def test_psd_jpeg2000_jpegxl_are_read(head: bytes, expected: ImageFormat, label: str) -> None:
    result = sniff(head, "photo.bin")
    assert result.status is SniffStatus.SUPPORTED
    assert (result.format, result.label) == (expected, label)


@pytest.mark.parametrize(
    ("head", "label"),
    [
        (_ftyp(b"crx ", b"crx ", b"isom"), "CR3"),
        (b"II\x1a\x00\x00\x00HEAPCCDR\x00\x00\x01\x00", "CRW"),
        (b"FUJIFILMCCD-RAW 0201FF383501", "RAF"),
        (b"FOVb\x03\x00\x02\x00" + b"\x00" * 32, "X3F"),
    ],
)
def test_non_tiff_raws_are_read_as_raw(head: bytes, label: str) -> None:
    result = sniff(head, "photo.jpg")  # the name never decides
    assert result.status is SniffStatus.SUPPORTED
    assert (result.format, result.label) == (ImageFormat.RAW, label)


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (fx.ftyp(b"qt  "), ImageFormat.MOV),
        (fx.ftyp(b"3gp5"), ImageFormat.THREE_GP),
        (fx.ftyp(b"3g2a"), ImageFormat.THREE_G2),
        (fx.ftyp(b"M4V "), ImageFormat.M4V),
        (fx.ftyp(b"M4A "), ImageFormat.M4A),
        (fx.ftyp(b"isom"), ImageFormat.MP4),
        (fx.ftyp(b"heic"), None),
        (fx.ftyp(b"crx "), None),
        (fx.box(b"moov", fx.mvhd()), ImageFormat.MOV),
        (b"RIFF\0\0\0\0AVI LIST", ImageFormat.AVI),
        (b"RIFF\0\0\0\0WEBPVP8 ", None),
        (b"\x1a\x45\xdf\xa3" + bytes(20), ImageFormat.MKV),
        ((b"\x47" + bytes(187)) * 3, ImageFormat.MTS),
        ((bytes(4) + b"\x47" + bytes(187)) * 3, ImageFormat.MTS),
        (b"\xff\xd8\xff\xe0" + bytes(20), None),
        (fx.box(b"wide") + fx.box(b"mdat", bytes(8)), ImageFormat.MOV),
        (b"The free software, at home\n" * 4, None),
        (b"\x00\x00\x01\xba" + bytes(20), None),
    ],
)
def test_videos_by_content(head: bytes, fmt: ImageFormat | None) -> None:
    assert sniff_video(head) is fmt
