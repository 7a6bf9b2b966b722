"""extract() over the real test files: sizes, no escaping exceptions, damaged copies."""

from __future__ import annotations

import contextlib
import json
import random
import shutil
import subprocess
import time
from pathlib import Path

import pytest

import photoscan.metadata as metadata
from photoscan.errors import CorruptFile, UnsupportedFormat
from photoscan.metadata import READERS, extract
from photoscan.metadata.base import Source
from photoscan.metadata.exif import exif
from photoscan.model import Extraction, FindingKind, ImageFormat
from photoscan.source.sniff import HEADER_BYTES, VIDEO_FORMATS, sniff
from tests import conftest

FUZZ_FORMATS = {
    ImageFormat.JPEG,
    ImageFormat.PNG,
    ImageFormat.WEBP,
    ImageFormat.HEIF,
    ImageFormat.AVIF,
    ImageFormat.GIF,
    ImageFormat.TIFF,
}
_SIZED = {ImageFormat.JPEG, ImageFormat.PNG, ImageFormat.GIF, ImageFormat.WEBP, ImageFormat.BMP}


def real_sources() -> list[Source]:
    folder = conftest.testdata_dir("d_metadata")
    out = []
    for path in sorted(folder.iterdir()):
        data = path.read_bytes()
        sniffed = sniff(data[:HEADER_BYTES], path.name)
        if sniffed.format is not None:
            out.append(Source(path.name, data, sniffed.format, sniffed.label))
    return out


def test_every_readable_format_has_an_explicit_reader_list() -> None:
    # Videos are read by metadata.video (read_video), not by these per-image steps.
    assert set(READERS) == set(ImageFormat) - {ImageFormat.XMP} - VIDEO_FORMATS
    assert all(isinstance(steps, tuple) and steps for steps in READERS.values())


def test_empty_file_is_corrupt_and_xmp_is_not_an_image() -> None:
    with pytest.raises(CorruptFile, match="empty"):
        extract(Source("x.jpg", b"", ImageFormat.JPEG))
    with pytest.raises(UnsupportedFormat):
        extract(Source("x.xmp", b"<x/>", ImageFormat.XMP))


def test_a_broken_block_costs_a_warning_not_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    folder = conftest.testdata_dir("d_metadata")
    data = (folder / "pp_meta_iptc-2021.jpg").read_bytes()

    def broken(*_args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(exif, "read_exif_block", broken)
    result = extract(Source("x", data, ImageFormat.JPEG))
    assert any("EXIF block could not be read" in w for w in result.warnings)
    assert any(f.field == "XMP:PersonInImage" for f in result.findings)


@pytest.fixture(scope="module")
def extracted() -> dict[str, Extraction | CorruptFile]:
    """Every real file read once; the tests below look at different sides of the result."""
    out: dict[str, Extraction | CorruptFile] = {}
    for source in real_sources():
        try:
            out[source.name] = extract(source)
        except CorruptFile as exc:
            out[source.name] = exc
    return out


def test_real_files_read_or_fail_as_corrupt_only(
    extracted: dict[str, Extraction | CorruptFile],
) -> None:
    results = {k: v for k, v in extracted.items() if isinstance(v, Extraction)}
    assert all(str(v) for v in extracted.values() if isinstance(v, CorruptFile))
    assert len(results) > 200
    iptc = results["pp_meta_iptc-2021.jpg"]
    kinds = {f.kind for f in iptc.findings}
    assert {FindingKind.PERSON, FindingKind.LOCATION, FindingKind.TEXT} <= kinds
    assert results["exiftool_ExtendedXMP.jpg"].findings  # only in the Extended XMP part


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool not installed")
def test_sizes_agree_with_exiftool(extracted: dict[str, Extraction | CorruptFile]) -> None:
    folder = conftest.testdata_dir("d_metadata")
    command = ["exiftool", "-j", "-fast2", "-File:ImageWidth", "-File:ImageHeight", str(folder)]
    out = subprocess.run(command, capture_output=True, check=False, timeout=120)
    sizes = {Path(r["SourceFile"]).name: r for r in json.loads(out.stdout or b"[]")}
    checked = 0
    for source in real_sources():
        record = sizes.get(source.name, {})
        result = extracted.get(source.name)
        if source.fmt not in _SIZED or "ImageWidth" not in record:
            continue
        if not isinstance(result, Extraction):
            continue
        expected = (record["ImageWidth"], record["ImageHeight"])
        assert (result.width, result.height) == expected, source.name
        checked += 1
    assert checked > 150


def damaged_copies(data: bytes, rng: random.Random) -> list[bytes]:
    size = len(data)
    copies = [data[: max(1, int(size * f))] for f in (0.002, 0.05, 0.5)]
    copies.append(data[:3] + data[3:64][::-1] + data[64:])
    for _ in range(3):
        mutable = bytearray(data)
        start = rng.randrange(2, min(size, 4096)) if size > 3 else 0
        mutable[start : start + 16] = rng.randbytes(16)
        copies.append(bytes(mutable))
    return copies


def test_damaged_copies_give_an_extraction_or_corrupt_file_never_another_error() -> None:
    rng = random.Random(20261122)
    began = time.monotonic()
    count = 0
    for source in real_sources():
        if source.fmt not in FUZZ_FORMATS:
            continue
        for data in damaged_copies(source.data, rng):
            with contextlib.suppress(CorruptFile):
                extract(Source(source.name, data, source.fmt, source.label))
            count += 1
    assert count > 1000
    assert time.monotonic() - began < 60  # the brief's budget is 20 s on a quiet machine


def test_metadata_package_exports_the_contract() -> None:
    assert callable(metadata.extract) and callable(metadata.read_sidecar_xmp)
