"""Extents of samples and plans: joined, sorted, never losing a byte (nor a bad offset)."""

from __future__ import annotations

import itertools
import random

import pytest

from photoscan.containers.samples import Extent, merged, overlaps
from photoscan.errors import StripError
from photoscan.model import ImageFormat
from photoscan.strip.videoplan import make_plan


def _bytes_of(extents: list[Extent]) -> set[int]:
    return {i for e in extents for i in range(e.offset, e.end)}


def test_merged_joins_touching_and_overlapping_extents_in_order() -> None:
    got = merged([Extent(10, 5), Extent(0, 4), Extent(4, 2), Extent(12, 1), Extent(30, 0)])
    assert got == [Extent(0, 6), Extent(10, 5)]
    assert merged([]) == []
    assert merged([Extent(-4, 2), Extent(0, 1)]) == [Extent(-4, 2), Extent(0, 1)]


def test_merged_is_the_union_of_random_extents() -> None:
    rng = random.Random(3)
    for _ in range(300):
        extents = [Extent(rng.randrange(-5, 60), rng.randrange(0, 9)) for _ in range(12)]
        got = merged(extents)
        assert _bytes_of(got) == _bytes_of(extents)
        assert all(a.end < b.offset for a, b in itertools.pairwise(got))  # sorted, apart
        assert all(e.length > 0 for e in got)
        other = [Extent(rng.randrange(0, 60), rng.randrange(1, 5))]
        assert overlaps(got, merged(other)) == bool(_bytes_of(got) & _bytes_of(other))


def test_a_plan_writing_before_the_file_or_twice_is_refused() -> None:
    with pytest.raises(StripError, match="outside the file"):
        make_plan(ImageFormat.MP4, 100, [], [Extent(-2, 4)], [], "x.mp4")
    with pytest.raises(StripError, match="outside the file"):
        make_plan(ImageFormat.MP4, 100, [], [Extent(98, 4)], [], "x.mp4")
