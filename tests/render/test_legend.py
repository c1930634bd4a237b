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
from rca_desk.layout.geometry import MARK_ROOM, Bone, Rect, Segment
from rca_desk.model import Evidence
from rca_desk.render.diagram import HEALTH_COLORS, Diagram, View, build_diagram
from rca_desk.render.export import Format, export_bytes
from rca_desk.render.metrics import QtMetrics
from rca_desk.render.pages import SLIDE_FRAME, Page, paper_frame
from rca_desk.render.svg import to_svg
from rca_desk.store import Workspace
from tests.layout.test_sixty_causes_fixture import sixty_causes

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


def legend_boxes(diagram: Diagram, metrics: QtMetrics) -> list[Rect]:
    """What each legend entry covers: its sample and its words."""
    size = diagram.legend_size
    return [
        Rect(
            e.swatch.x,
            min(e.swatch.y, e.text_at[1]),
            e.text_at[0] + metrics.width(e.name, size) - e.swatch.x,
            max(e.swatch.bottom, e.text_at[1] + metrics.line_height(size)) - e.swatch.y,
        )
        for e in diagram.legend
    ]


@pytest.mark.parametrize("frame", [SLIDE_FRAME, paper_frame(Page.A4)])
@pytest.mark.parametrize("which", ["sample", "sixty"])
def test_on_a_page_the_legend_touches_no_box_and_no_line(
    qapp: object, frame: float, which: str
) -> None:
    incident = sample_incidents(TODAY)[0] if which == "sample" else sixty_causes()
    metrics = QtMetrics()
    diagram = build_diagram(incident, View.FISHBONE, metrics, today=TODAY, legend=True, frame=frame)
    entries = legend_boxes(diagram, metrics)
    assert len(entries) == len(incident.graph.categories) + len(Evidence) + 1 + 6
    for box in entries:
        assert box.x >= diagram.bounds.x and box.right <= diagram.bounds.right
        assert box.y >= diagram.bounds.y and box.bottom <= diagram.bounds.bottom
        for label in diagram.labels.values():
            assert not box.intersects(label.rect.adjusted(MARK_ROOM)), label.node
        for bone in diagram.bones:
            assert not bone.segment.crosses(box), bone.owner


def test_the_sample_legend_takes_a_free_corner_of_the_slide(qapp: object) -> None:
    """The sample leaves its top-right corner free: the legend goes there and costs the
    picture nothing, where above it would shrink the slide's text by a tenth."""
    incident = sample_incidents(TODAY)[0]
    metrics = QtMetrics()
    kwargs = {"today": TODAY, "frame": SLIDE_FRAME}
    bare = build_diagram(incident, View.FISHBONE, metrics, legend=False, **kwargs)
    explained = build_diagram(incident, View.FISHBONE, metrics, legend=True, **kwargs)
    assert explained.bounds == bare.bounds
    inside = Rect(bare.bounds.x, bare.bounds.y, bare.bounds.w, bare.bounds.h)
    assert all(inside.intersects(box) for box in legend_boxes(explained, metrics))


def test_a_line_through_a_corner_keeps_the_legend_out_of_it(qapp: object) -> None:
    """A corner free of boxes may still have a line through it: only a corner that no
    line crosses is taken (here: the bottom right), else the legend goes outside."""
    from rca_desk.render.diagram import add_legend

    metrics = QtMetrics()
    bounds = Rect(0, 0, 1600, 900)

    def diagram(*lines: Segment) -> Diagram:
        bones = [Bone("x", "rib", line) for line in lines]
        return Diagram(View.FISHBONE, "t", {}, bones, {}, bounds=bounds)

    # Lines cutting off three corners; the legend is wider than each cut.
    corners = [Segment(0, 300, 300, 0), Segment(1300, 0, 1600, 300), Segment(0, 600, 300, 900)]
    crossed = diagram(*corners)
    add_legend(crossed, ["A", "B"], metrics, SLIDE_FRAME)
    boxes = legend_boxes(crossed, metrics)
    for box in boxes:
        assert not any(bone.segment.crosses(box) for bone in crossed.bones)
    assert crossed.bounds == bounds.adjusted(MARK_ROOM)  # inside: the picture kept its size
    assert max(box.bottom for box in boxes) > 850  # along the bottom, the corner left free
    # With every corner cut, it stands outside the picture (above, by default).
    closed = diagram(*corners, Segment(1300, 900, 1600, 600))
    add_legend(closed, ["A", "B"], metrics, SLIDE_FRAME)
    assert all(box.bottom < 0 for box in legend_boxes(closed, metrics))
