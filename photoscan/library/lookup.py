"""Which of a scan's files the parent decided something about, found cheaply.

A file can only have decisions if some decision was taken about a file of its exact size, so
only those files are hashed (``HashCache``: each once, then remembered). A library without
decisions — or with no file of a matching size — costs one small query and no reads at all;
with no decisions file, not even that (nothing is created by looking).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from photoscan.library.content import HashCache
from photoscan.library.store import Library, PhotoKey
from photoscan.model import Decisions
from photoscan.source.fileref import FileRef


@dataclass(frozen=True, slots=True)
class Candidate:
    """One scanned file: its path in the scan, where its bytes are, how many there are."""

    rel: str
    ref: FileRef
    size: int


@dataclass(frozen=True, slots=True)
class Found:
    """The decisions of the files that have some (by ``rel``), their keys, and warnings."""

    decisions: dict[str, Decisions] = field(default_factory=dict)
    keys: dict[str, PhotoKey] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def find(files: Iterable[Candidate], library: Library | None = None) -> Found:
    """The decisions that apply to ``files`` (see the module docstring)."""
    own = library is None
    lib = library if library is not None else Library(create=False)
    try:
        sizes = lib.sizes()
        candidates = [f for f in files if f.size in sizes]
        if not candidates:
            return Found(warnings=tuple(lib.warnings))
        with HashCache() as cache:
            keyed = cache.keys(f.ref for f in candidates)
            warnings = [*lib.warnings, *cache.db.warnings]
        rel_of = {(f.ref.path, f.ref.member): f.rel for f in candidates}
        keys = {rel_of[(ref.path, ref.member)]: key for ref, key in keyed}
        by_hash = lib.decisions_for(keys.values())
        decisions = {rel: by_hash[k.sha256] for rel, k in keys.items() if k.sha256 in by_hash}
        return Found(decisions, keys, tuple(dict.fromkeys(warnings)))
    finally:
        if own:
            lib.close()
