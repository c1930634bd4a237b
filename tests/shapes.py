"""Cause graphs of known shape for layout tests and benchmarks, and geometry checks.

The builders are deterministic (a seed picks the wording), so a benchmark measures the
same tree on every run and a failing layout test can be reproduced by name. The
hypothesis strategy :func:`cause_graphs` covers what the builders do not: random parents
(deep chains, wide fans), skewed category use and awkward labels.

Standard fishbones, named categories x causes x sub-causes (node counts include the head
and one node per category): F0 6x3x2 (61), F1 6x6x3 (151), F2 8x10x5 (489) and
F3 10x20x9 (2,011); plus :func:`deep_fishbone` (4 categories, depth 6).
"""

from __future__ import annotations

import bisect
import math
import random
from collections import defaultdict
from collections.abc import Iterable

from hypothesis import strategies as st

from rca_desk.layout.fishbone import FishboneLayout
from rca_desk.layout.geometry import (
    LABEL_PADDING,
    Bone,
    Label,
    Rect,
    Segment,
    badge_zone,
    category_node,
    evidence_zone,
)
from rca_desk.layout.text import shortened
from rca_desk.model import HEAD, CauseGraph
from tests.typeable import typed_characters

CATEGORY_NAMES: tuple[str, ...] = (
    "Methods",
    "Machines",
    "Materials",
    "Manpower",
    "Measurement",
    "Environment",
    "Management",
    "Suppliers",
    "Systems",
    "Communication",
    "Training",
    "QC checkpoints",
)

_SUBJECTS = (
    "deploy script",
    "on-call engineer",
    "release checklist",
    "database failover",
    "alert threshold",
    "runbook",
    "load balancer",
    "vendor API",
    "change review",
    "monitoring dashboard",
    "backup job",
    "customer notice",
    "cache layer",
    "access policy",
    "handover note",
    "capacity plan",
)
_PROBLEMS = (
    "was out of date",
    "did not page anyone",
    "missed the config drift",
    "timed out under load",
    "had no owner",
    "was skipped during the rush",
    "used the wrong region",
    "gave no warning before the disk filled up",
    "was never tested after the migration",
    "depended on one person who was on leave",
    "retried without backoff and made it worse",
    "was",
)
_DETAILS = (
    "",
    "",
    "",
    " (twice)",
    " since the March reorganisation",
    " because nobody reviewed the change request",
    " and the fallback path had been removed months ago without telling support",
)

#: The standard shapes: name -> (categories, causes per category, sub-causes per cause).
STANDARD: dict[str, tuple[int, int, int]] = {
    "F0": (6, 3, 2),
    "F1": (6, 6, 3),
    "F2": (8, 10, 5),
    "F3": (10, 20, 9),
}


def category_names(count: int) -> list[str]:
    """``count`` distinct category names, realistic first, numbered after that."""
    names = list(CATEGORY_NAMES[:count])
    names += [f"Category {i + 1}" for i in range(len(names), count)]
    return names


def cause_text(rng: random.Random) -> str:
    """A plausible cause, from three words to a long sentence."""
    subject = rng.choice(_SUBJECTS)
    return f"{subject[0].upper()}{subject[1:]} {rng.choice(_PROBLEMS)}{rng.choice(_DETAILS)}"


def standard_fishbone(categories: int, causes: int, subcauses: int, seed: int = 0) -> CauseGraph:
    """``categories`` bones, ``causes`` first-level causes on each, ``subcauses`` under each.

    Ids are ``c<n>`` in creation order, so two builds with the same arguments are equal.
    """
    rng = random.Random(seed)
    graph = CauseGraph(
        problem="Checkout failed for 40 minutes during the Black Friday peak",
        categories=category_names(categories),
    )
    n = 0
    for category in graph.categories:
        for _ in range(causes):
            n += 1
            parent = graph.add_cause(
                HEAD, text=cause_text(rng), category=category, cause_id=f"c{n}"
            )
            for _ in range(subcauses):
                n += 1
                graph.add_cause(parent, text=cause_text(rng), cause_id=f"c{n}")
    return graph


def named_fishbone(name: str, seed: int = 0) -> CauseGraph:
    """One of :data:`STANDARD` by name, or ``"deep"`` for :func:`deep_fishbone`."""
    if name == "deep":
        return deep_fishbone()
    return standard_fishbone(*STANDARD[name], seed=seed)


def deep_fishbone(
    categories: int = 4, depth: int = 6, fanout: int = 2, seed: int = 0
) -> CauseGraph:
    """Every category holds a complete ``fanout``-ary tree of causes ``depth`` levels deep."""
    rng = random.Random(seed)
    graph = CauseGraph(
        problem="Nightly settlement batch posted duplicate payments",
        categories=category_names(categories),
    )
    n = 0
    for category in graph.categories:
        level = [HEAD]
        for _ in range(depth):
            below = []
            for parent in level:
                for _ in range(fanout):
                    n += 1
                    kwargs = {"category": category} if parent == HEAD else {}
                    below.append(
                        graph.add_cause(parent, text=cause_text(rng), cause_id=f"c{n}", **kwargs)
                    )
            level = below
    return graph


# ------------------------------------------------------------------------ hypothesis
AWKWARD_LABELS = (
    "x",
    "?",
    "漢",
    "ok",
    "A" * 180,  # one word wider than any line: must break between characters
    "Supercalifragilisticexpialidocious-configuration-management-database-entry",
    "line one\nline two\nline three",
    "short\n\n\nafter blank lines",
    "サーバーの設定が本番環境と一致していなかった",
    "데이터베이스 연결 풀이 고갈되었다",
    "部署脚本没有回滚步骤，而且值班工程师没有收到告警",
    "Mixed 日本語 and English with ümlauts, emoji-free but wide：全角",
    "גיבוי הלילה נכשל כי הדיסק היה מלא ב-DB 3 של הלקוח",
    "لم يكن هناك تنبيه عند امتلاء القرص على خادم النسخ الاحتياطي",
    " ".join(["word"] * 120),
    "The release went out on a Friday evening because the freeze calendar was not shared "
    "with the contractor team, and the only reviewer available had not seen this service "
    "before; the rollback plan referenced a dashboard that had been deleted in the cleanup.",
)


def _clean(text: str) -> bool:
    return bool(text.strip()) and len(text.strip()) <= 2000


def label_texts() -> st.SearchStrategy[str]:
    """Cause labels: long, one character, multi-line, CJK, mixed, or arbitrary text."""
    return st.one_of(
        st.sampled_from(AWKWARD_LABELS),
        st.text(typed_characters, min_size=1, max_size=40).filter(_clean),
        st.text(alphabet=st.sampled_from("abc de\nf漢字かなW "), min_size=1, max_size=400).filter(
            _clean
        ),
    )


_SHAPES = ("random", "chain", "fan", "recent", "bushy")


@st.composite
def cause_graphs(
    draw: st.DrawFn,
    max_causes: int = 2000,
    min_causes: int = 0,
) -> CauseGraph:
    """Random cause trees up to ``max_causes`` causes.

    Hypothesis draws the structure's parameters and a pool of labels; a seeded generator
    then builds the tree, which keeps 2,000-node examples cheap to generate. Shapes:
    uniform random parents, very deep chains, wide fans on a few hubs, "recent" (parent
    among the last few, long thin branches) and bushy; category use may be skewed so one
    category holds about 90% of the causes.
    """
    n_categories = draw(st.integers(1, 10))
    sizes = st.one_of(
        st.integers(min_causes, max(min_causes, min(max_causes, 40))),
        st.integers(min_causes, max_causes),
        st.just(max_causes),
    )
    n = draw(sizes)
    shape = draw(st.sampled_from(_SHAPES))
    skewed = draw(st.booleans())
    pool = draw(st.lists(label_texts(), min_size=1, max_size=12))
    order = draw(
        st.permutations((*CATEGORY_NAMES, "分類", "Q", "Measurement of the production site"))
    )
    names = list(order[:n_categories])
    problem = draw(st.sampled_from((*AWKWARD_LABELS, "Outage")))
    seed = draw(st.integers(0, 2**32 - 1))
    return random_tree(n, names, pool, shape=shape, skewed=skewed, seed=seed, problem=problem)


def random_tree(
    n: int,
    categories: list[str],
    labels: list[str],
    *,
    shape: str = "random",
    skewed: bool = False,
    seed: int = 0,
    problem: str = "Outage",
) -> CauseGraph:
    """A deterministic random tree of ``n`` causes (see :func:`cause_graphs` for shapes)."""
    rng = random.Random(seed)
    graph = CauseGraph(problem=problem, categories=categories)
    nodes: list[str] = [HEAD]
    hubs = [HEAD]
    favourite = rng.choice(categories)
    for i in range(n):
        if shape == "chain":
            parent = nodes[-1] if rng.random() < 0.95 else rng.choice(nodes)
        elif shape == "fan":
            if len(hubs) < 4 and len(nodes) > 1 and rng.random() < 0.01:
                hubs.append(rng.choice(nodes[1:]))
            parent = rng.choice(hubs)
        elif shape == "recent":
            parent = rng.choice(nodes[-3:])
        elif shape == "bushy":
            parent = nodes[int(len(nodes) * rng.random() ** 0.3)]  # later nodes favoured
        else:
            parent = rng.choice(nodes)
        category = favourite if skewed and rng.random() < 0.9 else rng.choice(categories)
        nodes.append(
            graph.add_cause(parent, text=rng.choice(labels), category=category, cause_id=f"r{i}")
        )
    return graph


# ------------------------------------------------------------------ geometry checks
def overlapping_labels(labels: Iterable[Label]) -> list[tuple[str, str]]:
    """Pairs of labels whose rectangles overlap (touching edges allowed).

    Labels go into a uniform grid and only labels sharing a cell are compared, so 2,000
    labels cost milliseconds rather than a quadratic scan.
    """
    grid = _grid(labels)
    found: set[tuple[str, str]] = set()
    for members in grid.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if a.rect.intersects(b.rect):
                    found.add((min(a.node, b.node), max(a.node, b.node)))
    return sorted(found)


_CELL = 200.0


def _grid(labels: Iterable[Label]) -> dict[tuple[int, int], list[Label]]:
    grid: dict[tuple[int, int], list[Label]] = defaultdict(list)
    for label in labels:
        r = label.rect
        for cx in range(math.floor(r.x / _CELL), math.floor(r.right / _CELL) + 1):
            for cy in range(math.floor(r.y / _CELL), math.floor(r.bottom / _CELL) + 1):
                grid[cx, cy].append(label)
    return grid


def crossed_labels(bones: Iterable[Bone], labels: Iterable[Label]) -> list[tuple[str, str]]:
    """``(bone owner, label node)`` pairs where a bone runs through a label's inside.

    Labels go into a uniform grid; each bone visits only the occupied cells along its
    own line, found by bisecting each row, so even a rib a million pixels long is cheap.
    """
    return _crossings(bones, _grid(labels))


def _crossings(
    bones: Iterable[Bone], grid: dict[tuple[int, int], list[Label]]
) -> list[tuple[str, str]]:
    rows: dict[int, list[int]] = defaultdict(list)
    for cx, cy in grid:
        rows[cy].append(cx)
    for row in rows.values():
        row.sort()
    found: list[tuple[str, str]] = []
    for bone in bones:
        seg = bone.segment
        seen: set[str] = set()
        y0, y1 = sorted((seg.y1, seg.y2))
        for cy in range(math.floor(y0 / _CELL), math.floor(y1 / _CELL) + 1):
            row = rows.get(cy)
            if not row:
                continue
            if seg.y1 == seg.y2:
                xs = (seg.x1, seg.x2)
            else:
                lo, hi = max(y0, cy * _CELL), min(y1, (cy + 1) * _CELL)
                xs = tuple(
                    seg.x1 + (seg.x2 - seg.x1) * (y - seg.y1) / (seg.y2 - seg.y1) for y in (lo, hi)
                )
            first = bisect.bisect_left(row, math.floor(min(xs) / _CELL) - 1)
            last = bisect.bisect_right(row, math.floor(max(xs) / _CELL) + 1)
            for cx in row[first:last]:
                for label in grid[cx, cy]:
                    if label.node not in seen and seg.crosses(label.rect):
                        seen.add(label.node)
                        found.append((bone.owner, label.node))
    return found


def mark_zones(labels: Iterable[Label]) -> list[Label]:
    """The room the marks of every cause label take, as labels of their own.

    Every cause may show both marks (the evidence mark always, the badge once it has an
    action, is an uncovered root cause or blames a person), so both count for every
    cause. Each zone's ``node`` is ``"<cause>#evidence"`` or ``"<cause>#badge"``; its
    ``rect`` is the evidence mark's bounding square or the badge's pill, from
    :func:`~rca_desk.layout.geometry.evidence_zone` and
    :func:`~rca_desk.layout.geometry.badge_zone`, which the renderer draws with.
    """
    zones: list[Label] = []
    for label in labels:
        if label.kind == "cause":
            for kind, zone in (("evidence", evidence_zone), ("badge", badge_zone)):
                zones.append(
                    Label(f"{label.node}#{kind}", kind, zone(label.rect), label.block, 0, None)
                )
    return zones


def crowded_marks(layout: FishboneLayout) -> list[tuple[str, str]]:
    """``(mark zone, what it touches)`` pairs: a cause's evidence mark or badge that a line
    runs through (``"bone:<owner>"``), that overlaps another label's box
    (``"label:<node>"``) or another cause's mark (``"<cause>#<kind>"``).

    A cause's own bone is not counted: it has to meet its label, and where it comes down
    onto a narrow label from above it ends under the badge, which is drawn over it. A
    cause's two marks are not compared with each other or with its own box either.
    Touching edges do not count, as for labels.
    """
    zones = mark_zones(layout.labels.values())
    owner = {zone.node: zone.node.rpartition("#")[0] for zone in zones}
    found = [
        (zone, f"bone:{bone}")
        for bone, zone in _crossings(layout.bones, _grid(zones))
        if bone != owner[zone]
    ]
    pairs: set[tuple[str, str]] = set()
    for members in _grid([*zones, *layout.labels.values()]).values():
        for zone in members:
            mine = owner.get(zone.node)
            if mine is None:  # a label's box, not a mark
                continue
            for other in members:
                theirs = owner.get(other.node, other.node)
                if theirs != mine and zone.rect.intersects(other.rect):
                    what = other.node if other.node in owner else f"label:{other.node}"
                    pairs.add((zone.node, what))
    return found + sorted(pairs)


def touches(seg: Segment, other: Segment, tol: float = 1e-6) -> bool:
    """True when ``seg`` starts or ends on ``other`` (within ``tol`` pixels)."""
    return any(
        _distance_to_segment(px, py, other) <= tol
        for px, py in ((seg.x1, seg.y1), (seg.x2, seg.y2))
    )


def _distance_to_segment(px: float, py: float, seg: Segment) -> float:
    dx, dy = seg.x2 - seg.x1, seg.y2 - seg.y1
    length2 = dx * dx + dy * dy
    t = (
        0.0
        if length2 == 0
        else max(0.0, min(1.0, ((px - seg.x1) * dx + (py - seg.y1) * dy) / length2))
    )
    return math.hypot(px - (seg.x1 + t * dx), py - (seg.y1 + t * dy))


def contains(outer: Rect, inner: Rect, tol: float = 1e-6) -> bool:
    return (
        inner.x >= outer.x - tol
        and inner.y >= outer.y - tol
        and inner.right <= outer.right + tol
        and inner.bottom <= outer.bottom + tol
    )


def fishbone_problems(graph: CauseGraph, layout: FishboneLayout) -> list[str]:
    """Everything wrong with a fishbone layout of ``graph``; empty when it is sound.

    Checks the rules every fishbone must keep whatever the tree: one label per node
    with the right kind, depth and category, padded around its text; one bone per
    label; each rib hanging on its own category's bone (first level) or its parent's
    rib (deeper); finite coordinates inside ``bounds``; the head anchored at x = 0 on
    the spine at y = 0; no two labels overlapping and no bone through a label.
    """
    problems: list[str] = []
    labels, bones = layout.labels, layout.bones
    causes = list(graph.cause_ids())
    expected = {HEAD, *causes, *(category_node(name) for name in graph.categories)}
    if set(labels) != expected:
        missing, extra = expected - set(labels), set(labels) - expected
        problems.append(f"labels missing {sorted(missing)[:5]}, unexpected {sorted(extra)[:5]}")
    for key, label in labels.items():
        if label.node != key:
            problems.append(f"label keyed {key!r} is for {label.node!r}")
        r, block = label.rect, label.block
        values = (r.x, r.y, r.w, r.h, block.width, block.height)
        if not all(math.isfinite(v) for v in values):
            problems.append(f"{key}: non-finite geometry {r}")
        if (
            abs(r.w - block.width - 2 * LABEL_PADDING) > 1e-6
            or abs(r.h - block.height - 2 * LABEL_PADDING) > 1e-6
        ):
            problems.append(f"{key}: rect {r} is not its text block plus padding")
        if not contains(layout.bounds, r):
            problems.append(f"{key}: label {r} outside bounds {layout.bounds}")
    depth = {HEAD: 0}
    for cause_id in causes:  # parents first
        depth[cause_id] = depth[graph.parent(cause_id)] + 1
        label = labels.get(cause_id)
        cause = graph.cause(cause_id)
        if label is None:
            continue
        if (label.kind, label.depth, label.category) != ("cause", depth[cause_id], cause.category):
            problems.append(f"{cause_id}: label says {label.kind}/{label.depth}/{label.category}")
        shown = shortened(cause.text)  # a diagram ends a very long text in "…"
        if "".join("".join(label.block.lines).split()) != "".join(shown.split()):
            problems.append(f"{cause_id}: wrapping lost or changed characters")
    for name in graph.categories:
        label = labels.get(category_node(name))
        if label is not None and (label.kind, label.category) != ("category", name):
            problems.append(f"category {name}: label is {label.kind}/{label.category}")
    head = labels.get(HEAD)
    if head is None or head.kind != "head":
        problems.append("no head label")
    elif abs(head.rect.right) > 1e-9 or abs(head.rect.center[1]) > 1e-9:
        problems.append(f"head not anchored at x = 0, y = 0: {head.rect}")

    by_owner: dict[str, list[Bone]] = defaultdict(list)
    for bone in bones:
        by_owner[bone.owner].append(bone)
        s = bone.segment
        if not all(math.isfinite(v) for v in (s.x1, s.y1, s.x2, s.y2)):
            problems.append(f"{bone.owner}: non-finite bone {s}")
        for px, py in ((s.x1, s.y1), (s.x2, s.y2)):
            if not contains(layout.bounds, Rect(px, py, 0, 0)):
                problems.append(f"{bone.owner}: bone end {(px, py)} outside bounds")
    if len(bones) != len(expected):
        problems.append(f"{len(bones)} bones for {len(expected)} labels")
    spine = by_owner.get(HEAD, [])
    if [b.kind for b in spine] != ["spine"] or spine[0].segment.y1 or spine[0].segment.y2:
        problems.append(f"spine is not one bone along y = 0: {spine}")
    for name in graph.categories:
        owned = by_owner.get(category_node(name), [])
        if [b.kind for b in owned] != ["category"]:
            problems.append(f"category {name} has bones {[b.kind for b in owned]}")
    for cause_id in causes:
        owned = by_owner.get(cause_id, [])
        if [b.kind for b in owned] != ["rib"]:
            problems.append(f"{cause_id} has bones {[b.kind for b in owned]}")
            continue
        parent = graph.parent(cause_id)
        host_owner = category_node(graph.cause(cause_id).category) if parent == HEAD else parent
        host = by_owner.get(host_owner, [])
        if len(host) != 1 or not touches(owned[0].segment, host[0].segment):
            problems.append(f"{cause_id}: rib does not touch the bone of {host_owner}")

    problems += [f"labels overlap: {a} / {b}" for a, b in overlapping_labels(labels.values())]
    problems += [
        f"bone of {o} crosses label {n}" for o, n in crossed_labels(bones, labels.values())
    ]
    return problems
