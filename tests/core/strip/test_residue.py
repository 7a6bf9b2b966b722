"""strip.residue's one-pass search finds exactly what a search for each signature finds.

The one-pass search maps bytes to "could be part of a signature" and searches only runs of
such bytes, a megabyte at a time; these cases put signatures where that could go wrong: at
the start and end of the range, across a chunk boundary, inside long runs of signature
bytes, next to a range's edges, in a bytearray.
"""

from __future__ import annotations

import random

import pytest

from photoscan.strip import residue
from photoscan.strip.residue import _CHUNK, _SIGNATURES, _first_kind, metadata_in


def _noise(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


@pytest.mark.parametrize(("signature", "kind"), _SIGNATURES, ids=[k for _, k in _SIGNATURES])
@pytest.mark.parametrize(
    "where",
    [0, 1, 4_999, _CHUNK - 3, _CHUNK - 1, _CHUNK, 2 * _CHUNK - 10],
    ids=["start", "second-byte", "middle", "across-chunk", "chunk-last", "chunk-first", "late"],
)
def test_each_signature_is_found_wherever_it_is(signature: bytes, kind: str, where: int) -> None:
    data = bytearray(_noise(2 * _CHUNK + 7, seed=where))
    data[where : where + len(signature)] = signature
    assert metadata_in(bytes(data)) == _first_kind(data, 0, len(data)) == kind
    assert metadata_in(data) == kind  # a bytearray (HEIF mdat, WebP payloads) too


def test_a_signature_at_the_very_end_of_the_range() -> None:
    data = _noise(3000, seed=1) + b"8BIM\x04\x04" + _noise(3000, seed=2)
    end = 3006
    assert metadata_in(data, 0, end) == "IPTC"
    assert metadata_in(data, 0, end - 1) is None  # cut by one byte: not there
    assert metadata_in(data, 1, end) == "IPTC"
    assert metadata_in(data, 3001, len(data)) is None  # starts inside it


def test_signatures_inside_long_runs_of_signature_bytes() -> None:
    """Zeros and ASCII are all signature bytes: a run of megabytes is searched exactly."""
    zeros = bytes(3 * _CHUNK)
    assert metadata_in(zeros) is None
    exif = zeros[: _CHUNK + 5] + b"Exif\0\0" + zeros[_CHUNK + 11 :]
    assert metadata_in(exif) == "EXIF"
    text = b"PSLatitude GPSLongitud " * 100_000
    assert metadata_in(text) is None
    assert metadata_in(text + b"GPSLongitude") == "XMP"


def test_several_signatures_give_the_first_kind_of_the_list() -> None:
    """The same kind as searching for each signature in turn: XMP first in the data, EXIF
    first in the list."""
    data = _noise(10_000, seed=3)
    mixed = data[:100] + b"<x:xmpmeta" + data[100:9000] + b"II*\0\x08\0\0\0" + data[9000:]
    assert metadata_in(mixed) == _first_kind(mixed, 0, len(mixed)) == "EXIF"


@pytest.mark.parametrize("seed", range(40))
def test_random_data_with_random_splices_agrees_with_one_search_per_signature(seed: int) -> None:
    rng = random.Random(seed)
    data = bytearray(_noise(rng.randrange(1, 3 * _CHUNK), seed=seed))
    for _ in range(rng.randrange(0, 3)):
        signature, _kind = rng.choice(_SIGNATURES)
        cut = rng.randrange(1, len(signature) + 1)  # whole or a prefix of it
        at = rng.randrange(0, len(data))
        data[at : at + cut] = signature[:cut]
    start = rng.randrange(0, len(data))
    end = rng.randrange(start, len(data) + 1)
    assert metadata_in(data, start, end) == _first_kind(data, start, end)
    assert metadata_in(data) == _first_kind(data, 0, len(data))


def test_real_coded_data_rarely_needs_an_exact_search() -> None:
    """The reason the search is fast: in coded (random-looking) data a run of signature bytes
    as long as the shortest signature occurs about every 50 kB."""
    marks = _noise(4 * _CHUNK, seed=5).translate(residue._CLASS)
    assert marks.count(residue._RUN) < 4 * _CHUNK / 20_000
