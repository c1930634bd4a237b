"""Five-whys layout rules that must hold for every cause graph (hypothesis).

Random trees up to 3,000 causes with long, one-character, multi-line and CJK labels, random
root-cause flags and random "also contributes to" links. The checks are linear or use a
grid, so a 3,000-node example costs a fraction of a second.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable
from contextlib import suppress
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from rca_desk.layout.geometry import LABEL_PADDING, Label, Rect
from rca_desk.layout.text import ApproxMetrics, TextCache, TextMetrics
from rca_desk.layout.whys import WhysLayout, WhysStyle, layout_whys, question_node
from rca_desk.model import HEAD, CauseGraph, RuleError
from tests.conftest import MUTATION_RUN
from tests.shapes import cause_graphs, crossed_labels

METRICS = ApproxMetrics()


# ------------------------------------------------------------------------ checks
def overlapping(labels: Iterable[Label], cell: float = 256.0) -> list[tuple[str, str]]:
    """Pairs of labels whose insides overlap, found through a uniform grid (not n²)."""
    grid: dict[tuple[int, int], list[Label]] = defaultdict(list)
    found: set[tuple[str, str]] = set()
    for label in labels:
        r = label.rect
        for cx in range(math.floor(r.x / cell), math.floor(r.right / cell) + 1):
            for cy in range(math.floor(r.y / cell), math.floor(r.bottom / cell) + 1):
                for other in grid[cx, cy]:
                    if other.rect.intersects(r):
                        found.add((other.node, label.node))
                grid[cx, cy].append(label)
    return sorted(found)


def on_edge(x: float, y: float, rect: Rect, side: str) -> bool:
    """True when ``(x, y)`` lies on the left or right edge of ``rect``, strictly inside it."""
    edge = rect.x if side == "left" else rect.right
    return abs(x - edge) < 1e-6 and rect.y < y < rect.bottom


def route_ends(layout: WhysLayout, effect: str, cause: str) -> bool:
    """True when the cause's ``contributes`` pieces join the effect's edge to the cause's.

    The pieces of all routes into one cause are pooled and walked as a graph, so the check
    does not depend on the order the layout emits them in.
    """
    pieces = [b.segment for b in layout.bones if b.kind == "contributes" and b.owner == cause]
    src, dst = layout.labels[effect].rect, layout.labels[cause].rect
    key = lambda x, y: (round(x, 6), round(y, 6))  # noqa: E731
    adjacent: dict[tuple[float, float], set[tuple[float, float]]] = defaultdict(set)
    for s in pieces:
        a, b = key(s.x1, s.y1), key(s.x2, s.y2)
        adjacent[a].add(b)
        adjacent[b].add(a)
    starts = [p for p in adjacent if on_edge(*p, src, "left") or on_edge(*p, src, "right")]
    seen = set(starts)
    todo = list(starts)
    while todo:
        p = todo.pop()
        if on_edge(*p, dst, "left") or on_edge(*p, dst, "right"):
            return True
        for q in adjacent[p] - seen:
            seen.add(q)
            todo.append(q)
    return False


def check_layout(graph: CauseGraph, layout: WhysLayout, style: WhysStyle) -> None:
    """Every rule of the five-whys drawing, for one graph and its layout."""
    labels = layout.labels
    causes = list(graph.cause_ids())
    open_ends = [
        c
        for c in causes
        if not graph.children(c)
        and not graph.cause(c).root_cause
        and not graph.cause(c).stop_reason
    ]
    # Each cause drawn exactly once; open questions exactly after unfinished chains.
    assert set(labels) == {HEAD, *causes, *(question_node(c) for c in open_ends)}
    assert len(labels) == 1 + len(causes) + len(open_ends)
    assert labels[HEAD].kind == "head"
    assert all(labels[c].kind == "cause" for c in causes)
    for c in open_ends:
        q = labels[question_node(c)]
        assert q.kind == "question"
        assert " ".join(q.block.lines) == style.question_text
        assert q.category == graph.cause(c).category

    # Anchored: the head's left edge at x = 0, its centre at y = 0.
    head = labels[HEAD].rect
    assert head.x == 0.0
    assert abs(head.y + head.h / 2) < 1e-9

    # Label boxes are their wrapped text plus the padding; text never wider than allowed.
    for label in labels.values():
        assert math.isclose(label.rect.h, label.block.height + 2 * LABEL_PADDING)
        if label.kind in ("cause", "question"):
            assert math.isclose(label.rect.w, label.block.width + 2 * LABEL_PADDING)
            assert label.block.width <= style.max_text_width + 1e-9 or all(
                len(line) <= 1 for line in label.block.lines
            )

    # Columns: every label left-aligned in its level's column, inside it; each child one
    # column right of its parent; siblings top to bottom in the model's order; each
    # parent centred on its children (midpoint of the first and last child's centres).
    columns = layout.columns
    scale = max(1.0, layout.bounds.h, layout.bounds.w)
    for label in labels.values():
        x, width = columns[label.depth]
        assert label.rect.x == x
        assert label.rect.right <= x + width + 1e-9
    for node in [HEAD, *causes]:
        kids = list(graph.children(node))
        if node in open_ends:
            kids = [question_node(node)]
        if not kids:
            continue
        parent = labels[node]
        ys = [labels[k].rect.center[1] for k in kids]
        for k in kids:
            assert labels[k].depth == parent.depth + 1
            assert labels[k].rect.x > parent.rect.right
        assert all(a < b for a, b in pairwise(ys))
        assert abs(parent.rect.center[1] - (ys[0] + ys[-1]) / 2) <= 1e-9 * scale

    # Nothing overlaps, no connector (primary or secondary) runs through a label.
    assert overlapping(labels.values()) == []
    assert crossed_labels(layout.bones, labels.values()) == []

    # Connectors are orthogonal; each child has a primary piece ending on its left edge at
    # its centre; each link has a route from the effect's edge to the cause's edge.
    for bone in layout.bones:
        s = bone.segment
        assert s.x1 == s.x2 or s.y1 == s.y2
        assert bone.kind in ("primary", "contributes")
    ends = {
        (b.owner, round(b.segment.x2, 6), round(b.segment.y2, 6))
        for b in layout.bones
        if b.kind == "primary"
    }
    for label in labels.values():
        if label.kind != "head":
            cx, cy = label.rect.x, label.rect.center[1]
            assert (label.node, round(cx, 6), round(cy, 6)) in ends
    for effect, cause in graph.links():
        assert route_ends(layout, effect, cause), (effect, cause)
    assert {b.owner for b in layout.bones if b.kind == "contributes"} == {
        cause for _, cause in graph.links()
    }

    # The bounds hold everything (up to rounding: bottom is y + h).
    b = layout.bounds.adjusted(1e-9 * scale)
    for label in labels.values():
        r = label.rect
        assert b.x <= r.x and b.y <= r.y and r.right <= b.right and r.bottom <= b.bottom
    for bone in layout.bones:
        s = bone.segment
        for x, y in ((s.x1, s.y1), (s.x2, s.y2)):
            assert b.x <= x <= b.right and b.y <= y <= b.bottom


# ------------------------------------------------------------------- generators
def decorate(graph: CauseGraph, seed: int, root_share: float, links: int) -> CauseGraph:
    """Mark some causes as root causes and add up to ``links`` secondary links."""
    rng = random.Random(seed)
    ids = list(graph.cause_ids())
    for cause_id in ids:
        if rng.random() < root_share:
            graph.update_cause(cause_id, root_cause=True)
    for _ in range(links if ids else 0):
        effect = rng.choice([HEAD, *ids]) if rng.random() < 0.2 else rng.choice(ids)
        # A self-link, duplicate or cycle is refused by the model: skip it.
        with suppress(RuleError):
            graph.add_link(effect, rng.choice(ids))
    return graph


@st.composite
def whys_graphs(draw: st.DrawFn, max_causes: int = 3000) -> CauseGraph:
    graph = draw(cause_graphs(max_causes=max_causes))
    seed = draw(st.integers(0, 2**32 - 1))
    root_share = draw(st.sampled_from([0.0, 0.3, 1.0]))
    links = draw(st.sampled_from([0, 1, 3, 12]))
    return decorate(graph, seed, root_share, links)


STYLES = st.sampled_from(
    [
        WhysStyle(),
        WhysStyle(
            max_text_width=60.0,
            level_gap=5.0,
            sibling_gap=3.0,
            subtree_gap=3.0,
            lane_step=3.0,
            question_text="Why? (open)",
        ),
        WhysStyle(size=9.0, head_size=22.0, max_text_width=400.0, sibling_gap=30.0),
    ]
)


# ------------------------------------------------------------------------ tests
@settings(max_examples=8 if MUTATION_RUN else 30, deadline=None)
@given(whys_graphs(), STYLES)
def test_random_graphs_follow_every_rule(graph: CauseGraph, style: WhysStyle) -> None:
    layout = layout_whys(graph, METRICS, style, cache=TextCache())
    check_layout(graph, layout, style)


@settings(max_examples=3 if MUTATION_RUN else 10, deadline=None)
@given(whys_graphs(max_causes=400), STYLES)
def test_layout_is_deterministic_with_or_without_a_cache(
    graph: CauseGraph, style: WhysStyle
) -> None:
    cache = TextCache()
    first = layout_whys(graph, METRICS, style, cache=cache)
    assert layout_whys(graph, METRICS, style) == first
    assert layout_whys(graph, METRICS, style, cache=cache) == first  # warm cache
    assert layout_whys(graph.copy(), METRICS, style) == first


class WideMetrics:
    """A font where every line is at least 50 px: long boxes, narrow gaps between them."""

    def width(self, text: str, size: float) -> float:
        return 50.0 + ApproxMetrics().width(text, size)

    def line_height(self, size: float) -> float:
        return 2.0 * size


@settings(max_examples=3 if MUTATION_RUN else 10, deadline=None)
@given(whys_graphs(max_causes=300))
def test_rules_hold_for_another_font(graph: CauseGraph) -> None:
    metrics: TextMetrics = WideMetrics()
    style = WhysStyle(max_text_width=500.0)
    check_layout(graph, layout_whys(graph, metrics, style), style)
