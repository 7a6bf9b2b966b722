"""The GUI's icons are package data beside the code, so every install carries them."""

from __future__ import annotations

from pathlib import Path

import photoscan
from photoscan.gui import icons
from photoscan.gui.detail.batch import LINES
from photoscan.gui.library.delegates import BADGES
from photoscan.gui.library.sidebar import GROUPS
from photoscan.model import RiskLevel


def test_icons_live_inside_the_package_and_all_load(qtbot) -> None:
    package = Path(photoscan.__file__).resolve().parent
    assert icons.ASSETS.is_relative_to(package)
    names = sorted(p.stem for p in (icons.ASSETS / "icons").glob("*.svg"))
    assert names, "no icons in the package"
    for name in ["app", *names]:
        assert not icons.icon(name).pixmap(32).isNull(), name


def test_every_icon_the_sidebar_and_badges_name_is_a_file() -> None:
    """A missing SVG gives a blank QIcon, silently: each name the code uses must be a file
    (the grid's badges, the sidebar, the batch panel; the Help legend shows the badges)."""
    risk = {level.value for level in RiskLevel}
    used = {badge.icon for badge in BADGES}
    used |= {name for _flag, name, _one, _many in LINES}  # the batch panel's lines
    used |= {name for _title, entries in GROUPS for _f, _l, name in entries if name not in risk}
    assert len(used) >= 8
    for name in used:
        assert (icons.ASSETS / "icons" / f"{name}.svg").is_file(), name
