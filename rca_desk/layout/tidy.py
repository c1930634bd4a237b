"""A tidy drawing of an ordered tree in linear time (Walker's algorithm, Buchheim's fix).

The five-whys view is a tree read left to right: the depth axis runs along ``x`` (one
column per "why"), the *breadth* axis is the one siblings are stacked along. This module
knows nothing about whys or labels: it takes a tree as ``children`` lists plus each node's
extent on both axes and returns where every node goes, so it can be tested on its own.

What "tidy" means here (Reingold-Tilford, as refined by Walker):

* nodes of one level share a column; a column is as wide as its widest node, so chains read
  as aligned columns whatever the label lengths;
* siblings keep their order and no two nodes of a level overlap: neighbours are at least
  ``sibling_gap`` apart (``subtree_gap`` when they have different parents), measured
  between their extents, so a three-line label gets the room it needs;
* a parent sits exactly halfway between its first and its last child;
* subtrees are pushed together as far as their contours allow, and smaller subtrees caught
  between two pushed apart are spread evenly rather than bunched to one side.

Buchheim, Jünger and Leipert ("Improving Walker's algorithm to run in linear time", 2002)
made Walker's algorithm O(n) with threads along the contours and deferred shifts. Both
walks here are loops over precomputed orders, never recursion: a 3,000-deep chain must lay
out as happily as a bushy tree, and Python's recursion limit is 1,000.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat


@dataclass(frozen=True, slots=True)
class TidyLayout:
    """Where every node of a tree goes.

    Nodes are numbered in discovery order (parents before children); ``index`` maps a node
    to its number. Lists are indexed by that number, which keeps the layout code that
    builds on this free of per-node dictionaries.
    """

    names: list[str]
    index: dict[str, int]
    parent: list[int]  # -1 for the root
    kids: list[range]  # children in their given order (siblings are numbered in a row)
    level: list[int]  # 0 for the root
    #: The node's centre along the breadth axis; the root's is 0.
    centre: list[float]
    #: ``(start, size)`` of each level's column along the depth axis; the root's starts at 0.
    columns: list[tuple[float, float]]

    def position(self, node: str) -> tuple[float, float]:
        """``(column start, breadth centre)`` of ``node``."""
        i = self.index[node]
        return (self.columns[self.level[i]][0], self.centre[i])


def tidy_tree(
    root: str,
    children: Mapping[str, Sequence[str]],
    breadth: Mapping[str, float],
    depth_size: Mapping[str, float],
    *,
    level_gap: float,
    sibling_gap: float,
    subtree_gap: float,
) -> TidyLayout:
    """Lay out the tree under ``root``.

    ``children`` lists each node's children in order (a node missing from it is a leaf);
    ``breadth`` is each node's extent along the sibling axis and ``depth_size`` along the
    depth axis. Raises ``ValueError`` if a node is reached twice (not a tree).
    """
    names, parent, kids, level, sib, visit = _number(root, children)
    n = len(names)
    size = [float(breadth[name]) for name in names]

    # Walker's per-node state: preliminary centre, modifier, deferred shift and change,
    # ancestor, and the default ancestor for its children. ``left_next``/``right_next``
    # are the next node down the subtree's left/right contour: the first/last child, or
    # for a leaf its thread (-1 for none). Only leaves are ever threaded, and a leaf's
    # thread serves both contours, so two plain lists replace Walker's functions.
    prelim = [0.0] * n
    mod = [0.0] * n
    shift_of = [0.0] * n
    change = [0.0] * n
    ancestor = list(range(n))
    default_ancestor = [-1] * n
    left_next = [k[0] if k else -1 for k in kids]
    right_next = [k[-1] if k else -1 for k in kids]

    # ---- first walk: children before parents, siblings left to right (post-order).
    for v in reversed(visit):
        p = parent[v]
        i = sib[v]
        w = kids[p][i - 1] if i > 0 else -1
        ch = kids[v]
        if ch:
            # Execute the shifts that apportioning the children deferred.
            total = 0.0
            acc = 0.0
            for c in reversed(ch):
                prelim[c] += total
                mod[c] += total
                acc += change[c]
                total += shift_of[c] + acc
            midpoint = (prelim[ch[0]] + prelim[ch[-1]]) / 2
            if w >= 0:
                prelim[v] = prelim[w] + (size[w] + size[v]) / 2 + sibling_gap
                mod[v] = prelim[v] - midpoint
            else:
                prelim[v] = midpoint
        elif w >= 0:
            prelim[v] = prelim[w] + (size[w] + size[v]) / 2 + sibling_gap
        if w < 0:
            if p >= 0:
                default_ancestor[p] = v
            continue

        # ---- apportion: push v's subtree clear of its left siblings' subtrees, level by
        # level down the facing contours, and thread the shorter contour onto the longer.
        vip = vop = v
        vim = w
        vom = kids[p][0]
        sip, sop, sim, som = mod[vip], mod[vop], mod[vim], mod[vom]
        while True:
            vim = right_next[vim]
            vip = left_next[vip]
            if vim < 0 or vip < 0:
                break
            vom = left_next[vom]
            vop = right_next[vop]
            ancestor[vop] = v
            shift = (prelim[vim] + sim) - (prelim[vip] + sip)
            shift += (size[vim] + size[vip]) / 2 + subtree_gap
            if shift > 0:
                wm = ancestor[vim]
                if parent[wm] != p:
                    wm = default_ancestor[p]
                # Move v's subtree now; spread the move over the subtrees between wm and
                # v later, when the parent executes its shifts.
                part = shift / (i - sib[wm])
                change[v] -= part
                shift_of[v] += shift
                change[wm] += part
                prelim[v] += shift
                mod[v] += shift
                sip += shift
                sop += shift
            sim += mod[vim]
            sip += mod[vip]
            som += mod[vom]
            sop += mod[vop]
        if vim >= 0 and right_next[vop] < 0:
            left_next[vop] = right_next[vop] = vim
            mod[vop] += sim - sop
        if vip >= 0 and left_next[vom] < 0:
            left_next[vom] = right_next[vom] = vip
            mod[vom] += sip - som
            default_ancestor[p] = v

    # ---- second walk: parents before children; sum the modifiers down each path. The
    # root's own modifier is set so that it lands at 0.
    centre = [0.0] * n
    mod[0] = -prelim[0]
    for v in visit:
        p = parent[v]
        if p >= 0:
            centre[v] = prelim[v] + mod[p]
            mod[v] += mod[p]

    # ---- depth axis: one column per level, as wide as its widest node.
    widths: list[float] = []
    for v in range(n):
        extent = float(depth_size[names[v]])
        lv = level[v]
        if lv == len(widths):
            widths.append(extent)
        elif extent > widths[lv]:
            widths[lv] = extent
    columns: list[tuple[float, float]] = []
    x = 0.0
    for width in widths:
        columns.append((x, width))
        x += width + level_gap

    return TidyLayout(
        names=names,
        index={name: i for i, name in enumerate(names)},
        parent=parent,
        kids=kids,
        level=level,
        centre=centre,
        columns=columns,
    )


def _number(
    root: str, children: Mapping[str, Sequence[str]]
) -> tuple[list[str], list[int], list[range], list[int], list[int], list[int]]:
    """Number the nodes; return names, parent, kids, level, sibling index and a visit order.

    Siblings get consecutive numbers, so a node's children are a ``range``. The visit
    order puts every parent before its children and visits siblings right to left, so its
    reverse is a left-to-right post-order: exactly what the first walk needs. Levels are
    numbered as discovered, so they come out contiguous (0, 1, 2, ...).
    """
    leaf = range(0)
    names = [root]
    parent = [-1]
    kids = [leaf]
    level = [0]
    sib = [0]
    seen = {root}
    visit: list[int] = []
    stack = [0]
    while stack:
        v = stack.pop()
        visit.append(v)
        ch = children.get(names[v])
        if not ch:
            continue
        k = len(ch)
        first = len(names)
        mine = range(first, first + k)
        names.extend(ch)
        seen.update(ch)
        if len(seen) != len(names):
            twice = next(name for name in ch if names.count(name) > 1)
            raise ValueError(f"{twice!r} is reached twice: the children do not form a tree")
        parent.extend(repeat(v, k))
        level.extend(repeat(level[v] + 1, k))
        sib.extend(range(k))
        kids.extend(repeat(leaf, k))
        kids[v] = mine
        stack.extend(mine)
    return names, parent, kids, level, sib, visit
