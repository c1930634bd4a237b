"""What each finding says, word for word: the facilitator reads these on screen."""

from __future__ import annotations

from datetime import date, datetime

from rca_desk.model import (
    HEAD,
    ActionStatus,
    CauseGraph,
    Evidence,
    FindingKind,
    Incident,
    PreventiveAction,
    findings,
)

TODAY = date(2026, 11, 23)


def messages(incident: Incident, kind: FindingKind) -> list[tuple[str, str]]:
    return [(f.subject, f.message) for f in findings(incident, today=TODAY) if f.kind is kind]


ASK = "ask why again, or record why it stops here as a stop reason"


def test_a_chain_that_stops_says_where() -> None:
    graph = CauseGraph(problem="Report late", categories=["SOPs"])
    graph.add_cause(HEAD, text="No runbook", cause_id="a")
    graph.add_cause(HEAD, text="Job slow", cause_id="b")
    graph.add_cause("b", text="Disk full", cause_id="b1")
    incident = Incident(title="T", graph=graph, uid="i1")
    assert messages(incident, FindingKind.SHALLOW_CHAIN) == [
        ("a", f"chain stops after one why at 'No runbook'; {ASK}"),
        ("b1", f"chain stops at why 2 of 5 at 'Disk full'; {ASK}"),
    ]


def test_blame_says_whether_the_chain_ends_there() -> None:
    graph = CauseGraph(problem="Report late", categories=["SOPs"])
    graph.add_cause(HEAD, text="Bob forgot the export", cause_id="a", root_cause=True)
    graph.add_cause(HEAD, text="Human error in the config", cause_id="b")
    graph.add_cause("b", text="No review step", cause_id="b1", root_cause=True)
    incident = Incident(title="T", graph=graph, uid="i1")
    assert messages(incident, FindingKind.BLAME) == [
        (
            "a",
            "'Bob forgot the export' blames a person and the chain ends there; "
            "ask what let the slip happen",
        ),
        ("b", "'Human error in the config' blames a person; ask what let the slip happen"),
    ]


def test_a_root_cause_without_a_committed_action_and_still_a_hypothesis() -> None:
    graph = CauseGraph(problem="Report late", categories=["SOPs"])
    graph.add_cause(HEAD, text="No runbook", cause_id="a", root_cause=True)
    incident = Incident(title="T", graph=graph, uid="i1")
    assert messages(incident, FindingKind.UNCOVERED_ROOT_CAUSE) == [
        ("a", "root cause 'No runbook' has no committed preventive action")
    ]
    assert messages(incident, FindingKind.UNPROVEN_ROOT_CAUSE) == [
        ("a", "root cause 'No runbook' is still a hypothesis; gather evidence")
    ]
    graph.update_cause("a", evidence=Evidence.VERIFIED)
    assert messages(incident, FindingKind.UNPROVEN_ROOT_CAUSE) == []


def test_long_cause_text_is_cut_to_60_characters_and_one_line() -> None:
    graph = CauseGraph(problem="Report late", categories=["SOPs"])
    graph.add_cause(HEAD, text="x" * 60, cause_id="a")
    graph.add_cause(HEAD, text="y" * 61, cause_id="b")
    graph.add_cause(HEAD, text="first line\nsecond line", cause_id="c")
    incident = Incident(title="T", graph=graph, uid="i1")
    assert messages(incident, FindingKind.SHALLOW_CHAIN) == [
        ("a", f"chain stops after one why at '{'x' * 60}'; {ASK}"),
        ("b", f"chain stops after one why at '{'y' * 59}…'; {ASK}"),
        ("c", f"chain stops after one why at 'first line'; {ASK}"),
    ]


def overdue_incident(due: date, owner: str) -> Incident:
    graph = CauseGraph(problem="Report late", categories=["SOPs"])
    graph.add_cause(HEAD, text="No runbook", cause_id="a", root_cause=True)
    incident = Incident(title="T", graph=graph, uid="i1")
    incident.add_action(
        PreventiveAction(
            title="Write the runbook", root_causes=["a"], owner=owner, due=due, uid="x"
        )
    )
    return incident


def test_an_overdue_action_says_by_how_many_days_and_who_owns_it() -> None:
    assert messages(overdue_incident(date(2026, 11, 20), ""), FindingKind.OVERDUE_ACTION) == [
        (
            "x",
            "action 'Write the runbook' (no owner) was due 2026-11-20, 3 days ago, and is proposed",
        )
    ]
    assert messages(overdue_incident(date(2026, 11, 22), "Priya"), FindingKind.OVERDUE_ACTION) == [
        (
            "x",
            "action 'Write the runbook' (Priya) was due 2026-11-22, 1 day ago, and is proposed",
        )
    ]


def test_an_unchecked_verification_says_its_date() -> None:
    graph = CauseGraph(problem="Report late", categories=["SOPs"])
    graph.add_cause(HEAD, text="No runbook", cause_id="a", root_cause=True)
    incident = Incident(title="T", graph=graph, uid="i1")
    action = PreventiveAction(
        title="Write the runbook",
        root_causes=["a"],
        owner="Priya",
        due=date(2026, 10, 1),
        verify_on=date(2026, 11, 1),
        metric="m",
        target="t",
        uid="x",
    )
    at = datetime(2026, 9, 1)
    for status in (ActionStatus.COMMITTED, ActionStatus.IN_PROGRESS, ActionStatus.IMPLEMENTED):
        action.change_status(status, at=at)
    incident.add_action(action)
    assert messages(incident, FindingKind.VERIFICATION_OVERDUE) == [
        (
            "x",
            "action 'Write the runbook' was implemented but its effectiveness check "
            "(2026-11-01) has not been done",
        )
    ]
