"""Shared fixtures of the strip tests: the strip of all of ``../shared/testdata/d_metadata``,
made once per run (the real-file tests and the validator harness judge the same copies:
stripping 300 files twice cost ~10 s of a loaded machine), and the dirty HEIC."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from photoscan.strip import StripOptions
from photoscan.strip.batch import apply, plan
from photoscan.strip.types import FileResult
from tests import conftest
from tests.core.strip import fixtures


@dataclass(frozen=True)
class Stripped:
    """The source folder, the folder the copies went to, and strip's result per file."""

    source: Path
    out: Path
    results: tuple[FileResult, ...]


@pytest.fixture(scope="session")
def d_metadata_stripped(tmp_path_factory: pytest.TempPathFactory) -> Stripped:
    """Every d_metadata file stripped with the default options (as ``photoscan strip DIR
    --out OUT`` does). Tests only read the copies."""
    source = conftest.testdata_dir("d_metadata")
    out = tmp_path_factory.mktemp("stripped")
    return Stripped(source, out, tuple(apply(plan([source], out=out), StripOptions())))


@pytest.fixture(scope="session")
def heic() -> bytes:
    """``fixtures.dirty_heif()``, or a skip where this build has no HEVC encoder."""
    try:
        return fixtures.dirty_heif()
    except (OSError, ValueError, RuntimeError) as exc:
        pytest.skip(f"cannot write HEIF here: {exc}")
