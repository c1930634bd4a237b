"""Rules every fishbone layout keeps, for every cause tree hypothesis can think of.

Trees go up to 2,000 causes: random parents, very deep chains, wide fans, one category
holding 90% of the causes; labels long, one character, multi-line, CJK or arbitrary
text. What is checked is :func:`tests.shapes.fishbone_problems`: no label overlaps
another, no bone crosses a label, every cause drawn once on its own category's bone or
its parent's rib, finite coordinates inside the bounds, the head anchored.
"""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rca_desk.layout.fishbone import FishboneStyle, layout_fishbone
from rca_desk.layout.text import ApproxMetrics, TextCache, TextMetrics
from rca_desk.model import CauseGraph
from tests.conftest import MUTATION_RUN
from tests.shapes import (
    AWKWARD_LABELS,
    CATEGORY_NAMES,
    cause_graphs,
    cause_text,
    fishbone_problems,
    random_tree,
)


class UnevenMetrics:
    """A font unlike :class:`ApproxMetrics`: every character has its own width (some
    zero, some very wide) and lines are spaced loosely, so the layout cannot lean on
    one font's proportions."""

    def __init__(self, scale: float) -> None:
        self.scale = scale

    def width(self, text: str, size: float) -> float:
        total = 0.0
        for ch in text:
            if unicodedata.combining(ch):
                continue
            total += (0.25 + (ord(ch) * 37 % 11) / 8) * (2 if ord(ch) > 0x2E80 else 1)
        return total * size * self.scale

    def line_height(self, size: float) -> float:
        return size * (1.1 + self.scale / 2)


metrics_choices = st.one_of(
    st.just(ApproxMetrics()),
    st.floats(0.3, 1.5).map(UnevenMetrics),
)

styles = st.one_of(
    st.just(FishboneStyle()),
    st.builds(
        FishboneStyle,
        bone_angle=st.floats(5, 90),
        gap=st.floats(1, 30),
        stack_gap=st.floats(1, 20),
        bone_spacing=st.floats(0, 40),
        min_rib=st.floats(0, 40),
        leaf_bone=st.floats(1, 60),
        empty_bone=st.floats(1, 100),
        depth1_max_width=st.floats(1, 400),
        deeper_max_width=st.floats(1, 400),
        head_max_width=st.floats(1, 400),
    ),
)

_SLOW_DATA = [HealthCheck.too_slow, HealthCheck.data_too_large]


def assert_sound(graph: CauseGraph, metrics: TextMetrics, style: FishboneStyle) -> None:
    layout = layout_fishbone(graph, metrics, style, cache=TextCache())
    problems = fishbone_problems(graph, layout)
    assert problems == [], problems[:10]


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=_SLOW_DATA)
@given(graph=cause_graphs(max_causes=2000), metrics=metrics_choices)
def test_every_tree_up_to_2000_causes_lays_out_cleanly(
    graph: CauseGraph, metrics: TextMetrics
) -> None:
    assert_sound(graph, metrics, FishboneStyle())


@settings(max_examples=15 if MUTATION_RUN else 150, deadline=None, suppress_health_check=_SLOW_DATA)
@given(graph=cause_graphs(max_causes=40), metrics=metrics_choices, style=styles)
def test_small_trees_lay_out_cleanly_in_any_style(
    graph: CauseGraph, metrics: TextMetrics, style: FishboneStyle
) -> None:
    """Small trees are where odd corners show (one cause, empty bones, a head wider than
    everything else), and cheap enough to try with many styles and fonts."""
    assert_sound(graph, metrics, style)


@pytest.mark.slow
@pytest.mark.parametrize("skewed", [False, True], ids=["even", "skewed"])
@pytest.mark.parametrize("shape", ["random", "chain", "fan", "recent", "bushy"])
def test_each_tree_shape_at_2000_causes_lays_out_cleanly(shape: str, skewed: bool) -> None:
    """Every shape the strategy knows, at full size, whatever hypothesis happens to draw:
    chains about 1,900 deep, fans of several hundred, 90% of causes in one category."""
    rng = random.Random(shape)
    labels = [cause_text(rng) for _ in range(30)] + list(AWKWARD_LABELS)
    graph = random_tree(
        2000, list(CATEGORY_NAMES[:7]), labels, shape=shape, skewed=skewed, seed=len(shape)
    )
    assert len(graph) == 2000
    assert_sound(graph, ApproxMetrics(), FishboneStyle())
