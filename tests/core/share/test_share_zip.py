"""Share-safe copies of a ``.zip`` export: members read in place; a cancelled run still
reports every copy it wrote."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from photoscan.cancel import CancelToken
from photoscan.model import Face
from photoscan.share import ShareOptions, share_plan
from photoscan.strip.plan import plan
from tests.core.strip.test_exports import _export


def _stub(*faces: Face) -> Callable[[bytes], tuple[Face, ...]]:
    return lambda data: faces


def test_share_reads_zip_members_and_cancel_lists_every_copy(tmp_path: Path) -> None:
    path, photos = _export(tmp_path)
    out = tmp_path / "out"
    cancel = CancelToken()
    results = []
    the_plan = plan([path], out=out)
    for result in share_plan(the_plan, out, ShareOptions(), detect=_stub(), cancel=cancel):
        results.append(result)
        if result.output is not None:
            cancel.cancel()  # the first copy written: stop there
    written = [r for r in results if r.output is not None]
    assert len(written) == 1 and len(results) < len(the_plan.jobs)
    on_disk = [p for p in out.rglob("*") if p.is_file()]
    assert [str(p) for p in on_disk] == [written[0].output]
    assert written[0].path[len(f"{path}/") :] in photos
