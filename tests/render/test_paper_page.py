"""``--page a4`` and ``--page letter``: a landscape paper page with a title block
(incident, client, date, status, page number), the diagram fitted below it (issue 13).
Checked with Poppler (page size, text) and on the SVG's and PNG's own numbers."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from rca_desk.interchange.sample import sample_incidents
from rca_desk.render.diagram import View
from rca_desk.render.export import Format, export_bytes
from rca_desk.render.pages import PAPER_MARGIN, PAPER_SIZE, TITLE_HEIGHT, Page

TODAY = date(2026, 11, 30)
SVG = "{http://www.w3.org/2000/svg}"
POINTS = {Page.A4: "842 x 595 pts", Page.LETTER: "792 x 612 pts"}
#: The five whys go on portrait pages (their chains stack down the page).
PORTRAIT = {Page.A4: "595 x 842 pts", Page.LETTER: "612 x 792 pts"}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs Poppler")
@pytest.mark.parametrize(
    ("view", "page", "pages"),
    [
        (View.FISHBONE, Page.A4, 1),
        (View.FISHBONE, Page.LETTER, 1),
        (View.WHYS, Page.A4, 1),
        (View.WHYS, Page.LETTER, 1),
    ],
)
def test_a_paper_pdf_of_the_sample_has_real_pages_with_the_title_block(
    qapp: object, tmp_path: Path, page: Page, view: View, pages: int
) -> None:
    incident = sample_incidents(TODAY)[0]
    out = tmp_path / "page.pdf"
    out.write_bytes(export_bytes(incident, view, Format.PDF, today=TODAY, page=page))
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(rf"^Pages:\s+{pages}$", info, re.M)
    size = POINTS[page] if view is View.FISHBONE else PORTRAIT[page]
    assert re.search(rf"^Page size:\s+{size}", info, re.M)
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = " ".join(text.split())
    assert incident.title in words
    assert f"Client: {incident.affected}" in words
    assert "Status: monitoring" in words and "Severity: high" in words
    assert f"Page 1 of {pages}" in words and f"Page {pages} of {pages}" in words
    assert "also contributes to" in words  # the legend is on by default on paper


@pytest.mark.parametrize("page", [Page.A4, Page.LETTER])
def test_the_svg_page_holds_the_title_above_and_the_diagram_below(qapp: object, page: Page) -> None:
    incident = sample_incidents(TODAY)[0]
    incident.title = "<script>alert(1)</script> & a title far too long to fit " + "x" * 200
    root = ET.fromstring(export_bytes(incident, View.FISHBONE, Format.SVG, today=TODAY, page=page))
    width, height = PAPER_SIZE[page]
    assert root.get("viewBox") == f"0 0 {width:g} {height:g}".replace(
        f"{width:g}", f"{round(width, 2):g}"
    ).replace(f"{height:g}", f"{round(height, 2):g}")
    [block] = [g for g in root.iter(f"{SVG}g") if g.get("class") == "title-block"]
    title = block.findall(f"{SVG}text")[0].text or ""
    assert title.startswith("<script>alert(1)</script> & a title") and title.endswith("…")
    [group] = [g for g in root.iter(f"{SVG}g") if g.get("class") == "page"]
    scale, _, _, _, dx, dy = map(float, re.findall(r"-?[\d.]+", group.get("transform", "")))
    for r in group.iter(f"{SVG}rect"):
        y = float(r.get("y", "0")) * scale + dy
        x = float(r.get("x", "0")) * scale + dx
        assert y >= PAPER_MARGIN + TITLE_HEIGHT - 1 and y <= height - PAPER_MARGIN + 1
        assert PAPER_MARGIN - 1 <= x <= width - PAPER_MARGIN + 1


def test_a_paper_png_is_the_page_at_150_dpi_unless_told(qapp: object) -> None:
    incident = sample_incidents(TODAY)[0]
    image = QImage.fromData(
        export_bytes(incident, View.FISHBONE, Format.PNG, today=TODAY, page=Page.A4), "PNG"
    )
    assert (image.width(), image.height()) == (1754, 1240)  # 297 x 210 mm at 150 dpi
    image = QImage.fromData(
        export_bytes(incident, View.FISHBONE, Format.PNG, today=TODAY, page=Page.LETTER, dpi=96),
        "PNG",
    )
    assert (image.width(), image.height()) == (1056, 816)
