"""Light, dark or the desktop's colours, every text readable (WCAG AA: 4.5:1 or more).

The app used to take whatever palette the desktop gave it and grey out hints with the
palette's *disabled* text colour (1.62:1 on the welcome page). Now:

- ``Theme.LIGHT`` and ``Theme.DARK`` are palettes of our own, measured: every text role on
  every background it is drawn on reaches ``MIN_CONTRAST`` (``tests/gui/test_theme.py``
  renders the window in both and measures the pixels);
- ``Theme.SYSTEM`` keeps the desktop's palette, captured before we change anything;
- quieter text (hints, captions) is ``quiet_text``: the text colour moved toward the
  background only as far as ``MIN_CONTRAST`` allows, so it is readable under any palette,
  the desktop's included; warnings use ``warning_text``, red that reads on light and dark.

Under the Fusion style (what Qt uses without a desktop style) a check box on a dark base
was drawn with an outline darker than the base — invisible; ``VisibleIndicators`` draws
check boxes and radio buttons with an outline in the text colour instead.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QObject, QRect
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

MIN_CONTRAST = 4.5
Role = QPalette.ColorRole
Group = QPalette.ColorGroup


class Theme(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


# (role, active colour, disabled colour or None for the same)
_LIGHT: tuple[tuple[Role, str, str | None], ...] = (
    (Role.Window, "#efefef", None),
    (Role.WindowText, "#1b1b1b", "#7a7a7a"),
    (Role.Base, "#ffffff", "#f5f5f5"),
    (Role.AlternateBase, "#f4f4f4", None),
    (Role.Text, "#1b1b1b", "#7a7a7a"),
    (Role.PlaceholderText, "#5c5c5c", None),
    (Role.Button, "#e6e6e6", None),
    (Role.ButtonText, "#1b1b1b", "#7a7a7a"),
    (Role.BrightText, "#ffffff", None),
    (Role.Light, "#ffffff", None),
    (Role.Midlight, "#f2f2f2", None),
    (Role.Mid, "#b5b5b5", None),
    (Role.Dark, "#8f8f8f", None),
    (Role.Shadow, "#6b6b6b", None),
    (Role.Highlight, "#2a62c0", "#a8a8a8"),
    (Role.HighlightedText, "#ffffff", None),
    (Role.Link, "#1450b8", None),
    (Role.LinkVisited, "#6a2fb0", None),
    (Role.ToolTipBase, "#fdfdf0", None),
    (Role.ToolTipText, "#1b1b1b", None),
    (Role.Accent, "#2a62c0", None),
)
_DARK: tuple[tuple[Role, str, str | None], ...] = (
    (Role.Window, "#242424", None),
    (Role.WindowText, "#e6e6e6", "#8a8a8a"),
    (Role.Base, "#1b1b1b", "#222222"),
    (Role.AlternateBase, "#272727", None),
    (Role.Text, "#e6e6e6", "#8a8a8a"),
    (Role.PlaceholderText, "#a6a6a6", None),
    (Role.Button, "#333333", None),
    (Role.ButtonText, "#e6e6e6", "#8a8a8a"),
    (Role.BrightText, "#ffffff", None),
    (Role.Light, "#505050", None),
    (Role.Midlight, "#3c3c3c", None),
    (Role.Mid, "#4a4a4a", None),
    (Role.Dark, "#161616", None),
    (Role.Shadow, "#000000", None),
    (Role.Highlight, "#2f62b8", "#4a4a4a"),
    (Role.HighlightedText, "#ffffff", None),
    (Role.Link, "#8ab4f8", None),
    (Role.LinkVisited, "#c58af9", None),
    (Role.ToolTipBase, "#333333", None),
    (Role.ToolTipText, "#e6e6e6", None),
    (Role.Accent, "#5b8fe8", None),
)


def _palette(table: tuple[tuple[Role, str, str | None], ...]) -> QPalette:
    palette = QPalette()
    for role, active, disabled in table:
        colour = QColor(active)
        palette.setColor(Group.Active, role, colour)
        palette.setColor(Group.Inactive, role, colour)
        palette.setColor(Group.Disabled, role, QColor(disabled or active))
    return palette


def light_palette() -> QPalette:
    return _palette(_LIGHT)


def dark_palette() -> QPalette:
    return _palette(_DARK)


def luminance(colour: QColor) -> float:
    """Relative luminance (WCAG 2.x) of an sRGB colour."""

    def linear(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.redF())
        + 0.7152 * linear(colour.greenF())
        + 0.0722 * linear(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio, 1 (same) to 21 (black on white), of ``a`` drawn over ``b``
    (a translucent ``a`` is blended onto ``b`` first)."""
    if a.alpha() < 255:
        a = _mix(b, a, a.alphaF())
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def is_dark(palette: QPalette) -> bool:
    return luminance(palette.color(Role.Window)) < luminance(palette.color(Role.WindowText))


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


def quiet_text(palette: QPalette, background: Role = Role.Window) -> QColor:
    """A quieter text colour that still reaches ``MIN_CONTRAST`` on ``background`` (and on
    the base colour): the text colour moved toward the background as far as that allows."""
    text = palette.color(Role.WindowText if background == Role.Window else Role.Text)
    grounds = (palette.color(background), palette.color(Role.Base), palette.color(Role.Window))
    target = MIN_CONTRAST + 0.6  # a margin: anti-aliased edges and rounding

    def legible(colour: QColor) -> bool:
        return all(contrast(colour, ground) >= target for ground in grounds)

    if not legible(text):
        return text  # the palette's own text is already as strong as it gets
    low, high = 0.0, 0.6  # never more than 60% of the way: it must still look like text
    for _ in range(12):
        middle = (low + high) / 2
        if legible(_mix(text, palette.color(background), middle)):
            low = middle
        else:
            high = middle
    return _mix(text, palette.color(background), low)


def warning_text(palette: QPalette) -> QColor:
    """Red for warnings that reads on the window colour of light and dark palettes."""
    return QColor("#ff8a80") if is_dark(palette) else QColor("#b3261e")


def readable(palette: QPalette) -> QPalette:
    """``palette`` with its placeholder text (the role quiet text is drawn in) readable:
    a desktop palette may grey it out below ``MIN_CONTRAST``."""
    fixed = QPalette(palette)
    for group in (Group.Active, Group.Inactive):
        fixed.setCurrentColorGroup(group)
        placeholder = fixed.color(group, Role.PlaceholderText)
        grounds = (fixed.color(group, Role.Base), fixed.color(group, Role.Window))
        if any(contrast(placeholder, ground) < MIN_CONTRAST for ground in grounds):
            fixed.setColor(group, Role.PlaceholderText, quiet_text(fixed, Role.Base))
    fixed.setCurrentColorGroup(Group.Active)
    return fixed


def set_quiet(widget: QWidget) -> None:
    """Draw ``widget``'s text in the quieter placeholder colour (``readable`` keeps it at
    ``MIN_CONTRAST`` or more); it follows theme changes like any palette role."""
    widget.setForegroundRole(Role.PlaceholderText)


PE = QStyle.PrimitiveElement
INDICATORS = (PE.PE_IndicatorCheckBox, PE.PE_IndicatorItemViewItemCheck, PE.PE_IndicatorRadioButton)


class VisibleIndicators(QProxyStyle):
    """The style's own check boxes and radio buttons, outlined in the text colour.

    Fusion outlines an indicator in a colour *darker* than the window, which on a dark
    palette is darker than the base it sits on: the box disappears and a ticked filter in
    the sidebar looks like a stray tick. The outline drawn here on top reads on any base.
    """

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element not in INDICATORS:
            return
        rect: QRect = option.rect
        colour = QColor(option.palette.color(Role.Text))
        colour.setAlpha(170)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(colour, 1.2))
        painter.setBrush(QColor(0, 0, 0, 0))
        box = rect.adjusted(1, 1, -1, -1)
        if element == PE.PE_IndicatorRadioButton:
            painter.drawEllipse(box)
        else:
            painter.drawRoundedRect(box, 2, 2)
        painter.restore()


class ThemeSwitcher(QObject):
    """Applies a ``Theme`` to the application; remembers the desktop's palette first.

    One per application (``of``): the desktop's palette can only be captured before the
    first change."""

    NAME = "photoscan-theme"

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName(self.NAME)
        self.app = app
        self.system = QPalette(app.palette())
        self.theme = Theme.SYSTEM
        style = app.style()
        if style is not None and style.name().lower() == "fusion":
            app.setStyle(VisibleIndicators(style.name()))

    @classmethod
    def of(cls, app: QApplication) -> ThemeSwitcher:
        for child in app.children():
            if isinstance(child, ThemeSwitcher):
                return child
        return cls(app)

    def apply(self, theme: Theme) -> None:
        self.theme = theme
        if theme is Theme.LIGHT:
            palette = light_palette()
        elif theme is Theme.DARK:
            palette = dark_palette()
        else:
            palette = self.system
        self.app.setPalette(readable(palette))
