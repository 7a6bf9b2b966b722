"""The core never imports Qt: import every core module in a fresh interpreter and check."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import photoscan


def _core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(photoscan.__path__, "photoscan."):
        if info.name.startswith("photoscan.gui") or info.name == "photoscan.__main__":
            continue
        names.append(info.name)
    return names


def test_core_modules_do_not_import_qt() -> None:
    modules = _core_modules()
    assert "photoscan.model" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core imported Qt: {out.stdout.strip()}"
