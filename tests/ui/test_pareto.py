"""The Pareto chart draws what it says: bars tallest first at heights in proportion to their
counts, the vital few darker, and the cumulative line through the running shares.

The drawing is checked on the rendered image, read the way a person looks at it (where
are the blue columns, how tall, where are the orange dots), so a chart that computes the
right bars but paints nothing, or paints them at the wrong height, fails.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage

from rca_desk.model.review import ParetoBar
from rca_desk.store import Workspace
from rca_desk.ui.review.dashboard import Dashboard
from rca_desk.ui.review.pareto import BAR, BAR_LIGHT, LINE, ParetoChart, nice_step
from tests.conftest import TODAY

DARK, LIGHT = BAR.rgb(), BAR_LIGHT.rgb()

FOUR_BARS = [
    ParetoBar("Technology", 4, 0.4, 0.4),
    ParetoBar("QC checkpoints", 3, 0.3, 0.7),
    ParetoBar("SOPs", 2, 0.2, 0.9),
    ParetoBar("Training", 1, 0.1, 1.0),
]


@dataclass
class DrawnBar:
    left: int
    right: int
    top: int
    bottom: int
    colour: int

    @property
    def height(self) -> int:
        return self.bottom - self.top + 1

    @property
    def centre(self) -> int:
        return (self.left + self.right) // 2


def rgb(image: QImage, x: int, y: int) -> int:
    return QColor(image.pixel(x, y)).rgb()


def drawn_bars(image: QImage) -> list[DrawnBar]:
    """The bar-coloured columns of the image, left to right."""
    base = next(
        (
            y
            for y in range(image.height() - 1, -1, -1)
            if any(rgb(image, x, y) in (DARK, LIGHT) for x in range(image.width()))
        ),
        None,
    )
    if base is None:
        return []
    runs: list[list[int]] = []
    for x in range(image.width()):
        colour = rgb(image, x, base)
        if colour in (DARK, LIGHT):
            if runs and runs[-1][1] == x - 1 and runs[-1][2] == colour:
                runs[-1][1] = x
            else:
                runs.append([x, x, colour])
    out = []
    for left, right, colour in runs:
        # Two columns inside the bar: the cumulative line may cross one of them.
        tops = []
        for x in (left + 3, right - 3):
            tops.append(min(y for y in range(base + 1) if rgb(image, x, y) == colour))
        out.append(DrawnBar(left, right, min(tops), base, colour))
    return out


def dot_height(image: QImage, bar: DrawnBar) -> int:
    """Where the cumulative line's dot sits above the bar's centre: the lowest run of at
    least five line-coloured pixels in that column (the percentage label is above it)."""
    runs: list[list[int]] = []
    for y in range(image.height()):
        if rgb(image, bar.centre, y) == LINE.rgb():
            if runs and runs[-1][1] == y - 1:
                runs[-1][1] = y
            else:
                runs.append([y, y])
    dots = [(a + b) // 2 for a, b in runs if b - a >= 4]
    assert dots, f"no dot of the cumulative line above x={bar.centre}"
    return bar.bottom - dots[-1]


def assert_draws(chart: ParetoChart, counts: list[int], vital: int, cumulative: list[float]):  # type: ignore[no-untyped-def]
    image = chart.grab().toImage()
    bars = drawn_bars(image)
    assert len(bars) == len(counts)
    assert [b.left for b in bars] == sorted(b.left for b in bars)
    assert [b.colour for b in bars] == [DARK] * vital + [LIGHT] * (len(counts) - vital)
    tallest = bars[0].height
    assert tallest > 60  # a real bar, not a sliver
    for bar, count in zip(bars, counts, strict=True):
        assert bar.height == pytest.approx(tallest * count / counts[0], abs=2)
    dots = [dot_height(image, bar) for bar in bars]
    for dot, share in zip(dots, cumulative, strict=True):
        assert dot / dots[-1] == pytest.approx(share, abs=0.03)


@pytest.fixture
def chart(qtbot) -> ParetoChart:
    widget = ParetoChart()
    qtbot.addWidget(widget)
    widget.resize(600, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_four_bars_are_drawn_in_proportion_with_the_vital_few_darker(chart: ParetoChart) -> None:
    chart.set_bars(FOUR_BARS)
    # Technology 40%, QC 70%, SOPs 90%: those three reach 80%, Training does not
    assert_draws(chart, [4, 3, 2, 1], vital=3, cumulative=[0.4, 0.7, 0.9, 1.0])
    assert chart.accessibleDescription() == (
        "Technology: 4 (40%); QC checkpoints: 3 (30%); SOPs: 2 (20%); Training: 1 (10%)"
    )


def test_the_dashboards_chart_draws_the_workspace(qtbot, review_workspace: Workspace) -> None:
    dashboard = Dashboard(review_workspace, today=lambda: TODAY)
    qtbot.addWidget(dashboard)
    dashboard.resize(1280, 800)
    dashboard.show()
    qtbot.waitExposed(dashboard)
    chart = dashboard.pareto
    assert [(b.category, b.count) for b in chart.bars] == [
        ("Technology", 4),
        ("QC checkpoints", 3),
        ("SOPs", 2),
        ("Training", 1),
    ]
    assert_draws(chart, [4, 3, 2, 1], vital=3, cumulative=[0.4, 0.7, 0.9, 1.0])
    dashboard.pareto_period.setCurrentIndex(dashboard.pareto_period.findText("Last 12 months"))
    # Technology 3 (60%), QC checkpoints 1 (80%), SOPs 1: the first two make the 80%
    assert_draws(chart, [3, 1, 1], vital=2, cumulative=[0.6, 0.8, 1.0])


def test_an_empty_chart_draws_no_bars_but_says_why(chart: ParetoChart) -> None:
    chart.set_bars([])
    image = chart.grab().toImage()
    assert drawn_bars(image) == []
    assert chart.empty_text == "No root causes marked yet."
    # the message is drawn: some pixels differ from the background
    background = rgb(image, 1, 1)
    assert any(rgb(image, x, image.height() // 2) != background for x in range(image.width()))


def test_a_single_bar_is_the_whole_share(chart: ParetoChart) -> None:
    chart.set_bars([ParetoBar("Training", 2, 1.0, 1.0)])
    bars = drawn_bars(chart.grab().toImage())
    assert len(bars) == 1 and bars[0].colour == DARK


def test_a_click_on_a_bar_names_its_category(qtbot, chart: ParetoChart) -> None:
    chart.set_bars(FOUR_BARS)
    bars = drawn_bars(chart.grab().toImage())
    third = QPoint(bars[2].centre, bars[2].bottom - 5)
    with qtbot.waitSignal(chart.categoryClicked) as clicked:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=third)
    assert clicked.args == ["SOPs"]
    # above the bar, in its column, still counts (short bars are easy to hit)
    with qtbot.waitSignal(chart.categoryClicked) as clicked:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=QPoint(bars[3].centre, 5))
    assert clicked.args == ["Training"]
    gap = QPoint((bars[0].right + bars[1].left) // 2, bars[0].bottom - 5)
    with qtbot.assertNotEmitted(chart.categoryClicked):
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=gap)
    assert chart.bar_at(gap) is None


@pytest.mark.parametrize(
    ("maximum", "step"), [(1, 1), (6, 1), (7, 2), (12, 2), (13, 5), (30, 5), (31, 10), (120, 20)]
)
def test_the_count_axis_steps_are_round(maximum: int, step: int) -> None:
    assert nice_step(maximum) == step
