"""Text colours that mean something (an error, a hint, overdue), for a light or dark palette.

Qt's own widgets follow the desktop's palette; colours we chose did not: on a dark theme
the review's overdue rows (light pink under white text) and its tile titles (near-black on
near-black) could not be read. Each :class:`Tone` has a light and a dark colour, picked by
the lightness of the palette it is drawn on, and each keeps at least 4.5:1 against the
backgrounds it is used on (tests/ui/test_dark_palette.py checks every pair with
:func:`rca_desk.layout.palette.contrast_ratio`). The diagram canvas is not themed: it
stays white, like the exports.

Labels get their tone through :func:`set_tone`, which remembers it, so :func:`retone`
can paint them again when the palette changes while the app runs.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget


class Tone(StrEnum):
    """What a coloured text says."""

    HELP = "help"
    ERROR = "error"
    GOOD = "good"
    GAP = "gap"
    OVERDUE = "overdue"
    DUE_SOON = "due-soon"
    VERIFY_LATE = "verify-late"
    #: The review's tiles: their count is drawn in the tile's colour.
    TILE_OPEN = "tile-open"
    TILE_OVERDUE = "tile-overdue"
    TILE_DUE_SOON = "tile-due-soon"
    TILE_AWAITING = "tile-awaiting"
    TILE_NOT_EFFECTIVE = "tile-not-effective"
    TILE_AT_RISK = "tile-at-risk"
    #: The Pareto chart's cumulative percentages (its line keeps the chart's orange).
    CUMULATIVE = "cumulative"


#: (on a light palette, on a dark one)
TONES: dict[Tone, tuple[str, str]] = {
    Tone.HELP: ("#5F6368", "#B8BEC4"),
    Tone.ERROR: ("#C62828", "#FF8A80"),
    Tone.GOOD: ("#1B5E20", "#81C784"),
    Tone.GAP: ("#B71C1C", "#FF8A80"),
    Tone.OVERDUE: ("#B71C1C", "#FFABA3"),
    Tone.DUE_SOON: ("#8D5A00", "#FFB74D"),
    Tone.VERIFY_LATE: ("#4527A0", "#C5B3F0"),
    Tone.TILE_OPEN: ("#455A64", "#B0BEC5"),
    Tone.TILE_OVERDUE: ("#B71C1C", "#FF8A80"),
    Tone.TILE_DUE_SOON: ("#A14A00", "#FFB74D"),
    Tone.TILE_AWAITING: ("#1565C0", "#90CAF9"),
    Tone.TILE_NOT_EFFECTIVE: ("#6A1B9A", "#CE93D8"),
    Tone.TILE_AT_RISK: ("#AD1457", "#F48FB1"),
    Tone.CUMULATIVE: ("#A84800", "#FFA066"),
}

#: The background of an overdue row in the review's tables (light, dark).
OVERDUE_ROW = ("#FDECEA", "#4A2222")

#: Where a widget keeps the tone :func:`set_tone` gave it.
TONE_PROPERTY = "rcaTone"


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether ``palette`` (the application's by default) draws light text on dark."""
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def tone(which: Tone, palette: QPalette | None = None) -> QColor:
    """The colour of ``which`` on ``palette`` (the application's by default)."""
    return QColor(TONES[which][is_dark(palette)])


def overdue_row(palette: QPalette | None = None) -> QColor:
    return QColor(OVERDUE_ROW[is_dark(palette)])


def set_tone(widget: QWidget, which: Tone, *, bold: bool = False) -> None:
    """Colour ``widget``'s text (a label) with ``which``, now and after a palette change."""
    widget.setProperty(TONE_PROPERTY, f"{which.value}{'+bold' if bold else ''}")
    weight = " font-weight: bold;" if bold else ""
    # The application's palette: a styled widget's own palette lags behind a switch.
    widget.setStyleSheet(f"color: {tone(which).name()};{weight}")


def retone(root: QWidget) -> None:
    """Paint every toned widget under ``root`` again (the palette changed)."""
    for widget in [root, *root.findChildren(QWidget)]:
        value = widget.property(TONE_PROPERTY)
        if isinstance(value, str) and value:
            name, _, bold = value.partition("+")
            set_tone(widget, Tone(name), bold=bool(bold))
