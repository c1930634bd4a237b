"""What the review's charts share: their ink on the palette, the empty message, and round
tick steps. The Pareto chart and the recovery trend chart are painted by hand (QtCharts is
not in PySide6-Essentials), and they should look like one family: text and grid follow
the palette (a dark desktop), the data keeps its colours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette

from rca_desk.ui.common.tones import Tone, tone

__all__ = ["ChartInk", "nice_step", "paint_empty"]


@dataclass(frozen=True)
class ChartInk:
    """The colours a chart draws its frame in, on one palette."""

    background: QColor
    #: Axis labels and quiet text.
    axis: QColor
    #: Values and names.
    ink: QColor
    #: Grid lines: the ink, faint.
    grid: QColor

    @classmethod
    def on(cls, palette: QPalette) -> ChartInk:
        ink = palette.text().color()
        grid = QColor(ink)
        grid.setAlpha(40)
        return cls(palette.base().color(), tone(Tone.HELP, palette), ink, grid)


def paint_empty(painter: QPainter, rect: QRectF, ink: ChartInk, text: str) -> None:
    """A chart with nothing to show says so, centred, in the axis colour."""
    painter.setPen(ink.axis)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)


def nice_step(maximum: int, *, ticks: int = 6) -> int:
    """A round tick step (1, 2, 5 x 10^n) that gives about ``ticks`` lines up to ``maximum``."""
    if maximum <= ticks:
        return 1
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return int(factor * power)
    return int(10 * power)
