"""Three levels for a face: a child, a possible child (please check), or an adult.

The age model is least sure exactly where it matters: it reads many school-age children as
18-24 and some adults of 25-39 as teenagers. A yes/no line through that region either misses
children or flags adults without saying which calls are close. So a face is

- ``CHILD`` when the age estimate is under ``child_below`` (confident: below it the model
  rarely puts an adult, measured on a_age_faces) or the probability mass under 18 reaches
  ``child_probability``;
- ``POSSIBLE_CHILD`` when the estimate is under ``possible_below`` or the mass under 18
  reaches ``possible_probability``: the band where children and adults overlap. It is treated
  as a child everywhere (``Face.child`` is True: hidden in share-safe copies, counted in the
  risk) and shown as "possible child — please check";
- ``ADULT`` otherwise.

The bands were chosen by measurement on a_age_faces (docs/benchmarks.md, "Three levels"), with
the four-chip age estimate (``age._Padded``): under 22, 2 of 168 adults of 25+ (1.2%) are called
children; the band up to 25.5, or P(age < 18) >= 0.2, is the lowest that keeps the
teenagers the model ages 22-26 (93% of 13-17 treated as children, 99.0% of children 0-12) at
3.6% of adults of 25+ treated as possible children (13.3% of those aged 25-39, the model's
weak spot). 25 drops the teens to 89%; P >= 0.35 keeps the adults and loses two teens.
b_group_photos, not used to choose, is reported beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from photoscan.model import ChildLevel


@dataclass(frozen=True, slots=True)
class LevelSettings:
    child_below: float = 22.0
    child_probability: float = 0.5
    possible_below: float = 25.5
    possible_probability: float = 0.2


def level_of(estimate: float | None, p_minor: float, settings: LevelSettings) -> ChildLevel:
    """The level of a face whose age estimate is ``estimate`` (None: no estimate) and whose
    probability of being under 18 is ``p_minor``."""
    if (estimate is not None and estimate < settings.child_below) or (
        p_minor >= settings.child_probability
    ):
        return ChildLevel.CHILD
    if (estimate is not None and estimate < settings.possible_below) or (
        p_minor >= settings.possible_probability
    ):
        return ChildLevel.POSSIBLE_CHILD
    return ChildLevel.ADULT
