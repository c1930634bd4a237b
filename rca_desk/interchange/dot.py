"""Graphviz DOT of an incident's cause graph, as a fishbone or as five-whys chains.

DOT is the format people paste into other tools (or render with ``dot``) to get our
diagrams into documents we do not control, so the text is built with the ``graphviz``
package (no ``dot`` binary is needed to *write* it) and every piece of user text is
escaped here, once: labels and tooltips are DOT ``escString`` values in which a backslash,
a quote, an ``&`` or a leading ``<`` would otherwise change what Graphviz reads.

Edges follow the model everywhere: ``effect -> cause`` ("why did *effect* happen?").
The fishbone draws them with ``dir=back`` so the arrowheads point at the effect, as on a
paper fishbone, while ``rankdir=RL`` puts the problem (the fish's head) on the right.
The whys view draws them forwards, left to right, from the problem to its answers.
"""

from __future__ import annotations

import os
import re

import graphviz

from rca_desk.interchange.files import atomic_write_bytes
from rca_desk.layout.palette import INK, category_color, text_on
from rca_desk.layout.text import FONT_FAMILY, ApproxMetrics, wrap
from rca_desk.model.cause_graph import HEAD, Cause, CauseGraph
from rca_desk.model.vocab import Evidence

FONT_SIZE = 12.0
HEAD_FONT_SIZE = 14.0
#: Labels wrap at about this many ems: Graphviz never wraps, and one 200-character cause
#: on one line makes a diagram nobody can read.
WRAP_EMS = 16.0
#: Colour of secondary ("also contributes to") connectors and of ruled-out causes.
MUTED = "#7F7F7F"

_METRICS = ApproxMetrics()
# Characters the SVG/XML Graphviz writes from DOT cannot carry; a tab reads as a space.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")
_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")

VIEWS = ("fishbone", "whys")


def dot_text(text: str) -> str:
    """``text`` as the value of a DOT string attribute: shows exactly ``text`` when drawn.

    Backslashes are doubled (so ``\\N`` or ``\\l`` in a label stay literal), ``&`` becomes
    ``&amp;`` (Graphviz decodes HTML entities such as ``&lt;`` even in plain labels), line
    breaks become ``\\n``, other control characters (which the SVG Graphviz
    writes could not hold) show as U+FFFD. Quotes are escaped by the ``graphviz``
    package's quoting, which the :class:`graphviz.quoting.NoHtml` wrapper keeps from
    mistaking ``<...>`` for an HTML-like label.
    """
    text = _CONTROL.sub("\ufffd", _BREAKS.sub("\n", text).replace("\t", " "))
    text = text.replace("&", "&amp;").replace("\\", "\\\\").replace("\n", "\\n")
    escaped: str = graphviz.nohtml(text)
    return escaped


def dot_tooltip(text: str) -> str:
    """``text`` as a DOT tooltip: like :func:`dot_text`, but a backslash shows as U+2216.

    Graphviz expands ``\\N``, ``\\G``… in tooltips after it has already unescaped them
    once, so no escaping of a backslash survives every version; U+2216 (set minus) looks
    the same.
    """
    return dot_text(text.replace("\\", "\u2216"))


def wrapped(text: str, size: float = FONT_SIZE) -> str:
    """``text`` broken into lines of about :data:`WRAP_EMS` ems (its own breaks kept)."""
    clean = _CONTROL.sub("\ufffd", _BREAKS.sub("\n", text).replace("\t", " "))
    return "\n".join(wrap(clean, _METRICS, size, WRAP_EMS * size).lines)


def _node_name(cause_id: str) -> str:
    """DOT node name of a cause; the prefix keeps causes apart from our own nodes.

    Cause ids may be ``node`` or ``graph`` (DOT keywords) or ``bone_0``; prefixed and
    quoted by the ``graphviz`` package, they can never clash with the problem or a bone.
    """
    return f"c_{cause_id}"


def _bone_name(index: int) -> str:
    return f"bone_{index}"


def _tooltip(cause: Cause, branch: str | None = None) -> str:
    parts = [f"{cause.category} · evidence: {cause.evidence.label}"]
    if cause.root_cause:
        parts.append("root cause")
    if branch is not None and branch != cause.category:
        parts.append(f"on the {branch} bone")
    tip = " · ".join(parts)
    if cause.evidence_note:
        tip += "\n" + cause.evidence_note
    if cause.stop_reason:
        tip += "\nStop reason: " + cause.stop_reason
    return tip


def _cause_attrs(graph: CauseGraph, cause: Cause, branch: str | None = None) -> dict[str, str]:
    """Shared look of a cause: its own category's colour (wherever it is placed), root
    causes doubled, evidence as style. ``branch`` names the bone it hangs on, for the
    tooltip of a cause placed on another category's bone."""
    color = category_color(graph.categories, cause.category)
    style = ["rounded", "filled"]
    attrs = {
        "label": dot_text(wrapped(cause.text)),
        "tooltip": dot_tooltip(_tooltip(cause, branch)),
        "color": color,
        "id": f"cause-{cause.id}",
    }
    if cause.evidence is Evidence.HYPOTHESIS:
        style.append("dashed")
    elif cause.evidence is Evidence.RULED_OUT:
        style.append("dotted")
        attrs["fontcolor"] = MUTED
    if cause.root_cause:
        attrs["peripheries"] = "2"
        attrs["penwidth"] = "2"
        attrs["fontname"] = f"{FONT_FAMILY} Bold"
    attrs["style"] = ",".join(style)
    return attrs


def _new_digraph(name: str, rankdir: str) -> graphviz.Digraph:
    return graphviz.Digraph(
        name,
        graph_attr={
            "rankdir": rankdir,
            "fontname": FONT_FAMILY,
            "nodesep": "0.25",
            "ranksep": "0.4",
            "bgcolor": "white",
        },
        node_attr={
            "fontname": FONT_FAMILY,
            "fontsize": f"{FONT_SIZE:g}",
            "shape": "box",
            "style": "rounded,filled",
            "fillcolor": "white",
            "margin": "0.12,0.06",
        },
        edge_attr={"fontname": FONT_FAMILY, "arrowsize": "0.7"},
    )


def _add_head(dot: graphviz.Digraph, graph: CauseGraph) -> None:
    dot.node(
        HEAD,
        label=dot_text(wrapped(graph.problem, HEAD_FONT_SIZE)),
        tooltip=dot_tooltip("The problem"),
        shape="box",
        style="filled,bold",
        fillcolor=INK,
        color=INK,
        fontcolor="white",
        fontsize=f"{HEAD_FONT_SIZE:g}",
        penwidth="2",
        id="problem",
    )


def _add_links(dot: graphviz.Digraph, graph: CauseGraph) -> None:
    """Secondary connectors: dashed, and ``constraint=false`` so they never bend the tree."""
    for effect, cause in graph.links():
        dot.edge(
            HEAD if effect == HEAD else _node_name(effect),
            _node_name(cause),
            style="dashed",
            constraint="false",
            color=MUTED,
            tooltip=dot_tooltip("also contributes to"),
        )


def fishbone_dot(graph: CauseGraph, *, clusters: bool = True) -> str:
    """The fishbone: problem on the right, one bone (cluster) per category, causes on it.

    Each category gets a bone node, ``bone_<n>`` (n = the category's position); its
    first-level causes hang from it and deeper causes from their effect. As in the app
    (docs/categories.md), a cause sits in the cluster of its *branch*, the category of
    its first-level ancestor, so a Methods sub-cause in a Machine chain stays in the
    Machine cluster; it is drawn in its own category's colour, and its own category's
    cluster label says "(+1 on other bones)". With ``clusters=False`` the categories are
    only colours and the bones carry their names (with the same note).
    """
    dot = _new_digraph("fishbone", "RL")
    dot.attr("edge", dir="back")  # declared effect -> cause, drawn pointing at the effect
    _add_head(dot, graph)
    branches = graph.branches()
    titles = graph.category_titles()
    members: dict[str, list[Cause]] = {name: [] for name in graph.categories}
    for cause in graph.causes():
        members[branches[cause.id]].append(cause)
    for index, category in enumerate(graph.categories):
        color = category_color(graph.categories, category)
        title = titles[category]
        if clusters:
            with dot.subgraph(name=f"cluster_{index}") as sub:
                sub.attr(
                    label=dot_text(title),
                    color=color,
                    fontcolor=color,
                    style="rounded",
                    penwidth="1.5",
                    fontsize=f"{HEAD_FONT_SIZE:g}",
                    tooltip=dot_tooltip(category),
                )
                sub.node(
                    _bone_name(index),
                    label="",
                    shape="point",
                    width="0.1",
                    color=color,
                    fillcolor=color,
                    tooltip=dot_tooltip(category),
                )
                for cause in members[category]:
                    sub.node(_node_name(cause.id), **_cause_attrs(graph, cause, category))
        else:
            dot.node(
                _bone_name(index),
                label=dot_text(wrapped(title)),
                tooltip=dot_tooltip(category),
                style="filled",
                fillcolor=color,
                color=color,
                fontcolor=text_on(color),
            )
            for cause in members[category]:
                dot.node(_node_name(cause.id), **_cause_attrs(graph, cause, category))
    for index, category in enumerate(graph.categories):
        color = category_color(graph.categories, category)
        dot.edge(HEAD, _bone_name(index), color=color, penwidth="2.5", arrowtail="none")
    bone_of = {name: _bone_name(index) for index, name in enumerate(graph.categories)}
    for cause in graph.causes():
        parent = graph.parent(cause.id)
        tail = bone_of[cause.category] if parent == HEAD else _node_name(parent)
        dot.edge(tail, _node_name(cause.id), color=category_color(graph.categories, cause.category))
    _add_links(dot, graph)
    return str(dot.source)


def whys_dot(graph: CauseGraph) -> str:
    """The five whys: a left-to-right tree from the problem, one chain per path.

    Root causes have a double, bold border; evidence shows as the border style (dashed:
    hypothesis, dotted and grey: ruled out) and in the tooltip with its note. Secondary
    links are dashed and do not constrain the ranks, so the chains stay straight.
    """
    dot = _new_digraph("whys", "LR")
    dot.attr(ordering="out")  # siblings keep the order people gave them
    _add_head(dot, graph)
    for cause in graph.causes():
        dot.node(_node_name(cause.id), **_cause_attrs(graph, cause))
    for cause in graph.causes():
        parent = graph.parent(cause.id)
        dot.edge(
            HEAD if parent == HEAD else _node_name(parent),
            _node_name(cause.id),
            color=category_color(graph.categories, cause.category),
        )
    _add_links(dot, graph)
    return str(dot.source)


def to_dot(graph: CauseGraph, *, view: str = "fishbone", clusters: bool = True) -> str:
    """DOT of ``view`` ("fishbone" or "whys")."""
    if view == "fishbone":
        return fishbone_dot(graph, clusters=clusters)
    if view == "whys":
        return whys_dot(graph)
    raise ValueError(f"unknown view {view!r}; use one of: {', '.join(VIEWS)}")


def write_dot(
    path: str | os.PathLike[str],
    graph: CauseGraph,
    *,
    view: str = "fishbone",
    clusters: bool = True,
) -> None:
    """Write :func:`to_dot` to ``path`` as UTF-8, all or nothing."""
    atomic_write_bytes(path, to_dot(graph, view=view, clusters=clusters).encode("utf-8"))
