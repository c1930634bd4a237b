"""One client's recovery over time: each trust measure and the client's confidence at the
check-ins held, against its target, painted with the review's chart code.

Small multiples, one strip per series, rather than one plot: the measures have their own
units ("99.5 %", "2 per close", "3 of 5") and share only the time axis, which every strip
lays out the same way (one step per check-in held, oldest left). A strip draws its target
as a dashed line, its values as a line with dots, each dot green when it meets the target
and red when it does not (confidence, which has no target, in the ink colour), and the
latest value with its trend at the right. The strip's name carries the direction
(">= 99 %", "<= 0 per close"), so the colours are not the only cue.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from rca_desk.model.recovery_state import Series
from rca_desk.ui.common.tones import Tone, tone
from rca_desk.ui.review.chart_paint import ChartInk, paint_empty
from rca_desk.ui.review.pareto import BAR, LINE

__all__ = ["TrendChart", "target_text", "value_text"]

#: One strip's height in font lines (name above, plot beside).
_STRIP_LINES = 2.6


def value_text(value: float, unit: str) -> str:
    """``99.5 %``, ``2 per close``, ``3 of 5``: a value as people say it."""
    return f"{value:g} {unit}".strip()


def target_text(series: Series) -> str:
    """The target with its direction, or "" for confidence (no target)."""
    return "" if series.measure is None else series.measure.short_target


class TrendChart(QWidget):
    """The series of one incident (see the module doc); empty says what is missing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: list[Series] = []
        self.title = ""
        self.empty_text = "No trust measures or confidence recorded yet."
        #: Each strip's plot rectangle and its dots, as last painted (tests read them).
        self.strips: list[tuple[QRectF, list[QPointF]]] = []
        self.setMinimumSize(320, 120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Recovery trend chart")

    def set_series(self, series: Sequence[Series], title: str = "") -> None:
        self.series = [s for s in series if s.points or s.measure is not None]
        self.title = title
        self.setAccessibleDescription(
            "; ".join(
                f"{s.name}: "
                + (", ".join(value_text(p.value, s.unit) for p in s.points) or "no values")
                + (f" (target {target_text(s)})" if target_text(s) else "")
                for s in self.series
            )
        )
        self.updateGeometry()
        self.update()

    def _days(self) -> list[date]:
        return sorted({p.held for s in self.series for p in s.points})

    def sizeHint(self) -> QSize:
        line = QFontMetricsF(self.font()).height()
        strips = max(1, len(self.series))
        return QSize(560, int(line * (_STRIP_LINES * strips + 2.5)))

    def minimumSizeHint(self) -> QSize:
        return QSize(320, self.sizeHint().height())

    # ------------------------------------------------------------ painting
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        ink = ChartInk.on(palette)
        painter.fillRect(self.rect(), ink.background)
        font = QFont(self.font())
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        self.strips = []
        if not self.series:
            paint_empty(painter, QRectF(self.rect()), ink, self.empty_text)
            painter.end()
            return
        line = metrics.height()
        days = self._days()
        top = 4.0
        if self.title:
            bold = QFont(font)
            bold.setBold(True)
            painter.setFont(bold)
            painter.setPen(ink.ink)
            painter.drawText(
                QRectF(8, top, self.width() - 16, line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                QFontMetricsF(bold).elidedText(
                    self.title, Qt.TextElideMode.ElideRight, self.width() - 16
                ),
            )
            painter.setFont(font)
            top += line + 4
        right_text = max(
            (metrics.horizontalAdvance(self._latest(s)) for s in self.series), default=0.0
        )
        left, right = 8.0, self.width() - 8.0 - right_text - 10
        bottom_axis = line + 6
        strip_h = max(line * 2.2, (self.height() - top - bottom_axis) / len(self.series))
        good, bad = tone(Tone.GOOD, palette), tone(Tone.OVERDUE, palette)
        for n, series in enumerate(self.series):
            y0 = top + n * strip_h
            painter.setPen(ink.ink)
            label = series.name + (f"  ({target_text(series)})" if target_text(series) else "")
            painter.drawText(
                QRectF(left, y0, right - left, line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(label, Qt.TextElideMode.ElideRight, right - left),
            )
            plot = QRectF(left + 4, y0 + line + 2, max(10.0, right - left - 8), strip_h - line - 8)
            low, high = self._range(series)

            def y_of(
                value: float, plot: QRectF = plot, low: float = low, high: float = high
            ) -> float:
                return plot.bottom() - plot.height() * (value - low) / (high - low)

            def x_of(day: date, plot: QRectF = plot) -> float:
                if len(days) < 2:
                    return plot.center().x()
                return plot.left() + plot.width() * days.index(day) / (len(days) - 1)

            painter.setPen(QPen(ink.grid, 1))
            painter.drawLine(plot.bottomLeft(), plot.bottomRight())
            if series.target is not None:
                painter.setPen(QPen(LINE, 1.5, Qt.PenStyle.DashLine))
                y = y_of(series.target)
                painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            dots = [QPointF(x_of(p.held), y_of(p.value)) for p in series.points]
            if len(dots) > 1:
                painter.setPen(QPen(BAR, 2))
                painter.drawPolyline(QPolygonF(dots))
            for point, dot in zip(series.points, dots, strict=True):
                met = series.met(point.value)
                colour = ink.ink if met is None else (good if met else bad)
                painter.setPen(QPen(colour, 1.5))
                painter.setBrush(colour)
                painter.drawEllipse(dot, 3.5, 3.5)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            latest = self._latest(series)
            last_met = series.met(series.points[-1].value) if series.points else None
            painter.setPen(ink.axis if last_met is None else (good if last_met else bad))
            painter.drawText(
                QRectF(right + 10, plot.top(), right_text + 2, plot.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                latest,
            )
            self.strips.append((plot, dots))
        # The shared time axis: the first and last check-in held.
        painter.setPen(ink.axis)
        axis_y = top + len(self.series) * strip_h
        if days:
            first, last = days[0].isoformat(), days[-1].isoformat()
            painter.drawText(
                QRectF(left, axis_y, right - left, line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                first,
            )
            if len(days) > 1:
                painter.drawText(
                    QRectF(left, axis_y, right - left, line),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    last,
                )
        else:
            painter.drawText(
                QRectF(left, axis_y, right - left, line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                "No check-in held yet",
            )
        painter.end()

    @staticmethod
    def _latest(series: Series) -> str:
        if not series.points:
            return "no value yet"
        text = value_text(series.points[-1].value, series.unit)
        return f"{text}, {series.trend}" if series.trend else text

    @staticmethod
    def _range(series: Series) -> tuple[float, float]:
        """The strip's value range: the values and the target, with a little room (the
        confidence scale is always 1 to 5)."""
        if series.measure is None:
            return 1.0, 5.0
        values = [p.value for p in series.points]
        if series.target is not None:
            values.append(series.target)
        low, high = min(values), max(values)
        pad = (high - low) * 0.15 or max(abs(high) * 0.05, 1.0)
        return low - pad, high + pad
