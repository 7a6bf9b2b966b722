"""Edit → Preferences: what a parent may want to set once and forget.

The theme (the desktop's, light or dark), whether to look for faces and name places, how
careful to be when calling a face a child, and where copies go by default. Kept in the
app's ``QSettings`` (photoscan's private config dir) as a frozen ``Preferences`` record;
the window reads it when it starts and whenever the dialog is accepted. Face and place
settings change what a scan computes, so they apply from the next scan (the dialog says so).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from photoscan.faces.settings import FaceSettings
from photoscan.gui.actions.dialogs import FolderField, plain
from photoscan.gui.theme import Theme
from photoscan.scan.jobs import ScanOptions

CAREFUL_YEARS = 4.0  # "careful": the possible-child band reaches this much older
CAREFUL_PROBABILITY = 0.25  # ...or a face whose probability of being under 18 reaches this


class ChildBand(StrEnum):
    """How readily a face counts as a child's (the age estimate's threshold)."""

    STANDARD = "standard"
    CAREFUL = "careful"


BAND_WORDS: dict[ChildBand, str] = {
    ChildBand.STANDARD: "Standard (the measured defaults)",
    ChildBand.CAREFUL: "Careful: ask me to check more young-looking faces",
}
THEME_WORDS: dict[Theme, str] = {
    Theme.SYSTEM: "Same as the desktop",
    Theme.LIGHT: "Light",
    Theme.DARK: "Dark",
}


@dataclass(frozen=True, slots=True)
class Preferences:
    theme: Theme = Theme.SYSTEM
    faces: bool = True
    places: bool = True
    child_band: ChildBand = ChildBand.STANDARD
    output_folder: Path | None = None  # None: next to the photo folder

    def face_settings(self) -> FaceSettings | None:
        """The face settings for a scan (None: the measured defaults). Careful widens the
        "possible child — please check" band (``faces.levels``) by ``CAREFUL_YEARS``, and
        the older HOG detector's child line with it: more faces to check, fewer missed."""
        if self.child_band is ChildBand.STANDARD:
            return None
        base = FaceSettings()
        levels = replace(
            base.levels,
            possible_below=base.levels.possible_below + CAREFUL_YEARS,
            possible_probability=min(base.levels.possible_probability, CAREFUL_PROBABILITY),
        )
        return replace(
            base,
            levels=levels,
            child_age_threshold=base.child_age_threshold + CAREFUL_YEARS,
            child_min_probability=min(base.child_min_probability, CAREFUL_PROBABILITY),
        )

    def scan_options(self, base: ScanOptions, faces: bool) -> ScanOptions:
        """``base`` (the command line's) with these preferences; ``faces``: File → Look for
        Faces, which starts as ``faces`` here unless the command line said ``--no-faces``.
        Places need both (``photoscan gui`` asks for them; a test's window does not)."""
        return replace(
            base,
            faces=faces,
            places=base.places and self.places,
            face_settings=self.face_settings() or base.face_settings,
        )

    def copies_folder(self, root: Path, suffix: str) -> Path:
        """Where the copies of ``root``'s photos go by default: '<root name> (suffix)'."""
        parent = self.output_folder if self.output_folder is not None else root.parent
        return parent / f"{root.name} ({suffix})"


def _choice(value: object, kind: type[StrEnum], default: StrEnum) -> StrEnum:
    try:
        return kind(str(value))
    except ValueError:
        return default


def load(settings: QSettings) -> Preferences:
    default = Preferences()
    folder = str(settings.value("preferences/output_folder", "") or "")
    theme = _choice(settings.value("preferences/theme", default.theme), Theme, default.theme)
    band = _choice(
        settings.value("preferences/child_band", default.child_band), ChildBand, default.child_band
    )
    return Preferences(
        theme=Theme(theme),
        faces=bool(settings.value("preferences/faces", default.faces, type=bool)),
        places=bool(settings.value("preferences/places", default.places, type=bool)),
        child_band=ChildBand(band),
        output_folder=Path(folder) if folder else None,
    )


def save(settings: QSettings, preferences: Preferences) -> None:
    settings.setValue("preferences/theme", preferences.theme.value)
    settings.setValue("preferences/faces", preferences.faces)
    settings.setValue("preferences/places", preferences.places)
    settings.setValue("preferences/child_band", preferences.child_band.value)
    folder = preferences.output_folder
    settings.setValue("preferences/output_folder", str(folder) if folder else "")
    settings.sync()


class PreferencesDialog(QDialog):
    def __init__(self, preferences: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.theme = QComboBox(self)
        for theme, words in THEME_WORDS.items():
            self.theme.addItem(words, theme.value)
        self.theme.setCurrentIndex(list(THEME_WORDS).index(preferences.theme))
        self.faces = QCheckBox("Look for faces (children above all)", self)
        self.faces.setChecked(preferences.faces)
        self.child_band = QComboBox(self)
        for band, words in BAND_WORDS.items():
            self.child_band.addItem(words, band.value)
        self.child_band.setCurrentIndex(list(BAND_WORDS).index(preferences.child_band))
        self.child_band.setToolTip(
            "Ages are estimated from faces and can be off by years. Faces between child and "
            "adult are marked 'possible child — please check' and hidden in share-safe copies. "
            f"Careful widens that band by {CAREFUL_YEARS:.0f} years: more faces to check, fewer "
            "children missed."
        )
        self.places = QCheckBox("Name the places where photos were taken (offline)", self)
        self.places.setChecked(preferences.places)
        self.output = FolderField("Default folder for copies", self)
        self.output.edit.setPlaceholderText("Next to the photo folder")
        if preferences.output_folder is not None:
            self.output.edit.setText(str(preferences.output_folder))
        self.faces.toggled.connect(self.child_band.setEnabled)
        self.child_band.setEnabled(preferences.faces)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Colours", self.theme)
        form.addRow("Faces", self.faces)
        form.addRow("Children", self.child_band)
        form.addRow("Places", self.places)
        form.addRow("Copies go to", self.output)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(
            plain("Faces, children and places apply from the next scan (File → Rescan).", self)
        )
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def preferences(self) -> Preferences:
        return Preferences(
            theme=Theme(str(self.theme.currentData())),
            faces=self.faces.isChecked(),
            places=self.places.isChecked(),
            child_band=ChildBand(str(self.child_band.currentData())),
            output_folder=self.output.path(),
        )
