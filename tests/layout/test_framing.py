"""The style search for a frame (issue 13): every candidate keeps the layout's rules, the
winner's smallest cause text after fitting is never below the tight layout's, big
incidents skip the search, and the choice is deterministic."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rca_desk.layout.fishbone import DEFAULT_STYLE, layout_fishbone
from rca_desk.layout.framing import SEARCH_LIMIT, fitted_text, framed_style, layout_for_frame
from rca_desk.layout.text import ApproxMetrics, TextCache, TextMetrics
from rca_desk.model import CauseGraph
from tests.conftest import MUTATION_RUN
from tests.layout.test_fishbone_frames import FRAMES, sample_graph, sixty_graph
from tests.layout.test_fishbone_properties import metrics_choices
from tests.shapes import cause_graphs, fishbone_problems, standard_fishbone

METRICS = ApproxMetrics()


@settings(
    max_examples=8 if MUTATION_RUN else 40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    graph=cause_graphs(max_causes=SEARCH_LIMIT),
    metrics=metrics_choices,
    frame=st.sampled_from(FRAMES),
)
def test_the_chosen_style_keeps_every_rule_and_never_reads_smaller(
    graph: CauseGraph, metrics: TextMetrics, frame: float
) -> None:
    cache = TextCache()
    chosen = layout_for_frame(graph, metrics, frame, cache)
    assert fishbone_problems(graph, chosen) == []
    tight = layout_fishbone(graph, metrics, cache=cache)
    assert fitted_text(chosen, frame) >= fitted_text(tight, frame) * (1 - 1e-9)


def test_the_sample_and_the_sixty_causes_gain_a_third_or_more() -> None:
    for graph in (sample_graph(), sixty_graph()):
        tight = layout_fishbone(graph, METRICS)
        chosen = layout_for_frame(graph, METRICS, 16 / 9)
        assert fitted_text(chosen, 16 / 9) > fitted_text(tight, 16 / 9) * 1.3
        # One size for every cause on a slide: the back row reads the smallest.
        assert len({lb.block.size for lb in chosen.labels.values() if lb.kind == "cause"}) == 1


def test_a_big_incident_only_shares_its_bones_out() -> None:
    graph = standard_fishbone(8, 10, 5)  # 480 causes
    assert graph.nx.number_of_nodes() - 1 > SEARCH_LIMIT
    chosen = layout_for_frame(graph, METRICS, 16 / 9)
    arranged = layout_fishbone(graph, METRICS, DEFAULT_STYLE, frame=16 / 9)
    assert chosen == arranged


def test_the_choice_is_deterministic() -> None:
    graph = sixty_graph()
    first = layout_for_frame(graph, METRICS, math.sqrt(2))
    again = layout_for_frame(graph, METRICS, math.sqrt(2), TextCache())
    assert first == again


def test_a_framed_style_gives_every_cause_the_first_level_size() -> None:
    style = framed_style(120.0, 200.0, 70.0, 130.0)
    assert {style.size(d) for d in (1, 2, 3, 7)} == {DEFAULT_STYLE.depth1_size}
    assert (style.max_width(1), style.max_width(2), style.max_width(3)) == (120.0, 200.0, 120.0)
    assert (style.bone_angle, style.head_max_width) == (70.0, 130.0)
