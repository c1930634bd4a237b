"""The RCA report as Markdown (issue 15): CommonMark with GitHub's pipe tables.

User text never becomes markup. :func:`md_text` puts a backslash before every ASCII
punctuation character that CommonMark, GitHub or a common flavour could read as syntax
where it stands (emphasis, links, images, code, HTML, entities, tables, autolinks
anywhere; headings, quotes and list markers at a line's start); a line's leading blanks
are dropped (four would start a code block). So ``<script>``, ``[x](javascript:…)`` or
``**`` in a cause read as the characters typed, and ``07:10`` or ``v4.2`` stay as they
are in the file.

The diagrams are Mermaid blocks (the same text as ``rca-desk export --format mmd``, which
escapes its labels for Mermaid), fenced with more backticks than any run in them.
GitHub, GitLab and most wikis draw them; elsewhere they read as a list of the causes.
"""

from __future__ import annotations

import re

from rca_desk.interchange.mermaid import fishbone_mermaid, whys_mermaid
from rca_desk.render.diagram import View
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

__all__ = ["md_text", "report_markdown"]

#: Characters that are syntax wherever they stand: escapes, code, emphasis, links and
#: images, HTML and autolinks, entities, strikethrough, table cells, e-mail autolinks,
#: math ($), and attribute or highlight syntax of some flavours ({ } =).
_ANYWHERE = re.compile(r"([\\`*_\[\]<&~|@$={}])")
#: Syntax at the start of a line: headings, quotes, list items (also "1." and "1)").
_LINE_START = re.compile(r"^([#>+\-])|^(\d+)([.)])")
#: "https://" and "www.example.com", which renderers with autolinking make links.
_AUTOLINK = re.compile(r":(?=//)|\.(?=[A-Za-z])")


def md_text(text: str) -> str:
    """``text`` as Markdown that reads as exactly ``text``: a backslash before every
    character that could be syntax where it stands (ASCII punctuation only, so the rest
    reads as typed); leading blanks dropped (four start a code block); line breaks kept
    as hard breaks (a backslash at the end of the line)."""
    lines = []
    for line in text.split("\n"):
        line = _AUTOLINK.sub(lambda m: "\\" + m.group(0), _ANYWHERE.sub(r"\\\1", line.strip()))
        lines.append(_LINE_START.sub(_defused, line))
    return "\\\n".join(lines)


def _defused(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return f"{match.group(2)}\\{match.group(3)}"


def _one_line(text: str) -> str:
    """Text for a heading or a table cell: on one line (a heading ends at its line's end,
    a pipe table's row is one line)."""
    return md_text(" ".join(text.split()))


def _cell(text: str) -> str:
    return _one_line(text) or " "


def _paragraphs(paragraph: Paragraph) -> list[str]:
    out = []
    for part in re.split(r"\n\s*\n", paragraph.text):
        text = md_text(part.strip())
        out += [f"*{text}*" if paragraph.note else text, ""]
    return out


def _table(table: Table) -> list[str]:
    out = [
        "| " + " | ".join(_cell(name) for name in table.header) + " |",
        "|" + "|".join("---" for _ in table.header) + "|",
    ]
    out += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in table.rows]
    return [*out, ""]


def _fields(fields: Fields) -> list[str]:
    out = []
    for label, value in fields.rows:
        # A value's later lines continue the list item: indented under it.
        body = md_text(value).replace("\n", "\n  ")
        out.append(f"- **{md_text(label)}:** {body}")
    return [*out, ""]


def _fenced(code: str, info: str) -> list[str]:
    """``code`` in a fence longer than any run of backticks in it (CommonMark's rule)."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{info}", code.rstrip("\n"), fence, ""]


def _figure(content: ReportContent, figure: Figure) -> list[str]:
    graph = content.drawing.graph
    code = fishbone_mermaid(graph) if figure.view is View.FISHBONE else whys_mermaid(graph)
    return _fenced(code, "mermaid")


def _blocks(content: ReportContent, blocks: tuple[Block, ...]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out += _paragraphs(block)
        elif isinstance(block, Subheading):
            out += [f"### {_one_line(block.text)}", ""]
        elif isinstance(block, Fields):
            out += _fields(block)
        elif isinstance(block, Table):
            out += _table(block)
        else:
            out += _figure(content, block)
    return out


def report_markdown(content: ReportContent, *, cancelled: Cancelled = never) -> str:
    """The whole report as Markdown. Raises
    :class:`~rca_desk.render.report_content.ReportCancelled` when ``cancelled()`` turns
    true between sections."""
    out = [
        f"# {_one_line(content.title)}",
        "",
        f"*{md_text(content.subtitle)}*",
        "",
        *_fields(Fields(content.details)),
    ]
    for section in content.sections:
        check_cancelled(cancelled)
        out += [f"## {_one_line(section.title)}", ""]
        out += _blocks(content, section.blocks)
    return "\n".join(out).rstrip("\n") + "\n"
