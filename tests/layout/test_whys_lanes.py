"""Secondary links through one column gap take lanes alternately right and left of the bus.

With the test style of tests/layout/test_whys.py (level gap 40, lane step 5) the bus runs
20 right of a column; lanes are 5 right, 5 left, 10 right, 10 left... of it.
"""

from __future__ import annotations

from dataclasses import replace

from rca_desk.layout.geometry import Segment
from rca_desk.layout.text import ApproxMetrics
from rca_desk.layout.whys import layout_whys
from rca_desk.model import HEAD, CauseGraph
from tests.layout.test_whys import STYLE, whys


def three_links() -> CauseGraph:
    graph = CauseGraph("P", categories=["A"])
    for name in ("a", "b", "c"):
        graph.add_cause(HEAD, text=name, cause_id=name)
        graph.add_cause(name, text=name + "1", cause_id=name + "1", root_cause=True)
    graph.add_link("a", "b1")
    graph.add_link("b", "c1")
    graph.add_link("c", "a1")
    return graph


def vertical_xs(segments: list[Segment]) -> list[float]:
    return [s.x1 for s in segments if s.x1 == s.x2]


def test_each_link_through_a_gap_gets_the_next_lane() -> None:
    layout = whys(three_links())
    x, w = layout.columns[1]
    bus = x + w + 20
    lanes = [
        vertical_xs([b.segment for b in layout.bones if b.kind == "contributes" and b.owner == c])
        for c in ("b1", "c1", "a1")
    ]
    assert lanes == [[bus + 5], [bus - 5], [bus + 10]]


def test_without_a_lane_step_links_share_the_bus_line() -> None:
    style = replace(STYLE, lane_step=0.0)
    layout = layout_whys(three_links(), ApproxMetrics(), style)
    x, w = layout.columns[1]
    contributes = [b.segment for b in layout.bones if b.kind == "contributes"]
    assert set(vertical_xs(contributes)) == {x + w + 20}
