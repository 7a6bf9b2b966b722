"""``photoscan --version``: scripts parse its first line; people read the rest (licence,
every model with its licence and where it is installed, nothing sent anywhere)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from photoscan import __version__
from photoscan.cli.about import LICENCE, version_text
from photoscan.cli.main import main
from photoscan.faces import models


def test_first_line_is_name_and_version_alone() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "photoscan", "--version"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert out.splitlines()[0] == f"photoscan {__version__}"


def test_lists_licence_models_and_the_offline_promise() -> None:
    text = version_text()
    assert f"Licence: {LICENCE}" in text
    assert "sends nothing anywhere" in text
    for model in models.MODELS:
        assert model.name in text
        assert f"licence {model.licence}" in text
        path = models.located(model)
        assert path is not None and str(path) in text
    assert "NOT INSTALLED" not in text


def test_version_alone_prints_the_whole_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    first = capsys.readouterr().out
    assert first == version_text()
