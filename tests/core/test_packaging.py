"""What photoscan loads at run time is package data: no module looks for a file outside the
``photoscan`` folder (a wheel, a pipx install or the desktop bundle has no checkout around
it). ``benchmarks/package_check.py`` builds and installs the real wheel; this is the cheap
guard that runs with every test."""

from __future__ import annotations

import re
from pathlib import Path

import photoscan

PACKAGE = Path(photoscan.__file__).resolve().parent
PARENTS = re.compile(r"__file__\)?(?:\.resolve\(\))?\.parents\[(\d+)\]")
PARENT_CHAIN = re.compile(r"__file__\)?(?:\.resolve\(\))?((?:\.parent)+)")


def _modules() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts]


def test_no_module_reaches_above_the_package_for_files() -> None:
    escaping = []
    for path in _modules():
        folders = len(path.relative_to(PACKAGE).parts) - 1  # folders between it and PACKAGE
        text = path.read_text()
        ups = [int(n) + 1 for n in PARENTS.findall(text)]
        ups += [chain.count(".parent") for chain in PARENT_CHAIN.findall(text)]
        escaping += [f"{path.relative_to(PACKAGE)}: {up} up" for up in ups if up > folders + 1]
    assert not escaping, f"files looked for outside the package: {escaping}"


def test_the_guard_sees_the_old_icon_lookup() -> None:
    """The guard itself: ``parents[2]`` from a ``gui/`` module is the checkout."""
    line = 'RESOURCES = Path(__file__).resolve().parents[2] / "resources"'
    assert [int(n) + 1 for n in PARENTS.findall(line)] == [3]
    assert PARENT_CHAIN.findall("Path(__file__).parent.parent.parent") == [".parent" * 3]


def test_the_top_level_resources_folder_is_not_read_at_run_time() -> None:
    users = [
        str(p.relative_to(PACKAGE))
        for p in _modules()
        if re.search(r"""["']resources["']""", p.read_text())
    ]
    assert not users, f"modules naming the checkout's resources/ folder: {users}"


def test_package_data_files_exist() -> None:
    """The non-Python files the package carries (the wheel takes every file under it)."""
    data = sorted(
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    )
    assert "gui/assets/photoscan.svg" in data
    assert len([d for d in data if d.startswith("gui/assets/icons/")]) >= 8
