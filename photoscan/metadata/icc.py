"""ICC profiles that describe one display: a device finding.

Apple's display profiles (what a Mac embeds when a screenshot or an edited photo is saved
with the screen's profile) hold the calibrated screen's maker, model and serial number
(``mmod``), its measured native primaries (``ndin``) and the graphics card's calibration
curves for it (``vcgt``). Each is as much a fingerprint of one machine as a camera serial.
The tags come from ``containers.icc``; a profile that cannot be parsed is a warning.
"""

from __future__ import annotations

import struct

from photoscan.containers import icc
from photoscan.metadata.base import Collector
from photoscan.model import FindingKind, Severity


def read_icc(profile: bytes, col: Collector) -> None:
    for name, data in icc.device_tags(profile):
        field = f"ICC_Profile:{name}"
        if name == "MakeAndModel":
            col.add(FindingKind.DEVICE, field, _make_and_model(data), Severity.MEDIUM)
        else:
            words = "calibration measured on one display"
            col.add(FindingKind.DEVICE, field, words, Severity.LOW)


def _make_and_model(data: bytes) -> str:
    """``mmod``: signature, 4 reserved bytes, then maker, model and serial as 32-bit numbers
    (Apple's EDID vendor and product codes)."""
    if len(data) < 20:
        return "maker and model of one display"
    maker, model, serial = struct.unpack_from(">III", data, 8)
    words = f"display maker {maker:04X}, model {model:04X}"
    return words + (f", serial number {serial}" if serial else "")
