"""Non-TIFF camera RAWs (CR3, CRW, RAF, X3F) are refused by strip with a reason, never copied.

They are now read as ``RAW`` (their label says which), and strip refuses every RAW: the
container is the metadata, so no copy could be called clean.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from photoscan.model import ImageFormat
from photoscan.strip import Refused, StripOptions, StripStatus, strip_bytes
from photoscan.strip.batch import apply, plan
from tests.core.metadata.raw import raw_fixtures as rf

BUILDERS = rf.BUILDERS


@pytest.mark.parametrize("label", sorted(BUILDERS))
def test_strip_bytes_refuses_every_raw_label(label: str) -> None:
    with pytest.raises(Refused, match="camera RAW"):
        strip_bytes(BUILDERS[label](), ImageFormat.RAW, StripOptions())


def test_strip_run_refuses_them_and_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for label, build in BUILDERS.items():
        (source / f"photo.{label.lower()}").write_bytes(build())
    out = tmp_path / "out"
    results = list(apply(plan([source], out=out), StripOptions()))
    assert len(results) == len(BUILDERS)
    for result in results:
        assert result.status is StripStatus.REFUSED, result
        assert "camera RAW" in result.reason
        assert result.output is None
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*"))
