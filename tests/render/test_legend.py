"""The legend explains everything the diagram draws: category colours, evidence marks,
badges and the "also contributes to" link (issue 13), drawn by the same functions as the
diagram's own marks. A bare diagram is the default; ``--legend`` asks for one."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from rca_desk.cli.main import main
from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import Evidence
from rca_desk.render.diagram import HEALTH_COLORS, View, build_diagram
from rca_desk.render.export import Format, export_bytes
from rca_desk.render.metrics import QtMetrics
from rca_desk.render.svg import to_svg
from rca_desk.store import Workspace

TODAY = date(2026, 11, 30)
SVG = "{http://www.w3.org/2000/svg}"


def legend_groups(svg: str) -> dict[str, list[ET.Element]]:
    root = ET.fromstring(svg)
    out: dict[str, list[ET.Element]] = {}
    for group in root.iter(f"{SVG}g"):
        classes = (group.get("class") or "").split()
        if classes[:1] == ["legend"]:
            out.setdefault(classes[1], []).append(group)
    return out


@pytest.mark.parametrize("view", list(View))
def test_the_legend_explains_categories_marks_badges_and_links(qapp: object, view: View) -> None:
    incident = sample_incidents(TODAY)[0]
    diagram = build_diagram(incident, view, QtMetrics(), today=TODAY, legend=True)
    groups = legend_groups(to_svg(diagram))
    words = {kind: [g.findtext(f"{SVG}text") for g in gs] for kind, gs in groups.items()}
    assert words["category"] == incident.graph.categories
    assert words["evidence"] == [e.label for e in Evidence]
    assert words["link"] == ["also contributes to"]
    assert len(words["badge"]) == len({*HEALTH_COLORS.values()} - {"#757575"}) + 1
    assert any("overdue" in w for w in words["badge"] if w)
    assert words["badge"][-1] == "root cause without a committed action, or blame"
    # Each evidence sample is the diagram's own mark of that kind, element for element.
    for group, evidence in zip(groups["evidence"], Evidence, strict=True):
        [mark] = [
            g for g in group.iter(f"{SVG}g") if (g.get("class") or "").startswith("evidence ")
        ]
        assert mark.get("class") == f"evidence {evidence.value}"
    [link] = groups["link"]
    assert link.find(f"{SVG}line").get("stroke-dasharray") == "5 4"  # type: ignore[union-attr]
    # It sits above the diagram and inside the picture.
    top = min(
        float(t.get("y", "0")) for gs in groups.values() for g in gs for t in g.iter(f"{SVG}text")
    )
    assert diagram.bounds.y <= top < min(lb.rect.y for lb in diagram.labels.values())


def test_a_bare_diagram_is_the_default_and_legend_asks_for_one(
    qapp: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    incident = sample_incidents(TODAY)[0]
    bare = export_bytes(incident, View.FISHBONE, Format.SVG, today=TODAY).decode()
    assert legend_groups(bare) == {}
    ws = tmp_path / "w.rcadesk"
    with Workspace.open(ws) as workspace:
        workspace.add_incident(incident)
    out = tmp_path / "with.svg"
    assert (
        main(["--workspace", str(ws), "export", "--incident", "1", "-o", str(out), "--legend"]) == 0
    )
    assert set(legend_groups(out.read_text("utf-8"))) == {"category", "evidence", "link", "badge"}
    assert re.search(r"viewBox=\"[-\d. ]+\"", out.read_text("utf-8"))
