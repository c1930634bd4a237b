"""The HTML and Markdown reports (issue 15): the same sections as each other and the PDF,
one self-contained HTML file, and user text that never becomes markup.

The hostile incident puts script tags, event handlers, links, images, Markdown syntax
and line-start syntax into every kind of field a report shows; each must read back as
the characters typed, and neither format may contain a tag, attribute or link that did
not come from the report itself.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from rca_desk.model import (
    HEAD,
    ActionStatus,
    CauseGraph,
    CheckIn,
    Evidence,
    Impact,
    Incident,
    Participant,
    PreventiveAction,
    Strength,
    TimelineEvent,
)
from rca_desk.model.recovery import (
    Apology,
    Confidence,
    MeasureValue,
    Restitution,
    RestitutionKind,
    TrustMeasure,
)
from rca_desk.render.pages import Page
from rca_desk.render.report import ReportFormat, report_bytes
from rca_desk.render.report_content import Variant
from rca_desk.render.report_markdown import md_text
from tests.render.reports import HEADINGS, Parsed, built, markdown_html, squeezed

DAY = date(2026, 11, 23)


@pytest.mark.parametrize("variant", list(Variant))
def test_html_and_markdown_have_the_pdf_s_sections(qapp: object, variant: Variant) -> None:
    html = Parsed(built(ReportFormat.HTML, variant).decode())
    markdown = Parsed(markdown_html(built(ReportFormat.MD, variant).decode()))
    assert html.headings["h2"] == HEADINGS[variant]
    assert markdown.headings["h2"] == HEADINGS[variant]
    assert (
        html.headings["h1"]
        == markdown.headings["h1"]
        == ["Northwind Retail quarter-end reporting disrupted after v4.2 update"]
    )
    # Each action is a subsection, numbered as in the PDF.
    assert [h for h in html.headings["h3"] if h[:2] == "1."] == [
        "1. Automated data validation: reconcile row counts and totals per tenant before and "
        "after every migration"
    ]
    assert html.headings["h3"] == markdown.headings["h3"]


def test_the_html_report_stands_alone_with_vector_diagrams(qapp: object) -> None:
    html = built(ReportFormat.HTML, Variant.CLIENT, Page.LETTER).decode()
    parsed = Parsed(html)
    tags = [tag for tag, _ in parsed.tags]
    # The fishbone on one page, the five whys on one: two inline SVG pictures.
    assert tags.count("svg") == 2
    assert not [attr for _, attrs in parsed.tags for attr, _ in attrs if attr in ("src", "href")]
    [policy] = [
        dict(attrs)["content"]
        for tag, attrs in parsed.tags
        if tag == "meta" and dict(attrs).get("http-equiv") == "Content-Security-Policy"
    ]
    assert policy == "default-src 'none'; style-src 'unsafe-inline'"
    assert "@page { size: letter;" in html


# ------------------------------------------------------------------ hostile text
def hostile(field: str) -> str:
    """Text a report must show as typed: HTML, event handlers, links, images, Markdown."""
    return (
        f'<script>alert("{field}")</script><img src=x onerror=alert(1)> " onclick="alert(2)" '
        f"[{field}](javascript:alert(3)) ![i](http://x.test/i) **b** _e_ `c` ~~s~~ &amp; | $x$ "
        "https://evil.test"
    )


#: Text that is syntax at the start of a line, on lines of a long text.
LINE_STARTS = "# heading\n- item\n+ item\n1. one\n2) two\n> quote\n    code\n---\n=== \n| a | b |"


def hostile_incident() -> Incident:
    graph = CauseGraph(problem=hostile("problem"), categories=["<b>Ops</b>", "Process"])
    first = graph.add_cause(
        HEAD,
        text=hostile("cause"),
        category="<b>Ops</b>",
        evidence=Evidence.SUPPORTED,
        evidence_note=hostile("evidence note"),
    )
    root = graph.add_cause(
        first,
        text=hostile("root cause"),
        category="Process",
        evidence=Evidence.VERIFIED,
        root_cause=True,
        stop_reason=hostile("stop reason"),
    )
    incident = Incident(
        title=hostile("title") + "\n# a second line of the title",
        graph=graph,
        occurred_at=datetime(2026, 11, 2, 6, 40),
        affected=hostile("affected"),
        description=hostile("description") + "\n" + LINE_STARTS,
        impact=Impact(*(hostile(name) for name in ("operational", "financial", "rep", "comp"))),
        containment=hostile("containment"),
        lessons=hostile("lessons") + "\n" + LINE_STARTS,
        resolved_at=date(2026, 11, 3),
        review_meeting=date(2026, 12, 15),
    )
    action = PreventiveAction.propose(
        at=datetime(2026, 11, 4, 15, 0),
        note=hostile("history note"),
        title=hostile("action") + "\n## a second line of the action",
        root_causes=[root],
        owner=hostile("owner"),
        due=date(2026, 11, 20),
        verify_on=date(2026, 12, 20),
        strength=Strength.STRONG,
        metric=hostile("metric"),
        target=hostile("target"),
        measured_result=hostile("measured"),
        notes=hostile("notes"),
    )
    action.change_status(ActionStatus.COMMITTED, at=datetime(2026, 11, 5, 9, 0))
    incident.add_action(action)
    incident.put_record(
        "timeline",
        TimelineEvent("e1", datetime(2026, 11, 2, 7, 0), hostile("event"), hostile("source")),
    )
    incident.put_record("participants", Participant("p1", hostile("name"), hostile("role")))
    incident.put_record(
        "check_ins",
        CheckIn(
            "c1",
            date(2026, 11, 10),
            date(2026, 11, 10),
            ours=hostile("ours"),
            theirs=hostile("theirs"),
            summary=hostile("summary") + "\n" + LINE_STARTS,
        ),
    )
    # The client's recovery (issue 16): every text in it is someone's typing too.
    incident.update_fields(
        apology=Apology(on=date(2026, 11, 3), by=hostile("apologised"), to=hostile("to whom"))
    )
    incident.put_record(
        "restitution",
        Restitution("r1", RestitutionKind.OTHER, date(2026, 11, 4), note=hostile("offer note")),
    )
    incident.put_record("measures", TrustMeasure("m1", hostile("measure"), hostile("unit"), 99))
    incident.put_record("measure_values", MeasureValue("c1", "m1", 97))
    incident.put_record("confidence", Confidence("c1", 3, hostile("words")))
    return incident


#: The fields each variant shows (the client's leaves the others out).
CLIENT_FIELDS = [
    "problem", "cause", "root cause", "title", "affected", "description", "operational",
    "financial", "containment", "lessons", "action", "metric", "target", "measured", "event",
    "summary", "measure", "unit",
]  # fmt: skip
TEAM_FIELDS = [
    *CLIENT_FIELDS, "evidence note", "stop reason", "history note", "owner", "notes",
    "source", "name", "role", "ours", "theirs", "apologised", "to whom", "offer note", "words",
]  # fmt: skip

#: Every tag and attribute the HTML report writes itself.
HTML_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "header", "section", "p", "h1",
    "h2", "h3", "br", "table", "thead", "tbody", "tr", "th", "td", "div",
    "svg", "g", "rect", "text", "tspan", "line", "circle", "path",
}  # fmt: skip
MARKDOWN_TAGS = {
    "h1", "h2", "h3", "p", "em", "strong", "ul", "li", "br", "table", "thead", "tbody",
    "tr", "th", "td", "pre", "code",
}  # fmt: skip


def unsafe(parsed: Parsed, allowed_tags: set[str]) -> list[str]:
    """Tags the report did not write itself, event-handler attributes, script URLs."""
    out = [tag for tag, _ in parsed.tags if tag not in allowed_tags]
    for _, attrs in parsed.tags:
        out += [name for name, _ in attrs if name.startswith("on")]
        out += [value for _, value in attrs if value and "javascript:" in value]
    return out


@pytest.mark.parametrize("variant", list(Variant))
def test_html_shows_hostile_text_as_text(qapp: object, variant: Variant) -> None:
    html = report_bytes(hostile_incident(), ReportFormat.HTML, variant=variant, today=DAY)
    parsed = Parsed(html.decode())
    assert unsafe(parsed, HTML_TAGS) == []
    fields = TEAM_FIELDS if variant is Variant.TEAM else CLIENT_FIELDS
    text = squeezed(parsed.text)
    assert [f for f in fields if squeezed(hostile(f)) not in text] == []
    assert [f for f in TEAM_FIELDS if f not in fields and squeezed(hostile(f)) in text] == []
    # Category names are user text too, on the diagrams.
    assert "<b>Ops</b>" in parsed.text
    for line in LINE_STARTS.split("\n"):
        assert line.strip() in parsed.text


@pytest.mark.parametrize("variant", list(Variant))
def test_markdown_shows_hostile_text_as_text(variant: Variant) -> None:
    markdown = report_bytes(hostile_incident(), ReportFormat.MD, variant=variant, today=DAY)
    rendered = Parsed(markdown_html(markdown.decode()))
    assert unsafe(rendered, MARKDOWN_TAGS) == []
    # Emphasis and strong text are the report's own: the subtitle, notes and labels.
    own = [text for tag, text in _emphasis(markdown.decode())]
    assert all("alert" not in text and "evil" not in text for text in own)
    fields = TEAM_FIELDS if variant is Variant.TEAM else CLIENT_FIELDS
    text = rendered.text
    # A cause that is not a root cause is, for the client, only on the diagrams: Mermaid
    # text in a code block, escaped for Mermaid (tests/interchange/test_mermaid.py).
    assert "#lt;script#gt;alert(#quot;cause#quot;)#lt;/script#gt;" in markdown.decode()
    if variant is Variant.CLIENT:
        fields = [f for f in fields if f != "cause"]
    assert [f for f in fields if hostile(f) not in text] == []
    assert [f for f in TEAM_FIELDS if f not in fields and hostile(f) in text] == []
    # A long text's lines stay lines, none of them a heading, list, quote or code block.
    for line in LINE_STARTS.split("\n"):
        assert line.strip() in text
    # A title or an action's title over two lines is still one heading.
    [title] = rendered.headings["h1"]
    assert title == f"{hostile('title')} # a second line of the title"
    # Three more: the recovery's restitution, agreed measures and values at each check-in.
    assert len(rendered.headings["h3"]) == {Variant.TEAM: 7, Variant.CLIENT: 6}[variant]
    assert f"1. {hostile('action')} ## a second line of the action" in rendered.headings["h3"]


def _emphasis(markdown: str) -> list[tuple[str, str]]:
    """(tag, text) of every em and strong element the Markdown renders to."""
    tokens = markdown_html_tokens(markdown)
    out = []
    for inline in (t for t in tokens if t.type == "inline"):
        opened: list[tuple[str, str]] = []
        for child in inline.children or []:
            if child.type in ("em_open", "strong_open"):
                opened.append((child.tag, ""))
            elif child.type in ("em_close", "strong_close"):
                out.append(opened.pop())
            elif opened and child.type == "text":
                tag, text = opened[-1]
                opened[-1] = (tag, text + child.content)
    return out


def markdown_html_tokens(markdown: str) -> list:  # type: ignore[type-arg]
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").parse(markdown)


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("a*b*c", r"a\*b\*c"),
        ("[x](javascript:y)", r"\[x\](javascript:y)"),
        ("<b>&amp;", r"\<b>\&amp;"),
        ("# not a heading", r"\# not a heading"),
        ("1. not a list", r"1\. not a list"),
        ("- not a list", r"\- not a list"),
        ("see https://x.test or www.x.test", r"see https\://x\.test or www\.x\.test"),
        ("07:10 on v4.2, (a) - b; 5% #3", "07:10 on v4.2, (a) - b; 5% #3"),
        ("two\nlines", "two\\\nlines"),
    ],
)
def test_markdown_escapes_only_what_could_be_syntax(text: str, markdown: str) -> None:
    assert md_text(text) == markdown
