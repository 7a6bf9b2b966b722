"""``metadata.video.values`` finds what ``re`` finds with the patterns it documents, without
importing ``re`` (start-up time of a strip of videos)."""

from __future__ import annotations

import random
import re

import pytest

from photoscan.metadata.video import values

ISO = [
    b"+51.4169-000.0806+012.3/",
    b"+51.4169-000.0806/",
    b"+40-074/",
    b"-33.8688+151.2093",
    b"+35.6895+139.6917+40.000/",
    b"xx+1.-2.+3.",
    b"++1+2",
    b"+1.2.3-4",
    b"-+1-2",
    b"+1",
    b"",
    b"+a-1+2-3",
    b"+4807.038-01131.000+0545.4CRSWGS_84/",
    b"\xff+12.5\x00-7.25+",
    b"1234+5+6+7+8",
]
RUNS = [
    b"",
    b"abc",
    b"abcd",
    b"\x00Canon EOS\x01\x02 v1.0 \x7f    \x00ab\x00abcdefg",
    b"   \x00    \x00xyz!",
    bytes(range(256)) * 3,
    b"A" * 70000,
]


def _iso_by_re(raw: bytes) -> tuple[bytes, bytes, bytes | None] | None:
    match = re.search(values.ISO6709_PATTERN, raw)
    return None if match is None else (match.group(1), match.group(2), match.group(3))


def _runs_by_re(raw: bytes, minimum: int, limit: int) -> list[str]:
    runs = re.findall(values.PRINTABLE_RUN % minimum, raw[:65536])
    return [r.decode("ascii").strip() for r in runs[:limit] if r.strip()]


def _fuzzed(alphabet: bytes, count: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    return [bytes(rng.choice(alphabet) for _ in range(rng.randrange(40))) for _ in range(count)]


def test_iso6709_finds_what_the_pattern_finds() -> None:
    for raw in ISO + _fuzzed(b"+-.0123456789x/", 5000, 6709):
        assert values.iso6709_numbers(raw) == _iso_by_re(raw), raw


@pytest.mark.parametrize(("minimum", "limit"), [(3, 8), (4, 1), (4, 2), (4, 3), (4, 4), (6, 4)])
def test_printable_runs_are_the_patterns_runs(minimum: int, limit: int) -> None:
    for raw in RUNS + _fuzzed(b"\x00\x01 \x7f\x80ab9~\t", 1000, 20):
        assert values.printable_runs(raw, minimum, limit) == _runs_by_re(raw, minimum, limit), raw


def test_positions_still_read() -> None:
    assert values.iso6709(b"+51.4169-000.0806+012.3/") == (51.4169, -0.0806, 12.3)
    assert values.iso6709(b"no position here") is None
