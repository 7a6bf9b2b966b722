"""The desktop integration in resources/: the launcher entry, the AppStream data and the
icons pass freedesktop's and AppStream's own validators and agree with each other and with
the app (its id, its command, its version, the screenshots in docs/)."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from defusedxml import ElementTree
from PIL import Image

import photoscan
from photoscan.paths import APP_ID

ROOT = Path(photoscan.__file__).resolve().parents[1]
RESOURCES = ROOT / "resources"
DESKTOP = RESOURCES / f"{APP_ID}.desktop"
METAINFO = RESOURCES / f"{APP_ID}.metainfo.xml"
HICOLOR = RESOURCES / "icons" / "hicolor"
SCREENSHOT_URL = re.compile(r"https://raw\.githubusercontent\.com/[\w.-]+/[\w.-]+/main/(docs/.+)")


def tool(name: str) -> str:
    """The validator, or a skip on a developer machine without it (CI installs both, and
    fails here rather than skip)."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed (.ci/run installs it)")
        pytest.skip(f"{name} is not installed")
    return path


def entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_file_validates() -> None:
    out = subprocess.run(
        [tool("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0 and not out.stdout.strip(), out.stdout + out.stderr


def test_metainfo_validates() -> None:
    out = subprocess.run(
        [tool("appstreamcli"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    problems = [line for line in out.stdout.splitlines() if line.startswith(("E:", "W:"))]
    assert out.returncode == 0 and not problems, out.stdout + out.stderr


def test_the_entry_opens_folders_zips_photos_and_videos_with_the_installed_command() -> None:
    desktop = entry()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    command = desktop["Exec"].split()
    assert command[0] in scripts and command[1:] == ["%f"]
    assert desktop["TryExec"] == command[0]
    assert desktop["Icon"] == APP_ID
    types = set(filter(None, desktop["MimeType"].split(";")))
    assert {"inode/directory", "application/zip", "image/*"} <= types
    assert {"video/mp4", "video/quicktime", "image/heic", "image/x-adobe-dng"} <= types


def test_metainfo_names_the_entry_the_version_and_real_screenshots() -> None:
    root = ElementTree.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("project_license") == "GPL-3.0-or-later"
    versions = [r.get("version") for r in root.iter("release")]
    assert versions and versions[0] == photoscan.__version__  # newest first
    images = [i.text or "" for i in root.iter("image")]
    assert len(images) >= 3
    for url in images:
        match = SCREENSHOT_URL.fullmatch(url)
        assert match, f"not a repository docs/ URL: {url}"
        assert (ROOT / match.group(1)).is_file(), f"{match.group(1)} is not in the repository"


def test_icons_are_the_apps_own_at_every_hicolor_size() -> None:
    svg = HICOLOR / "scalable" / "apps" / f"{APP_ID}.svg"
    package_svg = ROOT / "photoscan" / "gui" / "assets" / "photoscan.svg"
    assert svg.read_bytes() == package_svg.read_bytes(), "run resources/packaging/render_icons.py"
    pngs = sorted(HICOLOR.glob(f"*x*/apps/{APP_ID}.png"))
    sizes = []
    for png in pngs:
        side = int(png.parts[-3].split("x")[0])
        with Image.open(png) as image:
            assert image.size == (side, side) and image.mode == "RGBA", png
            assert image.getextrema()[3][1] == 255  # not blank
        sizes.append(side)
    assert {16, 32, 48, 64, 128, 256, 512} <= set(sizes)


def test_install_script_installs_and_uninstalls_for_one_user(tmp_path: Path) -> None:
    """resources/packaging/install.sh from an unpacked archive (a stand-in program): the
    launcher entry runs the installed program by its quoted full path (a space in it) and
    validates; --uninstall removes every file it put there."""
    top = tmp_path / "photoscan-0.0.0"
    (top / "photoscan").mkdir(parents=True)
    program = top / "photoscan" / "photoscan"
    program.write_text("#!/bin/sh\necho stand-in\n")
    program.chmod(0o755)
    shutil.copy(RESOURCES / "packaging" / "install.sh", top / "install.sh")
    share = top / "share"
    (share / "applications").mkdir(parents=True)
    (share / "metainfo").mkdir()
    shutil.copy(DESKTOP, share / "applications")
    shutil.copy(METAINFO, share / "metainfo")
    shutil.copytree(HICOLOR, share / "icons" / "hicolor")
    home, data = tmp_path / "home", tmp_path / "my data"
    home.mkdir()
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "XDG_DATA_HOME": str(data)}
    subprocess.run(["sh", str(top / "install.sh")], env=env, check=True, timeout=60)

    app = data / "photoscan" / "app" / "photoscan"
    installed = data / "applications" / DESKTOP.name
    lines = installed.read_text().splitlines()
    assert f'Exec="{app}" %f' in lines and f"TryExec={app}" in lines
    assert (home / ".local" / "bin" / "photoscan").resolve() == app.resolve()
    assert (data / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png").is_file()
    assert (data / "metainfo" / METAINFO.name).is_file()
    if shutil.which("desktop-file-validate"):
        out = subprocess.run(["desktop-file-validate", str(installed)], capture_output=True)
        assert out.returncode == 0 and not out.stdout, out.stdout

    subprocess.run(["sh", str(top / "install.sh"), "--uninstall"], env=env, check=True)
    left = [p for p in [*data.rglob("*"), *home.rglob("*")] if p.is_file()]
    indexes = {"mimeinfo.cache", "icon-theme.cache"}  # the desktop's own, rebuilt
    assert [p for p in left if p.name not in indexes] == []
    assert not any(APP_ID in p.read_text(errors="replace") for p in left)
