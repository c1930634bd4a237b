"""The PDF report is real A4 or Letter pages (issue 15): checked with Poppler's pdfinfo and
pdftotext as a reader's tools see it, not through our own painter."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QPdfWriter, QTextBlock, QTextDocument, QTextTable, QTextTableCell
from PySide6.QtPrintSupport import QPrinter

from rca_desk.model import Incident, TimelineEvent
from rca_desk.render import report_pdf
from rca_desk.render.diagram import View
from rca_desk.render.export import diagram_pages
from rca_desk.render.pages import PAPER_MARGIN, Page, page_size
from rca_desk.render.report import ReportFormat, report_bytes
from rca_desk.render.report_content import (
    SectionId,
    Variant,
    client_drawing,
    never,
    report_content,
)
from rca_desk.render.report_pdf import paint_report
from tests.conftest import TODAY
from tests.render.reports import HEADINGS, built, needs_poppler, pdf_info, pdf_text, squeezed
from tests.synthetic import big_incidents

pytestmark = needs_poppler

#: Portrait and landscape page sizes in points, as pdfinfo prints them.
SIZES = {Page.A4: ("595 x 842", "842 x 595"), Page.LETTER: ("612 x 792", "792 x 612")}
#: The sample's pages: the text, the fishbone (landscape), the five whys, the text again.
PAGES = {
    (Variant.CLIENT, Page.A4): 7,
    (Variant.CLIENT, Page.LETTER): 7,
    (Variant.TEAM, Page.A4): 9,
    (Variant.TEAM, Page.LETTER): 10,
}
#: The text before the fishbone takes one page, but the team's on Letter: its timeline,
#: narrower beside the sources, runs onto a second page (its last row, whole).
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
    assert paint_report(writer, content, page=Page.LETTER) == 7
    buffer.close()
    pdf = bytes(data.data())
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+ x [\d.]+) pts", pdf_info(pdf), re.M)
    assert sizes == ["612 x 792", "792 x 612", *["612 x 792"] * 5]
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
    assert paint_report(printer, content, page=Page.A4) == 9
    printed = (tmp_path / "printed.pdf").read_bytes()
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+ x [\d.]+) pts", pdf_info(printed), re.M)
    assert sizes == ["595 x 842"] * 9
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


def events(count: int, seed: int) -> list[TimelineEvent]:
    """``count`` events of one to seven lines in the report's table (the first one six),
    each with its own time, number and source."""
    rng = random.Random(seed)
    words = ["restore", "backup", "tenant", "totals", "release", "migration", "report"]
    start = datetime(2026, 11, 2, 6, 0)
    return [
        TimelineEvent(
            f"ev-{n}",
            start + timedelta(minutes=7 * n),
            f"Event {n:03d}: " + " ".join(rng.choices(words, k=rng.randint(2, 45) if n else 45)),
            f"source {n:03d}",
        )
        for n in range(count)
    ]


def rows_split(data: bytes, timeline: list[TimelineEvent], variant: Variant) -> list[str]:
    """The events of ``timeline`` whose row in the PDF ``data`` is not on one page whole:
    the page with the event's text has its time (and for the team its source), and no
    other page has the text's first words. (Qt would leave a split row's time, source and
    first lines on one page, and draw its text cell on both, clipped.)"""
    pages = [squeezed(text) for text in pdf_text(data).split("\f")]
    split = []
    for event in timeline:
        cells = [f"{event.at:%Y-%m-%d %H:%M}", event.what]
        cells += [event.source] if variant is Variant.TEAM else []
        opening = squeezed(" ".join(event.what.split()[:5]))
        on = [page for page in pages if opening in page]
        if len(on) != 1 or not all(squeezed(cell) in on[0] for cell in cells):
            split.append(event.what)
    return split


@pytest.mark.parametrize("page", [Page.A4, Page.LETTER])
@pytest.mark.parametrize("variant", list(Variant))
def test_the_sample_s_timeline_rows_are_each_on_one_page(
    qapp: object, sample: Incident, variant: Variant, page: Page
) -> None:
    """The team's timeline on Letter runs onto a second page: its last row goes over
    whole, under the repeated header."""
    data = built(ReportFormat.PDF, variant, page)
    assert rows_split(data, sample.timeline, variant) == []
    if (variant, page) == (Variant.TEAM, Page.LETTER):
        event = sample.timeline[-1]
        assert squeezed(f"When What happened Source {event.at:%Y-%m-%d %H:%M}") in squeezed(
            pdf_text(data, 2, 2)
        )


@pytest.mark.parametrize("page", [Page.A4, Page.LETTER])
@pytest.mark.parametrize("seed", [1, 2])
def test_a_table_row_is_never_split_over_two_pages(qapp: object, page: Page, seed: int) -> None:
    """Qt splits a row between its lines, so a cell's last lines would open the next
    page alone, without the row's time and source; the report takes the row over whole."""
    incident = Incident(title="A long timeline", timeline=events(70, seed))
    data = report_bytes(incident, ReportFormat.PDF, variant=Variant.TEAM, today=TODAY, page=page)
    assert rows_split(data, incident.timeline, Variant.TEAM) == []


def row_pages(document: QTextDocument, height: float) -> list[list[int]]:
    """The pages each row of the document's tables has text on, table after table."""
    layout = document.documentLayout()
    tables = [f for f in document.rootFrame().childFrames() if isinstance(f, QTextTable)]
    out = []
    for table in tables:
        for row in range(table.rows()):
            boxes = [
                layout.blockBoundingRect(block)
                for column in range(table.columns())
                for block in cell_blocks(table.cellAt(row, column))
            ]
            top, bottom = min(b.top() for b in boxes), max(b.bottom() for b in boxes)
            out.append(list(range(int(top // height), int((bottom - 1) // height) + 1)))
    return out


def cell_blocks(cell: QTextTableCell) -> list[QTextBlock]:
    block, blocks = cell.firstCursorPosition().block(), []
    while block.isValid() and block.position() <= cell.lastPosition():
        blocks.append(block)
        block = block.next()
    return blocks


def test_a_table_s_first_row_takes_the_table_and_its_heading_along(qapp: object) -> None:
    """A description one line longer each time walks a long timeline over a page's foot
    (in the text pages' layout, before any painting): its first row (six lines) is never
    split and never left without its heading, nor is any other row split."""
    width, height = page_size(Page.A4, portrait=True)
    body_w, body_h = width - 2 * PAPER_MARGIN, height - report_pdf._BODY_TOP - PAPER_MARGIN
    heading_pages = set()
    for lines in range(64):
        incident = Incident(
            title="Walking the timeline down the page",
            description="\n".join(f"Line {n}" for n in range(lines)),
            timeline=events(30, 4),
        )
        content = report_content(incident, variant=Variant.TEAM, today=TODAY)
        sections = [content.section(s) for s in (SectionId.SUMMARY, SectionId.TIMELINE)]
        html = report_pdf._html(content, sections, True)
        document = report_pdf._document(html, body_w, body_h, never)
        rows = row_pages(document, body_h)
        assert [pages for pages in rows if len(pages) > 1] == [], lines
        block = document.begin()
        while block.text() != "Timeline":
            block = block.next()
        page = int(document.documentLayout().blockBoundingRect(block).top() // body_h)
        header, first = rows[-31:-29]  # the timeline's header and first event
        assert header == first == [page], lines
        heading_pages.add(page)
    assert heading_pages == {0, 1}  # it did walk over the foot of the first page
