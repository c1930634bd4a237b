"""What goes into a report, per variant, before any format draws it (issue 15). No Qt."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

from rca_desk.model import HEAD, CauseGraph, CheckIn, Evidence, Incident
from rca_desk.render.report_content import (
    SECTION_TITLES,
    Fields,
    Paragraph,
    SectionId,
    Subheading,
    Table,
    Variant,
    client_drawing,
    next_check_in,
    report_content,
    sections_of,
)
from tests.conftest import TODAY
from tests.render.test_client_report import LEFT_OUT


def test_every_section_has_one_title_and_the_client_s_report_two_fewer() -> None:
    assert list(SECTION_TITLES) == list(SectionId)
    assert len(set(SECTION_TITLES.values())) == len(SectionId)
    assert [SECTION_TITLES[s] for s in sections_of(Variant.TEAM)][-2:] == [
        "Participants",
        "Open findings",
    ]
    assert set(sections_of(Variant.TEAM)) - set(sections_of(Variant.CLIENT)) == {
        SectionId.PARTICIPANTS,
        SectionId.FINDINGS,
    }


def all_text(value: object) -> list[str]:
    """Every string held anywhere in a content block (tables, fields, paragraphs)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple | list):
        return [text for item in value for text in all_text(item)]
    if isinstance(value, Paragraph | Subheading | Fields | Table):
        return [text for f in fields(value) for text in all_text(getattr(value, f.name))]
    return []


def test_the_client_s_content_holds_nothing_left_out(sample: Incident) -> None:
    """Not just hidden by the renderers: never put in, so a later view cannot show it."""
    content = report_content(sample, variant=Variant.CLIENT, today=TODAY)
    words = " ".join(text for s in content.sections for text in all_text(list(s.blocks)))
    left = [t for texts in LEFT_OUT.values() for t in texts if t in words]
    assert left == []
    drawn = content.drawing
    assert [c.evidence_note for c in drawn.graph.causes() if c.evidence_note] == []
    assert [c.stop_reason for c in drawn.graph.causes() if c.stop_reason] == []


def test_the_client_s_diagrams_leave_out_causes_that_are_only_hypotheses() -> None:
    graph = CauseGraph(problem="Checkout failed")
    idea = graph.add_cause(HEAD, text="Cache was cold", category="Technology")
    graph.add_cause(idea, text="Warm-up job skipped", category="Technology")
    open_idea = graph.add_cause(HEAD, text="Operator typo", category="Training")
    under = graph.add_cause(open_idea, text="Form accepts any text", category="Technology")
    graph.update_cause(under, evidence=Evidence.VERIFIED)
    root = graph.add_cause(HEAD, text="No load test", category="SOPs", root_cause=True)
    graph.add_cause(HEAD, text="Disk full", category="Technology", evidence=Evidence.RULED_OUT)
    drawn = client_drawing(Incident(title="Checkout", graph=graph))
    assert [c.text for c in drawn.graph.causes()] == [
        # "Cache was cold" and its sub-cause: hypotheses all the way down, left out
        "Operator typo",  # a hypothesis, kept: a verified cause hangs below it
        "Form accepts any text",
        "No load test",  # a root cause, kept whatever its evidence
        "Disk full",  # ruled out: evidence of what was checked, kept
    ]
    assert drawn.graph.cause(root).evidence is Evidence.HYPOTHESIS


def test_the_sample_s_client_diagrams_lose_the_one_unexamined_idea(sample: Incident) -> None:
    incident = sample
    drawn = client_drawing(incident)
    assert len(incident.graph) == 22
    assert set(incident.graph.cause_ids()) - set(drawn.graph.cause_ids()) == {"sop-4"}
    assert drawn.graph.links() == [("qc-2", "tech-4")]
    content = report_content(incident, variant=Variant.CLIENT, today=TODAY)
    [*_, note] = content.sections[3].blocks
    assert note == Paragraph(
        "Causes that are still only a hypothesis, with nothing established below them, "
        "are not shown.",
        note=True,
    )


def test_the_next_check_in_is_the_earliest_one_planned_or_due() -> None:
    planned = [
        CheckIn("a", date(2026, 11, 2)),  # missed by the 23rd
        CheckIn("b", date(2026, 11, 9), held=date(2026, 11, 9)),
        CheckIn("c", date(2026, 11, 20)),  # due (three days ago)
        CheckIn("d", date(2026, 11, 30)),
    ]
    assert next_check_in(planned, TODAY) == planned[2]
    assert next_check_in(planned, date(2026, 11, 28)) == planned[3]
    assert next_check_in(planned, date(2026, 12, 7)) is None  # all held or missed


def test_coverage_counts_root_causes_with_a_committed_action(sample: Incident) -> None:
    content = report_content(sample, variant=Variant.CLIENT, today=TODAY)
    said, table = content.section(SectionId.COVERAGE).blocks
    assert isinstance(said, Paragraph) and isinstance(table, Table)
    assert said.text.startswith("5 of 6 root causes are covered by a committed")
    assert [row[1:] for row in table.rows if row[1] == "no"] == [("no", "no committed action")]


def test_an_empty_incident_makes_a_report_that_says_what_is_missing() -> None:
    content = report_content(Incident(title="Nothing yet"), variant=Variant.TEAM, today=TODAY)
    notes = [
        block.text
        for section in content.sections
        for block in section.blocks
        if isinstance(block, Paragraph) and block.note
    ]
    assert notes == [
        "No events recorded.",
        "No root cause has been marked yet.",
        "No preventive action has been proposed yet.",
        "No root cause has been marked yet.",
        "No check-ins planned yet.",
        "None recorded yet.",
        "No participants recorded.",
        "No open findings.",
    ]
