"""Text measurement backed by Qt's font metrics, for layouts that Qt will draw."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QFont, QFontMetricsF

from rca_desk.layout.text import FONT_FAMILY


@lru_cache(maxsize=64)
def diagram_font(size: float, bold: bool = False) -> QFont:
    """The diagram font at ``size`` pixels (pixel sizes, so output does not depend on DPI)."""
    font = QFont(FONT_FAMILY)
    font.setPixelSize(max(1, round(size)))
    font.setBold(bold)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


@lru_cache(maxsize=64)
def _metrics(size: float) -> QFontMetricsF:
    return QFontMetricsF(diagram_font(size))


class QtMetrics:
    """:class:`rca_desk.layout.text.TextMetrics` measured with the real diagram font."""

    def width(self, text: str, size: float) -> float:
        return _metrics(size).horizontalAdvance(text)

    def line_height(self, size: float) -> float:
        return _metrics(size).lineSpacing()

    def ascent(self, size: float) -> float:
        return _metrics(size).ascent()
