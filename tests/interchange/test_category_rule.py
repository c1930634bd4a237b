"""The category rule (docs/categories.md) in DOT, Mermaid and GraphML.

One incident (tests/cross_category.py): a Methods cause and a Methods root cause below it
in a Machines chain. Each export places them on the Machines branch, colours them as
Methods where the format has colours, notes them on the Methods title and keeps their own
category.
"""

from __future__ import annotations

import io
import re

import networkx as nx

from rca_desk.interchange.dot import fishbone_dot, whys_dot
from rca_desk.interchange.graphml import to_graphml
from rca_desk.interchange.mermaid import fishbone_mermaid, whys_ids, whys_mermaid
from tests.cross_category import (
    IN_MACHINES_CHAIN,
    METHODS,
    METHODS_TITLE,
    color,
    cross_category_incident,
)
from tests.interchange.test_dot import dot_json, edges_by_name, needs_dot, objects_by_name


def dot_clusters(source: str) -> dict[str, tuple[str, set[str]]]:
    """Cluster name -> (label, node names), read from the DOT text without Graphviz.

    Enough for what ``fishbone_dot`` writes: one ``subgraph cluster_<n> {`` block per
    category, a ``label=`` on its attribute line and one node statement per line.
    """
    out = {}
    for name, body in re.findall(r"subgraph (cluster_\d+) \{\n(.*?)\n\t\}", source, re.DOTALL):
        label = re.search(r'\blabel=("(?:[^"\\]|\\.)*"|\S+)', body)
        assert label is not None
        nodes = set(re.findall(r"^\t\t(\w+) \[", body, re.MULTILINE))
        out[name] = (label.group(1).strip('"'), nodes)
    return out


def dot_node_attr(source: str, name: str, attr: str) -> str:
    line = re.search(rf"^\t+{re.escape(name)} \[(.*)\]$", source, re.MULTILINE)
    assert line is not None, name
    value = re.search(rf'\b{attr}=("(?:[^"\\]|\\.)*"|\S+)', line.group(1))
    assert value is not None, (name, attr)
    return value.group(1).strip('"')


def test_dot_text_places_by_branch_colours_by_own_category_and_notes_the_title() -> None:
    source = fishbone_dot(cross_category_incident().graph)
    clusters = dot_clusters(source)
    assert clusters == {
        "cluster_0": ("Machines", {"bone_0", "c_press", "c_lube", "c_checklist"}),
        "cluster_1": (METHODS_TITLE, {"bone_1", "c_instruction"}),
        "cluster_2": ("People", {"bone_2", "c_operator"}),
    }
    for cause_id in IN_MACHINES_CHAIN:
        assert dot_node_attr(source, f"c_{cause_id}", "color") == color(METHODS)
        assert "on the Machines bone" in dot_node_attr(source, f"c_{cause_id}", "tooltip")
    assert dot_node_attr(source, "c_press", "color") == color("Machines")


@needs_dot
def test_dot_drawn_by_graphviz_keeps_the_rule() -> None:
    graph = cross_category_incident().graph
    data = dot_json(fishbone_dot(graph))
    objects = objects_by_name(data)
    by_gvid = {obj["_gvid"]: obj["name"] for obj in data["objects"] if "_gvid" in obj}

    def members(cluster: str) -> set[str]:
        return {by_gvid[i] for i in objects[cluster]["nodes"]}

    # Placed: on the Machines branch, not in the Methods cluster.
    assert {"c_lube", "c_checklist"} <= members("cluster_0")
    assert members("cluster_1") == {"bone_1", "c_instruction"}
    # Coloured: as Methods, node and the edge from its effect.
    for cause_id in IN_MACHINES_CHAIN:
        assert objects[f"c_{cause_id}"]["color"] == color(METHODS)
    edges = {(t, h): a for t, h, a in edges_by_name(data)}
    assert edges[("c_press", "c_lube")]["color"] == color(METHODS)
    assert edges[("c_lube", "c_checklist")]["color"] == color(METHODS)
    # Referenced: on the Methods cluster's label; the other labels stay names.
    assert objects["cluster_1"]["label"] == METHODS_TITLE
    assert objects["cluster_0"]["label"] == "Machines"
    # Without clusters the bones carry the same note.
    bones = objects_by_name(dot_json(fishbone_dot(graph, clusters=False)))
    assert bones["bone_1"]["label"].replace("\\n", " ") == METHODS_TITLE  # wrapped


@needs_dot
def test_dot_whys_colours_by_own_category() -> None:
    objects = objects_by_name(dot_json(whys_dot(cross_category_incident().graph)))
    for cause_id in IN_MACHINES_CHAIN:
        assert objects[f"c_{cause_id}"]["color"] == color(METHODS)


def test_mermaid_fishbone_nests_under_the_parent_and_notes_the_title() -> None:
    text = fishbone_mermaid(cross_category_incident().graph)
    assert text == (
        "ishikawa-beta\n"
        "    Batch 4411 scrapped\n"
        "    Machines\n"
        "        Press stopped mid-batch\n"
        "            Lubrication skipped at changeover\n"
        "                Changeover checklist has no lubrication step\n"
        f"    {METHODS_TITLE}\n"
        "        Work instruction not updated after the retrofit\n"
        "    People\n"
        "        Operator was new on the line\n"
    )
    # ishikawa-beta has no classes or styles: no colour can be given there.
    assert "classDef" not in text and "style" not in text


def test_mermaid_whys_puts_the_cause_in_its_own_category_s_class() -> None:
    graph = cross_category_incident().graph
    text = whys_mermaid(graph)
    ids = whys_ids(graph)
    assert f"    classDef cat1 stroke:{color(METHODS)},stroke-width:2px\n" in text
    classes = dict(re.findall(r"^    class (\S+) (cat\d+)$", text, re.MULTILINE))
    by_class = {cls: set(members.split(",")) for members, cls in classes.items()}
    assert {ids["lube"], ids["checklist"], ids["instruction"]} == by_class["cat1"]
    assert ids["press"] in by_class["cat0"]
    # Placed in its chain: the edge runs from its parent.
    assert f"    {ids['press']} --> {ids['lube']}\n" in text


def test_graphml_keeps_the_own_category_and_names_the_branch() -> None:
    back = nx.read_graphml(io.BytesIO(to_graphml(cross_category_incident()).encode("utf-8")))
    assert {n: (d["category"], d["branch"]) for n, d in back.nodes(data=True)} == {
        "problem": ("", ""),
        "press": ("Machines", "Machines"),
        "lube": ("Methods", "Machines"),
        "checklist": ("Methods", "Machines"),
        "instruction": ("Methods", "Methods"),
        "operator": ("People", "People"),
    }
    assert back.has_edge("press", "lube") and back.has_edge("lube", "checklist")
