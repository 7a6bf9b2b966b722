"""Damaged and hostile files: a stripper may refuse or fail, never crash or hang."""

from __future__ import annotations

import contextlib
import random

import pytest

from photoscan.errors import PhotoscanError
from photoscan.model import ImageFormat
from photoscan.strip import StripOptions, strip_bytes
from tests.core.strip import fixtures

SAMPLES = [
    (ImageFormat.JPEG, fixtures.dirty_jpeg),
    (ImageFormat.PNG, fixtures.dirty_png),
    (ImageFormat.WEBP, fixtures.dirty_webp),
    (ImageFormat.GIF, fixtures.dirty_gif),
    (ImageFormat.TIFF, fixtures.dirty_tiff),
    (ImageFormat.HEIF, fixtures.dirty_heif),
]


def _mutants(data: bytes, rng: random.Random, count: int) -> list[bytes]:
    out = [data[: rng.randrange(1, len(data))] for _ in range(count)]  # truncations
    for _ in range(count):  # a few flipped bytes in the first kilobytes (the structure)
        mutated = bytearray(data)
        for _ in range(rng.randrange(1, 6)):
            pos = rng.randrange(min(len(data), 4096))
            mutated[pos] = rng.randrange(256)
        out.append(bytes(mutated))
    return out


@pytest.mark.parametrize(("fmt", "build"), SAMPLES, ids=[s[0].value for s in SAMPLES])
@pytest.mark.parametrize("only_location", [False, True], ids=["all", "location"])
def test_mutated_files_never_crash(fmt: ImageFormat, build: object, only_location: bool) -> None:
    assert callable(build)
    rng = random.Random(f"{fmt.value}-{only_location}")
    options = StripOptions(only_location=only_location)
    for mutant in _mutants(build(), rng, 60):
        with contextlib.suppress(PhotoscanError):  # refused or damaged: reported per file
            strip_bytes(mutant, fmt, options)
