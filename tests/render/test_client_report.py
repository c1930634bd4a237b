"""The client's report keeps and leaves out what docs/client-report.md says, field by
field, in every format (issue 15).

Each left-out field is checked by the concrete texts the enriched sample holds in it
(tests/report_sample.py and resources/sample_incident.json): absent from the client's
report, and present in the team's, so the check is known to see them where they are.
Text is compared without white space, so a phrase wrapped over lines is still found.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rca_desk.render.pages import Page
from rca_desk.render.report import ReportFormat
from rca_desk.render.report_content import FREE_TEXT_WARNING, Variant
from tests.render.reports import needs_poppler, reader_text, squeezed

#: docs/client-report.md's "left out" column, with the sample's texts in each field.
LEFT_OUT: dict[str, list[str]] = {
    "evidence notes": [
        "Migration log: DELETE affected 1.2M rows in tenant 'northwind'.",
        "Confirmed with platform and QA leads: no owner, no schedule.",
        "Checklist last revised before tenant migrations existed.",
        "Client's ticket at 07:25 preceded our first alert at 08:05.",
    ],
    "stop reasons": [
        "Why the checklist has no owner is the release board's charter, raised with the "
        "board separately",
        "The missing step is the fix; a further why only names the 2023 design choice",
    ],
    "the timeline's source": [
        "Deploy log run 8812",
        "Client ticket NW-3391",
        "Pager history export",
        "Bridge call notes by Ines Moreau",
        "Reconciliation sheet v3",
    ],
    "hypothesis-only causes": ["Release engineer forgot to snapshot the tenant before migrating"],
    "participants and roles": [
        "Ines Moreau",
        "Kofi Mensah",
        "Facilitator from the quality office",
        "Platform engineering lead",
        "Release train manager",
        "Account director for Northwind",
    ],
    "owners": [
        "Priya Nair (Platform)",
        "Tom Becker (Release management)",
        "Lena Ortiz (QA)",
        "Sam Whitfield (Client services)",
        "Grace Kim (SRE)",
    ],
    "action notes": [
        "Blocks the release job when any tenant's totals differ.",
        "Checklist v8 adds a yearly review date.",
        "Needs budget approval before it can be committed.",
        "Runbook rewritten as part of the drill.",
    ],
    "history notes": [
        "Agreed with the platform lead",
        "QA owns the audit",
        "Checklist v8 published",
        "All 8 engineers drilled",
        "Surprise drill: all 8 restored a tenant in under 95 minutes",
    ],
    "who spoke in each check-in": ["Dana Holt, Northwind CFO", "Northwind financial controller"],
    "internal findings": [
        "Open findings",
        "Wording blames a person",
        "Chain of whys stops early",
        "Root cause covered only by weak actions",
        "has no committed preventive action",
        "ask why again, or record why it stops here as a stop reason",
    ],
}
#: Guidance marks are drawn: the legend's "!" entry and the open questions of the five
#: whys. The Markdown's Mermaid diagrams draw neither, for the team either.
GUIDANCE_MARKS = ["root cause without a committed action, or blame", "Why?"]

#: docs/client-report.md's "kept" column, with the sample's texts in each field.
KEPT: dict[str, list[str]] = {
    "summary": [
        "A release of the reporting platform (v4.2), brought forward two days to make a "
        "sales demo, ran a schema migration",
        "Northwind Retail could not produce quarter-end sales reports for a business day",
    ],
    "impact": ["Service credit of 8% of the monthly fee (EUR 6,400)"],
    "resolved date": ["Service restored", "2026-11-03"],
    "timeline: time and event": [
        "2026-11-02 07:10",
        "Northwind's finance team finds gaps in the sales history",
        "2026-11-03 16:30",
        "Reports back for Northwind, totals reconciled line by line",
    ],
    "diagrams": [
        "Fishbone diagram",
        "Five whys",
        # a cause that is only in the diagrams (not a root cause)
        "The release was brought forward two days for a sales demo without a change review",
    ],
    "root causes and their evidence status": [
        "The checklist predates tenant data migrations and has no review cycle",
        "Evidence",
        "supported",
    ],
    "actions": [
        "Move month-end adjustments into the audited import pipeline",
        "Strength",
        "strong",
        "in progress",
        "2026-11-21",
        "Adjustments present in the nightly export (target: 100%)",
        "Verification date",
        "2026-12-21",
        "8 of 8 (100%), fastest 61 min, slowest 95 min",
    ],
    "check-ins: dates and summaries": [
        "2026-11-18",
        "Release checkpoint published; the client accepted the reconciliation report.",
    ],
    "the next check-in": ["Next check-in", "2026-11-24 (planned)"],
    "the review meeting": ["Review meeting", "2026-12-15"],
    "lessons learned": ["A key account hears about an incident from us first, within the hour."],
}

FORMATS = [
    pytest.param(ReportFormat.PDF, Page.A4, marks=needs_poppler, id="pdf-a4"),
    pytest.param(ReportFormat.PDF, Page.LETTER, marks=needs_poppler, id="pdf-letter"),
    pytest.param(ReportFormat.HTML, Page.A4, id="html"),
    pytest.param(ReportFormat.MD, Page.A4, id="md"),
]


def found(texts: list[str], text: str) -> list[str]:
    haystack = squeezed(text)
    return [t for t in texts if squeezed(t) in haystack]


@pytest.mark.parametrize(("fmt", "page"), FORMATS)
@pytest.mark.parametrize("field", LEFT_OUT)
def test_the_client_report_leaves_the_field_out(
    qapp: object, fmt: ReportFormat, page: Page, field: str
) -> None:
    texts = LEFT_OUT[field]
    assert found(texts, reader_text(fmt, Variant.TEAM, page)) == texts
    assert found(texts, reader_text(fmt, Variant.CLIENT, page)) == []


@pytest.mark.parametrize(("fmt", "page"), FORMATS[:3])
def test_the_client_report_draws_no_guidance_marks(
    qapp: object, fmt: ReportFormat, page: Page
) -> None:
    assert found(GUIDANCE_MARKS, reader_text(fmt, Variant.TEAM, page)) == GUIDANCE_MARKS
    assert found(GUIDANCE_MARKS, reader_text(fmt, Variant.CLIENT, page)) == []


@pytest.mark.parametrize(("fmt", "page"), FORMATS)
@pytest.mark.parametrize("field", KEPT)
def test_the_client_report_keeps_the_field(
    qapp: object, fmt: ReportFormat, page: Page, field: str
) -> None:
    texts = KEPT[field]
    assert found(texts, reader_text(fmt, Variant.CLIENT, page)) == texts
    assert found(texts, reader_text(fmt, Variant.TEAM, page)) == texts


def test_the_table_in_the_docs_is_the_one_tested() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "client-report.md").read_text("utf-8")
    rows = [line.split("|")[1:3] for line in docs.splitlines() if line.startswith("| ")]
    assert rows[0] == [" kept ", " left out "]
    kept, left_out = (" ".join(row[column] for row in rows[1:]) for column in (0, 1))
    assert [field for field in KEPT if field not in kept] == []
    assert [field for field in [*LEFT_OUT, "guidance marks"] if field not in left_out] == []
    assert FREE_TEXT_WARNING in " ".join(docs.split())
