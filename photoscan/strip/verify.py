"""Check a strip before its output is written: re-read it and list what survived.

Two independent checks, both on the bytes in memory:

* photoscan's own metadata readers (``photoscan.metadata.extract``) run on the output (kinds
  still there are ``remaining``) and on what was removed: the stripper's ``evidence`` (the
  dropped blocks alone) when it gives one, else the whole original; kinds found there and not
  in the output are ``removed``;
* the stripper runs again on its own output and must find nothing more to remove (a stripper
  that leaves a block it knows how to remove is a bug, caught here rather than shipped).

A kind that the options say must go but is still there makes the file fail (fail-closed):
the output is not written and, in place, the original is left untouched.
"""

from __future__ import annotations

import sys

from photoscan.errors import PhotoscanError
from photoscan.metadata.base import Source
from photoscan.model import Extraction, Finding, FindingKind, ImageFormat
from photoscan.strip.types import StripOptions, Stripped
from photoscan.tuples import NamedTuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:  # collections.abc imports the collections package (start-up)
    from collections.abc import Callable

    Extractor = Callable[[Source], Extraction]  # for annotations: import it under TYPE_CHECKING

READERS = "photoscan.metadata.readers"
_NOT_IN_FILES = {FindingKind.VISIBILITY}


class Verdict(NamedTuple):
    removed: tuple[str, ...]
    remaining: tuple[str, ...]
    survivors: tuple[str, ...] = ()  # plain words for what should have gone but did not
    checked: bool = True  # False when photoscan's readers were not available


def default_extractor() -> Extractor | None:
    """photoscan's ``extract``, loaded on its first call: a run of videos never reads a
    photo, and the readers cost ~0.25 s of start-up (exifread, makernote tables)."""
    return _extract if findable(READERS) else None


def findable(name: str) -> bool:
    """``importlib.util.find_spec(name) is not None`` for a module of an imported package,
    without ``importlib.util`` (it imports ``contextlib``, ``collections`` and ``functools``,
    ~13M instructions of a strip's start-up): each finder of ``sys.meta_path`` is asked, in
    order, as the import system asks them (a bundle's or an editable install's finder too)."""
    if name in sys.modules:
        return True
    package = sys.modules[name.rpartition(".")[0]]
    for finder in sys.meta_path:
        find_spec = getattr(finder, "find_spec", None)
        if find_spec is not None and find_spec(name, package.__path__) is not None:
            return True
    return False


def _extract(source: Source) -> Extraction:
    from photoscan.metadata.readers import extract

    return extract(source)


def _extract_kinds(source: Source) -> Extraction:
    from photoscan.metadata.readers import extract_kinds

    return extract_kinds(source)


def kinds_reader(extractor: Extractor) -> Extractor:
    """What reads the removed blocks: ``extract_kinds`` for photoscan's own ``extract``.

    Only their finding kinds are used (``removed``), so the kinds-only mode skips the
    embedded-thumbnail pixel comparison, which would load numpy and decode images. The
    output is always read with ``extractor`` in full. Another extractor (a test's) is used
    for both.
    """
    if extractor is _extract:
        return _extract_kinds
    module = sys.modules.get(getattr(extractor, "__module__", None) or "")
    if module is not None and getattr(module, "extract", None) is extractor:
        fast = getattr(module, "extract_kinds", None)
        if callable(fast):
            return fast  # type: ignore[no-any-return]
    return extractor


def must_go(options: StripOptions) -> frozenset[FindingKind]:
    """The finding kinds a strip with ``options`` promises to remove."""
    if options.only_location:
        return frozenset({FindingKind.LOCATION})
    kinds = set(FindingKind) - _NOT_IN_FILES
    if options.keep_datetime:
        kinds.discard(FindingKind.DATETIME)
    return frozenset(kinds)


def _findings(
    extractor: Extractor, data: bytes, fmt: ImageFormat, name: str
) -> tuple[Finding, ...] | None:
    try:
        return extractor(Source(name, data, fmt)).findings
    except (PhotoscanError, ValueError, OSError):
        return None


def _sorted_kinds(findings: tuple[Finding, ...]) -> tuple[str, ...]:
    return tuple(sorted({f.kind.value for f in findings}))


def verify(
    original: bytes,
    result: Stripped,
    fmt: ImageFormat,
    name: str,
    options: StripOptions,
    restrip: Callable[[bytes], Stripped],
    extractor: Extractor | None = None,
    original_fmt: ImageFormat | None = None,
) -> Verdict:
    """What the strip removed and what survived; see the module docstring. ``original_fmt``:
    the original's format when the output has another (a share-safe copy re-encoded)."""
    source_fmt = original_fmt or fmt
    survivors: list[str] = []
    again = restrip(result.data)
    if again.data != result.data:
        survivors.append("still removable: " + ", ".join(again.blocks or ("unknown block",)))
    if extractor is None:
        return Verdict((), (), tuple(survivors), checked=False)
    after = _findings(extractor, result.data, fmt, name)
    unchanged = result.data == original
    if unchanged:
        before_or_none = after
    elif result.evidence is not None:
        # The kinds that went are those of the blocks the stripper dropped: read only them
        # (a few kilobytes), not the original's image data a second time.
        before_or_none = _findings(kinds_reader(extractor), result.evidence, fmt, name)
    else:
        # Only the finding kinds of the original are needed here. Its pixels are made
        # undecodable in a copy so that even a full extractor skips the stale-thumbnail
        # pixel comparison, which costs more than all the rest of a strip.
        from photoscan.strip.jpeg import undecodable_copy  # lazy: a video run never loads it

        readable = undecodable_copy(original) if source_fmt is ImageFormat.JPEG else original
        before_or_none = _findings(kinds_reader(extractor), readable, source_fmt, name)
    before = before_or_none or ()
    if after is None:
        if before_or_none is not None:  # readable before, unreadable after: we broke it
            survivors.append("the output could not be re-read")
        after = ()
    gone = must_go(options)
    for finding in after:
        if finding.kind in gone:
            survivors.append(f"{finding.kind.value} ({finding.field})")
    removed = tuple(sorted({f.kind.value for f in before} - {f.kind.value for f in after}))
    return Verdict(removed, _sorted_kinds(after), tuple(dict.fromkeys(survivors)))
