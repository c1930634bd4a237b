"""The client's report keeps and leaves out what docs/client-report.md says, field by
field, in every format (issue 15).

Each field is checked by the texts the sample (resources/sample_incident.json) holds in
it, read off the sample incident: a left-out text absent from the client's report and
present in the team's, so the check is known to see it where it is; a kept text present
in both. ``test_the_texts_checked_are_the_sample_s`` holds them to what the sample says,
read off it by eye. Text is compared without white space, so a phrase wrapped over lines
is still found.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import findings
from rca_desk.model.recovery_state import recovery_state
from rca_desk.render.pages import Page
from rca_desk.render.report import ReportFormat
from rca_desk.render.report_content import FREE_TEXT_WARNING, Variant
from tests.conftest import TODAY
from tests.render.reports import needs_poppler, reader_text, squeezed

SAMPLE = sample_incidents(TODAY)[0]
CAUSES = list(SAMPLE.graph.causes())
HELD = [check_in for check_in in SAMPLE.check_ins if check_in.held]
FINDINGS = findings(SAMPLE, today=TODAY)
APOLOGY = SAMPLE.apology

#: Left-out texts that the sample also writes in kept free text, where the client's
#: report shows them as written (docs/client-report.md: names inside free text stay), so
#: their absence is not checked; test_what_is_also_in_free_text_stays says where they are.
ALSO_IN_FREE_TEXT = {
    # a participant's role, and action 6's title: "... drill for every on-call engineer"
    "on-call engineer",
    # who spoke for the client at the held check-in, and two timeline events: "... keyed in
    # again with Northwind's controller", "Northwind's controller confirms ..."
    "Northwind's controller",
    # whom the apology went to, and the impact: "Northwind's CFO escalated to our CEO"
    "Northwind's CFO",
}


def left_out(*texts: str) -> list[str]:
    """``texts`` once each, but those the client's report shows in free text."""
    return [text for text in dict.fromkeys(texts) if text not in ALSO_IN_FREE_TEXT]


#: docs/client-report.md's "left out" column, with the sample's texts in each field.
LEFT_OUT: dict[str, list[str]] = {
    "evidence notes": left_out(*(c.evidence_note for c in CAUSES if c.evidence_note)),
    "stop reasons": left_out(*(c.stop_reason for c in CAUSES if c.stop_reason)),
    "the timeline's source": left_out(*(event.source for event in SAMPLE.timeline)),
    "hypothesis-only causes": ["Release engineer forgot to snapshot the tenant before migrating"],
    "participants and roles": left_out(
        *(p.name for p in SAMPLE.participants), *(p.role for p in SAMPLE.participants)
    ),
    "owners": left_out(*(action.owner for action in SAMPLE.actions)),
    "action notes": left_out(*(action.notes for action in SAMPLE.actions if action.notes)),
    "history notes": left_out(
        *(change.note for action in SAMPLE.actions for change in action.history if change.note)
    ),
    "who spoke in each check-in": left_out(
        *(check_in.ours for check_in in HELD), *(check_in.theirs for check_in in HELD)
    ),
    "who apologised to whom and how": left_out(APOLOGY.by, APOLOGY.to, APOLOGY.channel.label),
    "restitution notes": left_out(*(offer.note for offer in SAMPLE.restitution)),
    "the client's words": left_out(*(rating.words for rating in SAMPLE.confidence)),
    "whether the client is at risk": left_out(
        "Client at risk", *recovery_state(SAMPLE, TODAY).risks
    ),
    "internal findings": left_out(
        "Open findings",
        *(finding.kind.info.name for finding in FINDINGS),
        *(finding.message for finding in FINDINGS),
    ),
}
#: Guidance marks are drawn: the legend's "!" entry and the open questions of the five
#: whys. The Markdown's Mermaid diagrams draw neither, for the team either.
GUIDANCE_MARKS = ["root cause without a committed action, or blame", "Why?"]

#: docs/client-report.md's "kept" column, with the sample's texts in each field.
KEPT: dict[str, list[str]] = {
    "summary": [SAMPLE.graph.problem, SAMPLE.description, SAMPLE.containment],
    "impact": [
        SAMPLE.impact.operational,
        SAMPLE.impact.financial,
        SAMPLE.impact.reputational,
        SAMPLE.impact.compliance,
    ],
    "resolved date": ["Service restored", "2026-11-05"],
    "timeline: time and event": [
        text for event in SAMPLE.timeline for text in (f"{event.at:%Y-%m-%d %H:%M}", event.what)
    ],
    "diagrams": [
        "Fishbone diagram",
        "Five whys",
        # a cause that is only in the diagrams (not a root cause)
        "The release was brought forward two days for a sales demo without a change review",
    ],
    "root causes and their evidence status": [
        *(cause.text for cause in CAUSES if cause.root_cause),
        "Evidence",
        "verified",
        "supported",
    ],
    "actions": [
        *(action.title for action in SAMPLE.actions),
        *(f"{action.metric} (target: {action.target})" for action in SAMPLE.actions),
        *(action.measured_result for action in SAMPLE.actions if action.measured_result),
        "Strength",
        "strong",
        "in progress",
        "2026-11-21",
        "Verification date",
        "2026-12-21",
    ],
    "check-ins: dates and summaries": [
        *dict.fromkeys(check_in.planned.isoformat() for check_in in SAMPLE.check_ins),
        *(check_in.summary for check_in in HELD),
    ],
    "the next check-in": ["Next check-in", "2026-11-19 (due)"],
    "the review meeting": ["Review meeting", "2026-12-17"],
    "client recovery: apology date, restitution, measures, confidence": [
        "Client recovery",
        f"made on {APOLOGY.on}",
        *(offer.kind.label for offer in SAMPLE.restitution),
        "accepted",
        "delivered",
        "6,400.00 EUR",
        *(measure.name for measure in SAMPLE.measures),
        *(measure.target_text for measure in SAMPLE.measures),
        "100 %",  # the measures' values at the check-in held, as the sample gives them
        "0 per close",
        "At each check-in held",
        "Trust restored",
        "not yet",
        "3 of 5",
        "first value",
    ],
    "lessons learned": SAMPLE.lessons.splitlines(),
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


@pytest.mark.parametrize(("fmt", "page"), FORMATS)
def test_what_is_also_in_free_text_stays(qapp: object, fmt: ReportFormat, page: Page) -> None:
    """The left-out texts whose absence is not checked are in the client's report: in
    the free text the sample also writes them in."""
    texts = sorted(ALSO_IN_FREE_TEXT)
    assert found(texts, reader_text(fmt, Variant.CLIENT, page)) == texts


def test_the_texts_checked_are_the_sample_s() -> None:
    """The texts above are the sample's, as read off resources/sample_incident.json by
    eye: how many each field has, and some of them, so an empty field never passes."""
    assert {field: len(texts) for field, texts in LEFT_OUT.items()} == {
        "evidence notes": 12,
        "stop reasons": 2,
        "the timeline's source": 8,  # ten events, "client email" and "on-call notes" twice
        "hypothesis-only causes": 1,
        "participants and roles": 9,  # five names, four roles (not the on-call engineer's)
        "owners": 5,  # Priya Nair (Platform) owns two actions
        "action notes": 4,
        "history notes": 6,
        "who spoke in each check-in": 1,  # our side; the client's is in free text
        "who apologised to whom and how": 2,  # Sam Whitfield, "meeting in person"
        "restitution notes": 2,
        "the client's words": 1,
        "whether the client is at risk": 2,  # the label and the credit not delivered
        "internal findings": 23,  # the section's title, 8 kinds of finding, 14 findings
    }
    assert {field: len(texts) for field, texts in KEPT.items()} == {
        "summary": 3,
        "impact": 4,
        "resolved date": 2,
        "timeline: time and event": 20,
        "diagrams": 3,
        "root causes and their evidence status": 9,  # six root causes
        "actions": 19,  # six titles and success measures, one measured result
        "check-ins: dates and summaries": 13,  # twelve planned, one held
        "the next check-in": 2,
        "the review meeting": 2,
        # the heading, the apology's date, two offers, two measures with their targets and
        # values, restored or not, the confidence and its trend
        "client recovery: apology date, restitution, measures, confidence": 18,
        "lessons learned": 3,
    }
    read_by_eye = [
        (LEFT_OUT, "evidence notes", "Migration log: DELETE affected 1.2M rows in tenant"),
        (LEFT_OUT, "stop reasons", "a further why only names the 2023 design choice"),
        (LEFT_OUT, "the timeline's source", "PagerDuty alert"),
        (LEFT_OUT, "participants and roles", "Dana Weiss"),
        (LEFT_OUT, "participants and roles", "account manager, Northwind"),
        (LEFT_OUT, "owners", "Tom Becker (Release management)"),
        (LEFT_OUT, "action notes", "Needs budget approval before it can be committed."),
        (LEFT_OUT, "history notes", "Surprise drill: all 8 restored a tenant in under 95"),
        (LEFT_OUT, "who spoke in each check-in", "Sam Whitfield, Priya Nair"),
        (LEFT_OUT, "internal findings", "Wording blames a person"),
        (LEFT_OUT, "internal findings", "the check-in with the client planned for 2026-11-19"),
        (KEPT, "summary", "Northwind Retail could not produce quarter-end sales reports"),
        (KEPT, "impact", "Service credit of 8% of the monthly fee (EUR 6,400)"),
        (KEPT, "timeline: time and event", "2026-11-02 07:25"),
        (KEPT, "timeline: time and event", "Northwind opens a priority ticket: quarter-end"),
        (KEPT, "root causes and their evidence status", "The checklist predates tenant data"),
        (KEPT, "actions", "Adjustments present in the nightly export (target: 100%)"),
        (KEPT, "actions", "8 of 8 (100%), fastest 61 min, slowest 95 min"),
        (KEPT, "check-ins: dates and summaries", "2026-11-12"),
        (KEPT, "check-ins: dates and summaries", "The controller asked to see the new release"),
        (KEPT, "lessons learned", "A key account should hear about an incident from us"),
        (LEFT_OUT, "who apologised to whom and how", "Sam Whitfield"),
        (LEFT_OUT, "restitution notes", "One month's reporting fee, credited on the next"),
        (LEFT_OUT, "the client's words", "Better, but we will watch the next close closely."),
        (LEFT_OUT, "whether the client is at risk", "1 restitution offer not delivered"),
        (KEPT, "client recovery: apology date, restitution, measures, confidence", "6,400.00 EUR"),
        (KEPT, "client recovery: apology date, restitution, measures, confidence", "at most 0"),
        (
            KEPT,
            "client recovery: apology date, restitution, measures, confidence",
            "Reports delivered on time",
        ),
    ]
    assert [(f, t) for table, f, t in read_by_eye if not any(t in x for x in table[f])] == []
    # What the client's report shows in free text, where the sample writes it.
    assert [p.role for p in SAMPLE.participants if p.role in ALSO_IN_FREE_TEXT] == [
        "on-call engineer"
    ]
    assert [a.title for a in SAMPLE.actions if "on-call engineer" in a.title] == [
        "Training: tenant-level restore drill for every on-call engineer"
    ]
    assert [check_in.theirs for check_in in HELD] == ["Northwind's controller"]
    assert sum("Northwind's controller" in event.what for event in SAMPLE.timeline) == 2


def test_the_table_in_the_docs_is_the_one_tested() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "client-report.md").read_text("utf-8")
    rows = [line.split("|")[1:3] for line in docs.splitlines() if line.startswith("| ")]
    assert rows[0] == [" kept ", " left out "]
    kept, left_out = (" ".join(row[column] for row in rows[1:]) for column in (0, 1))
    assert [field for field in KEPT if field not in kept] == []
    assert [field for field in [*LEFT_OUT, "guidance marks"] if field not in left_out] == []
    assert FREE_TEXT_WARNING in " ".join(docs.split())
