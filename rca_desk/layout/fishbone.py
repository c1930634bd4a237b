"""The fishbone (Ishikawa) layout: every box, bone and label position from a cause graph.

The picture is a herringbone, self-similar at every depth, and that is what makes it
correct by construction:

* a **line** (the spine, or the horizontal rib of an odd-depth cause) carries *branches*
  on both sides, packed outwards from where the line is anchored;
* a **branch** (a category bone, or the diagonal bone of an even-depth cause) leans away
  from the head at :attr:`FishboneStyle.bone_angle`, carries its label at its free end and
  stacks the blocks of its children (lines again) on its tail side.

Each subtree is composed once, children before parents, into a small summary in its own
frame. A branch keeps its *left envelope* (height bands, each with the leftmost x used);
a rib block keeps a left and a right envelope. The argument that nothing overlaps stays
local to one composition step:

* the blocks on a branch sit in disjoint height bands, each slid right only until its
  right envelope meets the bone, so every block lies wholly left of its own bone;
* a branch packed along a line is pushed left until its bone and its label clear the
  envelope of everything packed there before (a skyline), with ``gap`` to spare; what
  the branch carries lies left of its bone, so it clears too;
* bones on one side of a line are parallel and ordered, so they never cross.

Every cause label also keeps room for the marks drawn on its corners (the evidence mark
top left, the badge top right: :func:`~rca_desk.layout.geometry.badge_zone`), whether or
not it shows them, so adding an action moves nothing. Which corner is on top is known
only once a subtree is placed above or below its line (a frame may move a category to
the other half), so the room is kept at both ends of a label, and the same argument
holds for the marks:

* where a block slides onto its bone, its right envelope claims each label's badge room,
  :data:`MARK_RIGHT` past the label and :data:`MARK_ABOVE` past its top or bottom,
  where the leaning bone is ``MARK_ABOVE * cot(angle)`` further left; so the block
  stops before a badge touches the bone (:func:`_right_side`, :func:`_compose_rib`);
* everywhere else things are kept ``gap`` apart across and ``stack_gap`` (or a leaf
  bone) apart up and down, and these are never less than the marks' room
  (:func:`_with_mark_room`); a bone packed along a line also clears what starts up to
  ``MARK_ABOVE`` beyond its free end, where a mark may hang.

A cause's own bone meets its label, and on a narrow label hanging from above it ends
under the label's badge, which is drawn over it.

Envelopes longer than a few dozen bands are merged into coarser ones that only ever
claim more room, so the layout stays linear in the number of causes at any depth.

Coordinates are scene pixels, y down. The head label's right edge is at x = 0 and the
spine at y = 0 whatever the graph holds, so editing causes never moves the head. Nothing
here imports Qt: text is measured through :class:`~rca_desk.layout.text.TextMetrics`.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from rca_desk.layout.geometry import (
    LABEL_PADDING,
    MARK_ABOVE,
    MARK_LEFT,
    MARK_RIGHT,
    Bone,
    Label,
    Rect,
    Segment,
    category_node,
)
from rca_desk.layout.text import TextBlock, TextCache, TextMetrics
from rca_desk.model.cause_graph import HEAD, CauseGraph

__all__ = [
    "DEFAULT_STYLE",
    "FishboneLayout",
    "FishboneStyle",
    "layout_fishbone",
]


@dataclass(frozen=True)
class FishboneStyle:
    """Sizes and spacing of a fishbone at 1x zoom, in pixels.

    Font sizes shrink with depth so the eye finds the structure first (head, then the
    category titles, then first-level causes); labels wrap at a per-depth width so a long
    cause grows downwards instead of stretching the whole diagram.
    """

    head_size: float = 17.0
    category_size: float = 14.0
    depth1_size: float = 12.0
    depth2_size: float = 11.0
    deeper_size: float = 10.0
    head_max_width: float = 200.0
    category_max_width: float = 150.0
    depth1_max_width: float = 160.0
    depth2_max_width: float = 130.0
    deeper_max_width: float = 120.0
    #: Angle between a diagonal bone and the line it grows from, in degrees.
    bone_angle: float = 62.0
    #: Clear space between things that do not touch (labels, bones, subtrees). The
    #: evidence marker and action badge drawn on a label's corners use about half of it.
    gap: float = 12.0
    #: Vertical space between neighbouring blocks stacked on one bone.
    stack_gap: float = 8.0
    #: Smallest horizontal distance between the bases of neighbouring bones on a line.
    bone_spacing: float = 14.0
    #: Shortest visible rib between a label and the bone it hangs on.
    min_rib: float = 16.0
    #: Height of the bone under a label that has no children of its own.
    leaf_bone: float = 16.0
    #: Height of a category bone with no causes, long enough to drop causes on.
    empty_bone: float = 64.0
    #: How far the spine runs past the last category bone.
    spine_tail: float = 28.0

    def __post_init__(self) -> None:
        # A flat bone would lean infinitely far. The spacings that keep neighbours apart
        # must be at least a pixel, so that rounding (1e-12 px at these magnitudes) can
        # never turn "touching" into "overlapping".
        if not 5.0 <= self.bone_angle <= 90.0:
            raise ValueError(f"bone_angle must be between 5 and 90 degrees, not {self.bone_angle}")
        apart = ("gap", "stack_gap", "leaf_bone", "empty_bone")
        for name, value in vars(self).items():
            least = 1.0 if name in apart or name.endswith(("_size", "_width")) else 0.0
            if name != "bone_angle" and not (math.isfinite(value) and value >= least):
                raise ValueError(f"{name} must be a finite size of at least {least:g}, not {value}")

    def size(self, depth: int) -> float:
        """Font size of a cause at ``depth`` (1 = answers the problem directly)."""
        if depth <= 1:
            return self.depth1_size
        return self.depth2_size if depth == 2 else self.deeper_size

    def max_width(self, depth: int) -> float:
        """Wrapping width of a cause's text at ``depth``."""
        if depth <= 1:
            return self.depth1_max_width
        return self.depth2_max_width if depth == 2 else self.deeper_max_width


DEFAULT_STYLE = FishboneStyle()


@dataclass(frozen=True)
class FishboneLayout:
    """Everything a renderer needs to draw one fishbone.

    ``labels`` holds the head (:data:`~rca_desk.model.cause_graph.HEAD`), one title per
    category (:func:`~rca_desk.layout.geometry.category_node`) and every cause. ``bones``
    holds the spine (owner: the head), one bone per category and one rib per cause, owned
    by what they carry. Secondary "also contributes to" links are not laid out here.
    """

    labels: dict[str, Label]
    bones: list[Bone]
    bounds: Rect


# A band of an envelope: (h0, h1, x) with h0 < h1. In a left envelope something between
# heights h0 and h1 reaches left to x, and everything from there to the frame's origin
# counts as taken; in a right envelope x is the rightmost point used in the band. Lists
# of bands are sorted by height and do not overlap.
_Piece = tuple[float, float, float]

_EPS = 1e-6  # keeps a block's corner off the bone it hangs on
_MAX_PIECES = 32  # envelopes longer than this are merged into coarser (safe) bands


class _Rib:
    """A horizontal cause (odd depth) composed in its own frame.

    Origin: where the rib meets the bone it hangs on; x to the right, h up, so h < 0 is
    below the rib. The rib runs along h = 0 from the label's right edge to the parent
    bone; children branch off it. ``left``/``right`` are envelopes over ``[-down, up]``.
    """

    __slots__ = (
        "block",
        "down",
        "end",
        "kids",
        "left",
        "lh",
        "lw",
        "lx",
        "ox",
        "oy",
        "right",
        "s",
        "up",
    )

    def __init__(self, block: TextBlock, lw: float, lh: float) -> None:
        # Only what composing reads first; the rest is set by _compose_rib and, once the
        # parent is placed, by whoever places it (thousands of these per layout).
        self.block = block
        self.lw = lw
        self.lh = lh
        self.lx: float
        self.up: float
        self.down: float
        self.left: list[_Piece]
        self.right: list[_Piece]
        # (child, its branch, base x on the rib, drawn below the rib)
        self.kids: list[tuple[str, _Branch, float, bool]] = []
        # The frame's origin, s = +1 when h points up the screen and -1 when it points
        # down, and where the rib meets the parent bone (local x).
        self.ox: float
        self.oy: float
        self.s: float
        self.end: float


class _Branch:
    """A diagonal bone (a category or an even-depth cause) composed in its own frame.

    Origin: the bone's base on its line; h up along the line's normal. The bone rises to
    height ``hb`` leaning left by ``hb * cot(angle)``; the label sits on top, centred on
    the bone's end. ``left`` is the left envelope over ``[0, top]``; on the right there
    is only the bone and the label's right edge (``label_right``), since every block the
    branch carries lies left of its bone.
    """

    __slots__ = ("block", "hb", "kids", "label_right", "left", "lh", "lw", "ox", "oy", "s", "top")

    def __init__(self, block: TextBlock, lw: float, lh: float) -> None:
        self.block = block
        self.lw = lw
        self.lh = lh
        self.hb: float
        self.top: float
        self.label_right: float
        self.left: list[_Piece]
        # (child, its rib, attachment x, attachment h, rib end x in the child's frame)
        self.kids: list[tuple[str, _Rib, float, float, float]] = _NO_KIDS
        self.ox: float  # set by the parent, as for _Rib
        self.oy: float
        self.s: float


#: Shared by every branch without children (most of them); never appended to.
_NO_KIDS: list[tuple[str, _Rib, float, float, float]] = []


def layout_fishbone(
    graph: CauseGraph,
    metrics: TextMetrics,
    style: FishboneStyle = DEFAULT_STYLE,
    cache: TextCache | None = None,
    frame: float | None = None,
    *,
    titles: Mapping[str, str] | None = None,
) -> FishboneLayout:
    """Lay out ``graph`` as a fishbone, the head on the right and the tail to the left.

    Categories alternate above and below the spine in ``graph.categories`` order, the
    first nearest the head; every category gets a bone, even with no causes. Children
    follow ``graph.children`` order outwards from the bone they hang on, so a cause added
    last lands at the free end (on a rib, the last ones may continue on the other side,
    when they are leaves).
    Pass the same ``cache`` (bound to this ``metrics``) to successive layouts so only
    labels that changed are wrapped again. ``titles`` maps a category name to the text its
    title shows (default: the name); the title's node id and ``Label.category`` keep the
    name. The diagram passes :meth:`~rca_desk.model.CauseGraph.category_titles` here.

    ``frame`` is a target aspect ratio (width / height: 16/9 for a slide, √2 for an A4
    page in landscape). The category bones are then shared between the upper and lower
    halves, each half in the categories' order from the head, so that the picture fitted
    into such a frame gets the largest text (:func:`_arrange_for`); the alternating
    arrangement is one of the candidates, so a framed layout never fits smaller. Every
    subtree is composed once either way: only the spine is packed again per candidate.
    """
    # A layout builds tens of thousands of small objects but no reference cycles, so
    # the cycle collector, left on, would only rescan the heap several times per layout
    # (a fifth of the time for 2,000 causes). Refcounting frees every temporary anyway.
    collecting = gc.isenabled()
    if collecting:
        gc.disable()
    try:
        return _layout(
            graph,
            metrics,
            style,
            cache if cache is not None else TextCache(),
            titles or {},
            frame,
        )
    finally:
        if collecting:
            gc.enable()


def _layout(
    graph: CauseGraph,
    metrics: TextMetrics,
    style: FishboneStyle,
    cache: TextCache,
    titles: Mapping[str, str],
    frame: float | None = None,
) -> FishboneLayout:
    k = 1.0 / math.tan(math.radians(style.bone_angle))
    style = _with_mark_room(style, k)
    pad2 = 2 * LABEL_PADDING
    wrap = cache.wrap
    texts: dict[str, str] = dict(graph.nx.nodes(data="text"))
    categories: dict[str, str] = dict(graph.nx.nodes(data="category"))

    # Walk the tree once, parents first, remembering depth and children.
    order: list[tuple[str, int]] = []
    kids_of: dict[str, Sequence[str]] = {}
    children = graph.children
    stack = [(c, 1) for c in reversed(children(HEAD))]
    while stack:
        node, d = stack.pop()
        order.append((node, d))
        kids = kids_of[node] = children(node)
        if kids:
            stack += [(c, d + 1) for c in reversed(kids)]

    # ------------------------------------------------------------ compose subtrees
    ribs: dict[str, _Rib] = {}
    branches: dict[str, _Branch] = {}
    deepest = max((d for _, d in order), default=0)
    sizes = [style.size(d) for d in range(deepest + 1)]
    widths = [style.max_width(d) for d in range(deepest + 1)]
    leaf_bone = style.leaf_bone
    leaf_x = -leaf_bone * k
    for node, d in reversed(order):  # children before parents
        block = wrap(texts[node], metrics, sizes[d], widths[d])
        lw, lh = block.width + pad2, block.height + pad2
        if d % 2:
            rib = ribs[node] = _Rib(block, lw, lh)
            _compose_rib(rib, kids_of[node], branches, k, style)
        else:
            br = branches[node] = _Branch(block, lw, lh)
            kids = kids_of[node]
            if kids:
                _compose_branch(br, kids, ribs, k, style)
            else:  # the common case, inlined: a short bone under the label
                br.left = [(0.0, leaf_bone, leaf_x), (leaf_bone, leaf_bone + lh, leaf_x - lw / 2)]
                br.hb, br.top, br.label_right = leaf_bone, leaf_bone + lh, leaf_x + lw / 2

    # Category bones: first-level causes grouped by category, in child order.
    names = list(graph.categories)
    by_category: dict[str, list[str]] = {name: [] for name in names}
    for c in children(HEAD):
        category = categories[c]
        if category not in by_category:  # the model forbids it; never lose a cause
            names.append(category)
            by_category[category] = []
        by_category[category].append(c)
    cat_branches: list[tuple[str, str, _Branch]] = []
    for name in names:
        title = titles.get(name, name)
        block = wrap(title, metrics, style.category_size, style.category_max_width)
        br = _Branch(block, block.width + pad2, block.height + pad2)
        _compose_branch(
            br, by_category[name], ribs, k, style, empty=style.empty_bone, clear=style.gap
        )
        cat_branches.append((category_node(name), name, br))

    # ------------------------------------------------------------------ the spine
    head_block = wrap(graph.problem, metrics, style.head_size, style.head_max_width)
    hw, hh = head_block.width + pad2, head_block.height + pad2
    start = -hw - style.gap
    tail = start
    halves = _alternating(len(cat_branches))
    if frame is not None:
        halves = _arrange_for(frame, [br for _, _, br in cat_branches], hw, hh, k, style)
    for side in (0, 1):
        on_side = [cat_branches[i][2] for i in halves[side]]
        bases = _pack(on_side, [(0.0, hh / 2, -hw)], start, k, style)
        for br, base in zip(on_side, bases, strict=True):
            br.ox, br.oy = base, 0.0
            br.s = -1.0 if side else 1.0
            tail = min(tail, base)
    tail -= style.spine_tail

    # ------------------------------------------------- absolute positions, top-down
    # Every summary got its frame from its parent, so one parents-first pass turns local
    # coordinates into scene coordinates.
    labels: dict[str, Label] = {}
    bones: list[Bone] = []
    add_bone = bones.append
    labels[HEAD] = Label(HEAD, "head", Rect(-hw, -hh / 2, hw, hh), head_block, 0, None)
    add_bone(Bone(HEAD, "spine", Segment(tail, 0.0, -hw, 0.0)))
    xmin, ymin, xmax, ymax = tail, -hh / 2, 0.0, hh / 2

    for owner, name, br in cat_branches:
        rect = _place_branch(br, owner, "category", k, add_bone)
        labels[owner] = Label(owner, "category", rect, br.block, 0, name)
        xmin, ymin = min(xmin, rect.x), min(ymin, rect.y)
        xmax, ymax = max(xmax, rect.x + rect.w), max(ymax, rect.y + rect.h)

    for node, d in order:
        if d % 2:
            rib = ribs[node]
            ox, oy, s = rib.ox, rib.oy, rib.s
            x, lw, lh = ox + rib.lx, rib.lw, rib.lh
            y = oy - lh / 2
            rect = Rect(x, y, lw, lh)
            add_bone(Bone(node, "rib", Segment(x + lw, oy, ox + rib.end, oy)))
            for _, child, base, below in rib.kids:
                child.ox = ox + base
                child.oy = oy
                child.s = -s if below else s
            block = rib.block
        else:  # _place_branch, inlined for speed
            br = branches[node]
            ox, oy, s, hb = br.ox, br.oy, br.s, br.hb
            x_end = ox - hb * k
            y_end = oy - s * hb
            add_bone(Bone(node, "rib", Segment(ox, oy, x_end, y_end)))
            for _, rib, ax, ah, end in br.kids:
                rib.ox = ox + ax
                rib.oy = oy - s * ah
                rib.s = s
                rib.end = end
            lw, lh = br.lw, br.lh
            x = x_end - lw / 2
            y = y_end - lh if s > 0 else y_end
            rect = Rect(x, y, lw, lh)
            block = br.block
        labels[node] = Label(node, "cause", rect, block, d, categories[node])
        if x < xmin:
            xmin = x
        if y < ymin:
            ymin = y
        if x + lw > xmax:
            xmax = x + lw
        if y + lh > ymax:
            ymax = y + lh

    # Every bone ends on a label or on another bone, except the spine's tail (counted
    # above), so the labels alone bound the picture.
    return FishboneLayout(labels, bones, Rect(xmin, ymin, xmax - xmin, ymax - ymin))


def _with_mark_room(style: FishboneStyle, k: float) -> FishboneStyle:
    """``style`` with clearances no smaller than the marks drawn on a cause's corners.

    A badge stands out :data:`MARK_RIGHT` right of its label and :data:`MARK_ABOVE` above
    it, the evidence mark :data:`MARK_LEFT` left of it, so two labels side by side need
    ``MARK_LEFT + MARK_RIGHT`` between them and a label needs ``MARK_ABOVE`` free above
    it: under the next block on its bone, and under the rib it hangs from. Clearance
    from a bone is kept level with the label, but the bone leans ``MARK_ABOVE * k``
    nearer within the marks' height, so ``gap`` covers that too. Each gets a pixel to
    spare, as every spacing does (:class:`FishboneStyle`), so that rounding cannot turn
    marks that touch into marks that overlap. The default style leaves more than that
    everywhere (gap 12 against 9 at 62 degrees), so it comes back unchanged.
    """
    side = max(MARK_LEFT + MARK_RIGHT, max(MARK_LEFT, MARK_RIGHT) + MARK_ABOVE * k) + 1.0
    above = MARK_ABOVE + 1.0
    if style.gap >= side and min(style.stack_gap, style.leaf_bone) >= above:
        return style
    return replace(
        style,
        gap=max(style.gap, side),
        stack_gap=max(style.stack_gap, above),
        leaf_bone=max(style.leaf_bone, above),
    )


# ------------------------------------------------------------------- the frame
#: Up to this many categories every split between the halves is tried; beyond, the
#: splits that balance the halves' widths greedily (and the alternating one).
_EXHAUSTIVE = 6

Halves = tuple[list[int], list[int]]


def _alternating(n: int) -> Halves:
    """Today's arrangement: categories alternate above and below, the first above."""
    return list(range(0, n, 2)), list(range(1, n, 2))


def _half_extent(
    indices: list[int],
    branches: list[_Branch],
    hw: float,
    hh: float,
    k: float,
    style: FishboneStyle,
) -> tuple[float, float, float]:
    """Where one half reaches left (its leftmost box, or the spine's tail past its last
    bone), right (a title may stand out right of the head's edge) and how high it stands,
    packed as the layout packs it (a fresh skyline; the branches are only read)."""
    on_side = [branches[i] for i in indices]
    start = -hw - style.gap
    bases = _pack(on_side, [(0.0, hh / 2, -hw)], start, k, style)
    left = min(bases, default=start) - style.spine_tail
    right = 0.0
    for br, base in zip(on_side, bases, strict=True):
        left = min(left, base + min((x for _, _, x in br.left), default=0.0))
        right = max(right, base + br.label_right)
    return left, right, max((br.top for br in on_side), default=0.0)


def _arrange_for(
    frame: float, branches: list[_Branch], hw: float, hh: float, k: float, style: FishboneStyle
) -> Halves:
    """The split of the category bones between the halves that fits ``frame`` best.

    The score is the scale at which the picture fits a frame of that aspect ratio
    (``min(frame / width, 1 / height)``, up to the frame's size); ties keep the earlier
    candidate, and the alternating split comes first, so nothing changes when it is
    already the best. Within a half the categories keep their order from the head. A
    half packs the same whichever side it is on, so each subset is packed once.
    """
    n = len(branches)
    candidates = [_alternating(n)]
    if n <= _EXHAUSTIVE:
        for mask in range(1 << n):
            up = [i for i in range(n) if mask >> i & 1]
            candidates.append((up, [i for i in range(n) if not mask >> i & 1]))
    else:  # balance the halves' bone footprints, largest first (LPT)
        foot = [br.lw + br.hb * k for br in branches]
        halves: Halves = ([], [])
        sums = [0.0, 0.0]
        for i in sorted(range(n), key=lambda j: -foot[j]):
            side = 0 if sums[0] <= sums[1] else 1
            halves[side].append(i)
            sums[side] += foot[i]
        candidates.append((sorted(halves[0]), sorted(halves[1])))
    packed: dict[tuple[int, ...], tuple[float, float, float]] = {}

    def half(indices: list[int]) -> tuple[float, float, float]:
        key = tuple(indices)
        if key not in packed:
            packed[key] = _half_extent(indices, branches, hw, hh, k, style)
        return packed[key]

    best, best_score = candidates[0], -1.0
    for up, down in candidates:
        (left_up, right_up, top_up), (left_down, right_down, top_down) = half(up), half(down)
        width = max(right_up, right_down) - min(left_up, left_down)
        height = max(top_up, hh / 2) + max(top_down, hh / 2)
        score = min(frame / width, 1.0 / height)
        if score > best_score * (1 + 1e-9):
            best, best_score = (up, down), score
    return best


def _place_branch(
    br: _Branch, owner: str, kind: str, k: float, add_bone: Callable[[Bone], None]
) -> Rect:
    """Emit a placed branch's bone, hand its children their frames; return its label."""
    ox, oy, s, hb = br.ox, br.oy, br.s, br.hb
    x_end = ox - hb * k
    y_end = oy - s * hb
    add_bone(Bone(owner, kind, Segment(ox, oy, x_end, y_end)))
    for _, rib, ax, ah, end in br.kids:
        rib.ox = ox + ax
        rib.oy = oy - s * ah
        rib.s = s
        rib.end = end
    lw, lh = br.lw, br.lh
    return Rect(x_end - lw / 2, y_end - lh if s > 0 else y_end, lw, lh)


# ---------------------------------------------------------------------- composition
def _compose_rib(
    rib: _Rib,
    kids: Sequence[str],
    branches: dict[str, _Branch],
    k: float,
    style: FishboneStyle,
) -> None:
    """Pack the children's branches along the rib, then put the label at its free end,
    left of everything at its height."""
    # Branches on the side of the rib facing away from its parent bone's base lean the
    # same way as that bone and nest against it; on the other side they would open a
    # wedge of empty space as wide as they are tall. So a child with sub-causes always
    # goes on the nesting side. To keep ribs short the last children may take the other
    # side, as long as they are leaves (which are short) and at most half of them. Each
    # side runs outward from the bone in list order, the nesting side first: a reading
    # order (along one row, then the next), never a zig-zag between the two.
    other = 0
    while other < len(kids) // 2 and not branches[kids[len(kids) - 1 - other]].kids:
        other += 1
    split = len(kids) - other
    up_ids = list(kids[:split])
    up = [branches[c] for c in up_ids]
    down_ids = list(kids[split:])
    down = [branches[c] for c in down_ids]
    half = rib.lh / 2
    right = -style.min_rib
    reach = half + style.stack_gap
    gap = style.gap
    sides: list[tuple[list[_Piece], list[_Piece]]] = []
    for ids, side, below in ((up_ids, up, False), (down_ids, down, True)):
        if not side:
            sides.append(([], []))
            continue
        sky: list[_Piece] = []
        bases = _pack(side, sky, -style.bone_spacing, k, style)
        for h0, _, x in reversed(sky):  # lowest band first
            if h0 >= reach:
                break
            if x - gap < right:
                right = x - gap
        rib.kids += zip(ids, side, bases, [below] * len(side), strict=True)
        sides.append((sky, _right_side(side, bases, k, style)))
    lx = rib.lx = right - rib.lw
    (sky_up, right_up), (sky_down, right_down) = sides
    left_up = _over_label(sky_up, half, lx)
    left_down = _over_label(sky_down, half, lx)
    rib.up = left_up[-1][1]
    rib.down = left_down[-1][1]
    rib.left = _coarsen(_mirrored(left_down) + left_up, left=True)
    # The label's badge stands out MARK_RIGHT past its top-right corner, up to MARK_ABOVE
    # above it: claimed so that sliding the block onto its bone keeps the badge off it.
    right_up = _fill_to(right_up, half, right + MARK_RIGHT + MARK_ABOVE * k)
    right_down = _fill_to(right_down, half, right)
    rib.right = _coarsen(_mirrored(right_down) + right_up, left=False)


def _over_label(sky: list[_Piece], half: float, lx: float) -> list[_Piece]:
    """One side's left envelope, bottom up: the label's half, then the skyline above it.

    The label was put left of every band it shares heights with, so it is the envelope
    there.
    """
    out: list[_Piece] = [(0.0, half, lx)]
    for h0, h1, x in reversed(sky):
        if h1 > half:
            out.append((h0 if h0 > half else half, h1, x))
    return out


def _right_side(
    side: list[_Branch], bases: list[float], k: float, style: FishboneStyle
) -> list[_Piece]:
    """One side's right envelope, bottom up.

    Each branch was packed left of every branch before it, so at any height the
    rightmost thing belongs to the first branch that reaches that high: its bone (in
    steps, each as far right as the bone gets in it) or its label.
    """
    out: list[_Piece] = []
    cov = 0.0
    min_step = max(2 * style.stack_gap, 8.0)
    for br, b in zip(side, bases, strict=True):
        top = br.top
        if top <= cov:
            continue
        hb = br.hb
        if hb > cov:
            n = max(1, min(12, math.ceil((hb - cov) / min_step)))
            dh = (hb - cov) / n
            g = cov
            for i in range(n):
                g1 = hb if i == n - 1 else g + dh
                out.append((g, g1, b - g * k))
                g = g1
            cov = hb
        # The label's badge room (see _compose_rib), at whichever end its top turns out
        # to be. The bone is checked at a band's upper edge, where it is furthest left:
        # padded so, the bone is clear of the badge up to MARK_ABOVE past ``top`` and,
        # once this side is mirrored below a rib (checked at -cov), past -hb.
        out.append((cov, top, b + br.label_right + MARK_RIGHT + (MARK_ABOVE + cov - hb) * k))
        cov = top
    return out


def _fill_to(right: list[_Piece], half: float, label_right: float) -> list[_Piece]:
    """Extend a side's right envelope to cover the label's half when nothing else does."""
    cov = right[-1][1] if right else 0.0
    if cov < half:
        right.append((cov, half, label_right))
    return right


def _mirrored(pieces: list[_Piece]) -> list[_Piece]:
    """A side's envelope turned upside down (heights negated, order reversed)."""
    return [(-h1, -h0, x) for h0, h1, x in reversed(pieces)]


def _coarsen(pieces: list[_Piece], *, left: bool) -> list[_Piece]:
    """At most :data:`_MAX_PIECES` equal bands, each as far out as anything it covers.

    This keeps composing a parent linear in its children however deep the subtrees are.
    A merged band only ever claims more room than is used, so it cannot cause an
    overlap. The band edges are computed once and used both to assign pieces and as the
    output's heights, so rounding cannot leave a sliver of a piece uncovered.
    """
    if len(pieces) <= _MAX_PIECES:
        return pieces
    lo, hi = pieces[0][0], pieces[-1][1]
    m = _MAX_PIECES
    w = (hi - lo) / m
    if w <= 0:
        return pieces
    edges = [lo + i * w for i in range(m)]
    edges.append(hi)
    none = math.inf if left else -math.inf
    out: list[_Piece] = []
    i = 0  # current band: edges[i] .. edges[i + 1]
    end = edges[1]
    v = none
    for h0, h1, x in pieces:
        while h0 >= end and i < m - 1:  # the piece starts in a later band
            if v != none:
                out.append((edges[i], end, v))
            i += 1
            end = edges[i + 1]
            v = none
        if (x < v) if left else (x > v):
            v = x
        while h1 > end and i < m - 1:  # the piece runs on into the next band
            out.append((edges[i], end, v))
            i += 1
            end = edges[i + 1]
            v = x
    if v != none:
        out.append((edges[i], end, v))
    return out


def _compose_branch(
    br: _Branch,
    kids: Sequence[str],
    ribs: dict[str, _Rib],
    k: float,
    style: FishboneStyle,
    *,
    empty: float | None = None,
    clear: float | None = None,
) -> None:
    """Stack the children's rib blocks up the bone, each wholly left of the bone, and
    record the branch's left envelope for whoever packs it along a line."""
    lw, lh = br.lw, br.lh
    if not kids:
        hb = style.leaf_bone if empty is None else empty
        x_end = -hb * k
        if empty is None:
            br.left = [(0.0, hb, x_end), (hb, hb + lh, x_end - lw / 2)]
        else:
            br.left = []
            _bone_bands(br.left, 0.0, hb, k, style)
            br.left.append((hb, hb + lh, x_end - lw / 2))
        br.hb, br.top, br.label_right = hb, hb + lh, x_end + lw / 2
        return
    left: list[_Piece] = []
    placed = br.kids = []
    stack_gap = style.stack_gap
    h = stack_gap if clear is None else clear
    cur = 0.0
    for child in kids:
        rib = ribs[child]
        ah = h + rib.down
        # Slide the block right until its right envelope meets the bone (at the top of
        # each band, where the bone is furthest left).
        ax = math.inf
        for _, g1, xr in rib.right:
            c = -(ah + g1) * k - xr
            if c < ax:
                ax = c
        ax -= _EPS
        placed.append((child, rib, ax, ah, -ah * k - ax))
        if h > cur:
            left.append((cur, h, -h * k))
        left.extend([(ah + g0, ah + g1, ax + xl) for g0, g1, xl in rib.left])
        cur = ah + rib.up
        h = cur + stack_gap
    hb = h
    _bone_bands(left, cur, hb, k, style)
    x_end = -hb * k
    left.append((hb, hb + lh, x_end - lw / 2))
    br.left = _coarsen(left, left=True)
    br.hb, br.top, br.label_right = hb, hb + lh, x_end + lw / 2


def _bone_bands(left: list[_Piece], h0: float, h1: float, k: float, style: FishboneStyle) -> None:
    """The bare bone between heights h0 and h1, in short bands that hug the diagonal."""
    step = max(style.stack_gap, 4.0)
    while h1 - h0 > step * 1.5:
        left.append((h0, h0 + step, -(h0 + step) * k))
        h0 += step
    if h1 > h0:
        left.append((h0, h1, -h1 * k))


def _pack(
    branches: list[_Branch],
    sky: list[_Piece],
    start: float,
    k: float,
    style: FishboneStyle,
) -> list[float]:
    """Place branches one after another along a line, each as near the line's anchor as
    the skyline of what came before allows; return their bases' x.

    ``sky`` (highest band first, so the low bands that change are at the cheap end) is
    updated in place and ends as the left envelope of the whole side. A branch at base
    ``b`` has its bone at ``b - h * k`` for heights ``h`` up to ``hb`` and its label
    above; both must stay ``gap`` left of every band they share heights with (the label
    also ``stack_gap`` clear above and below). Its own blocks are left of its bone, so
    they follow.
    """
    gap = style.gap
    vgap = style.stack_gap
    spacing = style.bone_spacing
    bases: list[float] = []
    b = start + spacing
    for br in branches:
        b -= spacing
        hb = br.hb
        top = br.top
        reach = top + vgap
        label_low = hb - vgap
        label_off = gap + br.label_right
        # A label's marks may stand MARK_ABOVE out of the band it starts: the bone keeps
        # clear of bands starting that close above its free end too.
        bone_reach = hb + MARK_ABOVE
        for h0, h1, x in reversed(sky):  # lowest band first
            if h0 >= reach:
                break
            if h0 < bone_reach:
                c = x - gap + ((h0 if h0 < hb else hb) * k if h0 > 0 else 0.0)
                if c < b:
                    b = c
            if h1 > label_low and x - label_off < b:
                b = x - label_off
        # Everything up to the branch's top now lies right of it: replace those bands.
        while sky and sky[-1][1] <= top:
            sky.pop()
        if sky and sky[-1][0] < top:
            h0, h1, x = sky.pop()
            sky.append((top, h1, x))
        sky += [(h0, h1, x + b) for h0, h1, x in reversed(br.left)]
        bases.append(b)
    return bases
