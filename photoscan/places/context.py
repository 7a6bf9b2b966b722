"""The risk context of a finished scan, rebuilt from its ``places`` list.

The scan re-assesses a photo taken at a place you return to with the places pass's
``RiskContext``; the app changes a photo's decisions later (Mark Reviewed, Mark as Child)
and must assess it again with the same context, or the photo would lose its "Taken at a
place you return to" reason. The ``places`` list (``PlaceGroup``) holds what that reason
says, so the context is read back from it, without numpy or the GeoNames table.
"""

from __future__ import annotations

from collections.abc import Iterable

from photoscan.model import PlaceGroup, RepeatedPlace, RiskContext

UNKNOWN = "Unknown place"  # the name of a place the offline geocoder could not name


def context_of(groups: Iterable[PlaceGroup]) -> RiskContext:
    """The ``RiskContext`` the places pass made for these ``places`` (its repeated spots)."""
    repeated: dict[str, RepeatedPlace] = {}
    for group in groups:
        if group.repeated:
            name = None if group.name == UNKNOWN else group.name
            visit = RepeatedPlace(photos=group.photos, days=group.days, name=name)
            repeated.update(dict.fromkeys(group.paths, visit))
    return RiskContext(repeated=repeated)
