"""How the DOT export looks, attribute by attribute, on one small incident.

Each expectation is a visible decision (colours from the palette, root causes with a
double bold border, evidence as the border style, links dashed and not bending the tree),
written out here by hand and compared with what one statement of the DOT text says.
"""

from __future__ import annotations

import re

import pytest

from rca_desk.interchange.dot import to_dot
from rca_desk.model import HEAD, CauseGraph, Evidence

BLUE, ORANGE, INK, GREY = "#0072B2", "#D55E00", "#222222", "#7F7F7F"
_ATTR = re.compile(r'([A-Za-z_]+)=("(?:[^"\\]|\\.)*"|[^\s\]]+)')


def incident_graph() -> CauseGraph:
    graph = CauseGraph(problem="Late report", categories=["SOPs", "Tools"])
    graph.add_cause(
        HEAD,
        text="No runbook",
        category="SOPs",
        cause_id="a",
        evidence=Evidence.VERIFIED,
        evidence_note="seen in logs",
        root_cause=True,
    )
    graph.add_cause("a", text="Never written", cause_id="a1", evidence=Evidence.RULED_OUT)
    graph.add_cause(HEAD, text="Slow disk", category="Tools", cause_id="b")
    graph.add_link("b", "a1")
    return graph


def attrs(source: str, head: str) -> dict[str, str]:
    """The attributes of the one statement that starts with ``head``, quotes removed."""
    lines = [line.strip() for line in source.splitlines()]
    (line,) = [line for line in lines if line.startswith(head + " [")]
    return {key: value.strip('"') for key, value in _ATTR.findall(line[len(head) :])}


@pytest.mark.parametrize(("view", "rankdir"), [("fishbone", "RL"), ("whys", "LR")])
def test_defaults_for_the_whole_drawing(view: str, rankdir: str) -> None:
    source = to_dot(incident_graph(), view=view)
    assert source.startswith(f"digraph {view} {{")
    assert attrs(source, "graph") == {
        "bgcolor": "white",
        "fontname": "DejaVu Sans",
        "nodesep": "0.25",
        "rankdir": rankdir,
        "ranksep": "0.4",
    }
    assert attrs(source, "node") == {
        "fillcolor": "white",
        "fontname": "DejaVu Sans",
        "fontsize": "12",
        "margin": "0.12,0.06",
        "shape": "box",
        "style": "rounded,filled",
    }
    assert '\tedge [arrowsize=0.7 fontname="DejaVu Sans"]\n' in source


def test_fishbone_edges_point_back_at_the_effect_and_whys_keep_sibling_order() -> None:
    fishbone, whys = to_dot(incident_graph()), to_dot(incident_graph(), view="whys")
    assert "\tedge [dir=back]\n" in fishbone
    assert "dir=back" not in whys
    assert "\tordering=out\n" in whys


@pytest.mark.parametrize("view", ["fishbone", "whys"])
def test_the_problem_is_a_bold_dark_box(view: str) -> None:
    assert attrs(to_dot(incident_graph(), view=view), HEAD) == {
        "label": "Late report",
        "color": INK,
        "fillcolor": INK,
        "fontcolor": "white",
        "fontsize": "14",
        "id": "problem",
        "penwidth": "2",
        "shape": "box",
        "style": "filled,bold",
        "tooltip": "The problem",
    }


@pytest.mark.parametrize("view", ["fishbone", "whys"])
def test_causes_show_root_cause_and_evidence(view: str) -> None:
    source = to_dot(incident_graph(), view=view)
    assert attrs(source, "c_a") == {
        "label": "No runbook",
        "color": BLUE,
        "fontname": "DejaVu Sans Bold",
        "id": "cause-a",
        "penwidth": "2",
        "peripheries": "2",
        "style": "rounded,filled",
        "tooltip": r"SOPs · evidence: verified · root cause\nseen in logs",
    }
    assert attrs(source, "c_a1") == {
        "label": "Never written",
        "color": BLUE,
        "fontcolor": GREY,
        "id": "cause-a1",
        "style": "rounded,filled,dotted",
        "tooltip": "SOPs · evidence: ruled out",
    }
    assert attrs(source, "c_b") == {
        "label": "Slow disk",
        "color": ORANGE,
        "id": "cause-b",
        "style": "rounded,filled,dashed",
        "tooltip": "Tools · evidence: hypothesis",
    }


@pytest.mark.parametrize("view", ["fishbone", "whys"])
def test_a_link_is_dashed_grey_and_does_not_bend_the_tree(view: str) -> None:
    assert attrs(to_dot(incident_graph(), view=view), "c_b -> c_a1") == {
        "color": GREY,
        "constraint": "false",
        "style": "dashed",
        "tooltip": "also contributes to",
    }


def test_fishbone_bones_are_coloured_clusters_with_a_point_each() -> None:
    source = to_dot(incident_graph())
    cluster = source.split("subgraph cluster_0 {\n")[1].splitlines()[0]
    assert {k: v.strip('"') for k, v in _ATTR.findall(cluster)} == {
        "color": BLUE,
        "fontcolor": BLUE,
        "fontsize": "14",
        "label": "SOPs",
        "penwidth": "1.5",
        "style": "rounded",
        "tooltip": "SOPs",
    }
    assert attrs(source, "bone_1") == {
        "label": "",
        "color": ORANGE,
        "fillcolor": ORANGE,
        "shape": "point",
        "tooltip": "Tools",
        "width": "0.1",
    }
    assert attrs(source, "problem -> bone_0") == {
        "arrowtail": "none",
        "color": BLUE,
        "penwidth": "2.5",
    }
    assert attrs(source, "bone_0 -> c_a") == {"color": BLUE}
    assert attrs(source, "c_a -> c_a1") == {"color": BLUE}
    assert attrs(source, "bone_1 -> c_b") == {"color": ORANGE}


def test_fishbone_without_clusters_names_its_bones() -> None:
    source = to_dot(incident_graph(), clusters=False)
    assert "subgraph" not in source
    assert attrs(source, "bone_0") == {
        "label": "SOPs",
        "color": BLUE,
        "fillcolor": BLUE,
        "fontcolor": "#FFFFFF",  # text_on(BLUE): white reads better on it than black
        "style": "filled",
        "tooltip": "SOPs",
    }


def test_whys_edges_run_from_the_problem_along_each_chain() -> None:
    source = to_dot(incident_graph(), view="whys")
    assert attrs(source, "problem -> c_a") == {"color": BLUE}
    assert attrs(source, "c_a -> c_a1") == {"color": BLUE}
    assert attrs(source, "problem -> c_b") == {"color": ORANGE}
