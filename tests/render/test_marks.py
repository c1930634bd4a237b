"""Every format shows what the canvas shows (issue 13, item 4).

Evidence marks, badges and "also contributes to" links are described once, in the
decorated diagram (:func:`~rca_desk.render.diagram.evidence_mark`,
:func:`~rca_desk.render.diagram.badge`, the diagram's ``contributes`` bones); the painter
(canvas, PNG, PDF) and the SVG writer draw that description. These tests check the SVG
element by element and the PNG pixel by pixel against it, and the description itself
against the incident, for the sample incident and a random one with every kind of mark.
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from rca_desk.interchange.sample import sample_incidents
from rca_desk.layout.geometry import Label, Rect
from rca_desk.layout.palette import MIN_TEXT_CONTRAST, PALETTE, contrast_ratio
from rca_desk.layout.text import TextBlock
from rca_desk.model import Evidence, Incident
from rca_desk.render.diagram import (
    HEALTH_COLORS,
    WARNING_COLOR,
    Decor,
    Diagram,
    View,
    badge,
    box_style,
    build_diagram,
)
from rca_desk.render.export import pdf_bytes, png_bytes
from rca_desk.render.metrics import QtMetrics
from rca_desk.render.svg import to_svg
from tests.conftest import TODAY
from tests.synthetic import big_incidents

SVG = "{http://www.w3.org/2000/svg}"
VIEWS = [View.FISHBONE, View.WHYS]
SCALE = 2.0


def random_incident() -> Incident:
    """A fixed-seed synthetic incident with evidence of every kind, badges with numbers
    and "!", and links (one from the problem itself)."""
    return big_incidents(incidents=1, causes=30, actions=5, seed=10)[0]


def the_sample() -> Incident:
    return sample_incidents(TODAY)[0]


INCIDENTS = {"sample": the_sample, "random": random_incident}


def test_the_random_incident_has_every_kind_of_mark(qapp) -> None:
    incident = random_incident()
    graph = incident.graph
    assert {c.evidence for c in graph.causes()} == set(Evidence)
    assert any(effect == "problem" for effect, _ in graph.links())
    diagram = build_diagram(incident, View.FISHBONE, QtMetrics(), today=TODAY, legend=False)
    texts = {b.text for b in diagram.badges()}
    assert "!" in texts and texts - {"!"}


def classes(element: ET.Element) -> list[str]:
    return (element.get("class") or "").split()


def svg_root(diagram: Diagram) -> ET.Element:
    return ET.fromstring(to_svg(diagram))


def svg_evidence(root: ET.Element) -> dict[str, str]:
    """Node -> evidence kind of every evidence mark in the SVG."""
    found = {}
    for group in root.iter(f"{SVG}g"):
        node = group.get("data-node")
        for mark in group.findall(f"{SVG}g"):
            if "evidence" in classes(mark):
                assert node not in found, node
                found[node] = classes(mark)[1]
    return found


def svg_badges(root: ET.Element) -> dict[str, tuple[str, str, str]]:
    """Node -> (text, fill, text colour) of every badge in the SVG."""
    found = {}
    for group in root.iter(f"{SVG}g"):
        node = group.get("data-node")
        for pill in group.findall(f"{SVG}g"):
            if "badge" in classes(pill):
                rect, text = pill.find(f"{SVG}rect"), pill.find(f"{SVG}text")
                assert rect is not None and text is not None and node is not None
                found[node] = (text.text or "", rect.get("fill", ""), text.get("fill", ""))
    return found


@pytest.fixture(params=list(INCIDENTS))
def incident(request: pytest.FixtureRequest) -> Incident:
    return INCIDENTS[request.param]()


@pytest.mark.parametrize("view", VIEWS)
def test_svg_has_the_evidence_mark_of_every_cause(qapp, incident: Incident, view: View) -> None:
    diagram = build_diagram(incident, view, QtMetrics(), today=TODAY, legend=False)
    found = svg_evidence(svg_root(diagram))
    # Against the incident itself: every cause shown has its own evidence kind.
    shown = [c for c in incident.graph.causes() if c.id in diagram.labels]
    assert shown and len(shown) == len(list(incident.graph.causes()))
    assert found == {c.id: c.evidence.value for c in shown}
    assert Counter(found.values()) == Counter(m.evidence.value for m in diagram.evidence_marks())


def test_svg_evidence_marks_are_drawn_as_the_painter_draws_them(qapp) -> None:
    diagram = build_diagram(random_incident(), View.WHYS, QtMetrics(), today=TODAY, legend=False)
    shapes = {
        "hypothesis": ["circle"],  # hollow
        "supported": ["circle", "path"],  # a half disc
        "verified": ["circle", "circle"],  # full
        "ruled_out": ["circle", "path"],  # a cross
    }
    seen = set()
    for group in svg_root(diagram).iter(f"{SVG}g"):
        if "evidence" not in classes(group):
            continue
        kind = classes(group)[1]
        seen.add(kind)
        assert [child.tag.removeprefix(SVG) for child in group] == shapes[kind]
        if kind == "ruled_out":
            cross = group.find(f"{SVG}path")
            assert cross is not None
            assert cross.get("fill") == "none" and cross.get("d", "").count("M") == 2
        if kind == "supported":
            half = group.find(f"{SVG}path")
            assert half is not None and " 0 0 0 " in half.get("d", "")
    assert seen == {e.value for e in Evidence}


@pytest.mark.parametrize("view", VIEWS)
def test_svg_has_every_badge_with_its_number(qapp, incident: Incident, view: View) -> None:
    diagram = build_diagram(incident, view, QtMetrics(), today=TODAY, legend=False)
    found = svg_badges(svg_root(diagram))
    assert found == {b.node: (b.text, b.fill, b.ink) for b in diagram.badges()}
    # And the numbers are the incident's: its count of actions, or "!" for none.
    for node, (text, _, _) in found.items():
        actions = incident.actions_for(node)
        assert text == (str(len(actions)) if actions else "!")
    assert any(incident.graph.cause(c).root_cause for c in found)


@pytest.mark.parametrize("view", VIEWS)
def test_svg_has_every_also_contributes_link(qapp, incident: Incident, view: View) -> None:
    diagram = build_diagram(incident, view, QtMetrics(), today=TODAY, legend=False)
    lines = [
        line for line in svg_root(diagram).iter(f"{SVG}line") if "contributes" in classes(line)
    ]
    links = incident.graph.links()
    assert links
    assert len(lines) == len(diagram.links())
    assert {line.get("data-owner") for line in lines} == {cause for _, cause in links}
    assert all(line.get("stroke-dasharray") for line in lines)
    if view is View.FISHBONE:
        assert len(lines) == len(links)  # one straight connector each


def test_fishbone_links_join_the_two_boxes(qapp) -> None:
    incident = random_incident()
    diagram = build_diagram(incident, View.FISHBONE, QtMetrics(), today=TODAY, legend=False)
    by_owner = {bone.owner: bone.segment for bone in diagram.links()}
    for effect, cause in incident.graph.links():
        s = by_owner[cause]
        assert on_edge(diagram.labels[cause].rect, s.x1, s.y1)
        assert on_edge(diagram.labels[effect].rect, s.x2, s.y2)


def on_edge(rect: Rect, x: float, y: float) -> bool:
    eps = 1e-6
    inside = rect.x - eps <= x <= rect.right + eps and rect.y - eps <= y <= rect.bottom + eps
    edge = min(abs(x - rect.x), abs(x - rect.right), abs(y - rect.y), abs(y - rect.bottom))
    return inside and edge < eps


# ------------------------------------------------------------------------ PNG pixels


def pixel(image: QImage, diagram: Diagram, x: float, y: float) -> QColor:
    b = diagram.bounds
    return image.pixelColor(round((x - b.x) * SCALE), round((y - b.y) * SCALE))


def dark(color: QColor) -> bool:
    return color.lightness() < 90


def inked(color: QColor) -> bool:
    """Not the white background (an antialiased 1-pixel outline is mid grey)."""
    return color.lightness() < 200


def near(color: QColor, hex_color: str, tolerance: int = 40) -> bool:
    want = QColor(hex_color)
    return all(
        abs(a - b) <= tolerance for a, b in zip(color.getRgb()[:3], want.getRgb()[:3], strict=True)
    )


@pytest.mark.parametrize("view", VIEWS)
def test_png_draws_every_mark_badge_and_link(qapp, incident: Incident, view: View) -> None:
    diagram = build_diagram(incident, view, QtMetrics(), today=TODAY, legend=False)
    image = QImage.fromData(png_bytes(diagram, scale=SCALE), "PNG")
    for mark in diagram.evidence_marks():
        x, y, r = mark.cx, mark.cy, mark.r
        assert inked(pixel(image, diagram, x, y - r)), mark  # the outline at 12 o'clock
        left, right = pixel(image, diagram, x - r / 2, y), pixel(image, diagram, x + r / 2, y)
        if mark.evidence is Evidence.VERIFIED:
            assert dark(left) and dark(right), mark
        elif mark.evidence is Evidence.SUPPORTED:
            assert dark(left) and not dark(right), mark
        elif mark.evidence is Evidence.HYPOTHESIS:
            assert not dark(left) and not dark(right), mark
        else:  # the cross passes through the centre, not through the sides
            assert dark(pixel(image, diagram, x, y)) and not dark(left), mark
    for pill in diagram.badges():
        r = pill.rect
        assert near(pixel(image, diagram, r.x + r.w * 0.15, r.y + r.h / 2), pill.fill), pill
    for bone in diagram.links():
        s = bone.segment
        points = [(s.x1 + (s.x2 - s.x1) * t / 20, s.y1 + (s.y2 - s.y1) * t / 20) for t in range(21)]
        assert any(pixel(image, diagram, x, y) != QColor("white") for x, y in points), bone


@pytest.mark.parametrize("view", VIEWS)
def test_exports_are_deterministic(qapp, view: View) -> None:
    def both() -> tuple[str, bytes]:
        diagram = build_diagram(random_incident(), view, QtMetrics(), today=TODAY, legend=False)
        return to_svg(diagram), png_bytes(diagram, scale=1)

    assert both() == both()


# ----------------------------------------------------------------- text contrast


def label(kind: str) -> Label:
    return Label("n", kind, Rect(0, 0, 80, 20), TextBlock(("Title",), 40, 14, 12), 0, "C")


@pytest.mark.parametrize("color", PALETTE)
def test_category_titles_read_on_their_colour(color: str) -> None:
    """The canvas's bone titles, the PNG's, the PDF's and the SVG's: one style for all."""
    style = box_style(label("category"), Decor(color=color))
    assert style.fill == color
    assert contrast_ratio(style.text, style.fill) >= MIN_TEXT_CONTRAST


def test_the_problem_reads_on_ink() -> None:
    style = box_style(label("head"), Decor(color="#222222"))
    assert contrast_ratio(style.text, style.fill) >= MIN_TEXT_CONTRAST


@pytest.mark.parametrize("fill", sorted({*HEALTH_COLORS.values(), WARNING_COLOR}))
def test_badge_numbers_read_on_their_colour(fill: str) -> None:
    health = next((h for h, c in HEALTH_COLORS.items() if c == fill), None)
    decor = Decor(color=PALETTE[0], actions=2, health=health) if health else None
    decor = decor or Decor(color=PALETTE[0], root_cause=True, uncovered=True)
    pill = badge(label("cause"), decor)
    assert pill is not None and pill.fill == fill
    assert contrast_ratio(pill.ink, pill.fill) >= MIN_TEXT_CONTRAST


@pytest.mark.parametrize("kind", ["cause", "question"])
@pytest.mark.parametrize("evidence", [None, *Evidence])
def test_text_in_white_boxes_reads(kind: str, evidence: Evidence | None) -> None:
    for root in (False, True):
        style = box_style(label(kind), Decor(color=PALETTE[4], root_cause=root, evidence=evidence))
        assert contrast_ratio(style.text, style.fill) >= MIN_TEXT_CONTRAST


def test_category_title_pixels_are_dark_on_orange(qapp) -> None:
    """White on orange was 2.25:1; the PNG now draws the title's letters in black."""
    incident = the_sample()
    diagram = build_diagram(incident, View.FISHBONE, QtMetrics(), today=TODAY, legend=False)
    image = QImage.fromData(png_bytes(diagram, scale=SCALE), "PNG")
    titles = [lb for lb in diagram.labels.values() if lb.kind == "category"]
    orange = next(lb for lb in titles if diagram.decor[lb.node].color == "#E69F00")
    r = orange.rect
    colours = [
        pixel(image, diagram, r.x + r.w * i / 40, r.y + r.h * j / 10)
        for i in range(1, 40)
        for j in range(2, 9)
    ]
    assert min(c.lightness() for c in colours) < 40  # black letters
    assert not any(c == QColor("white") for c in colours)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="Poppler's pdftoppm is missing")
def test_pdf_draws_the_marks_too(qapp, tmp_path: Path) -> None:
    """The PDF goes through the same painter: rasterised, its marks sit where the PNG's do."""
    diagram = build_diagram(
        random_incident(), View.FISHBONE, QtMetrics(), today=TODAY, legend=False
    )
    out = tmp_path / "d.pdf"
    out.write_bytes(pdf_bytes(diagram))
    # 1 scene unit is 0.75 pt (1/96 inch), so 192 dpi is 2 pixels per unit, as SCALE.
    subprocess.run(["pdftoppm", "-png", "-r", "192", str(out), str(tmp_path / "p")], check=True)
    image = QImage(str(next(tmp_path.glob("p*.png"))))
    verified = [m for m in diagram.evidence_marks() if m.evidence is Evidence.VERIFIED]
    hypotheses = [m for m in diagram.evidence_marks() if m.evidence is Evidence.HYPOTHESIS]
    assert verified and hypotheses
    assert all(dark(pixel(image, diagram, m.cx, m.cy)) for m in verified)
    assert not any(dark(pixel(image, diagram, m.cx, m.cy)) for m in hypotheses)
    for pill in diagram.badges():
        r = pill.rect
        assert near(pixel(image, diagram, r.x + r.w * 0.15, r.y + r.h / 2), pill.fill), pill
