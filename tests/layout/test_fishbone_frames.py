"""A fishbone laid out for a frame (issue 13): the category bones are shared between the
halves so the picture fits the frame's shape, the rules of every layout still hold, and
the text after fitting is never smaller than the tight layout's after the same fit."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rca_desk.interchange.json_format import parse_document
from rca_desk.interchange.sample import sample_incidents
from rca_desk.layout.fishbone import FishboneLayout, layout_fishbone
from rca_desk.layout.geometry import category_node
from rca_desk.layout.text import ApproxMetrics, TextCache, TextMetrics
from rca_desk.model import HEAD, CauseGraph
from tests.conftest import MUTATION_RUN
from tests.layout.test_fishbone_properties import metrics_choices
from tests.shapes import cause_graphs, fishbone_problems

#: Slide (16:9), A4 landscape (sqrt 2) and Letter landscape (11:8.5).
FRAMES = [16 / 9, math.sqrt(2), 11 / 8.5]
METRICS = ApproxMetrics()
FIXTURE = Path(__file__).parents[1] / "data" / "diagrams" / "sixty-causes.json"


def fitted(layout: FishboneLayout, frame: float) -> float:
    """The scale at which the layout fits a frame of height 1 and width ``frame``."""
    b = layout.bounds
    return min(frame / b.w, 1 / b.h)


def sample_graph() -> CauseGraph:
    return sample_incidents(date(2026, 11, 30))[0].graph


def sixty_graph() -> CauseGraph:
    [incident] = parse_document(json.loads(FIXTURE.read_text("utf-8")), source=FIXTURE.name)
    return incident.graph


@settings(
    max_examples=10 if MUTATION_RUN else 60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    graph=cause_graphs(max_causes=2000),
    metrics=metrics_choices,
    frame=st.sampled_from(FRAMES),
)
def test_a_framed_layout_keeps_every_rule_and_never_fits_smaller(
    graph: CauseGraph, metrics: TextMetrics, frame: float
) -> None:
    cache = TextCache()
    tight = layout_fishbone(graph, metrics, cache=cache)
    framed = layout_fishbone(graph, metrics, cache=cache, frame=frame)
    problems = fishbone_problems(graph, framed)
    assert problems == [], problems[:10]
    assert fitted(framed, frame) >= fitted(tight, frame) * (1 - 1e-9)
    # The same labels, text and sizes: only where the category bones stand changed.
    assert {n: (lb.block, lb.depth) for n, lb in framed.labels.items()} == {
        n: (lb.block, lb.depth) for n, lb in tight.labels.items()
    }


def test_the_sample_fits_a_slide_with_larger_text() -> None:
    graph = sample_graph()
    tight = layout_fishbone(graph, METRICS)
    framed = layout_fishbone(graph, METRICS, frame=16 / 9)
    assert fitted(framed, 16 / 9) > fitted(tight, 16 / 9) * 1.15
    b = framed.bounds
    assert abs(b.w / b.h - 16 / 9) < abs(tight.bounds.w / tight.bounds.h - 16 / 9)


@pytest.mark.parametrize("frame", FRAMES)
def test_each_half_keeps_the_categories_order_from_the_head(frame: float) -> None:
    graph = sample_graph()
    layout = layout_fishbone(graph, METRICS, frame=frame)
    for above in (True, False):
        names = [
            name
            for name in graph.categories
            if (layout.labels[category_node(name)].rect.center[1] < 0) == above
        ]
        xs = [layout.labels[category_node(name)].rect.center[0] for name in names]
        assert xs == sorted(xs, reverse=True)  # the earlier, the nearer the head


def test_the_head_stays_put_in_a_frame() -> None:
    graph = sixty_graph()
    for frame in (None, *FRAMES):
        head = layout_fishbone(graph, METRICS, frame=frame).labels[HEAD].rect
        assert head.right == pytest.approx(0) and head.center[1] == pytest.approx(0)
