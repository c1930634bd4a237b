"""Rules that span an incident's graph and its actions; findings for `check`."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from rca_desk.model import (
    HEAD,
    ActionStatus,
    CauseGraph,
    Evidence,
    FindingKind,
    Incident,
    PreventiveAction,
    RuleError,
    blames_a_person,
    findings,
)
from tests.conftest import TODAY

TODAY_AT = datetime(2026, 11, 23, 9, 0)


@pytest.fixture
def incident() -> Incident:
    graph = CauseGraph(problem="Reports late")
    a = graph.add_cause(HEAD, text="No SOP", category="SOPs", cause_id="a")
    graph.add_cause(a, text="Never written", cause_id="r1", root_cause=True, evidence="verified")
    graph.add_cause(HEAD, text="Slow server", category="Technology", cause_id="b")
    inc = Incident(title="Late reports", graph=graph)
    inc.add_action(
        PreventiveAction.propose(at=TODAY_AT, title="Write the SOP", root_causes=["r1"], uid="act1")
    )
    return inc


def test_action_only_addresses_root_causes_of_its_incident(incident: Incident) -> None:
    with pytest.raises(RuleError, match="not marked as a root cause"):
        incident.add_action(PreventiveAction(title="x", root_causes=["b"]))
    with pytest.raises(RuleError, match="unknown cause 'zz'"):
        incident.add_action(PreventiveAction(title="x", root_causes=["zz"]))
    with pytest.raises(RuleError, match="already part"):
        incident.add_action(PreventiveAction(title="x", root_causes=["r1"], uid="act1"))
    assert [a.uid for a in incident.actions] == ["act1"]


def test_root_cause_with_actions_cannot_be_unmarked_or_removed(incident: Incident) -> None:
    with pytest.raises(RuleError, match="unlink them before unmarking"):
        incident.update_cause("r1", root_cause=False)
    with pytest.raises(RuleError, match="addressed by action 'Write the SOP'"):
        incident.remove_cause("a")  # r1 is in a's subtree
    assert "r1" in incident.graph and incident.graph.cause("r1").root_cause
    incident.remove_action("act1")
    incident.update_cause("r1", root_cause=False)
    incident.remove_cause("a")
    assert list(incident.graph.cause_ids()) == ["b"]


def test_relinking_an_action(incident: Incident) -> None:
    incident.update_cause("b", root_cause=True)
    old = incident.action("act1")
    assert incident.replace_action(old.with_changes(root_causes=["r1", "b"])) is old
    assert old.root_causes == ["r1"]
    assert incident.actions_for("b")[0].uid == "act1"
    assert incident.action("act1").root_causes == ["r1", "b"]
    with pytest.raises(RuleError, match="at least one root cause"):
        incident.replace_action(old.with_changes(root_causes=[]))
    with pytest.raises(RuleError, match="not marked as a root cause"):
        incident.replace_action(old.with_changes(root_causes=["a"]))
    assert incident.action("act1").root_causes == ["r1", "b"]  # refused: unchanged
    stranger = PreventiveAction(title="x", root_causes=["r1"], uid="nope")
    with pytest.raises(RuleError, match="no action"):
        incident.replace_action(stranger)


def test_a_root_cause_is_covered_once_an_action_for_it_is_committed(incident: Incident) -> None:
    assert not incident.is_covered("r1")  # act1 is only proposed
    incident.update_cause("b", root_cause=True)
    assert not incident.is_covered("b")  # no action at all
    committed = incident.action("act1").with_changes(
        owner="Ann", due=date(2026, 12, 1), verify_on=date(2027, 1, 1), metric="m", target="0"
    )
    committed.change_status(ActionStatus.COMMITTED, at=datetime(2026, 11, 1, 9, 0))
    incident.replace_action(committed)
    assert incident.is_covered("r1")
    assert not incident.is_covered("b")


def test_incident_fields_are_checked() -> None:
    with pytest.raises(RuleError, match="incident title"):
        Incident(title="  ")
    with pytest.raises(RuleError, match="depth"):
        Incident(title="x", whys_depth=0)


@pytest.mark.parametrize(
    "text",
    [
        "Alex forgot to run the backup",
        "Human error during deployment",
        "Operator error",
        "Careless data entry",
        "Staff did not follow the procedure",
        "The engineer ignored the alert",
    ],
)
def test_blame_is_recognised(text: str) -> None:
    assert blames_a_person(text)


@pytest.mark.parametrize(
    "text",
    [
        "No SOP for data migrations",
        "Alert threshold was set too high",
        "Restore runbook only covers full restores",
        "Training on restores never scheduled",
    ],
)
def test_system_causes_are_not_blame(text: str) -> None:
    assert not blames_a_person(text)


def kinds(incident: Incident, today: date = TODAY) -> list[FindingKind]:
    return [f.kind for f in findings(incident, today=today)]


def test_findings_follow_the_state(incident: Incident) -> None:
    # r1 has only a proposed action and is marked at why 2 of 5; b is a one-level chain.
    incident.graph.update_cause("a", evidence=Evidence.VERIFIED)  # r1 rests on a fact
    assert kinds(incident) == [
        FindingKind.UNCOVERED_ROOT_CAUSE,
        FindingKind.SHALLOW_CHAIN,
        FindingKind.SHALLOW_CHAIN,
    ]
    action = incident.action("act1")
    action.owner, action.metric, action.target = "Ann", "m", "t"
    action.due, action.verify_on = TODAY - timedelta(days=1), TODAY + timedelta(days=30)
    action.change_status(ActionStatus.COMMITTED, at=TODAY_AT)
    incident.graph.add_cause("b", text="Nobody forgot anything", cause_id="b1")
    incident.whys_depth = 2  # b -> b1 is now deep enough
    assert kinds(incident) == [FindingKind.BLAME, FindingKind.OVERDUE_ACTION]
    assert kinds(incident, TODAY - timedelta(days=1)) == [FindingKind.BLAME]  # due today: fine
    incident.graph.update_cause("r1", evidence=Evidence.HYPOTHESIS)
    assert FindingKind.UNPROVEN_ROOT_CAUSE in kinds(incident)


def test_chain_shorter_than_the_depth_is_open_unless_resolved() -> None:
    graph = CauseGraph(problem="p")
    graph.add_cause(HEAD, text="a", cause_id="a")
    graph.add_cause("a", text="b", cause_id="b")
    graph.add_cause("b", text="c", cause_id="c")
    incident = Incident(title="t", graph=graph, whys_depth=3)
    assert FindingKind.SHALLOW_CHAIN not in kinds(incident)  # c is why 3 of 3
    incident.whys_depth = 4
    shallow = [f for f in findings(incident, today=TODAY) if f.kind is FindingKind.SHALLOW_CHAIN]
    assert [f.subject for f in shallow] == ["c"]
    assert "why 3 of 4" in shallow[0].message
    graph.update_cause("c", root_cause=True)  # a root cause found early is still open
    shallow = [f for f in findings(incident, today=TODAY) if f.kind is FindingKind.SHALLOW_CHAIN]
    assert [f.subject for f in shallow] == ["c"]
    assert shallow[0].message.startswith("root cause 'c' is marked at why 3 of 4")
    graph.update_cause("c", stop_reason="The next why is the bank's own process")
    assert FindingKind.SHALLOW_CHAIN not in kinds(incident)  # the team said why it stops
    graph.update_cause("c", stop_reason="", root_cause=False, evidence=Evidence.RULED_OUT)
    assert FindingKind.SHALLOW_CHAIN not in kinds(incident)  # a dead end
    graph.update_cause("c", evidence=Evidence.SUPPORTED)
    assert FindingKind.SHALLOW_CHAIN in kinds(incident)


def test_chain_ending_in_blame_says_so() -> None:
    graph = CauseGraph(problem="p")
    graph.add_cause(HEAD, text="Operator error", cause_id="a")
    incident = Incident(title="t", graph=graph)
    blame = [f for f in findings(incident, today=TODAY) if f.kind is FindingKind.BLAME]
    assert "chain ends there" in blame[0].message
    graph.add_cause("a", text="Screen shows two identical buttons", cause_id="b")
    blame = [f for f in findings(incident, today=TODAY) if f.kind is FindingKind.BLAME]
    assert "chain ends there" not in blame[0].message


def test_no_root_cause_is_a_finding() -> None:
    graph = CauseGraph(problem="p")
    graph.add_cause(HEAD, text="x", cause_id="x")
    graph.add_cause("x", text="y")
    assert kinds(Incident(title="t", graph=graph, whys_depth=2)) == [FindingKind.NO_ROOT_CAUSE]
    assert kinds(Incident(title="empty")) == []


def test_verification_overdue_is_a_finding(incident: Incident) -> None:
    action = incident.action("act1")
    action.owner, action.metric, action.target = "Ann", "m", "t"
    action.due, action.verify_on = TODAY - timedelta(days=40), TODAY - timedelta(days=10)
    for to in (ActionStatus.COMMITTED, ActionStatus.IN_PROGRESS, ActionStatus.IMPLEMENTED):
        action.change_status(to, at=TODAY_AT)
    assert FindingKind.VERIFICATION_OVERDUE in kinds(incident)
    assert FindingKind.OVERDUE_ACTION not in kinds(incident)


def test_sample_incident_shows_its_deliberate_findings(sample: Incident) -> None:
    found = kinds(sample)
    for kind in (
        FindingKind.UNCOVERED_ROOT_CAUSE,
        FindingKind.SHALLOW_CHAIN,
        FindingKind.BLAME,
        FindingKind.OVERDUE_ACTION,
    ):
        assert kind in found


def test_sample_incident_is_what_the_issue_asks(sample: Incident) -> None:
    graph = sample.graph
    used = {graph.cause(c).category for c in graph.children(HEAD)}
    assert used == set(graph.categories) == {
        "SOPs", "Training", "Technology", "QC checkpoints", "Communication",
    }  # fmt: skip
    assert max(graph.depth(c) for c in graph.root_causes()) >= 5
    strengths = {a.strength for a in sample.actions}
    assert len(strengths) == 3
    statuses = {a.status for a in sample.actions}
    assert len(statuses) >= 4
    assert any(a.is_overdue(TODAY) for a in sample.actions)
    assert any(
        a.due and TODAY <= a.due <= TODAY + timedelta(days=14) and a.is_open for a in sample.actions
    )
    assert all(sample.impact.__dict__.values())
    assert graph.links()  # an "also contributes to" connector


def test_update_fields_all_or_nothing() -> None:
    incident = Incident(title="Late payroll")
    before = incident.update_fields(title="  Payroll late  ", whys_depth=7)
    assert before == {"title": "Late payroll", "whys_depth": 5}
    assert incident.title == "Payroll late" and incident.whys_depth == 7
    with pytest.raises(RuleError, match="depth"):
        incident.update_fields(title="Changed", whys_depth=0)
    assert incident.title == "Payroll late" and incident.whys_depth == 7
    with pytest.raises(RuleError, match="no field"):
        incident.update_fields(graph=None)
    with pytest.raises(RuleError, match="title"):
        incident.update_fields(title="   ")
    assert incident.title == "Payroll late"


def test_severity_and_status_are_checked_and_typed() -> None:
    from rca_desk.model import IncidentStatus, Severity

    incident = Incident(title="t")
    incident.update_fields(severity="critical", status="analysing")
    assert incident.severity is Severity.CRITICAL
    assert incident.status is IncidentStatus.ANALYSING
    with pytest.raises(RuleError, match="severity"):
        incident.update_fields(severity="apocalyptic")
    assert incident.severity is Severity.CRITICAL
