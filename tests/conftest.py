"""Shared fixtures: the real test data beside the checkout, and a private PHOTOSCAN_HOME."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

TESTDATA = Path(
    os.environ.get(
        "PHOTOSCAN_TESTDATA", Path(__file__).resolve().parents[2] / "shared" / "testdata"
    )
)


def testdata_dir(name: str = "") -> Path:
    """A folder of ../shared/testdata; skips the test cleanly when it is absent."""
    path = TESTDATA / name if name else TESTDATA
    if not path.is_dir():
        pytest.skip(f"test data not available: {path}")
    return path


@pytest.fixture(autouse=True)
def _private_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep every test's cache, config and logs out of the user's real directories."""
    monkeypatch.setenv("PHOTOSCAN_HOME", str(tmp_path_factory.mktemp("photoscan_home")))
