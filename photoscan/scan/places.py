"""The places pass (``scan --places``): places named, risk re-assessed, for the whole library.

Imported only when places are asked for: it loads numpy, scipy and the GeoNames table.
"""

from __future__ import annotations

from collections.abc import Sequence

from photoscan import risk
from photoscan.model import PhotoRecord
from photoscan.places import places
from photoscan.places.geocode import offline_geocoder
from photoscan.places.places import Geocoder, PlacesSummary


def place_records(
    records: Sequence[PhotoRecord], geocoder: Geocoder = offline_geocoder
) -> tuple[tuple[PhotoRecord, ...], PlacesSummary]:
    """The whole-library step after the metadata pass: places named, risk re-assessed.

    Photos with a place get it and are re-assessed (their reasons say "near <city>"); photos
    at a place you return to with that knowledge too (``summary.risk_context()``, which later
    assessments — after the face pass — must pass on as well). ``geocoder``: the offline
    GeoNames table unless a test passes another.
    """
    summary = places.analyze_places(records, geocoder)
    if not summary.places:
        return tuple(records), summary
    context = summary.risk_context()
    placed = tuple(
        risk.assess(r, context) if r.path in summary.by_path or r.path in context.repeated else r
        for r in places.apply_places(records, summary)
    )
    return placed, summary
