"""The standard fishbones: sound, compact, and exactly the nodes their names promise."""

from __future__ import annotations

import pytest

from rca_desk.layout.fishbone import layout_fishbone
from rca_desk.layout.text import ApproxMetrics
from rca_desk.model import HEAD
from tests.shapes import STANDARD, deep_fishbone, fishbone_problems, named_fishbone

#: Nodes per shape, the head and one node per category included.
NODES = {"F0": 61, "F1": 151, "F2": 489, "F3": 2011, "deep": 4 + 4 * (2 + 4 + 8 + 16 + 32 + 64) + 1}


@pytest.mark.parametrize("name", [*STANDARD, "deep"])
def test_standard_shapes_are_sound_and_compact(name: str) -> None:
    graph = named_fishbone(name)
    layout = layout_fishbone(graph, ApproxMetrics())

    assert len(layout.labels) == NODES[name]
    assert fishbone_problems(graph, layout) == []
    aspect = layout.bounds.w / layout.bounds.h
    assert 0.5 <= aspect <= 2.5, f"{name}: {layout.bounds.w:.0f} x {layout.bounds.h:.0f}"


def test_deep_fishbone_reaches_depth_six_on_every_category() -> None:
    graph = deep_fishbone()
    layout = layout_fishbone(graph, ApproxMetrics())

    deepest = {
        category: max(label.depth for label in layout.labels.values() if label.category == category)
        for category in graph.categories
    }
    assert deepest == dict.fromkeys(graph.categories, 6)
    assert len(graph.children(HEAD)) == 8


def test_builders_are_deterministic() -> None:
    first, second = named_fishbone("F1"), named_fishbone("F1")
    assert list(first.causes()) == list(second.causes())
    assert list(named_fishbone("F1", seed=1).causes()) != list(first.causes())
