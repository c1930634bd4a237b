"""GraphML of an incident's cause graph, for graph tools (yEd, Gephi, Cytoscape, networkx).

Written by :func:`networkx.write_graphml` from a *copy* of the cause graph whose
attributes are plain strings, booleans and integers: GraphML has no enums and no null, so
the model's ``Evidence`` becomes its value and the problem's missing category an empty
string. Node ids are the model's (``problem`` and the cause ids), so a file can be matched
back to the incident; edges keep the model's direction, ``effect -> cause``.

Node data: ``kind`` ("problem" or "cause"), ``text``, ``category`` (the cause's own),
``branch`` (the category of the bone it hangs on, its first-level ancestor's; it differs
from ``category`` for a sub-cause filed under another category, see docs/categories.md),
``evidence``, ``evidence_note``, ``root_cause``. Edge data: ``kind`` ("primary" or
"contributes") and, on primary edges, ``index``, the cause's position among its siblings
(child order is part of the model). Graph data: ``title``, ``uid``, ``problem`` and
``categories`` (a JSON array, in the incident's order).

XML 1.0 cannot carry most control characters even escaped; they are written as U+FFFD,
and carriage returns as line feeds (an XML reader would turn them into line feeds anyway).
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import networkx as nx

from rca_desk.interchange.files import atomic_write_bytes
from rca_desk.model.cause_graph import HEAD, PRIMARY
from rca_desk.model.incident import Incident

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with what XML 1.0 cannot hold replaced: it reads back as written otherwise."""
    return _NOT_XML.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def graphml_graph(incident: Incident) -> nx.DiGraph:
    """The plain-typed copy of ``incident``'s cause graph that :func:`to_graphml` writes."""
    graph = incident.graph
    out = nx.DiGraph()
    out.graph.update(
        title=xml_safe(incident.title),
        uid=incident.uid,
        problem=xml_safe(graph.problem),
        # Each name as the nodes carry it, so a reader can match them.
        categories=json.dumps([xml_safe(name) for name in graph.categories], ensure_ascii=False),
    )
    out.add_node(
        HEAD,
        kind="problem",
        text=xml_safe(graph.problem),
        category="",
        branch="",
        evidence="",
        evidence_note="",
        root_cause=False,
    )
    branches = graph.branches()
    for cause in graph.causes():
        out.add_node(
            cause.id,
            kind="cause",
            text=xml_safe(cause.text),
            category=xml_safe(cause.category),
            branch=xml_safe(branches[cause.id]),
            evidence=cause.evidence.value,
            evidence_note=xml_safe(cause.evidence_note),
            root_cause=cause.root_cause,
        )
    for node in [HEAD, *graph.cause_ids()]:
        for index, child in enumerate(graph.children(node)):
            out.add_edge(node, child, kind=PRIMARY, index=index)
    for effect, cause_id in graph.links():
        out.add_edge(effect, cause_id, kind=graph.nx.edges[effect, cause_id]["kind"])
    return out


def to_graphml(incident: Incident) -> str:
    """The incident's cause graph as a GraphML document (UTF-8 text)."""
    lines: Any = nx.generate_graphml(graphml_graph(incident), encoding="utf-8")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join(lines) + "\n"


def write_graphml(path: str | os.PathLike[str], incident: Incident) -> None:
    """Write :func:`to_graphml` to ``path``, all or nothing."""
    atomic_write_bytes(path, to_graphml(incident).encode("utf-8"))
