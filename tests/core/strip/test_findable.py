"""``verify.findable`` answers as ``importlib.util.find_spec`` (which a strip's start-up does
not import): the readers are there, a module that is not is not."""

from __future__ import annotations

import importlib.util

from photoscan.strip import verify


def test_findable_is_find_spec() -> None:
    for name in (verify.READERS, "photoscan.metadata.no_such_reader", "photoscan.metadata.base"):
        assert verify.findable(name) == (importlib.util.find_spec(name) is not None), name
    assert verify.findable(verify.READERS) and verify.default_extractor() is not None
    assert not verify.findable("photoscan.metadata.no_such_reader")
