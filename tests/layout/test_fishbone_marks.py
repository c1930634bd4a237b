"""The room of the marks on a cause's corners is reserved (issue 13): no evidence mark or
badge touches a line, another label or another cause's mark, in any frame.

Every cause label may carry both marks, the evidence mark on its top-left corner always
and the badge on its top-right corner once it has an action (or is an uncovered root
cause, or blames a person), so the layout keeps room for both on every cause: adding an
action must not move anything (the layout reads only the cause tree and its text, so it
cannot). What is checked is :func:`tests.shapes.crowded_marks`, with the marks' geometry
from :mod:`rca_desk.layout.geometry`, the same the renderer draws with. A cause's own
bone may meet its marks (see there).
"""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rca_desk.interchange.sample import sample_incidents
from rca_desk.layout.fishbone import FishboneLayout, FishboneStyle, layout_fishbone
from rca_desk.layout.geometry import Bone, Label, Rect, Segment
from rca_desk.layout.text import ApproxMetrics, TextBlock, TextCache, TextMetrics
from rca_desk.model import CauseGraph
from tests.conftest import MUTATION_RUN
from tests.layout.test_fishbone_properties import metrics_choices, styles
from tests.shapes import cause_graphs, crowded_marks, fishbone_problems, named_fishbone

#: No frame (the tight layout), a slide (16:9), A4 landscape (sqrt 2), Letter (11:8.5).
FRAMES = [None, 16 / 9, math.sqrt(2), 11 / 8.5]
FRAME_IDS = ["tight", "slide", "a4", "letter"]
_SLOW_DATA = [HealthCheck.too_slow, HealthCheck.data_too_large]


# ------------------------------------------------------------------- the checker
def cause(node: str, rect: Rect) -> Label:
    return Label(node, "cause", rect, TextBlock(("x",), 1.0, 1.0, 12.0), 1, "A")


def hand_made(labels: list[Label], bones: list[Bone]) -> FishboneLayout:
    return FishboneLayout({lb.node: lb for lb in labels}, bones, Rect(-500, -500, 1000, 1000))


# A 40 x 20 label at (0, 0): its evidence mark's square is (-4.5, -4.5) to (4.5, 4.5),
# its badge (28, -6.5) to (43, 6.5).
A = cause("a", Rect(0, 0, 40, 20))


def test_a_clear_layout_has_no_crowded_marks() -> None:
    far = cause("b", Rect(60, 0, 40, 20))  # 20 to the right: 17 past the badge
    rib = Bone("a", "rib", Segment(40, 10, 80, 10))  # a's own rib, under the badge
    assert crowded_marks(hand_made([A, far], [rib])) == []


def test_a_line_through_a_badge_is_found() -> None:
    bone = Bone("category:A", "category", Segment(42, 30, 42, -30))  # 2 right of the box
    assert crowded_marks(hand_made([A], [bone])) == [("a#badge", "bone:category:A")]


def test_a_line_through_an_evidence_mark_is_found() -> None:
    bone = Bone("b", "rib", Segment(-50, -3, -1, -3))  # 3 above the box, ending in the mark
    assert crowded_marks(hand_made([A], [bone])) == [("a#evidence", "bone:b")]


def test_a_cause_s_own_bone_may_meet_its_marks() -> None:
    bone = Bone("a", "rib", Segment(35, -30, 35, 0))  # down onto the box through the badge
    assert crowded_marks(hand_made([A], [bone])) == []


def test_a_badge_over_another_label_and_marks_over_marks_are_found() -> None:
    # b starts 2 right of a's box and 5 lower: a's badge reaches 3 right (to 43, down to
    # 6.5), b's evidence mark 4.5 left and up (from 37.5, 0.5), so a's badge overlaps
    # b's box and b's mark, and b's mark overlaps a's box too.
    b = cause("b", Rect(42, 5, 40, 20))
    assert crowded_marks(hand_made([A, b], [])) == [
        ("a#badge", "b#evidence"),
        ("a#badge", "label:b"),
        ("b#evidence", "a#badge"),
        ("b#evidence", "label:a"),
    ]


def test_a_mark_over_a_title_is_found() -> None:
    title = Label("category:A", "category", Rect(-30, -40, 28, 37), A.block, 0, "A")
    assert crowded_marks(hand_made([A, title], [])) == [("a#evidence", "label:category:A")]


def test_marks_that_only_touch_are_not_crowded() -> None:
    b = cause("b", Rect(47.5, 0, 40, 20))  # a's badge ends at 43, b's mark starts at 43
    bone = Bone("c", "rib", Segment(-100, -6.5, 100, -6.5))  # along the badge's top
    assert crowded_marks(hand_made([A, b], [bone])) == []


# --------------------------------------------------------------------- layouts
def assert_roomy(graph: CauseGraph, layout: FishboneLayout) -> None:
    problems = fishbone_problems(graph, layout)
    assert problems == [], problems[:10]
    crowded = crowded_marks(layout)
    assert crowded == [], crowded[:10]


def sample_graph() -> CauseGraph:
    return sample_incidents(date(2026, 11, 30))[0].graph


@pytest.mark.parametrize("frame", FRAMES, ids=FRAME_IDS)
@pytest.mark.parametrize("name", ["F0", "F1", "F2", "F3", "deep", "sample"])
def test_standard_shapes_keep_the_marks_room_in_every_frame(name: str, frame: float | None) -> None:
    graph = sample_graph() if name == "sample" else named_fishbone(name)
    assert_roomy(graph, layout_fishbone(graph, ApproxMetrics(), frame=frame))


@settings(max_examples=10 if MUTATION_RUN else 30, deadline=None, suppress_health_check=_SLOW_DATA)
@given(
    graph=cause_graphs(max_causes=2000),
    metrics=metrics_choices,
    frame=st.sampled_from(FRAMES),
)
def test_every_tree_up_to_2000_causes_keeps_the_marks_room_in_every_frame(
    graph: CauseGraph, metrics: TextMetrics, frame: float | None
) -> None:
    assert_roomy(graph, layout_fishbone(graph, metrics, cache=TextCache(), frame=frame))


@settings(max_examples=15 if MUTATION_RUN else 150, deadline=None, suppress_health_check=_SLOW_DATA)
@given(
    graph=cause_graphs(max_causes=40),
    metrics=metrics_choices,
    style=styles,
    frame=st.sampled_from(FRAMES),
)
def test_small_trees_keep_the_marks_room_in_any_style(
    graph: CauseGraph, metrics: TextMetrics, style: FishboneStyle, frame: float | None
) -> None:
    """A style's gaps may be smaller than the marks (down to a pixel): the layout keeps
    the marks' room all the same."""
    assert_roomy(graph, layout_fishbone(graph, metrics, style, TextCache(), frame))
