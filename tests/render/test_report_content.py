"""What goes into a report, per variant, before any format draws it (issue 15). No Qt."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from decimal import Decimal

from rca_desk.model import HEAD, CauseGraph, CheckIn, Evidence, Incident
from rca_desk.model.follow_ups import Channel
from rca_desk.model.recovery import (
    Apology,
    Confidence,
    Direction,
    MeasureValue,
    OfferStatus,
    Restitution,
    RestitutionKind,
    TrustMeasure,
)
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
    sections_in,
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


# ------------------------------------------------------------- client recovery
def recovering() -> Incident:
    """Two check-ins held; confidence fell; a credit accepted, a contact delivered."""
    return Incident(
        title="Reports late",
        apology=Apology(date(2026, 11, 4), "Sam", "Their CFO", Channel.CALL),
        check_ins=[
            CheckIn("k2", date(2026, 11, 16), held=date(2026, 11, 17)),
            CheckIn("k1", date(2026, 11, 9), held=date(2026, 11, 9)),
            CheckIn("k3", date(2026, 11, 30)),
        ],
        measures=[
            TrustMeasure("m1", "Reports on time", "%", 99),
            TrustMeasure("m2", "Late reports", "", 1, Direction.LOWER),
        ],
        measure_values=[
            MeasureValue("k1", "m1", 97.5),
            MeasureValue("k2", "m1", 99.5),
            MeasureValue("k2", "m2", 1),
        ],
        confidence=[Confidence("k1", 4, "Fine"), Confidence("k2", 3, "Watching")],
        restitution=[
            Restitution("r2", RestitutionKind.DEDICATED_CONTACT, date(2026, 11, 6),
                        OfferStatus.DELIVERED, note="Priya until March"),
            Restitution("r1", RestitutionKind.CREDIT, date(2026, 11, 5), OfferStatus.ACCEPTED,
                        Decimal("1250.50"), "EUR", "Next invoice"),
        ],
    )  # fmt: skip


def recovery_blocks(incident: Incident, variant: Variant) -> list[object]:
    content = report_content(incident, variant=variant, today=TODAY)
    return list(content.section(SectionId.RECOVERY).blocks)


def test_the_team_s_recovery_section_holds_the_whole_record() -> None:
    fields_, _, offers, _, measures, _, values = recovery_blocks(recovering(), Variant.TEAM)
    assert fields_ == Fields(
        (
            ("Apology", "made on 2026-11-04 by Sam to Their CFO (call)"),
            ("Trust restored", "not yet: every agreed measure on target at 2 check-ins held "
             "in a row"),
            ("Client confidence", "3 of 5 at the check-in of 2026-11-17 (worse)"),
            ("Client at risk", "confidence fell from 4 to 3 of 5\n"
             "1 restitution offer not delivered (offered 2026-11-05)"),
        )
    )  # fmt: skip
    assert offers == Table(
        ("Restitution", "Offered", "Status", "Amount", "Note"),
        (
            ("credit", "2026-11-05", "accepted", "1,250.50 EUR", "Next invoice"),
            ("dedicated contact", "2026-11-06", "delivered", "", "Priya until March"),
        ),
        (3, 2, 2, 2, 4),
    )
    assert measures.rows == (
        ("Reports on time", "at least 99 %", "99.5 %", "better"),
        ("Late reports", "at most 1", "1", "first value"),
    )
    assert values.rows == (
        ("2026-11-09", "Reports on time", "97.5 %", "no"),
        ("2026-11-09", "Client confidence", "4 of 5: Fine", ""),
        ("2026-11-17", "Reports on time", "99.5 %", "yes"),
        ("2026-11-17", "Late reports", "1", "yes"),
        ("2026-11-17", "Client confidence", "3 of 5: Watching", ""),
    )


def test_the_client_s_recovery_section_keeps_the_facts_and_leaves_out_the_team_s() -> None:
    fields_, _, offers, _, measures, _, values = recovery_blocks(recovering(), Variant.CLIENT)
    assert fields_ == Fields(
        (
            ("Apology", "made on 2026-11-04"),
            ("Trust restored", "not yet: every agreed measure on target at 2 check-ins held "
             "in a row"),
            ("Client confidence", "3 of 5 at the check-in of 2026-11-17 (worse)"),
        )
    )  # fmt: skip
    assert offers == Table(
        ("Restitution", "Offered", "Status", "Amount"),
        (
            ("credit", "2026-11-05", "accepted", "1,250.50 EUR"),
            ("dedicated contact", "2026-11-06", "delivered", ""),
        ),
        (3, 2, 2, 2),
    )
    assert measures.rows[0] == ("Reports on time", "at least 99 %", "99.5 %", "better")
    assert [row[2] for row in values.rows if row[1] == "Client confidence"] == [
        "4 of 5",
        "3 of 5",
    ]


def test_no_recovery_on_record_no_recovery_section() -> None:
    for variant in Variant:
        bare = report_content(Incident(title="Nothing yet"), variant=variant, today=TODAY)
        assert SectionId.RECOVERY not in [section.id for section in bare.sections]
    incident = recovering()
    incident.update_fields(apology=Apology())
    for kind in ("restitution", "measure_values", "measures", "confidence"):
        getattr(incident, kind).clear()
    assert sections_in(incident, Variant.TEAM) == tuple(
        s for s in sections_of(Variant.TEAM) if s is not SectionId.RECOVERY
    )
