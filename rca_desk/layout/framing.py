"""A fishbone laid out for a frame: the style that gives the largest text once fitted.

A slide or a page is seen whole, so what matters there is the smallest cause text after
the picture is scaled to fill the frame (:func:`fitted_text`), not the sizes at 1x zoom.
:func:`layout_for_frame` therefore also tries *styles*, where
:func:`~rca_desk.layout.fishbone.layout_fishbone` with ``frame`` only tries splits of the
category bones between the halves:

* every cause gets the same font size (the first level's), since after fitting the
  smallest text is what the back row has to read; the head and the category titles
  stay larger;
* the wrapping width of rib labels (odd depth, they stack up a bone and add height)
  and of branch labels (even depth, they sit on a rib and add length) and the bones'
  angle are searched by coordinate ascent over small grids, starting from today's
  values. Measured on the sample and the 60-cause fixture, narrow rib labels with wide
  branch labels and steeper bones win by 20-40 %, and no fixed style wins on both.

Today's style (depth-graded sizes) is always a candidate and the winner must beat it,
so a framed layout never fits smaller text than the tight one.

The search costs one layout per candidate (30 to 40; the text cache is
shared, so a label is measured once per width). Above :data:`SEARCH_LIMIT` causes the
fitted text is too small to read on one slide whatever the style (presentation mode
zooms instead), so only the split of the bones is chosen there: a framed layout of a
big incident costs what a tight one does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from rca_desk.layout.fishbone import DEFAULT_STYLE, FishboneLayout, FishboneStyle, layout_fishbone
from rca_desk.layout.geometry import MARK_ROOM
from rca_desk.layout.text import TextCache, TextMetrics
from rca_desk.model.cause_graph import CauseGraph

__all__ = [
    "SEARCH_LIMIT",
    "fitted_text",
    "framed_style",
    "layout_for_frame",
    "style_for_frame",
]

#: Beyond this many causes only the bones' split is searched (see the module docstring).
SEARCH_LIMIT = 200
#: The grids searched: wrapping widths of rib (odd depth) and branch (even depth)
#: labels, and bone angles in degrees.
RIB_WIDTHS = (100.0, 120.0, 140.0, 160.0, 180.0, 220.0, 260.0)
BRANCH_WIDTHS = (90.0, 110.0, 130.0, 160.0, 200.0, 240.0)
ANGLES = (55.0, 62.0, 70.0, 78.0, 85.0)
HEAD_WIDTHS = (100.0, 130.0, 160.0, 200.0)
GRIDS = (RIB_WIDTHS, BRANCH_WIDTHS, ANGLES, HEAD_WIDTHS)
#: Where the climbs start (indices into the grids): today's widths, and narrow ribs with
#: wide branches, both with steep bones. One climb from today's widths stops on a local
#: best for some shapes (the sample reached 96 % of the grid's best); from these two the
#: better one matched an exhaustive search of the grids on the sample, the 60-cause
#: fixture, four standard shapes and four random trees, in both the 16:9 and the A4
#: frame, at about a sixth of its cost.
STARTS = ((3, 2, 3, 3), (1, 4, 3, 3))


def framed_style(
    rib_width: float, branch_width: float, angle: float, head_width: float
) -> FishboneStyle:
    """Today's style with one font size for every cause and the given wrapping widths
    and bone angle."""
    size = DEFAULT_STYLE.depth1_size
    return replace(
        DEFAULT_STYLE,
        depth2_size=size,
        deeper_size=size,
        depth1_max_width=rib_width,
        depth2_max_width=branch_width,
        # Depth 3 is a rib again; deeper levels are rare and follow it.
        deeper_max_width=rib_width,
        bone_angle=angle,
        head_max_width=head_width,
    )


def fitted_text(layout: FishboneLayout, frame: float) -> float:
    """The smallest cause text, in 1x pixels, once ``layout`` is scaled to fit a frame of
    aspect ``frame`` and height 1 (compare candidates by it, not as a size)."""
    sizes = [label.block.size for label in layout.labels.values() if label.kind == "cause"]
    if not sizes:  # only the head and the titles: the largest picture wins
        sizes = [1.0]
    bounds = layout.bounds.adjusted(MARK_ROOM)
    return min(sizes) * min(frame / bounds.w, 1.0 / bounds.h)


def layout_for_frame(
    graph: CauseGraph,
    metrics: TextMetrics,
    frame: float,
    cache: TextCache | None = None,
    *,
    titles: Mapping[str, str] | None = None,
) -> FishboneLayout:
    """The fishbone of ``graph`` whose smallest cause text is largest once fitted into a
    frame of aspect ``frame`` (width / height). Deterministic: the same graph and
    metrics give the same layout."""
    return _search(graph, metrics, frame, cache, titles)[1]


def style_for_frame(
    graph: CauseGraph,
    metrics: TextMetrics,
    frame: float,
    cache: TextCache | None = None,
    *,
    titles: Mapping[str, str] | None = None,
) -> FishboneStyle:
    """The style :func:`layout_for_frame` picks, for a view that keeps it while the graph
    is edited (a canvas in a frame), so the labels do not change shape on every edit."""
    return _search(graph, metrics, frame, cache, titles)[0]


def _search(
    graph: CauseGraph,
    metrics: TextMetrics,
    frame: float,
    cache: TextCache | None,
    titles: Mapping[str, str] | None,
) -> tuple[FishboneStyle, FishboneLayout]:
    """The best style found (see the module docstring) and its layout."""
    cache = cache if cache is not None else TextCache()
    best_style = DEFAULT_STYLE
    best = layout_fishbone(graph, metrics, best_style, cache, frame, titles=titles)
    if graph.nx.number_of_nodes() - 1 > SEARCH_LIMIT:
        return best_style, best
    best_score = fitted_text(best, frame)

    def score(style: FishboneStyle) -> float:
        nonlocal best, best_score, best_style
        layout = layout_fishbone(graph, metrics, style, cache, frame, titles=titles)
        value = fitted_text(layout, frame)
        if value > best_score * (1 + 1e-9):
            best, best_score, best_style = layout, value, style
        return value

    seen: dict[tuple[int, ...], float] = {}

    def at_point(point: tuple[int, ...]) -> float:
        if point not in seen:
            seen[point] = score(framed_style(*(g[i] for g, i in zip(GRIDS, point, strict=True))))
        return seen[point]

    for start in STARTS:
        at: tuple[int, ...] = start
        current = at_point(at)
        while True:  # climb to the best neighbour until none is better
            neighbours = [
                (*at[:axis], at[axis] + step, *at[axis + 1 :])
                for axis, grid in enumerate(GRIDS)
                for step in (-1, 1)
                if 0 <= at[axis] + step < len(grid)
            ]
            scores = [at_point(point) for point in neighbours]
            top = max(scores)
            if top <= current * (1 + 1e-9):
                break
            at, current = neighbours[scores.index(top)], top
    return best_style, best
