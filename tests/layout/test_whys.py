"""Five-whys layout on small hand-made graphs, with exact expected positions and routes.

The metrics are :class:`ApproxMetrics` at 10 px: every character 6 px wide, lines 12.5 px
apart, so a one-line label is 20.5 px tall (text plus 4 px padding each side).
"""

from __future__ import annotations

import random
from datetime import date

import pytest

from rca_desk.interchange.sample import sample_incidents
from rca_desk.layout.geometry import Bone, Rect, Segment
from rca_desk.layout.text import ApproxMetrics, TextCache, wrap
from rca_desk.layout.whys import WhysLayout, WhysStyle, layout_whys, question_node
from rca_desk.model import HEAD, CauseGraph
from tests.layout.test_whys_properties import check_layout, decorate
from tests.shapes import random_tree

METRICS = ApproxMetrics()
STYLE = WhysStyle(
    size=10.0,
    head_size=10.0,
    question_size=10.0,
    max_text_width=120.0,
    head_max_text_width=120.0,
    head_width_factor=1.0,
    level_gap=40.0,
    sibling_gap=10.0,
    subtree_gap=20.0,
    lane_step=5.0,
)
H = 20.5  # a one-line label's height


def width(text: str) -> float:
    return 6.0 * len(text) + 8.0


def centre_y(rect: Rect) -> float:
    return rect.y + rect.h / 2


def whys(graph: CauseGraph, style: WhysStyle = STYLE) -> WhysLayout:
    layout = layout_whys(graph, METRICS, style)
    check_layout(graph, layout, style)
    return layout


def test_only_the_problem() -> None:
    layout = whys(CauseGraph("P"))
    assert list(layout.labels) == [HEAD]
    head = layout.labels[HEAD]
    assert head.kind == "head" and head.depth == 0 and head.category is None
    assert head.rect == Rect(0.0, -H / 2, width("P"), H)
    assert layout.bones == []
    assert layout.bounds == head.rect
    assert layout.columns == [(0.0, width("P"))]


def test_a_chain_reads_straight_across_in_columns() -> None:
    graph = CauseGraph("Problem")
    graph.add_cause(HEAD, text="aa", cause_id="a")
    graph.add_cause("a", text="bbb", cause_id="b", root_cause=True)
    layout = whys(graph)
    head, a, b = (layout.labels[n].rect for n in (HEAD, "a", "b"))
    assert a == Rect(width("Problem") + 40, -H / 2, width("aa"), H)
    assert b == Rect(a.right + 40, -H / 2, width("bbb"), H)
    assert [layout.labels[n].depth for n in (HEAD, "a", "b")] == [0, 1, 2]
    assert layout.bones == [
        Bone("a", "primary", Segment(head.right, 0.0, a.x, 0.0)),
        Bone("b", "primary", Segment(a.right, 0.0, b.x, 0.0)),
    ]
    assert layout.bounds == Rect(0.0, -H / 2, b.right, H)


def test_an_unfinished_chain_ends_in_an_open_question() -> None:
    graph = CauseGraph("Problem", categories=["Tools", "People"])
    graph.add_cause(HEAD, text="aa", cause_id="a", category="People")
    graph.add_cause("a", text="bbb", cause_id="b")
    layout = whys(graph)
    q = layout.labels[question_node("b")]
    b = layout.labels["b"].rect
    assert q.node == "?b" and q.kind == "question"
    assert q.block.lines == ("Why?",)
    assert q.category == "People" and q.depth == 3
    assert q.rect == Rect(b.right + 40, -H / 2, width("Why?"), H)
    assert layout.bones[-1] == Bone("?b", "primary", Segment(b.right, 0.0, q.rect.x, 0.0))
    # A root cause ends its chain; a root cause with answers below it is not a leaf.
    graph.update_cause("b", root_cause=True)
    assert question_node("b") not in whys(graph).labels
    graph.update_cause("a", root_cause=True)
    graph.update_cause("b", root_cause=False)
    assert set(whys(graph).labels) == {HEAD, "a", "b", "?b"}
    # So does a stop reason: the team said why it asks no further.
    graph.update_cause("b", stop_reason="The carrier's depot is outside our control")
    assert set(whys(graph).labels) == {HEAD, "a", "b"}


def test_several_answers_branch_and_the_parent_is_centred() -> None:
    graph = CauseGraph("P")
    for name in "abc":
        graph.add_cause(HEAD, text=name * 2, cause_id=name, root_cause=True)
    layout = whys(graph)
    ys = [centre_y(layout.labels[n].rect) for n in "abc"]
    assert ys == pytest.approx([-(H + 10), 0.0, H + 10])
    head = layout.labels[HEAD].rect
    bus = head.right + 20  # the middle of the gap between the columns
    assert layout.bones == [
        Bone(HEAD, "primary", Segment(head.right, 0.0, bus, 0.0)),
        Bone(HEAD, "primary", Segment(bus, ys[0], bus, ys[2])),
        *(
            Bone(n, "primary", Segment(bus, y, layout.labels[n].rect.x, y))
            for n, y in zip("abc", ys, strict=True)
        ),
    ]


def test_a_taller_label_pushes_its_neighbours_by_half_its_height() -> None:
    graph = CauseGraph("P")
    graph.add_cause(HEAD, text="x\ny\nz", cause_id="a", root_cause=True)
    graph.add_cause(HEAD, text="b", cause_id="b", root_cause=True)
    layout = whys(graph)
    a, b = layout.labels["a"].rect, layout.labels["b"].rect
    assert a.h == 3 * 12.5 + 8
    assert centre_y(b) - centre_y(a) == pytest.approx((a.h + b.h) / 2 + 10)
    assert b.y - a.bottom == pytest.approx(10.0)


def test_cousins_are_kept_a_subtree_gap_apart() -> None:
    graph = CauseGraph("P")
    graph.add_cause(HEAD, text="a", cause_id="a")
    graph.add_cause(HEAD, text="b", cause_id="b")
    graph.add_cause("a", text="a1", cause_id="a1", root_cause=True)
    graph.add_cause("b", text="b1", cause_id="b1", root_cause=True)
    layout = whys(graph)
    y = {n: centre_y(layout.labels[n].rect) for n in ("a", "b", "a1", "b1")}
    # a1 and b1 have different parents: 20.5 + 20 apart, more than siblings would need.
    assert y == pytest.approx({"a": -20.25, "b": 20.25, "a1": -20.25, "b1": 20.25})


def test_long_text_wraps_at_the_style_width() -> None:
    text = "the nightly backup held a lock that the payroll export waited on for hours"
    graph = CauseGraph("P")
    graph.add_cause(HEAD, text=text, cause_id="a", root_cause=True)
    label = whys(graph).labels["a"]
    assert label.block == wrap(text, METRICS, 10.0, 120.0)
    assert len(label.block.lines) > 1
    assert label.rect.w == label.block.width + 8 <= 128
    assert label.rect.h == len(label.block.lines) * 12.5 + 8


def test_the_bold_head_gets_a_wider_box() -> None:
    graph = CauseGraph("Payroll late")
    style = WhysStyle(head_size=10.0, head_width_factor=1.5)
    head = layout_whys(graph, METRICS, style).labels[HEAD]
    assert head.rect.w == pytest.approx(head.block.width * 1.5 + 8)


# ---------------------------------------------------------------- secondary links
def linked_graph() -> CauseGraph:
    """P -> a -> a1, P -> b -> b1, every leaf a root cause (no questions)."""
    graph = CauseGraph("P")
    graph.add_cause(HEAD, text="a", cause_id="a")
    graph.add_cause(HEAD, text="b", cause_id="b")
    graph.add_cause("a", text="a1", cause_id="a1", root_cause=True)
    graph.add_cause("b", text="b1", cause_id="b1", root_cause=True)
    return graph


def route(layout: WhysLayout, cause: str) -> list[Segment]:
    return [b.segment for b in layout.bones if b.kind == "contributes" and b.owner == cause]


def test_a_link_to_the_next_column_leaves_right_and_enters_left() -> None:
    graph = linked_graph()
    graph.add_link("a", "b1")
    layout = whys(graph)
    a, b1 = layout.labels["a"].rect, layout.labels["b1"].rect
    x, w = layout.columns[1]
    lane = x + w + 20 + 5  # first lane: one step beside the bus
    # Both ends carry a primary connector at their centre: the link attaches off-centre,
    # on the side facing the other end.
    ya, yb = a.y + 2 * a.h / 3, b1.y + b1.h / 3
    assert route(layout, "b1") == [
        Segment(a.right, ya, lane, ya),
        Segment(lane, ya, lane, yb),
        Segment(lane, yb, b1.x, yb),
    ]


def test_a_link_back_to_an_earlier_column_leaves_left_and_enters_right() -> None:
    graph = linked_graph()
    graph.add_link("a1", "b")
    layout = whys(graph)
    a1, b = layout.labels["a1"].rect, layout.labels["b"].rect
    pieces = route(layout, "b")
    assert (pieces[0].x1, pieces[-1].x2) == (a1.x, b.right)
    x, w = layout.columns[1]
    assert all(x + w < p.x1 < a1.x for p in pieces[1:])  # the rest runs in the gap


def test_a_link_within_one_column_turns_in_the_gap_to_its_right() -> None:
    graph = linked_graph()
    graph.add_link("a", "b")
    layout = whys(graph)
    a, b = layout.labels["a"].rect, layout.labels["b"].rect
    pieces = route(layout, "b")
    assert len(pieces) == 3
    assert (pieces[0].x1, pieces[-1].x2) == (a.right, b.right)
    assert a.right < pieces[1].x1 < layout.columns[2][0]


def test_a_link_crosses_a_column_through_the_gap_between_its_labels() -> None:
    graph = linked_graph()
    graph.add_link(HEAD, "b1")
    layout = whys(graph)
    a, b = layout.labels["a"].rect, layout.labels["b"].rect
    x, w = layout.columns[1]
    crossing = [p for p in route(layout, "b1") if p.y1 == p.y2 and p.x1 < x and p.x2 > x + w]
    assert len(crossing) == 1
    assert crossing[0].y1 == pytest.approx((a.bottom + b.y) / 2)


def test_two_links_into_one_label_get_their_own_lanes_and_ends() -> None:
    graph = linked_graph()
    graph.add_link("a", "b1")
    graph.add_link(HEAD, "b1")
    layout = whys(graph)
    pieces = route(layout, "b1")
    b1 = layout.labels["b1"].rect
    ends = {(p.x2, p.y2) for p in pieces if p.x2 == b1.x}
    assert len(ends) == 2  # two distinct attachment points on b1's left edge
    lanes = {p.x1 for p in pieces if p.x1 == p.x2 and p.x1 > layout.columns[1][0]}
    assert len(lanes) == 2


# ------------------------------------------------------------------ behaviour
def test_the_head_does_not_move_when_causes_are_added() -> None:
    graph = linked_graph()
    before = whys(graph).labels[HEAD].rect
    for i in range(5):
        graph.add_cause("b1", text=f"more {i}" * (i + 1), cause_id=f"m{i}")
    graph.add_cause(HEAD, text="another first why", cause_id="z", index=0)
    assert whys(graph).labels[HEAD].rect == before


def test_children_keep_the_order_of_the_model() -> None:
    graph = CauseGraph("P")
    for name in ("c", "a", "b"):
        graph.add_cause(HEAD, text=name, cause_id=name)
    graph.move_cause("b", HEAD, 0)
    layout = whys(graph)
    assert sorted("bca", key=lambda n: layout.labels[n].rect.y) == ["b", "c", "a"]


class CountingMetrics(ApproxMetrics):
    def __init__(self) -> None:
        self.measured: list[str] = []

    def width(self, text: str, size: float) -> float:
        self.measured.append(text)
        return super().width(text, size)


def test_relayout_after_an_edit_rewraps_only_the_changed_label() -> None:
    graph = linked_graph()
    metrics = CountingMetrics()
    cache = TextCache()
    first = layout_whys(graph, metrics, STYLE, cache=cache)
    assert metrics.measured  # the cold layout measured every label
    metrics.measured.clear()
    assert layout_whys(graph, metrics, STYLE, cache=cache) == first
    assert metrics.measured == []  # nothing changed, nothing measured
    graph.update_cause("b1", text="a new and much longer answer to why")
    layout_whys(graph, metrics, STYLE, cache=cache)
    assert metrics.measured
    assert all(text in "a new and much longer answer to why" for text in metrics.measured)


def test_the_sample_incident() -> None:
    graph = sample_incidents(date(2026, 11, 23))[0].graph
    assert graph.links()  # the sample shows a secondary connector
    layout = whys(graph, WhysStyle())
    assert {b.kind for b in layout.bones} == {"primary", "contributes"}


@pytest.mark.slow
def test_a_3000_deep_chain() -> None:
    graph = CauseGraph("P")
    parent = HEAD
    for i in range(3000):
        parent = graph.add_cause(parent, text=f"why {i}", cause_id=f"c{i}")
    layout = whys(graph)
    assert len(layout.labels) == 3002  # with the open question at the end
    assert layout.labels["?c2999"].depth == 3001
    assert all(centre_y(label.rect) == 0.0 for label in layout.labels.values())
    # A side answer half-way down, and links that run forwards and back over a thousand
    # columns.
    graph.add_cause("c1500", text="side", cause_id="side", root_cause=True)
    graph.add_link("c10", "c2999")
    graph.add_link("c2500", "side")
    layout = whys(graph)
    assert layout.labels["side"].depth == 1502


@pytest.mark.slow
def test_3000_random_causes_with_links() -> None:
    pool = ["x", "漢字の説明文がここに入ります", "first line\nsecond line", "word " * 60]
    graph = random_tree(3000, ["A", "B", "C"], pool, seed=11)
    decorate(graph, seed=5, root_share=0.3, links=40)
    assert len(graph.links()) > 20
    layout = whys(graph, WhysStyle())
    assert layout == layout_whys(graph, METRICS, WhysStyle(), cache=TextCache())


def test_fan_out_three_depth_five() -> None:
    rng = random.Random(3)
    graph = CauseGraph("P")
    level = [HEAD]
    for depth in range(5):
        level = [
            graph.add_cause(p, text="why " * rng.randint(1, 30), root_cause=depth == 4)
            for p in level
            for _ in range(3)
        ]
    layout = whys(graph, WhysStyle())
    assert len(layout.labels) == 364
    assert len(layout.columns) == 6
