"""What the calendar shows: each event's description line by line, and the fixed lines."""

from __future__ import annotations

from datetime import UTC, date, datetime

from rca_desk.interchange.ical import action_events, actions_to_ics, fold
from rca_desk.model import HEAD, ActionStatus, CauseGraph, Incident, PreventiveAction

TODAY = date(2026, 11, 23)


def incident(*actions: PreventiveAction) -> Incident:
    graph = CauseGraph(problem="P", categories=["SOPs"])
    graph.add_cause(HEAD, text="No runbook", cause_id="r", root_cause=True)
    made = Incident(title="Payroll late", graph=graph, id=7)
    for action in actions:
        made.add_action(action)
    return made


def late_implemented() -> PreventiveAction:
    action = PreventiveAction(
        title="Write it",
        root_causes=["r"],
        owner="Ann",
        due=date(2026, 10, 1),
        verify_on=date(2026, 11, 1),
        metric="misses",
        target="0",
        uid="a1",
    )
    for status in (ActionStatus.COMMITTED, ActionStatus.IN_PROGRESS, ActionStatus.IMPLEMENTED):
        action.change_status(status, at=datetime(2026, 9, 1))
    return action


def test_an_implemented_action_gives_only_its_verification_which_says_it_is_late() -> None:
    """Implemented: the due date's work is done (no "Due" event, issue 15); the check of
    whether it worked is what is late."""
    (verify,) = action_events(incident(late_implemented()), today=TODAY)
    assert verify.summary.startswith("Verify: ")
    common = [
        "Incident 7: Payroll late",
        "Owner: Ann",
        "Status: implemented",
        "Strength: intermediate",
        "Success measure: misses (target: 0)",
        "Due: 2026-10-01",
        "Verify effectiveness on: 2026-11-01",
    ]
    assert verify.description.splitlines() == [
        *common,
        "Verification OVERDUE as of 2026-11-23",
        "Root causes:",
        "- No runbook",
    ]


def test_a_proposed_action_without_owner_or_dates_says_what_is_missing() -> None:
    action = PreventiveAction(title="Think", root_causes=["r"], metric="misses", uid="a2")
    action.due = date(2026, 11, 20)
    (event,) = action_events(incident(action), today=TODAY)
    assert event.description.splitlines() == [
        "Incident 7: Payroll late",
        "Owner: nobody yet",
        "Status: proposed",
        "Strength: intermediate",
        "Success measure: misses (target: ?)",
        "Due: 2026-11-20",
        "OVERDUE as of 2026-11-23",
        "Root causes:",
        "- No runbook",
    ]


def test_a_target_alone_is_shown_with_a_question_mark_for_the_metric() -> None:
    action = PreventiveAction(title="Think", root_causes=["r"], target="0", uid="a3")
    action.due = date(2026, 12, 1)
    (event,) = action_events(incident(action), today=TODAY)
    assert "Success measure: ? (target: 0)" in event.description.splitlines()
    assert "OVERDUE" not in event.description


def test_settled_actions_are_skipped_but_the_next_ones_are_not() -> None:
    cancelled = PreventiveAction(title="Drop", root_causes=["r"], uid="a4")
    cancelled.change_status(ActionStatus.CANCELLED, at=datetime(2026, 1, 1), note="dup")
    no_dates = PreventiveAction(title="Undated", root_causes=["r"], uid="a5")
    dated = PreventiveAction(title="Dated", root_causes=["r"], uid="a6", due=date(2026, 12, 1))
    events = action_events(incident(cancelled, no_dates, dated), today=TODAY)
    assert [e.summary for e in events] == ["Due: Dated"]


def test_the_calendar_header_and_event_lines() -> None:
    dated = PreventiveAction(title="Dated", root_causes=["r"], uid="a6", due=date(2026, 12, 1))
    text = actions_to_ics(
        incident(dated), today=TODAY, now=datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    )
    lines = text.split("\r\n")
    assert lines[3:5] == ["CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    assert "DTSTAMP:20261123T093000Z" in lines
    assert "TRANSP:TRANSPARENT" in lines


def test_a_line_of_exactly_75_octets_is_not_folded() -> None:
    assert fold("x" * 75) == "x" * 75
    assert fold("x" * 76) == "x" * 75 + "\r\n x"
