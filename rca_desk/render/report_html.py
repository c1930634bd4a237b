"""The RCA report as one self-contained HTML file (issue 15).

Every piece of user text goes through :func:`html_text` (escaped, line breaks as
``<br>``), once, here; the diagrams are inline SVG from :func:`~rca_desk.render.svg.to_svg`,
which escapes its own text. So text holding ``<script>`` or ``onload=`` reads as text.
The page also forbids scripts outright (a Content-Security-Policy that allows only its own
inline style), should anything ever slip through.

The diagrams are the paper pages' diagrams (:func:`~rca_desk.render.export.diagram_pages`):
laid out for the page's frame, the five whys over as many pages as the print has, each
shown at the size it has on paper (CSS pixels are the page's) and narrower on a narrow
screen. :func:`blocks_html` is shared with the PDF, whose text Qt lays out from HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

from rca_desk.render.export import diagram_pages
from rca_desk.render.pages import Page
from rca_desk.render.report_content import (
    Block,
    Cancelled,
    Fields,
    Figure,
    Paragraph,
    ReportContent,
    Subheading,
    Table,
    check_cancelled,
    never,
)
from rca_desk.render.svg import to_svg

__all__ = ["blocks_html", "html_text", "report_html", "title_block_html"]

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def html_text(text: str) -> str:
    """``text`` as HTML text: escaped (quotes too, so it is safe in an attribute), its line
    breaks as ``<br>``."""
    return "<br>".join(html.escape(line, quote=True) for line in text.split("\n"))


def _paragraphs(text: str, css: str) -> list[str]:
    attr = f' class="{css}"' if css else ""
    return [f"<p{attr}>{html_text(part.strip())}</p>" for part in _PARAGRAPH_BREAK.split(text)]


def _cell(text: str) -> str:
    """A table cell's HTML; an empty one holds a no-break space (Qt lays the text after
    a table whose last cell is empty over the table's bottom edge)."""
    return html_text(text) if text else "&nbsp;"


def _table(table: Table) -> list[str]:
    total = sum(table.widths)
    head = "".join(
        f'<th width="{100 * w / total:.0f}%">{html_text(name)}</th>'
        for name, w in zip(table.header, table.widths, strict=True)
    )
    out = [
        '<table class="grid" width="100%" cellspacing="0" cellpadding="4">',
        f"<thead><tr>{head}</tr></thead>",
        "<tbody>",
    ]
    out += ["<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>" for row in table.rows]
    out.append("</tbody></table>")
    return out


def _fields(fields: Fields) -> list[str]:
    out = ['<table class="fields" width="100%" cellspacing="0" cellpadding="3">']
    out += [
        f'<tr><th width="24%">{html_text(label)}</th><td>{html_text(value)}</td></tr>'
        for label, value in fields.rows
    ]
    out.append("</table>")
    return out


def blocks_html(blocks: Iterable[Block], figure: Callable[[Figure], list[str]]) -> list[str]:
    """The HTML lines of ``blocks``; ``figure`` draws a diagram (the PDF draws its own
    pages and gives none)."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out += _paragraphs(block.text, "note" if block.note else "")
        elif isinstance(block, Subheading):
            out.append(f"<h3>{html_text(block.text)}</h3>")
        elif isinstance(block, Fields):
            out += _fields(block)
        elif isinstance(block, Table):
            out += _table(block)
        else:
            out += figure(block)
    return out


def title_block_html(content: ReportContent) -> list[str]:
    """What the report opens with: what report it is, the incident's title, and its
    client, when it occurred, its status and severity in a row of labelled cells."""
    labels = "".join(f"<th>{html_text(label)}</th>" for label, _ in content.details)
    values = "".join(f"<td>{html_text(value)}</td>" for _, value in content.details)
    return [
        f'<p class="kind">{html_text(content.subtitle)}</p>',
        f"<h1>{html_text(content.title)}</h1>",
        '<table class="details" cellspacing="0" cellpadding="2">',
        f"<tr>{labels}</tr>",
        f"<tr>{values}</tr>",
        "</table>",
    ]


_STYLE = """
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #222;
  margin: 0; background: #f4f4f4; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 2rem 3rem; background: white; }
header.title-block { border-bottom: 2px solid #222; padding-bottom: .6rem; margin-bottom: 1rem; }
header.title-block h1 { font-size: 1.6rem; margin: .2rem 0 .4rem; }
p.kind { text-transform: uppercase; letter-spacing: .05em; font-size: .8rem; color: #444;
  margin: .15rem 0; }
table.details { width: auto; margin: .2rem 0 0; }
table.details th { text-align: left; font-weight: normal; font-size: .8rem; color: #666;
  padding: 0 1.6rem 0 0; }
table.details td { vertical-align: top; padding: 0 1.6rem 0 0; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #bbb; padding-bottom: .2rem;
  margin-top: 2rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
p.note { color: #666; font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 .8rem; font-size: .9rem; }
table.grid th, table.grid td { border: 1px solid #ccc; padding: .3rem .45rem;
  text-align: left; vertical-align: top; }
table.grid th { background: #eee; }
table.fields th { text-align: left; vertical-align: top; font-weight: 600; color: #444;
  padding: .2rem .8rem .2rem 0; }
table.fields td { vertical-align: top; padding: .2rem 0; }
.diagram { margin: .6rem 0 1rem; }
.diagram svg { display: block; width: 100%; height: auto; }
@media print {
  body { background: white; }
  main { max-width: none; padding: 0; }
  section.figure { break-before: page; }
  tr, .diagram { break-inside: avoid; }
}
"""


def report_html(content: ReportContent, *, page: Page, cancelled: Cancelled = never) -> str:
    """The whole report as an HTML document; the diagrams as laid out for ``page`` (A4 or
    Letter). Raises :class:`~rca_desk.render.report_content.ReportCancelled` when
    ``cancelled()`` turns true between sections and diagram pages."""
    check_cancelled(cancelled)

    def figure(block: Figure) -> list[str]:
        parts = diagram_pages(
            content.drawing,
            block.view,
            page,
            today=content.today,
            guidance=content.guidance,
        )
        out = []
        for number, part in enumerate(parts, 1):
            check_cancelled(cancelled)
            svg = to_svg(part.diagram).split("\n", 1)[1]  # without the XML declaration
            width = part.diagram.bounds.w * part.fit.scale
            label = f"{block.view.value} page {number} of {len(parts)}"
            out.append(
                f'<div class="diagram" style="max-width: {width:.0f}px" '
                f'aria-label="{label}">{svg}</div>'
            )
        return out

    size = "A4" if page is Page.A4 else "letter"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="rca_desk">',
        f"<title>{html_text(' '.join(content.title.split()))}</title>",  # one line
        f"<style>{_STYLE}@page {{ size: {size}; margin: 12mm; }}\n</style>",
        "</head>",
        "<body>",
        "<main>",
        '<header class="title-block">',
        *title_block_html(content),
        "</header>",
    ]
    for section in content.sections:
        check_cancelled(cancelled)
        kind = "figure" if any(isinstance(b, Figure) for b in section.blocks) else "text"
        out.append(f'<section id="{section.id.value}" class="{kind}">')
        out.append(f"<h2>{html_text(section.title)}</h2>")
        out += blocks_html(section.blocks, figure)
        out.append("</section>")
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"
