"""A right-to-left paragraph is drawn right-aligned in its label box, in the PNG (the
canvas paints with the same code) and in the SVG; a left-to-right one stays left."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QGraphicsScene

from rca_desk.layout.geometry import LABEL_PADDING, Label
from rca_desk.model import HEAD, CauseGraph, Incident
from rca_desk.render.diagram import Diagram, View, build_diagram
from rca_desk.render.export import pdf_bytes, png_bytes
from rca_desk.render.metrics import QtMetrics
from rca_desk.render.paint import MARKER
from rca_desk.render.svg import to_svg
from rca_desk.ui.canvas.items import DiagramItems
from tests.conftest import TODAY

SVG = "{http://www.w3.org/2000/svg}"
SCALE = 2.0

#: A paragraph long enough to wrap, then a short one, whose place in the box shows.
TEXTS = {
    "ltr": "The nightly backup job failed because the disk was full\nagain",
    "hebrew": "גיבוי הלילה נכשל כי הדיסק היה מלא שוב ב-DB 3 של הלקוח\nשוב",
    "arabic": "لم يكن هناك تنبيه عند امتلاء القرص على خادم النسخ الاحتياطي\nأمس",
}


def incident() -> Incident:
    graph = CauseGraph(problem="Reports were late", categories=["Technology"])
    for key, text in TEXTS.items():
        graph.add_cause(HEAD, text=text, cause_id=key)
    return Incident(title="Right to left", graph=graph)


@pytest.fixture(params=[View.FISHBONE, View.WHYS])
def diagram(qapp: object, request: pytest.FixtureRequest) -> Diagram:
    return build_diagram(incident(), request.param, QtMetrics(), today=TODAY)


def ink_span(image: QImage, diagram: Diagram, label: Label, line: int) -> tuple[float, float]:
    """Left and right end of the dark text pixels of one line, in scene units."""
    r = label.rect
    line_height = label.block.height / len(label.block.lines)
    top = r.y + LABEL_PADDING + line * line_height
    # Below the evidence marker, a circle around the box's top left corner.
    top = max(top, r.y + MARKER / 2 + 1)
    xs = [
        x
        for y in range(
            round((top - diagram.bounds.y) * SCALE),
            round((r.y + LABEL_PADDING + (line + 1) * line_height - diagram.bounds.y) * SCALE),
        )
        for x in range(
            round((r.x + 2 - diagram.bounds.x) * SCALE),
            round((r.right - 2 - diagram.bounds.x) * SCALE),
        )
        if QColor(image.pixel(x, y)).lightness() < 100
    ]
    assert xs, f"no ink in line {line} of {label.node}"
    return min(xs) / SCALE + diagram.bounds.x, (max(xs) + 1) / SCALE + diagram.bounds.x


def assert_aligned(image: QImage, diagram: Diagram) -> None:
    for node, rtl in (("ltr", False), ("hebrew", True), ("arabic", True)):
        label = diagram.labels[node]
        lines = len(label.block.lines)
        assert lines >= 3, "the first paragraph must wrap for the test to mean anything"
        for line in range(lines):
            assert label.block.is_rtl(line) is rtl
            left, right = ink_span(image, diagram, label, line)
            from_left = left - (label.rect.x + LABEL_PADDING)
            from_right = (label.rect.right - LABEL_PADDING) - right
            # Every line starts at its paragraph's side; the short last one is far from
            # the other side.
            near, far = (from_right, from_left) if rtl else (from_left, from_right)
            assert -1.5 <= near <= 2.5, (node, line, near, far)
        assert far > 40, (node, near, far)


def test_png_aligns_right_to_left_lines_right(diagram: Diagram) -> None:
    image = QImage.fromData(png_bytes(diagram, scale=SCALE), "PNG")
    assert_aligned(image, diagram)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs Poppler's pdftoppm")
def test_pdf_aligns_right_to_left_lines_right(diagram: Diagram, tmp_path: Path) -> None:
    (tmp_path / "d.pdf").write_bytes(pdf_bytes(diagram))
    # 1 px is 0.75 pt on the page, so 192 dpi draws each scene unit as SCALE pixels.
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "192",
            "-singlefile",
            str(tmp_path / "d.pdf"),
            str(tmp_path / "d"),
        ],
        check=True,
    )
    image = QImage(str(tmp_path / "d.png"))
    assert abs(image.width() - diagram.bounds.w * SCALE) <= 2
    assert_aligned(image, diagram)


def test_the_canvas_aligns_right_to_left_lines_right(diagram: Diagram) -> None:
    scene = QGraphicsScene()
    DiagramItems(scene).update(diagram)
    b = diagram.bounds
    image = QImage(round(b.w * SCALE), round(b.h * SCALE), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    scene.render(painter, QRectF(0, 0, image.width(), image.height()), QRectF(b.x, b.y, b.w, b.h))
    painter.end()
    assert_aligned(image, diagram)


def test_svg_anchors_right_to_left_lines_at_the_right(diagram: Diagram) -> None:
    root = ET.fromstring(to_svg(diagram))
    for node, rtl in (("ltr", False), ("hebrew", True), ("arabic", True)):
        label = diagram.labels[node]
        (group,) = [g for g in root.iter(f"{SVG}g") if g.get("data-node") == node]
        tspans = list(group.iter(f"{SVG}tspan"))
        assert len(tspans) == len(label.block.lines) >= 2
        for tspan in tspans:
            if rtl:
                assert float(tspan.get("x", "nan")) == pytest.approx(label.rect.right - 4, abs=0.01)
                assert tspan.get("direction") == "rtl"
                assert tspan.get("text-anchor", "start") == "start"  # rtl start: right end
            else:
                assert float(tspan.get("x", "nan")) == pytest.approx(label.rect.x + 4, abs=0.01)
                assert tspan.get("direction") is None
