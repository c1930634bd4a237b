"""GraphML export, read back with networkx and xml.etree."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rca_desk.interchange.files import ExportError
from rca_desk.interchange.graphml import graphml_graph, to_graphml, write_graphml, xml_safe
from rca_desk.model import HEAD, CauseGraph, Evidence, Incident
from rca_desk.model.cause_graph import CONTRIBUTES, PRIMARY
from tests.typeable import has_text, without_bidi

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"

NASTY = ['"', "'", "<", ">", "&", "&amp;", "]]>", "<!--", "\\", "\n", "\r", "\t", "\x01",
         "\x0b", "\ufffe", "é", "データ", "🙂", " ", "  "]  # fmt: skip

nasty_text = (
    st.lists(
        st.one_of(
            st.sampled_from(NASTY),
            st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=10),
        ),
        min_size=1,
        max_size=6,
    )
    .map("".join)
    .map(without_bidi)
    .filter(has_text)
)


def read_back(incident: Incident) -> nx.DiGraph:
    return nx.read_graphml(io.BytesIO(to_graphml(incident).encode("utf-8")))


def assert_same_as_model(back: nx.DiGraph, incident: Incident) -> None:
    """Nodes, edges and every attribute are the model's (text made XML-safe)."""
    graph = incident.graph
    assert set(back.nodes) == set(graph.nx.nodes)
    assert set(back.edges) == set(graph.nx.edges)
    assert back.nodes[HEAD]["kind"] == "problem"
    assert back.nodes[HEAD]["text"] == xml_safe(graph.problem)
    assert back.nodes[HEAD]["branch"] == back.nodes[HEAD]["category"] == ""
    for cause in graph.causes():
        data = back.nodes[cause.id]
        assert data == {
            "kind": "cause",
            "text": xml_safe(cause.text),
            "category": xml_safe(cause.category),
            "branch": xml_safe(graph.branch(cause.id)),
            "evidence": cause.evidence.value,
            "evidence_note": xml_safe(cause.evidence_note),
            "root_cause": cause.root_cause,
        }
    for effect, cause_id, kind in graph.nx.edges(data="kind"):
        edge = back.edges[effect, cause_id]
        assert edge["kind"] == kind
        if kind == PRIMARY:
            assert edge["index"] == graph.index_of(cause_id)
        else:
            assert "index" not in edge
    assert back.graph["title"] == xml_safe(incident.title)
    assert back.graph["uid"] == incident.uid
    assert json.loads(back.graph["categories"]) == [xml_safe(c) for c in graph.categories]


def test_sample_reads_back_with_the_same_nodes_edges_and_attributes(sample: Incident) -> None:
    sample.graph.update_cause("com-4", evidence=Evidence.RULED_OUT, evidence_note="Sent.")
    back = read_back(sample)
    assert_same_as_model(back, sample)
    # And attribute for attribute, the written copy is what comes back.
    written = graphml_graph(sample)
    assert dict(back.nodes(data=True)) == dict(written.nodes(data=True))
    assert {(u, v): d for u, v, d in back.edges(data=True)} == {
        (u, v): d for u, v, d in written.edges(data=True)
    }
    kinds = {kind for _, _, kind in back.edges(data="kind")}
    assert kinds == {PRIMARY, CONTRIBUTES}


def test_sibling_order_can_be_rebuilt_from_the_file(sample: Incident) -> None:
    graph = sample.graph
    graph.move_cause("sop-5", "sop-1", index=0)
    back = read_back(sample)
    for node in [HEAD, *graph.cause_ids()]:
        primary = [
            (data["index"], child)
            for _, child, data in back.out_edges(node, data=True)
            if data["kind"] == PRIMARY
        ]
        assert [child for _, child in sorted(primary)] == list(graph.children(node))


def test_the_document_is_well_formed_graphml_with_typed_keys(sample: Incident) -> None:
    text = to_graphml(sample)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{GRAPHML}graphml"
    keys = {
        (key.get("for"), key.get("attr.name")): key.get("attr.type")
        for key in root.iter(f"{GRAPHML}key")
    }
    assert keys[("node", "root_cause")] == "boolean"
    assert keys[("node", "text")] == "string"
    assert keys[("edge", "kind")] == "string"
    assert keys[("graph", "uid")] == "string"
    graph_element = root.find(f"{GRAPHML}graph")
    assert graph_element is not None
    assert graph_element.get("edgedefault") == "directed"


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(nasty_text, min_size=1, max_size=5),
    note=nasty_text,
    category=nasty_text.map(lambda s: s[:60]).filter(has_text),
    title=nasty_text,
)
def test_any_text_survives_the_round_trip(
    texts: list[str], note: str, category: str, title: str
) -> None:
    graph = CauseGraph(problem=texts[0], categories=[category[:60], "Other"])
    parent = HEAD
    for i, text in enumerate(texts):
        parent = graph.add_cause(
            parent, text=text, evidence_note=note[:2000], root_cause=bool(i % 2)
        )
    incident = Incident(title=title, graph=graph)
    back = read_back(incident)
    assert_same_as_model(back, incident)
    # Text without characters XML cannot hold comes back exactly.
    for cause in graph.causes():
        if xml_safe(cause.text) == cause.text:
            assert back.nodes[cause.id]["text"] == cause.text


def test_xml_safe_replaces_only_what_xml_cannot_hold() -> None:
    assert xml_safe("a\x00b\x1fc\ufffe") == "a\ufffdb\ufffdc\ufffd"
    assert xml_safe("line\r\nnext\rlast\tend") == "line\nnext\nlast\tend"
    assert xml_safe("<&>\"'é🙂") == "<&>\"'é🙂"


def test_odd_cause_ids_are_kept(tmp_path: Path) -> None:
    graph = CauseGraph(problem="P", categories=["A"])
    for cause_id in ("1.5", "-x", "node", "a.b-c_d"):
        graph.add_cause(HEAD, text=cause_id, cause_id=cause_id)
    graph.add_link("node", "-x")
    incident = Incident(title="T", graph=graph)
    out = tmp_path / "t.graphml"
    write_graphml(out, incident)
    back = nx.read_graphml(out)
    assert_same_as_model(back, incident)


def test_write_graphml_is_atomic(sample: Incident, tmp_path: Path) -> None:
    out = tmp_path / "s.graphml"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(ExportError):
        write_graphml(tmp_path / "missing" / "s.graphml", sample)
    write_graphml(out, sample)
    assert out.read_text(encoding="utf-8") == to_graphml(sample)
    assert [p.name for p in tmp_path.iterdir()] == ["s.graphml"]
