"""The generic tidy tree: exact positions on small trees, tidy-drawing rules on random ones."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rca_desk.layout.tidy import TidyLayout, tidy_tree

EPS = 1e-6


def layout(
    children: Mapping[str, Sequence[str]],
    breadth: Mapping[str, float] | float = 10.0,
    depth: Mapping[str, float] | float = 20.0,
    *,
    root: str = "r",
    level_gap: float = 5.0,
    sibling_gap: float = 2.0,
    subtree_gap: float = 2.0,
) -> TidyLayout:
    nodes = {root} | set(children) | {c for kids in children.values() for c in kids}
    if not isinstance(breadth, Mapping):
        breadth = dict.fromkeys(nodes, breadth)
    if not isinstance(depth, Mapping):
        depth = dict.fromkeys(nodes, depth)
    return tidy_tree(
        root,
        children,
        breadth,
        depth,
        level_gap=level_gap,
        sibling_gap=sibling_gap,
        subtree_gap=subtree_gap,
    )


def centres(tree: TidyLayout) -> dict[str, float]:
    return {name: tree.centre[i] for i, name in enumerate(tree.names)}


# ------------------------------------------------------------------ small trees, exact
def test_a_lone_root_sits_at_the_origin() -> None:
    tree = layout({}, depth=30.0)
    assert tree.names == ["r"]
    assert tree.position("r") == (0.0, 0.0)
    assert tree.columns == [(0.0, 30.0)]


def test_equal_leaves_are_spaced_by_their_breadth_plus_the_sibling_gap() -> None:
    tree = layout({"r": ["a", "b", "c"]})
    assert centres(tree) == pytest.approx({"r": 0.0, "a": -12.0, "b": 0.0, "c": 12.0})


def test_unequal_siblings_are_separated_by_half_of_each_extent() -> None:
    tree = layout({"r": ["a", "b"]}, breadth={"r": 10, "a": 10, "b": 30})
    # b's centre is 5 + 2 + 15 = 22 below a's; the root is halfway between them.
    assert centres(tree) == pytest.approx({"r": 0.0, "a": -11.0, "b": 11.0})


def test_cousins_keep_the_subtree_gap() -> None:
    tree = layout({"r": ["a", "b"], "a": ["a1"], "b": ["b1"]}, subtree_gap=5.0)
    # a and b alone would be 12 apart; their children need 10 + 5 = 15, so all move out.
    assert centres(tree) == pytest.approx({"r": 0.0, "a": -7.5, "b": 7.5, "a1": -7.5, "b1": 7.5})


def test_small_subtrees_between_two_pushed_apart_are_spread_evenly() -> None:
    # A and B each carry five leaves, so B is pushed to 60 below A; the leaves x and y in
    # between are spread evenly (Walker) instead of staying bunched up next to A.
    children = {
        "r": ["A", "x", "y", "B"],
        "A": [f"a{i}" for i in range(5)],
        "B": [f"b{i}" for i in range(5)],
    }
    at = centres(layout(children))
    assert [at["A"], at["x"], at["y"], at["B"]] == pytest.approx([-30.0, -10.0, 10.0, 30.0])
    assert [at[f"a{i}"] for i in range(5)] == pytest.approx([-54, -42, -30, -18, -6])
    assert [at[f"b{i}"] for i in range(5)] == pytest.approx([6, 18, 30, 42, 54])


def test_a_deep_right_subtree_is_threaded_against_a_deep_left_one() -> None:
    # The contour of a's subtree continues under b's shallower one (a thread), so c's
    # deep leaf is kept clear of a's deep leaf although b is in between.
    children = {
        "r": ["a", "b", "c"],
        "a": ["a1"],
        "a1": ["a2"],
        "c": ["c1"],
        "c1": ["c2"],
    }
    at = centres(layout(children, subtree_gap=20.0))
    assert at["c2"] - at["a2"] == pytest.approx(30.0)
    assert at["c1"] - at["a1"] == pytest.approx(30.0)
    assert at["b"] - at["a"] == pytest.approx(at["c"] - at["b"])  # b spread into the middle


def test_columns_are_as_wide_as_their_widest_node() -> None:
    tree = layout(
        {"r": ["a", "b"], "a": ["a1"]},
        depth={"r": 50, "a": 30, "b": 70, "a1": 20},
        level_gap=10.0,
    )
    assert tree.columns == [(0.0, 50.0), (60.0, 70.0), (140.0, 20.0)]
    assert tree.position("a") == (60.0, tree.centre[tree.index["a"]])
    assert tree.position("a1")[0] == 140.0
    assert [tree.level[tree.index[n]] for n in ("r", "a", "b", "a1")] == [0, 1, 1, 2]


def test_a_node_reached_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        layout({"r": ["a", "b"], "a": ["b"]})
    with pytest.raises(ValueError, match="twice"):
        layout({"r": ["a"], "a": ["r"]})


def test_a_3000_deep_chain_lays_out_without_recursion() -> None:
    children = {f"n{i}": [f"n{i + 1}"] for i in range(3000)}
    tree = layout(children, root="n0", level_gap=4.0)
    assert len(tree.names) == 3001
    assert all(c == 0.0 for c in tree.centre)
    assert len(tree.columns) == 3001
    assert tree.position("n3000") == (3000 * 24.0, 0.0)


def test_3000_leaves_under_one_root_are_evenly_spaced() -> None:
    leaves = [f"l{i}" for i in range(3000)]
    at = centres(layout({"r": leaves}))
    assert [at[leaf] for leaf in leaves] == pytest.approx(
        [12.0 * (i - 1499.5) for i in range(3000)]
    )


# ------------------------------------------------------------------ random trees, rules
def random_children(n: int, shape: str, rng: random.Random) -> dict[str, list[str]]:
    """A tree of ``n`` nodes under ``"n0"``: uniform, chain-like, fan-like or bushy."""
    children: dict[str, list[str]] = {}
    nodes = ["n0"]
    for i in range(1, n):
        if shape == "chain":
            parent = nodes[-1] if rng.random() < 0.9 else rng.choice(nodes)
        elif shape == "fan":
            parent = nodes[min(len(nodes) - 1, int(rng.random() ** 4 * 6))]
        elif shape == "bushy":
            parent = nodes[int(len(nodes) * rng.random() ** 0.3)]
        else:
            parent = rng.choice(nodes)
        children.setdefault(parent, []).append(f"n{i}")
        nodes.append(f"n{i}")
    return children


@st.composite
def trees(draw: st.DrawFn) -> tuple[dict[str, list[str]], dict[str, float], dict[str, float]]:
    n = draw(st.one_of(st.integers(1, 40), st.integers(41, 600), st.sampled_from([1500, 3000])))
    shape = draw(st.sampled_from(("random", "chain", "fan", "bushy")))
    sizes = draw(
        st.lists(st.sampled_from([0.5, 1.0, 10.0, 17.3, 40.0, 300.0]), min_size=1, max_size=4)
    )
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    children = random_children(n, shape, rng)
    names = [f"n{i}" for i in range(n)]
    breadth = {name: rng.choice(sizes) for name in names}
    depth = {name: rng.choice(sizes) * 2 for name in names}
    return children, breadth, depth


def preorder(children: Mapping[str, Sequence[str]], root: str) -> list[str]:
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(children.get(node, ())))
    return out


def contours(tree: TidyLayout, breadth: Mapping[str, float]) -> list[dict[int, list[float]]]:
    """Per node, for each level of its subtree: [leftmost top edge, rightmost bottom edge]."""
    out: list[dict[int, list[float]]] = [{} for _ in tree.names]
    order = sorted(range(len(tree.names)), key=lambda i: -tree.level[i])  # deepest first
    for v in order:
        half = breadth[tree.names[v]] / 2
        mine = out[v]
        mine[tree.level[v]] = [tree.centre[v] - half, tree.centre[v] + half]
        for c in tree.kids[v]:
            for lv, (lo, hi) in out[c].items():
                if lv in mine:
                    mine[lv][0] = min(mine[lv][0], lo)
                    mine[lv][1] = max(mine[lv][1], hi)
                else:
                    mine[lv] = [lo, hi]
    return out


@settings(max_examples=40, deadline=None)
@given(trees(), st.sampled_from([0.0, 2.0, 14.0]), st.sampled_from([0.0, 5.0, 24.0]))
def test_random_trees_are_tidy(
    tree_and_sizes: tuple[dict[str, list[str]], dict[str, float], dict[str, float]],
    sibling_gap: float,
    subtree_gap: float,
) -> None:
    children, breadth, depth = tree_and_sizes
    tree = tidy_tree(
        "n0",
        children,
        breadth,
        depth,
        level_gap=7.0,
        sibling_gap=sibling_gap,
        subtree_gap=subtree_gap,
    )
    n = len(breadth)
    assert sorted(tree.names) == sorted(breadth)
    scale = max(1.0, max(abs(c) for c in tree.centre))
    tol = EPS * scale
    rank = {name: i for i, name in enumerate(preorder(children, "n0"))}

    by_level: dict[int, list[int]] = {}
    for i, name in enumerate(tree.names):
        by_level.setdefault(tree.level[i], []).append(i)
        # Levels and columns: one column per level, as wide as its widest node.
        parent = tree.parent[i]
        assert tree.level[i] == (0 if parent < 0 else tree.level[parent] + 1)
        x, width = tree.columns[tree.level[i]]
        assert depth[name] <= width
        # Every parent exactly halfway between its first and last child.
        kids = tree.kids[i]
        assert [tree.names[k] for k in kids] == list(children.get(name, ()))
        if kids:
            midpoint = (tree.centre[kids[0]] + tree.centre[kids[-1]]) / 2
            assert abs(tree.centre[i] - midpoint) <= tol
    assert tree.centre[tree.index["n0"]] == 0.0
    for lv, (x, width) in enumerate(tree.columns):
        assert width == max(depth[tree.names[i]] for i in by_level[lv])
        if lv:
            prev_x, prev_width = tree.columns[lv - 1]
            assert x == pytest.approx(prev_x + prev_width + 7.0)

    for ids in by_level.values():
        # Along each level, left to right is the tree's order (subtrees never interleave)
        # and neighbours keep their gap, measured between their extents.
        ids.sort(key=lambda i: rank[tree.names[i]])
        for a, b in pairwise(ids):
            gap = sibling_gap if tree.parent[a] == tree.parent[b] else subtree_gap
            need = (breadth[tree.names[a]] + breadth[tree.names[b]]) / 2 + gap
            assert tree.centre[b] - tree.centre[a] >= need - tol

    if n <= 600:
        # Packed: the last child of every family is pushed up against its elder siblings'
        # subtrees, touching them on at least one level.
        shapes = contours(tree, breadth)
        for v, kids in enumerate(tree.kids):
            if len(kids) < 2:
                continue
            forest: dict[int, tuple[float, float]] = {}
            for c in kids[:-1]:
                for lv, (lo, hi) in shapes[c].items():
                    old_lo, old_hi = forest.get(lv, (lo, hi))
                    forest[lv] = (min(old_lo, lo), max(old_hi, hi))
            last = shapes[kids[-1]]
            child_level = tree.level[v] + 1
            slack = min(
                last[lv][0] - forest[lv][1] - (sibling_gap if lv == child_level else subtree_gap)
                for lv in last.keys() & forest.keys()
            )
            assert abs(slack) <= tol, (tree.names[v], slack)


@settings(max_examples=15, deadline=None)
@given(trees())
def test_layout_is_deterministic_and_mirrors_do_not_matter(
    tree_and_sizes: tuple[dict[str, list[str]], dict[str, float], dict[str, float]],
) -> None:
    children, breadth, depth = tree_and_sizes
    kwargs = {"level_gap": 5.0, "sibling_gap": 3.0, "subtree_gap": 6.0}
    first = tidy_tree("n0", children, breadth, depth, **kwargs)
    again = tidy_tree("n0", {k: tuple(v) for k, v in children.items()}, breadth, depth, **kwargs)
    assert first == again
    # Mirroring the children mirrors the drawing (Walker's layout is symmetric), which a
    # layout that favours one side, or forgets a deferred shift, would not do.
    mirrored = tidy_tree("n0", {k: v[::-1] for k, v in children.items()}, breadth, depth, **kwargs)
    scale = max(1.0, max(abs(c) for c in first.centre))
    for name, i in first.index.items():
        assert mirrored.centre[mirrored.index[name]] == pytest.approx(
            -first.centre[i], abs=EPS * scale
        )
