"""The PDF report is real A4 or Letter pages (issue 15): checked with Poppler's pdfinfo and
pdftotext as a reader's tools see it, not through our own painter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QPdfWriter
from PySide6.QtPrintSupport import QPrinter

from rca_desk.model import Incident
from rca_desk.render.diagram import View
from rca_desk.render.export import diagram_pages
from rca_desk.render.pages import Page
from rca_desk.render.report import ReportFormat, report_bytes
from rca_desk.render.report_content import Variant, client_drawing, report_content
from rca_desk.render.report_pdf import paint_report
from tests.conftest import TODAY
from tests.render.reports import HEADINGS, built, needs_poppler, pdf_info, pdf_text, squeezed
from tests.synthetic import big_incidents

pytestmark = needs_poppler

#: Portrait and landscape page sizes in points, as pdfinfo prints them.
SIZES = {Page.A4: ("595 x 842", "842 x 595"), Page.LETTER: ("612 x 792", "792 x 612")}
#: The sample's pages: the text, the fishbone (landscape), the five whys, the text again.
PAGES = {
    (Variant.CLIENT, Page.A4): 6,
    (Variant.CLIENT, Page.LETTER): 6,
    (Variant.TEAM, Page.A4): 8,
    (Variant.TEAM, Page.LETTER): 10,
}
#: The text before the fishbone takes one page, but the team's on Letter: its timeline,
#: narrower beside the sources, runs onto a second page.
BEFORE_FISHBONE = {(Variant.TEAM, Page.LETTER): 2}


@pytest.mark.parametrize("page", [Page.A4, Page.LETTER])
@pytest.mark.parametrize("variant", list(Variant))
def test_the_pdf_report_is_numbered_pages_of_the_paper(
    qapp: object, variant: Variant, page: Page
) -> None:
    data = built(ReportFormat.PDF, variant, page)
    info = pdf_info(data)
    count = PAGES[variant, page]
    before = BEFORE_FISHBONE.get((variant, page), 1)
    assert re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1) == str(count)  # type: ignore[union-attr]
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+ x [\d.]+) pts", info, re.M)
    portrait, landscape = SIZES[page]
    # The fishbone takes a landscape page of its own after the text's; the rest are portrait.
    assert sizes == [portrait] * before + [landscape] + [portrait] * (count - before - 1)
    for number in range(1, count + 1):
        text = pdf_text(data, number, number)
        assert f"Page {number} of {count}" in text
        # The title: in the header, or the title block's (wrapped) heading on page 1.
        title = "Northwind Retail quarter-end reporting disrupted after v4.2 update"
        assert squeezed(title) in squeezed(text)
    first = pdf_text(data, 1, 1)
    who = "for the client" if variant is Variant.CLIENT else "internal, for the team"
    assert f"Root cause analysis report, {who}, as of 2026-11-23" in first
    assert "Client Occurred Status Severity" in first
    assert "Northwind Retail (key account) - quarter-end sales reporting" in first
    assert "Fishbone diagram" in pdf_text(data, before + 1, before + 1)
    assert "Five whys" in pdf_text(data, before + 2, before + 2)


@pytest.mark.parametrize("variant", list(Variant))
def test_the_pdf_has_the_sections_in_order(qapp: object, variant: Variant) -> None:
    text = squeezed(pdf_text(built(ReportFormat.PDF, variant, Page.A4)))
    places = [text.find(squeezed(heading)) for heading in HEADINGS[variant]]
    assert -1 not in places
    assert places == sorted(places)


def test_paint_report_fills_any_paged_device_and_counts_its_pages(
    qapp: object, sample: Incident
) -> None:
    """The function a print (QPrinter) or a preview uses, here on a PDF writer at 300 dpi:
    the same pages as the 96 dpi PDF."""
    content = report_content(sample, variant=Variant.CLIENT, today=TODAY)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(300)
    assert paint_report(writer, content, page=Page.LETTER) == 6
    buffer.close()
    pdf = bytes(data.data())
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+ x [\d.]+) pts", pdf_info(pdf), re.M)
    assert sizes == ["612 x 792", "792 x 612", "612 x 792", "612 x 792", "612 x 792", "612 x 792"]
    assert squeezed(pdf_text(pdf)) == squeezed(
        pdf_text(built(ReportFormat.PDF, Variant.CLIENT, Page.LETTER))
    )


def test_paint_report_prints_through_a_qprinter(
    qapp: object, tmp_path: Path, sample: Incident
) -> None:
    """A QPrinter at its high resolution (1200 dpi here), printing to a PDF file as a
    print dialog's "Print to file" does: the same pages and words, every page portrait (a
    printer keeps the job's orientation: the fishbone's page is turned onto its sheet)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    content = report_content(sample, variant=Variant.TEAM, today=TODAY)
    assert paint_report(printer, content, page=Page.A4) == 8
    printed = (tmp_path / "printed.pdf").read_bytes()
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+ x [\d.]+) pts", pdf_info(printed), re.M)
    assert sizes == ["595 x 842"] * 8
    assert squeezed(pdf_text(printed)) == squeezed(
        pdf_text(built(ReportFormat.PDF, Variant.TEAM, Page.A4))
    )


def test_a_report_needs_paper(qapp: object, sample: Incident) -> None:
    content = report_content(sample, variant=Variant.CLIENT, today=TODAY)
    writer = QPdfWriter(QBuffer())
    with pytest.raises(ValueError, match="A4 or Letter"):
        paint_report(writer, content, page=Page.SLIDE)


def test_a_300_cause_incident_takes_the_page_modes_pages(qapp: object) -> None:
    """The five whys split over portrait pages as the page modes split them; the
    fishbone keeps one page and says how small that makes its text."""
    [incident] = big_incidents(incidents=1, causes=300, actions=40, seed=3)
    data = report_bytes(incident, ReportFormat.PDF, variant=Variant.CLIENT, today=TODAY)
    count = int(re.search(r"^Pages:\s+(\d+)$", pdf_info(data), re.M).group(1))  # type: ignore[union-attr]
    parts = diagram_pages(client_drawing(incident), View.WHYS, Page.A4, today=TODAY)
    assert len(parts) == 8
    fishbone = pdf_text(data, 2, 2)
    assert re.search(r"Text at \d\.\d pt: every cause is legible in the five whys\.", fishbone)
    headings = [pdf_text(data, n, n).splitlines()[2][:15] for n in range(3, 3 + len(parts))]
    assert headings == [f"Five whys ({n}/8)" for n in range(1, 9)]
    assert f"Page {count} of {count}" in pdf_text(data, count, count)
