"""Strip and share plans for photos picked from the open library (no Qt).

The core's ``strip.plan`` holds the safety rules; this adds the scanned folder to them (the
user picks photos from it, so outputs must stay out of all of it) and keeps the library's
folder tree in the output. A library that is a ``.zip`` export gets copies only, its members
read in place and written at their member paths (``strip.plan.export_plan``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from photoscan.errors import UsageError
from photoscan.source.fileref import is_export
from photoscan.strip.plan import Plan, export_plan, plan

ZIP_IN_PLACE = (
    "Photos inside a .zip export cannot be changed in place. Save cleaned copies to a "
    "folder instead: the zip is left as it is."
)


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def mirrored(the_plan: Plan, rels: Sequence[str], base: Path) -> Plan:
    """The plan with each output (copy or backup) at the photo's place under ``base``.

    ``plan`` puts single files side by side; photos picked from different folders of one
    library would collide there, so they keep their folder tree instead.
    """
    jobs = []
    for job, rel in zip(the_plan.jobs, rels, strict=True):
        target = str(base.joinpath(*rel.split("/")))
        if the_plan.in_place:
            jobs.append(job._replace(backup=target))
        else:
            jobs.append(job._replace(dest=target))
    return Plan(tuple(jobs), the_plan.in_place)


def library_plan(
    root: Path, rels: Sequence[str], out: Path | None, backup_dir: Path | None
) -> Plan:
    """``plan`` for photos of the library at ``root``; the target must be outside it all."""
    if is_export(root):
        if out is None:
            raise UsageError(ZIP_IN_PLACE)
        return export_plan(root, out, rels)
    target = (out or backup_dir or Path()).expanduser().resolve()
    if _inside(target, root) or _inside(root, target):
        what = "The folder for the copies" if out is not None else "The backup folder"
        raise UsageError(f"{what} must be outside the photo folder ({root})")
    paths = [root.joinpath(*rel.split("/")) for rel in rels]
    return mirrored(plan(paths, out=out, backup_dir=backup_dir), rels, target)
