"""Typed records shared by every part of photoscan.

Everything that crosses a module boundary is one of these frozen records or enums; JSON
and Qt representations are made at the edges (``photoscan.scan.jsonio``, ``photoscan.gui``).
The findings' records are named tuples (``photoscan.tuples``: a strip builds them at
start-up), the scan's records frozen dataclasses.
String enums serialise to the stable values of the scan JSON contract (architecture §4).

They live in two modules and are all named here (``from photoscan.model import Face``):
``photoscan.findings`` (findings, formats: what readers and strippers need) and
``photoscan.records`` (faces, the parent's decisions, risk, places, ``PhotoRecord``), which
is imported on first use, so a strip does not build its dataclasses at start-up (Python 3.11
generates each dataclass's methods with ``exec`` as the class is created: ~1.4 ms a class,
the largest part of a strip's start-up).
"""

from __future__ import annotations

from photoscan.findings import Box as Box
from photoscan.findings import Extraction as Extraction
from photoscan.findings import Finding as Finding
from photoscan.findings import FindingKind as FindingKind
from photoscan.findings import Gps as Gps
from photoscan.findings import ImageFormat as ImageFormat
from photoscan.findings import MediaKind as MediaKind
from photoscan.findings import Severity as Severity

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from photoscan.records import (
        NO_DECISIONS as NO_DECISIONS,
    )
    from photoscan.records import (
        ChildLevel as ChildLevel,
    )
    from photoscan.records import (
        Decisions as Decisions,
    )
    from photoscan.records import (
        Face as Face,
    )
    from photoscan.records import (
        FaceMark as FaceMark,
    )
    from photoscan.records import (
        FaceSource as FaceSource,
    )
    from photoscan.records import (
        FileError as FileError,
    )
    from photoscan.records import (
        Mark as Mark,
    )
    from photoscan.records import (
        PhotoRecord as PhotoRecord,
    )
    from photoscan.records import (
        Place as Place,
    )
    from photoscan.records import (
        PlaceGroup as PlaceGroup,
    )
    from photoscan.records import (
        Recommendation as Recommendation,
    )
    from photoscan.records import (
        RepeatedPlace as RepeatedPlace,
    )
    from photoscan.records import (
        Risk as Risk,
    )
    from photoscan.records import (
        RiskContext as RiskContext,
    )
    from photoscan.records import (
        RiskLevel as RiskLevel,
    )


def __getattr__(name: str) -> object:
    """The records of ``photoscan.records``, imported on first use (see the docstring)."""
    if not name.startswith("_"):  # not a probe for __path__, __wrapped__...
        from photoscan import records

        if name in records.__all__:
            return getattr(records, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
