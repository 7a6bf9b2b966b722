"""``io.temp_pid`` reads a temporary file's name as ``re.fullmatch(STALE_PATTERN, name)``
does (without importing ``re``: every video copy sweeps its folder at a strip's start)."""

from __future__ import annotations

import random
import re

from photoscan import io


def _by_re(name: str) -> int | None:
    match = re.fullmatch(io.STALE_PATTERN, name)
    return None if match is None else int(match.group(1))


def test_temp_pid_is_the_pattern() -> None:
    names = [
        ".photoscan-123-0123456789ab.tmp",
        ".photoscan-1-abcdefabcdef.tmp",
        ".photoscan--0123456789ab.tmp",
        ".photoscan-12-0123456789AB.tmp",
        ".photoscan-12-0123456789a.tmp",
        ".photoscan-12-0123456789abc.tmp",
        ".photoscan-12-34-0123456789ab.tmp",
        ".photoscan-١٢٣-0123456789ab.tmp",  # other decimal digits: \\d takes them too
        ".photoscan-12-0123456789ab.tmpx",
        "photoscan-12-0123456789ab.tmp",
        ".photoscan-.tmp",
        ".photoscan-12-0123456789ab.tmp.tmp",
        "",
    ]
    rng = random.Random(13)
    for _ in range(5000):
        middle = "".join(rng.choice("0129-abfgA٣") for _ in range(rng.randrange(20)))
        names.append(f".photoscan-{middle}.tmp")
    for name in names:
        assert io.temp_pid(name) == _by_re(name), name
