"""The category rule (docs/categories.md) in the drawn fishbone: the diagram the canvas
and PNG, SVG and PDF all draw, and the SVG written from it.

A Methods cause in a Machines chain hangs on the Machines bone (its rib starts on its
parent's rib, whose rib ends on the Machines bone), is drawn in the Methods colour, and
the Methods title says "(+2 on other bones)".
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from rca_desk.layout.geometry import Bone, Segment, category_node
from rca_desk.layout.palette import INK
from rca_desk.render.diagram import ROOT_COLOR, Diagram, View, box_style, build_diagram
from rca_desk.render.export import Format, export_bytes
from rca_desk.render.metrics import QtMetrics
from tests.conftest import TODAY
from tests.cross_category import (
    IN_MACHINES_CHAIN,
    MACHINES,
    METHODS,
    METHODS_TITLE,
    color,
    cross_category_incident,
)

SVG = "{http://www.w3.org/2000/svg}"


def on_segment(x: float, y: float, s: Segment, tol: float = 1e-6) -> bool:
    """Whether the point lies on the segment (within ``tol``)."""
    dx, dy = s.x2 - s.x1, s.y2 - s.y1
    length2 = dx * dx + dy * dy
    t = ((x - s.x1) * dx + (y - s.y1) * dy) / length2
    px, py = s.x1 + t * dx, s.y1 + t * dy
    return -tol <= t <= 1 + tol and abs(px - x) <= tol and abs(py - y) <= tol


def bone_of(diagram: Diagram, owner: str) -> Bone:
    (bone,) = [b for b in diagram.bones if b.owner == owner and b.kind != "contributes"]
    return bone


def title_words(diagram: Diagram, category: str) -> str:
    return " ".join(" ".join(diagram.labels[category_node(category)].block.lines).split())


def fishbone() -> Diagram:
    return build_diagram(cross_category_incident(), View.FISHBONE, QtMetrics(), today=TODAY)


def test_placed_on_the_parent_s_bone(qapp) -> None:
    diagram = fishbone()
    machines = bone_of(diagram, category_node(MACHINES)).segment
    press = bone_of(diagram, "press").segment  # a rib: from its label to the bone
    lube = bone_of(diagram, "lube").segment  # a branch: from the press rib up or down
    checklist = bone_of(diagram, "checklist").segment  # a rib: to the lube bone
    assert on_segment(press.x2, press.y2, machines)
    assert on_segment(lube.x1, lube.y1, press)
    assert on_segment(checklist.x2, checklist.y2, lube)
    # The Methods bone carries only its own first-level cause.
    methods = bone_of(diagram, category_node(METHODS)).segment
    instruction = bone_of(diagram, "instruction").segment
    assert on_segment(instruction.x2, instruction.y2, methods)
    for cause_id in IN_MACHINES_CHAIN:
        assert diagram.labels[cause_id].category == METHODS  # the label keeps its own


def test_drawn_in_its_own_category_s_colour(qapp) -> None:
    diagram = fishbone()
    for cause_id in IN_MACHINES_CHAIN:
        assert diagram.decor[cause_id].color == color(METHODS)
    assert diagram.decor["press"].color == color(MACHINES)
    lube = box_style(diagram.labels["lube"], diagram.decor["lube"])
    assert lube.stroke == color(METHODS)
    # A root cause's outline is the root-cause red whatever its category; its rib and
    # everything else coloured by category stay Methods.
    checklist = box_style(diagram.labels["checklist"], diagram.decor["checklist"])
    assert checklist.stroke == ROOT_COLOR


def test_the_own_category_s_title_refers_to_it(qapp) -> None:
    diagram = fishbone()
    assert title_words(diagram, METHODS) == METHODS_TITLE
    assert diagram.labels[category_node(METHODS)].block.lines[0] == METHODS  # name first
    assert title_words(diagram, MACHINES) == MACHINES
    assert title_words(diagram, "People") == "People"
    # The five whys has no category titles and keeps each cause in its chain.
    whys = build_diagram(cross_category_incident(), View.WHYS, QtMetrics(), today=TODAY)
    assert not any(label.kind == "category" for label in whys.labels.values())
    assert whys.decor["lube"].color == color(METHODS)


def test_the_svg_export_keeps_the_rule(qapp) -> None:
    svg = export_bytes(cross_category_incident(), View.FISHBONE, Format.SVG, today=TODAY)
    root = ET.fromstring(svg)
    groups = {g.get("data-node"): g for g in root.iter(f"{SVG}g") if g.get("data-node")}
    rect = groups["lube"].find(f"{SVG}rect")
    assert rect is not None and rect.get("stroke") == color(METHODS)
    lines = {
        line.get("data-owner"): line.get("stroke")
        for line in root.iter(f"{SVG}line")
        if line.get("class") == "rib"
    }
    assert lines["lube"] == lines["checklist"] == color(METHODS)
    assert lines["press"] == color(MACHINES)
    title = groups[category_node(METHODS)]
    words = " ".join(t.text or "" for t in title.iter(f"{SVG}tspan"))
    assert " ".join(words.split()) == METHODS_TITLE
    title_rect = title.find(f"{SVG}rect")
    assert title_rect is not None and title_rect.get("fill") == color(METHODS)
    assert INK not in (lines["lube"], lines["checklist"])
