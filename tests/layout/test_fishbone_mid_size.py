"""Every tree shape at a few hundred causes lays out cleanly.

Big enough that envelopes get coarsened (deep chains, wide fans, one crowded category),
small enough to run in the mutation run; the 2,000-cause versions are marked slow.
"""

from __future__ import annotations

import random

import pytest

from rca_desk.layout.fishbone import FishboneStyle, layout_fishbone
from rca_desk.layout.text import ApproxMetrics
from tests.shapes import AWKWARD_LABELS, CATEGORY_NAMES, cause_text, fishbone_problems, random_tree


@pytest.mark.parametrize("skewed", [False, True], ids=["even", "skewed"])
@pytest.mark.parametrize("shape", ["random", "chain", "fan", "recent", "bushy"])
def test_each_tree_shape_at_300_causes_lays_out_cleanly(shape: str, skewed: bool) -> None:
    rng = random.Random(shape)
    labels = [cause_text(rng) for _ in range(30)] + list(AWKWARD_LABELS)
    graph = random_tree(
        300, list(CATEGORY_NAMES[:5]), labels, shape=shape, skewed=skewed, seed=len(shape)
    )
    layout = layout_fishbone(graph, ApproxMetrics(), FishboneStyle())
    assert len(layout.labels) == 1 + 5 + 300
    assert fishbone_problems(graph, layout) == []


@pytest.mark.parametrize("angle", [20.0, 45.0, 90.0])
def test_a_deep_chain_lays_out_cleanly_at_any_bone_angle(angle: float) -> None:
    labels = ["x", "a longer cause that wraps onto a second line", *AWKWARD_LABELS]
    graph = random_tree(120, list(CATEGORY_NAMES[:3]), labels, shape="chain", seed=3)
    layout = layout_fishbone(graph, ApproxMetrics(), FishboneStyle(bone_angle=angle))
    assert fishbone_problems(graph, layout) == []
