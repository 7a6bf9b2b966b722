from __future__ import annotations

from photoscan.metadata.base import clean_text, valid_coordinates
from photoscan.printable import decode_text


def test_decode_text_prefers_utf8_then_windows_1252() -> None:
    assert decode_text("René".encode()) == "René"
    assert decode_text(b"Ren\xe9 Glanzer") == "René Glanzer"  # Latin-1 from an old camera


def test_clean_text_strips_controls_and_bounds_length() -> None:
    assert clean_text(b"a\x00b\x1b[31mc\nd") == "ab[31mc d"
    assert clean_text("\u202eevil") == "evil"  # no bidi overrides reach a terminal or the GUI
    long = clean_text("x" * 1000)
    assert len(long) == 300
    assert long.endswith("…")


def test_valid_coordinates() -> None:
    assert valid_coordinates(47.6, -122.3)
    assert not valid_coordinates(0.0, 0.0)
    assert not valid_coordinates(float("nan"), 1.0)
    assert not valid_coordinates(91.0, 1.0)
    assert not valid_coordinates(1.0, -181.0)
