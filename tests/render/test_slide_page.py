"""``--page slide``: the diagram on a 1920 x 1080 page, laid out for 16:9 and fitted
(issue 13). Checked on the files themselves: the SVG's own viewBox and transform, the
PNG's size and pixels, the PDF's page size as Poppler reads it."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from rca_desk.cli.main import main
from rca_desk.interchange.sample import sample_incidents
from rca_desk.render.diagram import View, build_diagram
from rca_desk.render.export import Format, export_bytes
from rca_desk.render.metrics import QtMetrics
from rca_desk.render.pages import SLIDE_FRAME, SLIDE_MARGIN, Page, slide
from rca_desk.store import Workspace

TODAY = date(2026, 11, 30)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("view", list(View))
def test_the_svg_is_a_1920_by_1080_page_with_the_diagram_fitted_inside(
    qapp: object, view: View
) -> None:
    incident = sample_incidents(TODAY)[0]
    root = ET.fromstring(export_bytes(incident, view, Format.SVG, today=TODAY, page=Page.SLIDE))
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "1920",
        "1080",
        "0 0 1920 1080",
    )
    [group] = [g for g in root.iter(f"{SVG}g") if g.get("class") == "page"]
    scale, _, _, _, dx, dy = map(float, re.findall(r"-?[\d.]+", group.get("transform", "")))
    # Every label's box lands on the page, inside the margin (checked on the file's own
    # numbers: each box's rect times the group's transform).
    boxes = list(group.iter(f"{SVG}rect"))  # label boxes, badges and legend swatches
    assert len(boxes) > len(incident.graph.categories)
    for r in boxes:
        x, y = float(r.get("x", "0")) * scale + dx, float(r.get("y", "0")) * scale + dy
        w, h = float(r.get("width", "0")) * scale, float(r.get("height", "0")) * scale
        assert x >= SLIDE_MARGIN - 1 and x + w <= 1920 - SLIDE_MARGIN + 1
        assert y >= SLIDE_MARGIN - 1 and y + h <= 1080 - SLIDE_MARGIN + 1
    # The legend is on by default on a slide.
    assert any((g.get("class") or "").startswith("legend ") for g in root.iter(f"{SVG}g"))


def test_a_slide_never_shows_smaller_text_than_the_tight_diagram_fitted_alike(
    qapp: object,
) -> None:
    incident = sample_incidents(TODAY)[0]
    tight = build_diagram(incident, View.FISHBONE, QtMetrics(), today=TODAY, legend=True)
    framed = build_diagram(
        incident, View.FISHBONE, QtMetrics(), today=TODAY, legend=True, frame=SLIDE_FRAME
    )
    smallest = min(label.block.size for label in framed.labels.values())
    assert smallest * slide(framed.bounds).scale >= smallest * slide(tight.bounds).scale


def test_the_png_is_the_slide_times_the_scale(qapp: object) -> None:
    incident = sample_incidents(TODAY)[0]
    for scale, size in ((1.0, (1920, 1080)), (2.0, (3840, 2160))):
        data = export_bytes(
            incident, View.FISHBONE, Format.PNG, today=TODAY, page=Page.SLIDE, scale=scale
        )
        image = QImage.fromData(data, "PNG")
        assert (image.width(), image.height()) == size
    assert image.pixelColor(2, 2) == QColor("white")
    centre = image.copy(image.width() // 4, image.height() // 4, image.width() // 2, 10)
    colours = {centre.pixel(x, y) for x in range(centre.width()) for y in range(10)}
    assert len(colours) > 3  # drawn across the middle, not an empty page


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs Poppler's pdfinfo")
def test_the_pdf_is_one_1920_by_1080_pixel_page(qapp: object, tmp_path: Path) -> None:
    incident = sample_incidents(TODAY)[0]
    out = tmp_path / "slide.pdf"
    out.write_bytes(export_bytes(incident, View.FISHBONE, Format.PDF, today=TODAY, page=Page.SLIDE))
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M)
    assert re.search(r"^Page size:\s+1440 x 810 pts", info, re.M)  # 1920 x 1080 px at 96 dpi


def test_the_command_takes_page_and_legend(
    qapp: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "w.rcadesk"
    with Workspace.open(ws) as workspace:
        workspace.add_incident(sample_incidents(TODAY)[0])
    out = tmp_path / "slide.svg"
    argv = ["--workspace", str(ws), "export", "--incident", "1", "-o", str(out)]
    assert main([*argv, "--page", "slide", "--no-legend"]) == 0
    root = ET.fromstring(out.read_text("utf-8"))
    assert root.get("viewBox") == "0 0 1920 1080"
    assert not any((g.get("class") or "").startswith("legend ") for g in root.iter(f"{SVG}g"))
    with pytest.raises(SystemExit) as refused:
        main([*argv, "--page", "poster"])
    assert refused.value.code == 2
    assert "invalid choice: 'poster'" in capsys.readouterr().err
