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
    StatusChange,
    findings,
)
from rca_desk.model.lifecycle import MIGRATED_NOTE

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


# ------------------------------------------------------- data from before the 1.1 rules
def _verified(history: list[StatusChange], measured: str = "") -> Incident:
    graph = CauseGraph(problem="Report late", categories=["SOPs"])
    graph.add_cause(HEAD, text="No runbook", cause_id="a", root_cause=True,
                    evidence="verified", stop_reason="Last thing we own")  # fmt: skip
    incident = Incident(title="T", graph=graph, uid="i1")
    incident.add_action(
        PreventiveAction(
            title="Write the runbook",
            root_causes=["a"],
            owner="Ann",
            due=date(2026, 9, 1),
            verify_on=date(2026, 10, 1),
            metric="late reports",
            target="0",
            measured_result=measured,
            status=ActionStatus.VERIFIED_EFFECTIVE,
            history=history,
            uid="x",
        )
    )
    return incident


def _walked(last_note: str) -> list[StatusChange]:
    at = datetime(2026, 10, 2, 9, 0)
    steps = [None, *_MAIN_PATH]
    return [
        StatusChange(at=at, from_status=a, to_status=b, note=last_note if b is _LAST else "")
        for a, b in zip(steps, [*_MAIN_PATH, _LAST], strict=False)
    ]


_MAIN_PATH = [ActionStatus.PROPOSED, ActionStatus.COMMITTED, ActionStatus.IN_PROGRESS,
              ActionStatus.IMPLEMENTED]  # fmt: skip
_LAST = ActionStatus.VERIFIED_EFFECTIVE


def test_verified_without_a_measured_result_says_what_to_record() -> None:
    assert messages(_verified(_walked("fine")), FindingKind.UNMEASURED) == [
        (
            "x",
            "action 'Write the runbook' is verified effective but has no measured result; "
            "record the value of 'late reports' when it was checked",
        )
    ]
    assert (
        messages(_verified(_walked("fine"), measured="0 in 60 days"), FindingKind.UNMEASURED) == []
    )


def test_a_reason_added_on_upgrade_is_named_and_a_real_one_is_not() -> None:
    assert messages(_verified(_walked(MIGRATED_NOTE), "0"), FindingKind.UNRECORDED_REASON) == [
        (
            "x",
            "action 'Write the runbook' was marked verified effective on 2026-10-02 without "
            "the evidence that it worked; add it to the action's notes",
        )
    ]
    assert (
        messages(_verified(_walked("zero late reports"), "0"), FindingKind.UNRECORDED_REASON) == []
    )
    # The upgrade's note on a step that needs no reason is no finding.
    history = _walked("zero late reports")
    history[1] = StatusChange(history[1].at, history[1].from_status, history[1].to_status,
                              MIGRATED_NOTE)  # fmt: skip
    assert messages(_verified(history, "0"), FindingKind.UNRECORDED_REASON) == []


def test_a_history_against_the_lifecycle_names_the_first_problem_and_how_many_more() -> None:
    at = datetime(2026, 10, 2, 9, 0)
    history = [StatusChange(at, None, ActionStatus.VERIFIED_EFFECTIVE, MIGRATED_NOTE)]
    [(subject, message)] = messages(_verified(history, "0"), FindingKind.HISTORY)
    assert subject == "x"
    assert message.startswith("action 'Write the runbook': history[0].to: ")
    assert message.endswith("; its history is kept as it was stored")
    assert messages(_verified(_walked("ok"), "0"), FindingKind.HISTORY) == []


def _implemented(history: list[StatusChange]) -> Incident:
    graph = CauseGraph(problem="Report late", categories=["SOPs"])
    graph.add_cause(HEAD, text="No runbook", cause_id="a", root_cause=True,
                    evidence="verified", stop_reason="Last thing we own")  # fmt: skip
    incident = Incident(title="T", graph=graph, uid="i1")
    incident.add_action(
        PreventiveAction(
            title="Write the runbook",
            root_causes=["a"],
            owner="Ann",
            due=date(2026, 12, 1),
            verify_on=date(2026, 12, 2),
            metric="late reports",
            target="0",
            status=ActionStatus.IMPLEMENTED,
            history=history,
            uid="y",
        )
    )
    return incident


def test_a_history_with_one_problem_says_no_more_and_with_more_counts_the_rest() -> None:
    s = ActionStatus
    first, before = datetime(2026, 10, 2, 9, 0), datetime(2026, 10, 1, 9, 0)
    back_in_time = [
        StatusChange(first, None, s.COMMITTED, ""),
        StatusChange(before, s.COMMITTED, s.IN_PROGRESS, ""),
        StatusChange(datetime(2026, 10, 3, 9, 0), s.IN_PROGRESS, s.IMPLEMENTED, ""),
    ]
    assert messages(_implemented(back_in_time), FindingKind.HISTORY) == [
        (
            "y",
            "action 'Write the runbook': history[1].at: 2026-10-01T09:00:00 is earlier than "
            "the entry before it (2026-10-02T09:00:00); times must never go back; its history "
            "is kept as it was stored",
        )
    ]
    skipped = "history[1].to: must be one of: in_progress, cancelled (allowed after committed)"
    two = [
        StatusChange(first, None, s.COMMITTED, ""),
        StatusChange(before, s.COMMITTED, s.IMPLEMENTED, ""),
    ]
    assert messages(_implemented(two), FindingKind.HISTORY) == [
        (
            "y",
            f"action 'Write the runbook': {skipped}, not implemented (and 1 more); its history "
            "is kept as it was stored",
        )
    ]
    three = [*two, StatusChange(before, s.IN_PROGRESS, s.IMPLEMENTED, "")]
    assert messages(_implemented(three), FindingKind.HISTORY) == [
        (
            "y",
            f"action 'Write the runbook': {skipped}, not implemented (and 2 more); its history "
            "is kept as it was stored",
        )
    ]
