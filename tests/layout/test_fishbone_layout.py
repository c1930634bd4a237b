"""What a fishbone looks like and how it behaves when the graph changes."""

from __future__ import annotations

import gc
import hashlib
import itertools
import subprocess
import sys
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from rca_desk.layout.fishbone import FishboneLayout, FishboneStyle, layout_fishbone
from rca_desk.layout.geometry import Bone, Label, category_node
from rca_desk.layout.text import ApproxMetrics, TextBlock, TextCache
from rca_desk.model import HEAD, CauseGraph, Incident
from tests.shapes import fishbone_problems, named_fishbone

METRICS = ApproxMetrics()


def bone_of(layout: FishboneLayout, owner: str) -> Bone:
    (bone,) = [b for b in layout.bones if b.owner == owner]
    return bone


def small_graph() -> CauseGraph:
    graph = CauseGraph(problem="Orders shipped late", categories=["A", "B", "C", "D", "E"])
    a1 = graph.add_cause(HEAD, text="Picking list printed late", category="A", cause_id="a1")
    graph.add_cause(a1, text="Printer queue stalled", cause_id="a1x")
    graph.add_cause(a1, text="Nobody watches the queue", cause_id="a1y")
    graph.add_cause(HEAD, text="Courier cut-off moved", category="B", cause_id="b1")
    graph.add_cause(HEAD, text="Stock count wrong", category="A", cause_id="a2")
    return graph


class CountingMetrics(ApproxMetrics):
    """ApproxMetrics that records every text it is asked to measure."""

    def __init__(self) -> None:
        self.measured: list[str] = []

    def width(self, text: str, size: float) -> float:
        self.measured.append(text)
        return super().width(text, size)


# ------------------------------------------------------------------------ anchoring
def test_head_right_edge_and_spine_stay_put_when_causes_are_added() -> None:
    graph = small_graph()
    before = layout_fishbone(graph, METRICS)
    graph.add_cause(HEAD, text="A brand new first-level cause", category="C")
    graph.add_cause("a1x", text="A deeper reason " * 8, cause_id="deep")
    graph.add_cause(HEAD, text="Another one on the first bone", category="A")
    after = layout_fishbone(graph, METRICS)

    assert after.labels[HEAD].rect == before.labels[HEAD].rect
    assert after.labels[HEAD].rect.right == 0
    assert after.labels[HEAD].rect.center[1] == 0
    spine = bone_of(after, HEAD).segment
    assert (spine.y1, spine.y2, spine.x2) == (0, 0, after.labels[HEAD].rect.x)
    assert spine.x1 < min(bone_of(after, category_node(c)).segment.x1 for c in "ABCDE")
    assert after.bounds.w > before.bounds.w or after.bounds.h > before.bounds.h


def test_layout_is_deterministic() -> None:
    first = layout_fishbone(named_fishbone("F1"), METRICS)
    second = layout_fishbone(named_fishbone("F1"), METRICS, cache=TextCache())
    assert first == second


@pytest.mark.subprocess
def test_layout_does_not_depend_on_hash_seed() -> None:
    """Nothing in the layout may follow set or dict-of-hash order that changes per run."""
    script = (
        "import hashlib; from tests.shapes import named_fishbone;"
        "from rca_desk.layout.fishbone import layout_fishbone;"
        "from rca_desk.layout.text import ApproxMetrics;"
        "l = layout_fishbone(named_fishbone('F1'), ApproxMetrics());"
        "print(hashlib.sha256(repr((l.labels, l.bones, l.bounds)).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parents[2],
        ).stdout.strip()
        for seed in ("1", "2")
    }
    layout = layout_fishbone(named_fishbone("F1"), METRICS)
    here = hashlib.sha256(repr((layout.labels, layout.bones, layout.bounds)).encode())
    assert digests == {here.hexdigest()}


# ------------------------------------------------------------------------ the look
def test_categories_alternate_above_and_below_in_order_first_nearest_the_head() -> None:
    graph = small_graph()  # C, D and E are empty
    layout = layout_fishbone(graph, METRICS)

    for i, name in enumerate(graph.categories):
        label = layout.labels[category_node(name)]
        bone = bone_of(layout, category_node(name)).segment
        assert bone.y1 == 0, "a category bone starts on the spine"
        above = i % 2 == 0
        assert (label.rect.bottom <= 0) if above else (label.rect.y >= 0)
        assert bone.x2 < bone.x1, "the bone leans away from the head"
        assert (bone.y2 < 0) if above else (bone.y2 > 0)
    for side in (graph.categories[0::2], graph.categories[1::2]):
        bases = [bone_of(layout, category_node(name)).segment.x1 for name in side]
        assert bases == sorted(bases, reverse=True), "categories run from the head outwards"


def test_every_category_gets_a_bone_even_with_no_causes() -> None:
    graph = CauseGraph(problem="Nothing known yet")
    layout = layout_fishbone(graph, METRICS)

    assert set(layout.labels) == {HEAD, *(category_node(c) for c in graph.categories)}
    for name in graph.categories:
        bone = bone_of(layout, category_node(name)).segment
        assert abs(bone.y2 - bone.y1) >= FishboneStyle().empty_bone - 1e-9
    assert fishbone_problems(graph, layout) == []


def test_first_level_causes_are_horizontal_ribs_on_the_tail_side_in_order() -> None:
    graph = small_graph()
    layout = layout_fishbone(graph, METRICS)

    category_bone = bone_of(layout, category_node("A")).segment
    heights = []
    for cause_id in ("a1", "a2"):  # both in A, in this order
        rib = bone_of(layout, cause_id).segment
        label = layout.labels[cause_id]
        assert rib.y1 == rib.y2, "first-level ribs are horizontal"
        assert rib.x1 == label.rect.right, "the rib starts at the label's right edge"
        assert rib.x2 > rib.x1, "and runs towards the head, into the category bone"
        assert label.rect.y < rib.y1 < label.rect.bottom
        heights.append(abs(rib.y1 - category_bone.y1))
    assert heights == sorted(heights), "the first cause sits nearest the spine"


def test_sub_causes_are_diagonal_bones_off_their_parent_rib_in_order() -> None:
    graph = small_graph()
    graph.add_cause("a1x", text="Driver update pending", cause_id="a1x1")  # a1x: not a leaf
    graph.add_cause("a1", text="Third reason", cause_id="a1z")
    layout = layout_fishbone(graph, METRICS)

    parent_rib = bone_of(layout, "a1").segment
    bases = []
    for cause_id in ("a1x", "a1y", "a1z"):
        bone = bone_of(layout, cause_id).segment
        label = layout.labels[cause_id]
        assert bone.y1 == parent_rib.y1, "the bone starts on the parent's rib"
        assert bone.x2 < bone.x1, "and leans away from the head"
        assert bone.y2 in (label.rect.y, label.rect.bottom), "ending on its label"
        assert label.rect.x < bone.x2 < label.rect.right
        bases.append(bone.x1)
    # a1x has sub-causes, so it nests; a1y follows it outward on the same side, and the
    # last one, a leaf, continues on the other side: a reading order, no zig-zag.
    up = [bone_of(layout, c).segment.y2 < parent_rib.y1 for c in ("a1x", "a1y", "a1z")]
    assert up[0] == up[1] != up[2]
    assert bases[0] > bases[1]
    # a third level is a horizontal rib again, hanging on a1x's diagonal bone
    rib = bone_of(layout, "a1x1").segment
    assert rib.y1 == rib.y2


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 7])
def test_sub_causes_run_outward_in_list_order_one_side_then_the_other(count: int) -> None:
    """Reading a rib's sub-causes from the bone outward, first along the nesting side
    and then along the other, meets them in list order (issue 13: no zig-zag)."""
    graph = small_graph()
    for i in range(count):
        graph.add_cause("a1", text=f"Reason {i}", cause_id=f"r{i}")
    kids = graph.children("a1")
    leaves = {c for c in kids if not graph.children(c)}
    layout = layout_fishbone(graph, METRICS)
    rib = bone_of(layout, "a1").segment
    above = [bone_of(layout, c).segment.y2 < rib.y1 for c in kids]
    # one switch of side at most, and only to leaves, at most half of them
    switches = sum(1 for a, b in itertools.pairwise(above) if a != b)
    assert switches <= 1
    other = [c for c, a in zip(kids, above, strict=True) if a != above[0]]
    assert len(other) <= len(kids) // 2 and set(other) <= leaves
    # outward (leftward, away from the bone) in list order on each side
    for side in (True, False):
        bases = [
            bone_of(layout, c).segment.x1 for c, a in zip(kids, above, strict=True) if a == side
        ]
        assert bases == sorted(bases, reverse=True)


def test_long_labels_wrap_within_their_depth_width() -> None:
    style = FishboneStyle()
    graph = CauseGraph(problem="P " * 60)
    long = graph.add_cause(HEAD, text="word " * 80, category="SOPs")
    word = graph.add_cause(long, text="x" * 300)
    layout = layout_fishbone(graph, METRICS, style)

    for node, width in (
        (HEAD, style.head_max_width),
        (long, style.depth1_max_width),
        (word, style.depth2_max_width),
    ):
        block = layout.labels[node].block
        assert len(block.lines) > 3
        assert block.width <= width
    assert fishbone_problems(graph, layout) == []


def test_font_sizes_follow_depth() -> None:
    style = FishboneStyle(head_size=20, category_size=15, depth1_size=13, depth2_size=11.5)
    layout = layout_fishbone(named_fishbone("deep"), METRICS, style)

    sizes: dict[tuple[str, int], set[float]] = {}
    for label in layout.labels.values():
        sizes.setdefault((label.kind, label.depth), set()).add(label.block.size)
    assert sizes[("head", 0)] == {20}
    assert sizes[("category", 0)] == {15}
    assert sizes[("cause", 1)] == {13}
    assert sizes[("cause", 2)] == {11.5}
    assert all(sizes[("cause", d)] == {style.deeper_size} for d in range(3, 7))


def test_bone_length_follows_content() -> None:
    graph = small_graph()
    short = bone_of(layout_fishbone(graph, METRICS), category_node("B")).segment
    for i in range(6):
        graph.add_cause(HEAD, text=f"Another reason number {i}", category="B")
    long = bone_of(layout_fishbone(graph, METRICS), category_node("B")).segment
    assert abs(long.y2) > abs(short.y2) + 6 * METRICS.line_height(12)


def test_secondary_links_are_left_to_the_canvas() -> None:
    graph = small_graph()
    before = layout_fishbone(graph, METRICS)
    graph.add_link("b1", "a1y")
    assert layout_fishbone(graph, METRICS) == before


def test_the_sample_incident_lays_out_cleanly(sample: Incident) -> None:
    layout = layout_fishbone(sample.graph, METRICS)
    assert fishbone_problems(sample.graph, layout) == []
    assert all(isinstance(label, Label) for label in layout.labels.values())


def test_style_is_frozen_and_refuses_impossible_values() -> None:
    with pytest.raises(FrozenInstanceError):
        FishboneStyle().gap = 3  # type: ignore[misc]
    for bad in ({"bone_angle": 0}, {"bone_angle": 120}, {"gap": 0}, {"depth2_size": 0}):
        with pytest.raises(ValueError):
            FishboneStyle(**bad)  # type: ignore[arg-type]
    assert FishboneStyle(bone_angle=90, gap=1, bone_spacing=0, min_rib=0).gap == 1


# --------------------------------------------------------------------------- cache
def test_a_warm_cache_measures_nothing_and_an_edit_rewraps_one_label() -> None:
    graph = named_fishbone("F1")
    metrics = CountingMetrics()
    cache = TextCache()
    cold = layout_fishbone(graph, metrics, cache=cache)
    assert metrics.measured

    metrics.measured.clear()
    assert layout_fishbone(graph, metrics, cache=cache) == cold
    assert metrics.measured == []

    graph.update_cause("c5", text="Completely new wording for one cause")
    edited = layout_fishbone(graph, metrics, cache=cache)
    assert metrics.measured
    assert all(text in "Completely new wording for one cause" for text in metrics.measured)
    assert edited.labels["c5"].block.lines != cold.labels["c5"].block.lines
    assert edited == layout_fishbone(graph, ApproxMetrics(), cache=TextCache())


@pytest.mark.parametrize("enabled", [True, False])
def test_layout_leaves_the_cycle_collector_as_it_found_it(enabled: bool) -> None:
    """The layout pauses the collector while it runs; it must never leave it changed."""
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        layout_fishbone(small_graph(), METRICS)
        assert gc.isenabled() is enabled
        with pytest.raises(KeyError):
            layout_fishbone(small_graph(), METRICS, cache=BrokenCache())
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


class BrokenCache(TextCache):
    def wrap(self, *args: object, **kwargs: object) -> TextBlock:
        raise KeyError("measuring failed")
