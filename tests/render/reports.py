"""Reports of the sample incident, built once per test session, and their text as a
reader gets it: ``pdftotext`` of the PDF, the text of the HTML, the Markdown rendered
by markdown-it-py (CommonMark with tables)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import unicodedata
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from rca_desk.interchange.sample import sample_incidents
from rca_desk.render.pages import Page
from rca_desk.render.report import ReportFormat, report_bytes
from rca_desk.render.report_content import Variant
from tests.conftest import TODAY

#: The sections' headings, as a reader sees them in every format.
HEADINGS = {
    Variant.CLIENT: [
        "Summary", "Impact", "Timeline", "Fishbone diagram", "Five whys", "Root causes",
        "Preventive actions", "Coverage", "Check-ins and review", "Client recovery",
        "Lessons learned",
    ],
}  # fmt: skip
HEADINGS[Variant.TEAM] = [*HEADINGS[Variant.CLIENT], "Participants", "Open findings"]

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="needs Poppler's pdftotext and pdfinfo",
)


@cache
def built(fmt: ReportFormat, variant: Variant, page: Page = Page.A4) -> bytes:
    """The report (the caller holds a QGuiApplication for PDF and HTML)."""
    return report_bytes(sample_incidents(TODAY)[0], fmt, variant=variant, today=TODAY, page=page)


class Parsed(HTMLParser):
    """An HTML page as a reader and a browser see it: its text, headings and tags."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.headings: dict[str, list[str]] = {}
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self._heading: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag in ("h1", "h2", "h3"):
            self._heading = tag
            self.headings.setdefault(tag, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._heading:
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._heading is not None:
            self.headings[self._heading][-1] += data

    @property
    def text(self) -> str:
        return " ".join(self.texts)


def markdown_html(markdown: str) -> str:
    """Markdown as a CommonMark renderer with GitHub's tables shows it (raw HTML allowed,
    as most renderers allow it: the report must never contain any)."""
    return MarkdownIt("commonmark").enable("table").render(markdown)


def pdf_text(data: bytes, first: int | None = None, last: int | None = None) -> str:
    """``pdftotext -raw`` of the PDF ``data`` (the pages ``first`` to ``last``), the
    diagrams' ligatures ("ﬁ") as their letters."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(data)
        pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
        text = subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", *pages, str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return unicodedata.normalize("NFKC", text)


def pdf_info(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(data)
        return subprocess.run(
            ["pdfinfo", "-f", "1", "-l", "999", str(path)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout


def reader_text(fmt: ReportFormat, variant: Variant, page: Page = Page.A4) -> str:
    """What a reader of the report reads, whatever its format."""
    data = built(fmt, variant, page)
    if fmt is ReportFormat.PDF:
        return pdf_text(data)
    if fmt is ReportFormat.HTML:
        return Parsed(data.decode("utf-8")).text
    return Parsed(markdown_html(data.decode("utf-8"))).text


def squeezed(text: str) -> str:
    """``text`` without white space, so a phrase wrapped over lines (a table cell's, a
    diagram label's) is found whole, and its compatibility characters as pdf_text has
    them (a finding's shortened quote ends in "…", pdftotext's in "...")."""
    return "".join(unicodedata.normalize("NFKC", text).split())
