"""A Pareto chart of root causes by category, painted with QPainter.

Bars count root causes per category across incidents, tallest first; a line climbs
through the cumulative share with its percentage at each bar. Bars inside the first 80 %
(the "vital few", the weaknesses worth a programme of their own) are drawn darker. A click
on a bar reports its category, so the dashboard can filter by it.

Painted by hand rather than with Qt Charts: PySide6-Essentials has no charts module, and
a Pareto chart is a few rectangles and a polyline.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from rca_desk.model.review import ParetoBar
from rca_desk.ui.common.tones import Tone, tone
from rca_desk.ui.review.chart_paint import ChartInk, nice_step, paint_empty

__all__ = ["ParetoChart", "nice_step"]

VITAL_SHARE = 0.8
BAR = QColor("#0072B2")
BAR_LIGHT = QColor("#9CC7E4")
LINE = QColor("#D55E00")


class ParetoChart(QWidget):
    """Signals: ``categoryClicked(str)`` when a bar is clicked."""

    categoryClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[ParetoBar] = []
        self.empty_text = "No root causes marked yet."
        self._bar_rects: list[QRectF] = []
        self.setMinimumSize(320, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.setAccessibleName("Pareto chart of root causes by category")

    def set_bars(self, bars: Sequence[ParetoBar]) -> None:
        self.bars = list(bars)
        self.setAccessibleDescription(
            "; ".join(f"{b.category}: {b.count} ({b.share:.0%})" for b in self.bars)
        )
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(560, 280)

    # ------------------------------------------------------------ geometry
    def bar_at(self, point: QPointF) -> ParetoBar | None:
        for rect, bar in zip(self._bar_rects, self.bars, strict=False):
            column = QRectF(rect.left(), 0, rect.width(), self.height())
            if column.contains(point):
                return bar
        return None

    # --------------------------------------------------------------- paint
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        # Text and grid follow the palette (a dark desktop); the bars keep their colours.
        colours = ChartInk.on(palette)
        axis, ink, grid = colours.axis, colours.ink, colours.grid
        painter.fillRect(self.rect(), colours.background)
        font = QFont(self.font())
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        if not self.bars:
            self._bar_rects = []
            paint_empty(painter, QRectF(self.rect()), colours, self.empty_text)
            painter.end()
            return

        line_h = metrics.height()
        maximum = max(bar.count for bar in self.bars)
        # Headroom above the tallest bar for its count and the line's first percentage.
        step = nice_step(math.ceil(maximum * 1.15))
        top_value = max(step, math.ceil(maximum * 1.15 / step) * step)
        left = metrics.horizontalAdvance(str(top_value)) + 14
        right = metrics.horizontalAdvance("100%") + 14
        top = line_h + 10
        bottom = line_h * 2 + 12  # category names on up to two lines
        plot = QRectF(
            left,
            top,
            max(10.0, self.width() - left - right),
            max(10.0, self.height() - top - bottom),
        )

        def y_of_count(value: float) -> float:
            return plot.bottom() - plot.height() * value / top_value

        def y_of_share(share: float) -> float:
            return plot.bottom() - plot.height() * share

        # grid and left axis (counts)
        painter.setPen(QPen(grid, 1))
        for value in range(0, top_value + 1, step):
            y = y_of_count(value)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(axis)
        for value in range(0, top_value + 1, step):
            y = y_of_count(value)
            painter.drawText(
                QRectF(0, y - line_h / 2, left - 6, line_h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(value),
            )
        # right axis (cumulative share) and the 80 % line
        for share in (0.0, 0.25, 0.5, 0.75, 1.0):
            y = y_of_share(share)
            painter.drawText(
                QRectF(plot.right() + 6, y - line_h / 2, right - 6, line_h),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"{share:.0%}",
            )
        painter.setPen(QPen(LINE, 1, Qt.PenStyle.DashLine))
        y80 = y_of_share(VITAL_SHARE)
        painter.drawLine(QPointF(plot.left(), y80), QPointF(plot.right(), y80))

        # bars
        slot = plot.width() / len(self.bars)
        gap = min(slot * 0.25, 24.0)
        self._bar_rects = []
        points: list[QPointF] = []
        previous = 0.0
        for i, bar in enumerate(self.bars):
            x = plot.left() + i * slot + gap / 2
            rect = QRectF(
                x, y_of_count(bar.count), slot - gap, plot.bottom() - y_of_count(bar.count)
            )
            self._bar_rects.append(rect)
            vital = previous < VITAL_SHARE - 1e-9
            previous = bar.cumulative
            painter.fillRect(rect, BAR if vital else BAR_LIGHT)
            painter.setPen(ink)
            painter.drawText(
                QRectF(rect.left() - 4, rect.top() - line_h - 2, rect.width() + 8, line_h),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                str(bar.count),
            )
            painter.setPen(axis)
            label_rect = QRectF(x - gap / 2 + 2, plot.bottom() + 4, slot - 4, line_h * 2 + 4)
            label = self._fit_label(metrics, bar.category, label_rect.width())
            painter.drawText(
                label_rect,
                Qt.AlignmentFlag.AlignHCenter
                | Qt.AlignmentFlag.AlignTop
                | Qt.TextFlag.TextWordWrap,
                label,
            )
            points.append(QPointF(rect.center().x(), y_of_share(bar.cumulative)))

        # axis line
        painter.setPen(QPen(axis, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())

        # cumulative line with its percentages
        painter.setPen(QPen(LINE, 2))
        painter.drawPolyline(QPolygonF(points))
        painter.setBrush(LINE)
        small = QFont(font)
        small.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        small.setBold(True)
        painter.setFont(small)
        small_metrics = QFontMetricsF(small)
        for point, bar in zip(points, self.bars, strict=True):
            painter.setPen(QPen(LINE, 2))
            painter.setBrush(LINE)  # a filled dot (the halo below changes the brush)
            painter.drawEllipse(point, 3.0, 3.0)
            text = f"{bar.cumulative:.0%}"
            width = small_metrics.horizontalAdvance(text) + 4
            box = QRectF(
                point.x() - width / 2,
                point.y() - small_metrics.height() - 5,
                width,
                small_metrics.height(),
            )
            box.moveTop(max(0.0, box.top()))
            halo = QColor(self.palette().base().color())
            halo.setAlpha(215)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(halo)
            painter.drawRoundedRect(box, 3, 3)
            painter.setPen(tone(Tone.CUMULATIVE, palette))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        painter.end()

    @staticmethod
    def _fit_label(metrics: QFontMetricsF, text: str, width: float) -> str:
        """Up to two wrapped lines; longer names are elided (the tooltip has them whole)."""
        if metrics.horizontalAdvance(text) <= width * 2 - 8:
            return text
        return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width * 2 - 8)

    # -------------------------------------------------------------- events
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            bar = self.bar_at(QPointF(event.pos()))
            if bar is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(
                    event.globalPos(),
                    f"{bar.category}: {bar.count} root cause{'s' if bar.count != 1 else ''} "
                    f"({bar.share:.0%}; {bar.cumulative:.0%} with the bars before)\n"
                    "Click to show this category's actions.",
                    self,
                )
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        bar = self.bar_at(event.position())
        if bar is not None and event.button() == Qt.MouseButton.LeftButton:
            self.categoryClicked.emit(bar.category)
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        over = self.bar_at(event.position()) is not None
        self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)
