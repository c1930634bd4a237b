"""The fishbone's spacing rules, measured on small diagrams.

Every expectation is worked out by hand from the default style (gap 12, stack gap 8, bone
spacing 14, leaf bone 16, empty bone 64, spine tail 28, bones at 62 degrees) and the
approximate font (a character is 0.6 em wide, a line 1.25 em tall, labels padded by 4 on
every side). So a one-letter head at 17 px is 0.6 * 17 + 8 = 18.2 wide and
1.25 * 17 + 8 = 29.25 tall; a one-letter category title at 14 px is 16.4 by 25.5; a
one-letter cause is 15.2 by 23 at 12 px (depth 1) and 14.6 by 21.75 at 11 px (depth 2).
"""

from __future__ import annotations

import math

import pytest

from rca_desk.layout.fishbone import FishboneLayout, FishboneStyle, layout_fishbone
from rca_desk.layout.geometry import Rect, Segment, category_node
from rca_desk.layout.text import ApproxMetrics
from rca_desk.model import HEAD, CauseGraph

#: How far a bone at 62 degrees leans per pixel of height.
K = 1 / math.tan(math.radians(62))


def fishbone(graph: CauseGraph, style: FishboneStyle | None = None) -> FishboneLayout:
    return layout_fishbone(graph, ApproxMetrics(), style or FishboneStyle())


def bone(layout: FishboneLayout, owner: str) -> Segment:
    (found,) = [b.segment for b in layout.bones if b.owner == owner]
    return found


def rect(layout: FishboneLayout, node: str) -> Rect:
    return layout.labels[node].rect


def approx(value: float) -> object:
    return pytest.approx(value, abs=1e-6)


def empty_fishbone() -> FishboneLayout:
    return fishbone(CauseGraph(problem="P", categories=["A", "B", "C"]))


def test_the_head_ends_at_zero_centred_on_the_spine() -> None:
    layout = empty_fishbone()
    assert rect(layout, HEAD) == Rect(-18.2, -14.625, 18.2, 29.25)
    assert layout.labels[HEAD].kind == "head"
    assert layout.labels[HEAD].block.size == 17.0


def test_the_first_bones_start_a_gap_left_of_the_head() -> None:
    layout = empty_fishbone()
    # A above the spine, B below it, both based 12 left of the head's left edge.
    assert bone(layout, category_node("A")) == Segment(-30.2, 0.0, approx(-30.2 - 64 * K), -64.0)
    assert bone(layout, category_node("B")) == Segment(-30.2, 0.0, approx(-30.2 - 64 * K), 64.0)


def test_an_empty_category_bone_is_64_tall_with_its_title_at_the_end() -> None:
    layout = empty_fishbone()
    end = -30.2 - 64 * K
    # Centred on the bone's end: above the end for a bone above the spine, below it for
    # one below.
    assert rect(layout, category_node("A")) == Rect(approx(end - 8.2), -89.5, 16.4, 25.5)
    assert rect(layout, category_node("B")) == Rect(approx(end - 8.2), 64.0, 16.4, 25.5)
    title = layout.labels[category_node("A")]
    assert (title.kind, title.depth, title.category, title.block.size) == (
        "category",
        0,
        "A",
        14.0,
    )


def test_titles_on_one_side_keep_a_gap_between_them() -> None:
    layout = empty_fishbone()
    a, c = rect(layout, category_node("A")), rect(layout, category_node("C"))
    assert a.x - c.right == approx(12.0)
    assert a.y == c.y
    # So C's bone is based 28.4 further out: the title's width plus the gap.
    assert bone(layout, category_node("C")).x1 == approx(-30.2 - 28.4)


def test_the_spine_runs_from_the_head_to_28_past_the_last_bone() -> None:
    layout = empty_fishbone()
    assert bone(layout, HEAD) == Segment(approx(-30.2 - 28.4 - 28), 0.0, -18.2, 0.0)
    assert [b.kind for b in layout.bones if b.owner == HEAD] == ["spine"]
    assert layout.bounds == Rect(
        approx(-30.2 - 28.4 - 64 * K - 8.2), -89.5, approx(30.2 + 28.4 + 64 * K + 8.2), 179.0
    )


def one_cause() -> CauseGraph:
    graph = CauseGraph(problem="P", categories=["A", "B", "C"])
    graph.add_cause(HEAD, text="x", category="A", cause_id="x")
    return graph


def test_a_first_cause_hangs_a_gap_off_the_spine_tucked_under_its_bone() -> None:
    layout = fishbone(one_cause())
    label = rect(layout, "x")
    assert (label.w, label.h) == (approx(15.2), approx(23.0))
    assert label.bottom == approx(-12.0)  # a gap above the spine
    # Its top right corner would meet the category bone (at x = -30.2 - 35 K there), but
    # the badge on that corner stands out 3 right and 6.5 up, where the bone is 6.5 K
    # further left: so the label keeps 3 + 6.5 K clear of the bone, the badge's room
    # (issue 13; this was -30.2 - 35 K before the room was reserved).
    assert label.right == approx(-30.2 - 41.5 * K - 3)
    rib = bone(layout, "x")
    assert rib == Segment(approx(label.right), -23.5, approx(-30.2 - 23.5 * K), -23.5)
    assert layout.labels["x"].kind == "cause"
    assert (layout.labels["x"].depth, layout.labels["x"].category) == (1, "A")


def test_a_category_bone_runs_a_stack_gap_past_its_last_cause() -> None:
    layout = fishbone(one_cause())
    # gap 12 + the label's 23 + stack gap 8
    assert bone(layout, category_node("A")) == Segment(-30.2, 0.0, approx(-30.2 - 43 * K), -43.0)


def test_causes_on_one_bone_stack_a_stack_gap_apart_first_nearest_the_spine() -> None:
    graph = one_cause()
    graph.add_cause(HEAD, text="y", category="A", cause_id="y")
    layout = fishbone(graph)
    x, y = rect(layout, "x"), rect(layout, "y")
    assert x.y - y.bottom == approx(8.0)
    # Its badge's room, as for x (less the 1e-6 each block keeps off the bone).
    assert y.right == pytest.approx(-30.2 - 72.5 * K - 3, abs=2e-6)
    assert bone(layout, category_node("A")).y2 == approx(-74.0)


def test_causes_below_the_spine_mirror_those_above() -> None:
    graph = CauseGraph(problem="P", categories=["A", "B"])
    graph.add_cause(HEAD, text="x", category="B", cause_id="x")
    layout = fishbone(graph)
    label = rect(layout, "x")
    assert label.y == approx(12.0)
    # The badge's room too, although the badge is on the corner away from the bone here:
    # a half packs the same above or below, so a frame can move a category across.
    assert label.right == approx(-30.2 - 41.5 * K - 3)
    assert bone(layout, category_node("B")).y2 == approx(43.0)


def test_a_sub_cause_is_a_short_diagonal_bone_off_its_parent_rib() -> None:
    graph = one_cause()
    graph.add_cause("x", text="y", cause_id="y")
    layout = fishbone(graph)
    rib, sub = bone(layout, "x"), bone(layout, "y")
    assert rib.x1 < sub.x1 < rib.x2
    assert sub.y1 == rib.y1
    # A leaf's own bone is 16 tall, leaning away from the head, its label on top.
    assert sub.y2 == approx(sub.y1 - 16.0)
    assert sub.x2 == approx(sub.x1 - 16 * K)
    label = rect(layout, "y")
    assert (label.w, label.h) == (approx(14.6), approx(21.75))
    assert label.bottom == approx(sub.y2)
    assert label.center[0] == approx(sub.x2)
    assert layout.labels["y"].depth == 2
    # The parent's label keeps a gap left of its child's.
    assert label.x - rect(layout, "x").right == approx(12.0)


def test_two_leaves_on_a_rib_take_both_sides() -> None:
    graph = one_cause()
    graph.add_cause("x", text="y", cause_id="y")
    graph.add_cause("x", text="z", cause_id="z")
    layout = fishbone(graph)
    rib, y, z = bone(layout, "x"), bone(layout, "y"), bone(layout, "z")
    assert y.y2 == approx(rib.y1 - 16.0)  # first child up
    assert z.y2 == approx(rib.y1 + 16.0)  # second, a leaf, down
    assert z.x1 == approx(y.x1)  # each side packs from the same place on the rib


def test_bigger_gaps_push_things_further_apart() -> None:
    style = FishboneStyle(gap=20.0, stack_gap=10.0, spine_tail=40.0, empty_bone=80.0)
    layout = fishbone(one_cause(), style)
    assert bone(layout, category_node("A")).x1 == approx(-38.2)
    assert rect(layout, "x").bottom == approx(-20.0)
    assert bone(layout, category_node("A")).y2 == approx(-53.0)  # 20 + 23 + 10
    assert bone(layout, category_node("B")).y2 == approx(80.0)
    c = bone(layout, category_node("C")).x1
    assert bone(layout, HEAD).x1 == approx(c - 40.0)


def test_steeper_bones_lean_less() -> None:
    layout = fishbone(CauseGraph(problem="P", categories=["A"]), FishboneStyle(bone_angle=90))
    assert bone(layout, category_node("A")) == Segment(-30.2, 0.0, approx(-30.2), -64.0)
