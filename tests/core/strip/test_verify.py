"""``removed`` from the dropped blocks alone must match ``removed`` from the whole original.

The JPEG stripper hands ``verify`` its dropped segments as a small JPEG (``evidence``) so the
original is not parsed twice; these tests hold it to the slow path's answer.
"""

from __future__ import annotations

import pytest

from photoscan.errors import CorruptFile
from photoscan.metadata import Source, extract, extract_kinds
from photoscan.model import ImageFormat
from photoscan.source.sniff import sniff
from photoscan.strip import StripOptions, restrip, strip_bytes
from photoscan.strip.verify import kinds_reader, verify
from tests import conftest
from tests.core.strip import fixtures

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")
OPTIONS = (StripOptions(), StripOptions(keep_datetime=True), StripOptions(only_location=True))


def _both_ways(data: bytes, options: StripOptions) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(removed via evidence, removed via the whole original) for one JPEG."""
    stripped = strip_bytes(data, ImageFormat.JPEG, options)
    slow = stripped._replace(evidence=None)

    def check(result: object) -> tuple[str, ...]:
        assert isinstance(result, type(stripped))
        return verify(
            data,
            result,
            ImageFormat.JPEG,
            "x.jpg",
            options,
            restrip=lambda b: restrip(b, ImageFormat.JPEG, options),
            extractor=extract,
        ).removed

    return check(stripped), check(slow)


TRAILER = b"MOTION-PHOTO-VIDEO" * 10  # what fixtures.dirty_jpeg appends after EOI


def test_evidence_is_a_small_jpeg_of_the_dropped_segments() -> None:
    data = fixtures.dirty_jpeg().removesuffix(TRAILER)
    stripped = strip_bytes(data, ImageFormat.JPEG, StripOptions())
    assert stripped.evidence is not None
    assert stripped.evidence.startswith(b"\xff\xd8") and stripped.evidence.endswith(b"\xff\xd9")
    assert b"\xff\xda" not in stripped.evidence  # no image data read twice
    fast, slow = _both_ways(data, StripOptions())
    assert fast == slow and "location" in fast


def test_trailers_and_location_strips_fall_back_to_the_original() -> None:
    data = fixtures.dirty_jpeg()
    assert data.endswith(TRAILER)
    assert strip_bytes(data, ImageFormat.JPEG, StripOptions()).evidence is None
    only = strip_bytes(
        data.removesuffix(TRAILER), ImageFormat.JPEG, StripOptions(only_location=True)
    )
    assert only.evidence is None


def test_same_removed_kinds_on_every_real_jpeg() -> None:
    folder = conftest.testdata_dir("d_metadata")
    compared = 0
    for path in sorted(folder.iterdir()):
        data = path.read_bytes() if path.is_file() else b""
        if sniff(data[:4096], path.name).format is not ImageFormat.JPEG:
            continue
        for options in OPTIONS:
            try:
                fast, slow = _both_ways(data, options)
            except CorruptFile:
                break
            assert fast == slow, (path.name, options)
            compared += 1
    assert compared > 20


def _what_verify_reads(data: bytes, options: StripOptions) -> bytes:
    stripped = strip_bytes(data, ImageFormat.JPEG, options)
    return stripped.evidence if stripped.evidence is not None else data


def test_kinds_only_reader_finds_the_same_kinds_on_every_real_jpeg() -> None:
    """``removed`` is read with ``extract_kinds``: it must see every kind the full reader sees.

    Compared on what ``verify`` reads (the dropped segments, else the whole original) and, as
    a harder case, on each whole original (its thumbnails can be compared with its pixels).
    """
    assert kinds_reader(extract) is extract_kinds
    compared = 0
    for folder_name in ("d_metadata", "b_group_photos", "c_noface"):
        folder = conftest.testdata_dir(folder_name)
        for path in sorted(folder.iterdir()):
            data = path.read_bytes() if path.is_file() else b""
            if sniff(data[:4096], path.name).format is not ImageFormat.JPEG:
                continue
            try:
                inputs = {data} | {_what_verify_reads(data, o) for o in OPTIONS}
            except CorruptFile:
                continue
            for blob in inputs:
                source = Source(path.name, blob, ImageFormat.JPEG)
                try:
                    full = {f.kind for f in extract(source).findings}
                except CorruptFile:
                    continue
                fast = {f.kind for f in extract_kinds(source).findings}
                assert fast == full, path.name
                compared += 1
    assert compared > 100
