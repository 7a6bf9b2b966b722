"""``photoscan.model`` names every record: those of ``photoscan.findings`` at once, those of
``photoscan.records`` (faces, decisions, risk, places) on first use."""

from __future__ import annotations

import subprocess
import sys

import pytest

from photoscan import findings, model, records


def test_every_record_is_reached_through_the_model_as_the_same_object() -> None:
    for module in (findings, records):
        for name in module.__all__:
            assert getattr(model, name) is getattr(module, name), name


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        model.Nothing  # noqa: B018


def test_importing_the_model_does_not_build_the_records() -> None:
    code = (
        "import sys\n"
        "from photoscan.model import Finding, ImageFormat\n"
        "assert 'photoscan.records' not in sys.modules\n"
        "from photoscan.model import Face\n"
        "assert Face.__module__ == 'photoscan.records'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
