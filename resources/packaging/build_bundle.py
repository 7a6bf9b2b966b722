"""Builds photoscan's Linux desktop bundle: the PyInstaller folder, then the archive a parent
downloads, unpacks and installs with ``./install.sh`` (no root, no network).

    uv run --group bundle python resources/packaging/build_bundle.py [--out build/bundle]

Output: ``<out>/photoscan/`` (the one-folder bundle: run ``<out>/photoscan/photoscan``) and
``<out>/photoscan-<version>-linux-<machine>.tar.gz`` holding ``photoscan-<version>/`` with
that folder, ``install.sh``, and ``share/`` (the launcher entry, the AppStream data and the
hicolor icons from resources/).

Why a .tar.gz and not an AppImage: an AppImage needs ``appimagetool`` and the AppImage
runtime, and neither is packaged by Debian or PyPI (the PyPI tools that build AppImages
download both from GitHub at build time, which a build here must not do). The archive
with its install script gives the same result for the user — an entry in the applications
menu, the icon, "Open with photoscan" for folders, zips, photos and videos.

On Windows and macOS, build with the spec directly (``uv run --group bundle pyinstaller
resources/packaging/photoscan.spec``): ``dist/photoscan/photoscan.exe``, or
``dist/photoscan.app``. Not tested here.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "resources" / "packaging"
sys.path.insert(0, str(ROOT))

from photoscan import __version__  # noqa: E402
from photoscan.paths import APP_ID  # noqa: E402


def build(out: Path) -> Path:
    """The PyInstaller folder ``out/photoscan``."""
    work = out.parent / "pyinstaller"
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(out),
        "--workpath",
        str(work),
        str(PACKAGING / "photoscan.spec"),
    ]
    print("$ " + " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT)
    return out / "photoscan"


def archive(bundle: Path, out: Path) -> Path:
    """``photoscan-<version>-linux-<machine>.tar.gz``: the bundle, install.sh, share/."""
    name = f"photoscan-{__version__}"
    target = out / f"{name}-linux-{platform.machine()}.tar.gz"
    resources = ROOT / "resources"
    share = {
        f"share/applications/{APP_ID}.desktop": resources / f"{APP_ID}.desktop",
        f"share/metainfo/{APP_ID}.metainfo.xml": resources / f"{APP_ID}.metainfo.xml",
    }
    for icon in sorted((resources / "icons" / "hicolor").rglob(f"{APP_ID}.*")):
        share[f"share/icons/{icon.relative_to(resources / 'icons')}"] = icon
    partial = target.with_suffix(".partial")
    with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=f"{name}/photoscan")
        tar.add(PACKAGING / "install.sh", arcname=f"{name}/install.sh")
        tar.add(resources / "COPYING", arcname=f"{name}/COPYING")
        for arcname, path in share.items():
            tar.add(path, arcname=f"{name}/{arcname}")
    partial.replace(target)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bundle")
    parser.add_argument("--no-archive", action="store_true", help="the folder only")
    args = parser.parse_args()
    out = args.out.resolve()
    shutil.rmtree(out / "photoscan", ignore_errors=True)
    started = time.monotonic()
    bundle = build(out)
    built = time.monotonic() - started
    print(f"bundle: {bundle} ({built:.0f} s)")
    if not args.no_archive:
        started = time.monotonic()
        target = archive(bundle, out)
        size = target.stat().st_size / 1e6
        print(f"archive: {target} ({size:.0f} MB, {time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
