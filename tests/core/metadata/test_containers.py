"""Container walkers on files made here with Pillow (and by hand where Pillow cannot)."""

from __future__ import annotations

import io
import struct
import zlib

import pillow_heif
import pytest
from PIL import Image

from photoscan.containers.jpeg import XMP_EXTENSION
from photoscan.containers.png import MAX_INFLATED_BYTES, inflate
from photoscan.errors import CorruptFile
from photoscan.metadata import extract
from photoscan.metadata.base import Collector, Source
from photoscan.metadata.bmp import read_bmp
from photoscan.metadata.jpeg import MAX_EXTENDED_PACKETS, _ExtendedXmp, read_jpeg
from photoscan.metadata.png import read_png
from photoscan.metadata.raw.ciff import read_ciff
from photoscan.model import Extraction, FindingKind, ImageFormat

XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">'
    b"<Iptc4xmpExt:PersonInImage><rdf:Bag><rdf:li>Kim Example</rdf:li></rdf:Bag>"
    b"</Iptc4xmpExt:PersonInImage></rdf:Description></rdf:RDF></x:xmpmeta>"
)


def exif_bytes() -> bytes:
    exif = Image.Exif()
    exif[0x013B] = "Lee Artist"  # Artist
    return exif.tobytes()


def image_bytes(fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 24), (200, 50, 50)).save(buffer, fmt, **params)
    return buffer.getvalue()


def run(data: bytes, fmt: ImageFormat) -> Extraction:
    return extract(Source("test", data, fmt, fmt.value))


def people(extraction: Extraction) -> set[str]:
    return {f.value for f in extraction.findings if f.kind is FindingKind.PERSON}


def segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def test_jpeg_exif_xmp_comment_and_size() -> None:
    data = image_bytes("JPEG", exif=exif_bytes(), xmp=XMP, comment=b"holiday at grandma's")
    result = run(data, ImageFormat.JPEG)
    assert (result.width, result.height) == (40, 24)
    assert {"Lee Artist", "Kim Example"} <= people(result)
    texts = {(f.field, f.value) for f in result.findings if f.kind is FindingKind.TEXT}
    assert ("File:Comment", "holiday at grandma's") in texts


def test_jpeg_extended_xmp_is_reassembled_from_out_of_order_chunks() -> None:
    plain = image_bytes("JPEG")
    guid = b"0123456789ABCDEF0123456789ABCDEF"
    half = len(XMP) // 2
    chunks = [(half, XMP[half:]), (0, XMP[:half])]
    segments = b"".join(
        segment(0xE1, XMP_EXTENSION + guid + struct.pack(">II", len(XMP), off) + part)
        for off, part in chunks
    )
    data = plain[:2] + segments + plain[2:]
    assert "Kim Example" in people(run(data, ImageFormat.JPEG))


def test_jpeg_many_extended_xmp_guids_cannot_make_big_buffers() -> None:
    extended = _ExtendedXmp()
    for i in range(50):
        extended.add(XMP_EXTENSION + b"%032d" % i + struct.pack(">II", 8 << 20, 0) + b"<x/>")
    assert len(extended.parts) == MAX_EXTENDED_PACKETS


def test_jpeg_extended_xmp_costs_what_the_file_holds() -> None:
    """A chunk declaring 8 MB gives its own bytes, not an 8 MB zero-filled buffer; a gap is
    left out and an overlap kept once."""
    col = Collector(ImageFormat.JPEG)
    extended = _ExtendedXmp()
    for guid, offset, part in (
        (b"A" * 32, 0, b"<x:xmpmeta/>"),
        (b"B" * 32, 0, b"abcdef"),
        (b"B" * 32, 4, b"efgh"),  # overlaps "ef"
        (b"B" * 32, 100, b"tail"),  # after a gap
    ):
        extended.add(XMP_EXTENSION + guid + struct.pack(">II", (8 << 20) - 1, offset) + part)
    assert extended.packets(col) == [b"<x:xmpmeta/>", b"abcdefghtail"]
    assert col.warnings and all("incomplete" in w for w in col.warnings)


def test_jpeg_incomplete_extended_xmp_is_a_warning() -> None:
    plain = image_bytes("JPEG")
    guid = b"F" * 32
    part = segment(0xE1, XMP_EXTENSION + guid + struct.pack(">II", len(XMP), 0) + XMP[:50])
    result = run(plain[:2] + part + plain[2:], ImageFormat.JPEG)
    assert any("Extended XMP" in w for w in result.warnings)


def test_jpeg_photoshop_iptc_is_read() -> None:
    iim = b"\x1c\x02\x50" + struct.pack(">H", 9) + b"Mo Byline"
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iim)) + iim + b"\x00"
    plain = image_bytes("JPEG")
    data = plain[:2] + segment(0xED, b"Photoshop 3.0\x00" + resource) + plain[2:]
    assert "Mo Byline" in people(run(data, ImageFormat.JPEG))


def test_jpeg_ducky_copyright_is_read() -> None:
    text = "© Pat Example".encode("utf-16-be")
    record = struct.pack(">HH", 3, len(text) + 4) + struct.pack(">I", len(text) // 2) + text
    plain = image_bytes("JPEG")
    data = plain[:2] + segment(0xEC, b"Ducky" + record + b"\x00\x00") + plain[2:]
    assert "© Pat Example" in people(run(data, ImageFormat.JPEG))


def test_jpeg_samsung_trailer_is_reported() -> None:
    data = image_bytes("JPEG") + b"MotionPhoto_Data....\x00\x00\x00\x10SEFT"
    fields = {f.field for f in run(data, ImageFormat.JPEG).findings}
    assert "Samsung:Trailer" in fields


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xd8\xff",
        b"\xff\xd8\x00\x00garbage",
        b"\xff\xd8\xff\xe1\x00",
        b"\xff\xd8" + b"\xff" * 1_000_000,
    ],
    ids=["marker-only", "garbage", "truncated-length", "fill-bytes-only"],
)
def test_jpeg_without_any_segment_is_corrupt(data: bytes) -> None:
    with pytest.raises(CorruptFile):
        read_jpeg(Source("x", data, ImageFormat.JPEG), Collector(ImageFormat.JPEG))


def test_jpeg_truncated_after_its_exif_keeps_the_exif() -> None:
    data = image_bytes("JPEG", exif=exif_bytes())
    cut = data.index(b"\xff\xdb")  # the first quantisation table, after APP1
    result = run(data[: cut + 3], ImageFormat.JPEG)
    assert "Lee Artist" in people(result)
    assert result.warnings


def test_jpeg_cut_inside_its_exif_segment_still_reads_the_start() -> None:
    data = image_bytes("JPEG", exif=exif_bytes() + b"\x00" * 4000)
    start = data.index(b"Exif")
    result = run(data[: start + 2000], ImageFormat.JPEG)
    assert "Lee Artist" in people(result)
    assert any("truncated" in w for w in result.warnings)


def test_ciff_heaps_pointing_at_themselves_cost_bounded_work() -> None:
    count = 256
    size = 2 + 10 * count + 4
    entries = b"".join(struct.pack("<HII", 0x2801, size, 0) for _ in range(count))
    heap = struct.pack("<H", count) + entries + struct.pack("<I", 0)
    payload = b"II" + struct.pack("<I", 26) + b"HEAPJPGM" + b"\0" * 12 + heap
    read_ciff(payload, Collector(ImageFormat.JPEG))  # returns: 256**4 visits would not


def png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def with_chunks(png: bytes, *chunks: bytes) -> bytes:
    """Insert chunks right after IHDR (8-byte signature + 25-byte IHDR chunk)."""
    return png[:33] + b"".join(chunks) + png[33:]


def test_png_text_itxt_xmp_ztxt_and_exif() -> None:
    png = image_bytes("PNG")
    itxt = b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + XMP
    ztxt = b"Comment\x00\x00" + zlib.compress(b"secret note")
    data = with_chunks(
        png,
        png_chunk(b"tEXt", b"Author\x00Nia Writer"),
        png_chunk(b"iTXt", itxt),
        png_chunk(b"zTXt", ztxt),
        png_chunk(b"eXIf", exif_bytes()),
    )
    result = run(data, ImageFormat.PNG)
    assert (result.width, result.height) == (40, 24)
    assert {"Nia Writer", "Kim Example", "Lee Artist"} <= people(result)
    assert ("PNG:Comment", "secret note") in {(f.field, f.value) for f in result.findings}


def test_png_ztxt_bomb_is_refused_with_a_warning() -> None:
    bomb = zlib.compress(b"\x00" * (MAX_INFLATED_BYTES + 1024), 9)
    data = with_chunks(image_bytes("PNG"), png_chunk(b"zTXt", b"Comment\x00\x00" + bomb))
    result = run(data, ImageFormat.PNG)
    assert any("inflates beyond" in w for w in result.warnings)
    with pytest.raises(ValueError):
        inflate(bomb)


@pytest.mark.parametrize("cut", [8, 12, 20])
def test_png_truncated_before_its_header_is_corrupt(cut: int) -> None:
    data = image_bytes("PNG")[:cut]
    with pytest.raises(CorruptFile):
        read_png(Source("x", data, ImageFormat.PNG), Collector(ImageFormat.PNG))


def test_webp_exif_xmp_and_size() -> None:
    data = image_bytes("WEBP", exif=exif_bytes(), xmp=XMP)
    result = run(data, ImageFormat.WEBP)
    assert (result.width, result.height) == (40, 24)
    assert {"Lee Artist", "Kim Example"} <= people(result)


@pytest.mark.parametrize("lossless", [True, False])
def test_simple_webp_size_from_the_bitstream(lossless: bool) -> None:
    result = run(image_bytes("WEBP", lossless=lossless), ImageFormat.WEBP)
    assert (result.width, result.height) == (40, 24)


def gif_with_xmp(gif: bytes) -> bytes:
    trailer = bytes([1, *range(255, -1, -1)]) + b"\x00"
    extension = b"\x21\xff\x0bXMP DataXMP" + XMP + trailer
    return gif[:-1] + extension + b"\x3b"


def test_gif_comment_and_xmp_application_extension() -> None:
    data = gif_with_xmp(image_bytes("GIF", comment=b"made by Oda"))
    result = run(data, ImageFormat.GIF)
    assert (result.width, result.height) == (40, 24)
    assert "Kim Example" in people(result)
    assert ("GIF:Comment", "made by Oda") in {(f.field, f.value) for f in result.findings}


def test_tiff_xmp_tag_700() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 24)).save(buffer, "TIFF", tiffinfo={700: XMP})
    result = run(buffer.getvalue(), ImageFormat.TIFF)
    assert "Kim Example" in people(result)
    assert (result.width, result.height) == (40, 24)


def test_heif_exif_and_xmp_without_decoding_pixels() -> None:
    heif = pillow_heif.from_pillow(Image.new("RGB", (40, 24)))
    buffer = io.BytesIO()
    heif.save(buffer, format="HEIF", exif=exif_bytes(), xmp=XMP)
    result = run(buffer.getvalue(), ImageFormat.HEIF)
    assert (result.width, result.height) == (40, 24)
    assert {"Lee Artist", "Kim Example"} <= people(result)


def test_heif_that_libheif_refuses_is_scanned_for_exif_and_xmp() -> None:
    heif = pillow_heif.from_pillow(Image.new("RGB", (40, 24)))
    buffer = io.BytesIO()
    heif.save(buffer, format="HEIF", exif=exif_bytes(), xmp=XMP)
    broken = buffer.getvalue().replace(b"ftyp", b"fxyp", 1)
    result = run(broken, ImageFormat.HEIF)
    assert {"Lee Artist", "Kim Example"} <= people(result)
    assert any("scanning" in w for w in result.warnings)
    with pytest.raises(CorruptFile):
        run(image_bytes("PNG"), ImageFormat.HEIF)


def test_bmp_size_and_truncated_bmp() -> None:
    assert read_bmp(image_bytes("BMP")) == (40, 24)
    with pytest.raises(CorruptFile):
        read_bmp(b"BM" + b"\x00" * 10)
