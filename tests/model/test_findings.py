"""The guidance list and `rca-desk check`: every finding with the subject it points at and
the sentence the facilitator reads."""

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
K = FindingKind


def listed(incident: Incident) -> list[tuple[str, str, str, str]]:
    return [
        (f.kind.value, f.incident_uid, f.subject, f.message)
        for f in findings(incident, today=TODAY)
    ]


def test_an_analysis_without_a_root_cause_says_so_once() -> None:
    graph = CauseGraph(problem="Reports late")
    graph.add_cause(HEAD, text="Server slow", cause_id="a", evidence=Evidence.RULED_OUT)
    incident = Incident(title="Late reports", graph=graph, uid="inc1")
    assert listed(incident) == [
        ("no-root-cause", "inc1", "inc1", "no cause is marked as a root cause yet"),
    ]


def test_an_empty_analysis_has_nothing_to_say_yet() -> None:
    assert listed(Incident(title="Just opened", uid="inc0")) == []


def test_an_unproven_uncovered_root_cause_is_named_by_its_first_line() -> None:
    graph = CauseGraph(problem="Reports late")
    graph.add_cause(HEAD, text="No release checklist\nsee the wiki", cause_id="r1", root_cause=True)
    incident = Incident(title="Late reports", graph=graph, uid="inc1", whys_depth=1)
    assert listed(incident) == [
        (
            "root-cause-without-action",
            "inc1",
            "r1",
            "root cause 'No release checklist' has no committed preventive action",
        ),
        (
            "root-cause-is-hypothesis",
            "inc1",
            "r1",
            "root cause 'No release checklist' is still a hypothesis; gather evidence",
        ),
    ]


def test_long_cause_text_is_cut_after_59_characters() -> None:
    sixty = "The release checklist does not cover database migrations now"
    assert len(sixty) == 60
    graph = CauseGraph(problem="Reports late")
    graph.add_cause(HEAD, text=sixty, cause_id="r1", root_cause=True, evidence="verified")
    graph.add_cause(HEAD, text=sixty + "!", cause_id="r2", root_cause=True, evidence="verified")
    incident = Incident(title="Late reports", graph=graph, uid="inc1", whys_depth=1)
    assert [f.message for f in findings(incident, today=TODAY)] == [
        "root cause 'The release checklist does not cover database migrations now' "
        "has no committed preventive action",
        "root cause 'The release checklist does not cover database migrations no…' "
        "has no committed preventive action",
    ]


def test_shallow_chains_say_where_they_stop() -> None:
    graph = CauseGraph(problem="Reports late")
    graph.add_cause(HEAD, text="Server slow", cause_id="a")
    graph.add_cause(HEAD, text="Job started late", cause_id="b")
    graph.add_cause("b", text="Cron moved to UTC", cause_id="b1")
    graph.add_cause(HEAD, text="Disk full", cause_id="c", evidence=Evidence.RULED_OUT)
    graph.add_cause(HEAD, text="No capacity plan", cause_id="r", root_cause=True,
                    evidence=Evidence.VERIFIED)  # fmt: skip
    graph.add_cause(HEAD, text="Vendor DNS outage", cause_id="v",
                    stop_reason="Their network is outside our control")  # fmt: skip
    graph.add_cause("v", text="Their resolver failed", cause_id="v1", root_cause=True,
                    evidence=Evidence.VERIFIED, stop_reason="Their own RCA")  # fmt: skip
    incident = Incident(title="Late reports", graph=graph, uid="inc1", whys_depth=3)
    shallow = [(f.subject, f.message) for f in findings(incident, today=TODAY)
               if f.kind is K.SHALLOW_CHAIN]  # fmt: skip
    ask = "ask why again, or record why it stops here as a stop reason"
    assert shallow == [
        ("a", f"chain stops after one why at 'Server slow'; {ask}"),
        ("b1", f"chain stops at why 2 of 3 at 'Cron moved to UTC'; {ask}"),
        ("r", f"root cause 'No capacity plan' is marked after one why; {ask}"),
    ]  # "v" has sub-causes: its stop reason ends nothing; "v1" has one of its own


def test_a_chain_as_deep_as_the_incident_asks_is_not_shallow() -> None:
    graph = CauseGraph(problem="Reports late")
    graph.add_cause(HEAD, text="Job started late", cause_id="b")
    graph.add_cause("b", text="Cron moved to UTC", cause_id="b1")
    incident = Incident(title="Late reports", graph=graph, uid="inc1", whys_depth=2)
    kinds = [f.kind for f in findings(incident, today=TODAY)]
    assert kinds == [K.NO_ROOT_CAUSE]


def test_blame_says_whether_the_chain_ends_there() -> None:
    graph = CauseGraph(problem="Reports late")
    graph.add_cause(HEAD, text="Alex forgot the backup", cause_id="a", evidence="ruled_out")
    graph.add_cause(HEAD, text="Human error in the deploy", cause_id="b")
    graph.add_cause("b", text="No dry run", cause_id="r", root_cause=True, evidence="verified")
    incident = Incident(title="Late reports", graph=graph, uid="inc1")
    blame = [(f.subject, f.message) for f in findings(incident, today=TODAY)
             if f.kind is K.BLAME]  # fmt: skip
    assert blame == [
        (
            "a",
            "'Alex forgot the backup' blames a person and the chain ends there; "
            "ask what let the slip happen",
        ),
        ("b", "'Human error in the deploy' blames a person; ask what let the slip happen"),
    ]


def _with_actions(*actions: PreventiveAction) -> Incident:
    graph = CauseGraph(problem="Reports late")
    graph.add_cause(HEAD, text="No dry run", cause_id="r", root_cause=True, evidence="verified",
                    stop_reason="The dry run is the last thing we control")  # fmt: skip
    return Incident(title="Late reports", graph=graph, uid="inc1", actions=list(actions))


def _action(uid: str, status: ActionStatus, due: date, **over: object) -> PreventiveAction:
    fields: dict[str, object] = {
        "title": "Add a dry run",
        "root_causes": ["r"],
        "owner": "Ann",
        "due": due,
        "metric": "failed deploys",
        "target": "0",
        "verify_on": date(2026, 12, 20),
        "uid": uid,
    }
    fields.update(over)
    action = PreventiveAction.propose(at=datetime(2026, 9, 1, 9, 0), **fields)
    # Walked along the lifecycle, so its history is one the app itself would write.
    for step in _PATH[1 : _PATH.index(status) + 1]:
        action.change_status(step, at=datetime(2026, 9, 2, 9, 0))
    return action


_PATH = [ActionStatus.PROPOSED, ActionStatus.COMMITTED, ActionStatus.IN_PROGRESS,
         ActionStatus.IMPLEMENTED]  # fmt: skip


def test_overdue_actions_say_by_how_many_days_and_who_owns_them() -> None:
    incident = _with_actions(
        _action("x1", ActionStatus.IN_PROGRESS, date(2026, 11, 22)),
        _action("x2", ActionStatus.PROPOSED, date(2026, 11, 20), owner="", title="Lock prod"),
    )
    overdue = [(f.incident_uid, f.subject, f.message) for f in findings(incident, today=TODAY)
               if f.kind is K.OVERDUE_ACTION]  # fmt: skip
    assert overdue == [
        (
            "inc1",
            "x1",
            "action 'Add a dry run' (Ann) was due 2026-11-22, 1 day ago, and is in progress",
        ),
        (
            "inc1",
            "x2",
            "action 'Lock prod' (no owner) was due 2026-11-20, 3 days ago, and is proposed",
        ),
    ]


def test_an_unchecked_implementation_names_the_missed_check_date() -> None:
    incident = _with_actions(
        _action("x1", ActionStatus.IMPLEMENTED, date(2026, 10, 1), verify_on=date(2026, 11, 1))
    )
    assert listed(incident) == [
        (
            "verification-overdue",
            "inc1",
            "x1",
            "action 'Add a dry run' was implemented but its effectiveness check "
            "(2026-11-01) has not been done",
        )
    ]
