"""The slide targets of issue 13, read off the exported SVG itself: each cause's font
size times the page group's scale is the text's height on the 1920 x 1080 slide (the
layout is deterministic with the bundled font, so this is what the room sees)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import Incident
from rca_desk.render.diagram import View
from rca_desk.render.export import Format, export_bytes
from rca_desk.render.pages import Page
from tests.layout.test_sixty_causes_fixture import sixty_causes

TODAY = date(2026, 11, 30)
SVG = "{http://www.w3.org/2000/svg}"


def cause_text_on_slide(incident: Incident, *, legend: bool = True) -> dict[str, float]:
    """Each cause's text height in slide pixels, from the SVG's own attributes."""
    svg = export_bytes(
        incident, View.FISHBONE, Format.SVG, today=TODAY, page=Page.SLIDE, legend=legend
    )
    root = ET.fromstring(svg)
    assert root.get("viewBox") == "0 0 1920 1080"
    [page] = [g for g in root.iter(f"{SVG}g") if g.get("class") == "page"]
    a, b, c, d, _, _ = map(float, re.findall(r"-?[\d.]+", page.get("transform", "")))
    assert a == d and b == c == 0  # a uniform scale: text is not squeezed
    sizes = {}
    for group in page.iter(f"{SVG}g"):
        if group.get("class") == "cause":
            text = group.find(f"{SVG}text")  # the box's own text (a badge's is deeper)
            assert text is not None
            sizes[group.get("data-node", "")] = float(text.get("font-size", "0")) * a
    return sizes


@pytest.mark.parametrize("legend", [True, False])
def test_the_sample_incident_reads_at_16_px_or_more_on_a_slide(qapp: object, legend: bool) -> None:
    incident = sample_incidents(TODAY)[0]
    sizes = cause_text_on_slide(incident, legend=legend)
    assert len(sizes) == len(list(incident.graph.cause_ids()))  # every cause is drawn
    assert min(sizes.values()) >= 16.0


@pytest.mark.parametrize("legend", [True, False])
def test_sixty_causes_read_at_12_px_or_more_on_a_slide(qapp: object, legend: bool) -> None:
    incident = sixty_causes()
    sizes = cause_text_on_slide(incident, legend=legend)
    assert len(sizes) == 60
    assert min(sizes.values()) >= 12.0
