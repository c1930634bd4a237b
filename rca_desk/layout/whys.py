"""The five-whys view: the problem on the left, each "why?" answered one column further right.

The primary edges of the cause graph form a tree; :func:`rca_desk.layout.tidy.tidy_tree`
lays it out with one column per "why", so a chain reads straight across and a "why" with
several answers branches. A chain that stops at a cause not marked as a root cause, and
without a stop reason, ends in an open question (node ``"?" + cause id``): the view shows
where the analysis is unfinished instead of letting it look complete.

Connectors never cross a label:

* a primary connector leaves its parent's right edge, turns in the middle of the gap
  between the two columns and enters each child's left edge; labels are left-aligned in
  their column and no two labels of a column share a row, so these lines only ever run
  through empty space;
* a secondary ("also contributes to") connector from an effect to a cause travels in
  *lanes* of those same inter-column gaps (beside the primary bus, never on it) and
  crosses a column only through the free gap between two of its labels (or above or below
  all of them), choosing the gap that keeps the route shortest.

Anchoring: the head's left edge is at ``x = 0`` and its vertical centre at ``y = 0``,
whatever the rest of the tree does, so editing a cause does not make the view jump.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from rca_desk.layout.geometry import LABEL_PADDING, Bone, Label, Rect, Segment
from rca_desk.layout.text import TextBlock, TextCache, TextMetrics, label_block
from rca_desk.layout.tidy import TidyLayout, tidy_tree
from rca_desk.model.cause_graph import HEAD, CauseGraph

QUESTION_PREFIX = "?"


def question_node(cause_id: str) -> str:
    """The layout node of the open question after the unfinished chain ending at ``cause_id``."""
    return QUESTION_PREFIX + cause_id


@dataclass(frozen=True, slots=True)
class WhysStyle:
    """Sizes of the five-whys drawing, in scene pixels."""

    size: float = 13.0  # cause text
    head_size: float = 15.0
    question_size: float = 12.0
    #: Text wraps at these widths; a label is its text plus ``LABEL_PADDING`` each side.
    max_text_width: float = 200.0
    head_max_text_width: float = 200.0
    #: Widen the head's box this much when it is drawn in a heavier face than the metrics
    #: measure (DejaVu Sans Bold runs 13-14 % wider than regular: use 1.18). The renderer
    #: draws every label at regular weight, so 1 by default.
    head_width_factor: float = 1.0
    #: Room between columns: the primary bus runs down its middle, secondary lanes beside it.
    level_gap: float = 56.0
    #: Between two answers to the same "why", and between neighbours of different parents.
    sibling_gap: float = 14.0
    subtree_gap: float = 24.0
    #: Distance between neighbouring secondary-connector lanes in a column gap.
    lane_step: float = 6.0
    question_text: str = "Why?"
    #: Draw the open question after each unfinished chain (the facilitator's prompt). A
    #: report for the client leaves these guidance marks out.
    open_questions: bool = True


@dataclass
class WhysLayout:
    """Labels, connector pieces and the bounding box of a five-whys drawing.

    ``columns`` holds ``(x, width)`` of each "why" column (0 is the problem), for views
    that want to draw column guides or step through a column with the keyboard.
    """

    labels: dict[str, Label]
    bones: list[Bone]
    bounds: Rect
    columns: list[tuple[float, float]] = field(default_factory=list)


_LEFT, _RIGHT = 0, 1


def layout_whys(
    graph: CauseGraph,
    metrics: TextMetrics,
    style: WhysStyle = WhysStyle(),  # frozen: one shared default is safe
    cache: TextCache | None = None,
) -> WhysLayout:
    """Lay out ``graph`` as five-whys chains. Deterministic for a given graph and metrics."""
    wrap_label = cache.wrap if cache is not None else label_block

    def measure(text: str, metrics: TextMetrics, size: float, max_width: float) -> TextBlock:
        # Columns of a fixed width: a long label grows down, never wider (tall_ratio=None).
        return wrap_label(text, metrics, size, max_width, None)

    pad2 = 2 * LABEL_PADDING

    # ---- the tree to draw: causes in their order, an open question after each
    # unfinished chain; every node wrapped and measured once (or found in the cache).
    children: dict[str, Sequence[str]] = {}
    info: dict[str, tuple[str, TextBlock, str | None]] = {}  # kind, text, category
    breadth: dict[str, float] = {}
    length: dict[str, float] = {}

    head = measure(graph.problem, metrics, style.head_size, style.head_max_text_width)
    info[HEAD] = ("head", head, None)
    breadth[HEAD] = head.height + pad2
    length[HEAD] = head.width * style.head_width_factor + pad2
    children[HEAD] = graph.children(HEAD)

    question: TextBlock | None = None
    size, max_width = style.size, style.max_text_width
    graph_children = graph.children
    # Any order will do here (the tree comes from ``children``); the node view with its
    # data is the cheapest walk over every cause.
    for cause_id, data in graph.nx.nodes(data=True):
        if cause_id == HEAD:
            continue
        block = measure(data["text"], metrics, size, max_width)
        category = data["category"]
        info[cause_id] = ("cause", block, category)
        breadth[cause_id] = block.height + pad2
        length[cause_id] = block.width + pad2
        kids = graph_children(cause_id)
        if kids:
            children[cause_id] = kids
        elif style.open_questions and not data["root_cause"] and not data["stop_reason"]:
            # A stop reason is the team's answer to "why stop here?": no question left.
            if question is None:
                question = measure(style.question_text, metrics, style.question_size, max_width)
            node = QUESTION_PREFIX + cause_id
            children[cause_id] = (node,)
            info[node] = ("question", question, category)
            breadth[node] = question.height + pad2
            length[node] = question.width + pad2

    tree = tidy_tree(
        HEAD,
        children,
        breadth,
        length,
        level_gap=style.level_gap,
        sibling_gap=style.sibling_gap,
        subtree_gap=style.subtree_gap,
    )

    # ---- labels: left-aligned in their column, centred on the tidy position.
    names, level, centre, columns = tree.names, tree.level, tree.centre, tree.columns
    column_x = [x for x, _ in columns]
    rects: list[Rect] = []
    append = rects.append
    labels: dict[str, Label] = {}
    top = bottom = 0.0
    for i, name in enumerate(names):
        lv = level[i]
        h = breadth[name]
        y = centre[i] - h / 2
        rect = Rect(column_x[lv], y, length[name], h)
        append(rect)
        kind, block, category = info[name]
        labels[name] = Label(name, kind, rect, block, lv, category)
        if y < top:
            top = y
        if y + h > bottom:
            bottom = y + h
    # Primary connectors run between labels, so the labels alone give the bounds (the last
    # column is as wide as its widest label); routed links may stray above, below or right.
    x, width = columns[-1]
    bounds = Rect(0.0, top, x + width, bottom - top)

    bones = _primary_bones(tree, rects, style.level_gap)
    # Every cause has exactly one primary edge: any edge beyond those is a link. Counting
    # edges is much cheaper than listing them by kind on every relayout.
    if len(graph.nx.edges) > len(graph):
        routes = _route_links(tree, rects, graph.links(), style)
        bones.extend(routes)
        bounds = _bounds(bounds, routes)
    return WhysLayout(labels, bones, bounds, list(columns))


def _primary_bones(tree: TidyLayout, rects: list[Rect], level_gap: float) -> list[Bone]:
    """Elbow connectors: parent's right edge -> bus in the column gap -> each child's left edge.

    The stub out of the parent and the bus belong to the parent (they carry all its
    answers); the last piece into each child belongs to that child, so a drop on it finds
    the child. An only child is joined by one straight line, which it owns.
    """
    names, kids, centre, level, columns = (
        tree.names,
        tree.kids,
        tree.centre,
        tree.level,
        tree.columns,
    )
    bones: list[Bone] = []
    append = bones.append
    half = level_gap / 2
    for p, ch in enumerate(kids):
        if not ch:
            continue
        py = centre[p]
        start = rects[p].right
        if len(ch) == 1:
            c = ch[0]
            append(Bone(names[c], "primary", Segment(start, py, rects[c].x, py)))
            continue
        x, width = columns[level[p]]
        bus = x + width + half
        owner = names[p]
        append(Bone(owner, "primary", Segment(start, py, bus, py)))
        append(Bone(owner, "primary", Segment(bus, centre[ch[0]], bus, centre[ch[-1]])))
        for c in ch:
            cy = centre[c]
            append(Bone(names[c], "primary", Segment(bus, cy, rects[c].x, cy)))
    return bones


class _FreeRows:
    """Where a horizontal line may cross one column without touching a label.

    Between two neighbouring labels the line goes through the middle of the gap (so it
    keeps clear of the markers drawn on label corners); above the top label and below the
    bottom one, anywhere at least half a gap away.
    """

    def __init__(self, spans: list[tuple[float, float]], margin: float) -> None:
        # spans: (top, bottom) of the column's labels, top to bottom.
        self.above = spans[0][0] - margin
        self.below = spans[-1][1] + margin
        self.mids = [(b0 + t1) / 2 for (_, b0), (t1, _) in pairwise(spans)]

    def best(self, cur: float, target: float) -> float:
        """The free row minimising the vertical travel ``|y - cur| + |y - target|``.

        Ties go to the row nearest ``cur``: the line bends as late as possible.
        """
        candidates = [min(self.above, cur), max(self.below, cur)]
        mids = self.mids
        for y in (cur, target):
            k = bisect_left(mids, y)
            if k < len(mids):
                candidates.append(mids[k])
            if k > 0:
                candidates.append(mids[k - 1])
        return min(candidates, key=lambda y: (abs(y - cur) + abs(y - target), abs(y - cur)))


def _route_links(
    tree: TidyLayout,
    rects: list[Rect],
    links: list[tuple[str, str]],
    style: WhysStyle,
) -> list[Bone]:
    """Route each "also contributes to" edge from its effect to its cause around the labels."""
    index, level, columns, kids = tree.index, tree.level, tree.columns, tree.kids
    pairs = sorted((index[effect], index[cause]) for effect, cause in links)

    # Which side of each end a route uses: towards the other end's column.
    ends: list[tuple[int, int, int, int]] = []  # (source, source side, target, target side)
    for s, t in pairs:
        if level[t] > level[s]:
            ends.append((s, _RIGHT, t, _LEFT))
        elif level[t] < level[s]:
            ends.append((s, _LEFT, t, _RIGHT))
        else:
            ends.append((s, _RIGHT, t, _RIGHT))

    # Spread the routes attached to one side of a label over its height, in the order of
    # where they go, so they fan out without crossing; keep off the centre where a primary
    # connector attaches.
    attached: dict[tuple[int, int], list[tuple[float, int, int]]] = {}
    for r, (s, s_side, t, t_side) in enumerate(ends):
        attached.setdefault((s, s_side), []).append((tree.centre[t], r, 0))
        attached.setdefault((t, t_side), []).append((tree.centre[s], r, 1))
    attach_y: dict[tuple[int, int], float] = {}
    for (node, side), items in attached.items():
        items.sort()
        primary = (side == _LEFT and node != 0) or (side == _RIGHT and bool(kids[node]))
        rect = rects[node]
        n = len(items)
        slots = n + (n % 2) if primary else n  # an even count leaves the centre free
        ys = [rect.y + (j + 1) * rect.h / (slots + 1) for j in range(slots)]
        if slots > n:
            below = sum(1 for other, _, _ in items if other > tree.centre[node])
            ys = ys[1:] if below * 2 > n else ys[:-1]
        for y, (_, r, end) in zip(ys, items, strict=True):
            attach_y[(r, end)] = y

    free_rows: dict[int, _FreeRows] = {}
    by_level: list[list[int]] = []

    def free(column: int) -> _FreeRows:
        rows = free_rows.get(column)
        if rows is None:
            if not by_level:
                by_level.extend([] for _ in columns)
                for i, lv in enumerate(level):
                    by_level[lv].append(i)
            spans = sorted((rects[i].y, rects[i].bottom) for i in by_level[column])
            rows = free_rows[column] = _FreeRows(spans, style.sibling_gap / 2)
        return rows

    lane_use: dict[int, int] = {}
    half = style.level_gap / 2
    usable = 0.8 * half  # lanes stay clear of the columns' edges, however narrow the gap
    lanes_per_side = max(1, int(usable // style.lane_step)) if style.lane_step > 0 else 1
    step = min(style.lane_step, usable / lanes_per_side)

    def lane(channel: int) -> float:
        """The next unused lane of the gap right of column ``channel``, beside its bus."""
        k = lane_use.get(channel, 0)
        lane_use[channel] = k + 1
        offset = (k // 2 % lanes_per_side + 1) * step * (1 if k % 2 == 0 else -1)
        x, width = columns[channel]
        return x + width + half + offset

    bones: list[Bone] = []
    for r, (s, _, t, _) in enumerate(ends):
        src, dst = rects[s], rects[t]
        y, ty = attach_y[(r, 0)], attach_y[(r, 1)]
        cs, ct = level[s], level[t]
        if ct > cs:
            points = [(src.right, y)]
            for channel in range(cs, ct):
                lx = lane(channel)
                points.append((lx, y))
                if channel + 1 == ct:
                    points += [(lx, ty), (dst.x, ty)]
                else:
                    y = free(channel + 1).best(y, ty)
                    points.append((lx, y))
        elif ct < cs:
            points = [(src.x, y)]
            for channel in range(cs - 1, ct - 1, -1):
                lx = lane(channel)
                points.append((lx, y))
                if channel == ct:
                    points += [(lx, ty), (dst.right, ty)]
                else:
                    y = free(channel).best(y, ty)
                    points.append((lx, y))
        else:
            lx = lane(cs)
            points = [(src.right, y), (lx, y), (lx, ty), (dst.right, ty)]
        owner = tree.names[t]
        for (x1, y1), (x2, y2) in pairwise(points):
            if x1 != x2 or y1 != y2:
                bones.append(Bone(owner, "contributes", Segment(x1, y1, x2, y2)))
    return bones


def _bounds(bounds: Rect, bones: list[Bone]) -> Rect:
    left, top, right, bottom = bounds.x, bounds.y, bounds.right, bounds.bottom
    for bone in bones:
        s = bone.segment
        left = min(left, s.x1, s.x2)
        right = max(right, s.x1, s.x2)
        top = min(top, s.y1, s.y2)
        bottom = max(bottom, s.y1, s.y2)
    return Rect(left, top, right - left, bottom - top)
