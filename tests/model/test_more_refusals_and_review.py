"""More of the model's words and the review's orderings, checked literally."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from rca_desk.model import (
    HEAD,
    ActionStatus,
    CauseGraph,
    FindingKind,
    Incident,
    PreventiveAction,
    RuleError,
    findings,
    preset,
)
from rca_desk.model.review import RootCauseRecord, owners, pareto
from tests.model.test_review import Row, act


def refused(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(RuleError) as error:
        call(*args, **kwargs)  # type: ignore[operator]
    return str(error.value)


def committed() -> PreventiveAction:
    action = PreventiveAction(
        title="Fix",
        root_causes=["r"],
        owner="Ann",
        due=date(2026, 1, 1),
        verify_on=date(2026, 2, 1),
        metric="m",
        target="t",
    )
    action.change_status(ActionStatus.COMMITTED, at=datetime(2026, 1, 1))
    return action


def test_only_the_latest_status_change_can_be_undone() -> None:
    action = committed()
    first = action.change_status(ActionStatus.IN_PROGRESS, at=datetime(2026, 1, 2))
    action.change_status(ActionStatus.IMPLEMENTED, at=datetime(2026, 1, 3))
    assert refused(action.undo_status, first) == "Only the latest status change can be undone."
    action.undo_status(action.history[-1])
    assert action.status is ActionStatus.IN_PROGRESS


def test_a_committed_action_keeps_both_dates_in_order() -> None:
    action = committed()
    assert refused(action.with_changes, due=None, verify_on=date(2026, 2, 1)) == (
        "Action 'Fix' is committed: it keeps a due date and a verification date."
    )
    assert refused(action.with_changes, due=date(2026, 1, 1), verify_on=None) == (
        "Action 'Fix' is committed: it keeps a due date and a verification date."
    )
    assert refused(action.with_changes, due=date(2026, 3, 1), verify_on=date(2026, 2, 1)) == (
        "The verification date 2026-02-01 is before the due date 2026-03-01; "
        "effectiveness is checked after the action is done."
    )
    moved = action.with_changes(due=date(2026, 1, 5), verify_on=date(2026, 1, 5))
    assert (moved.due, moved.verify_on) == (date(2026, 1, 5), date(2026, 1, 5))


def test_no_root_cause_is_said_once_for_the_incident() -> None:
    graph = CauseGraph(problem="P", categories=["A"])
    graph.add_cause(HEAD, text="one", cause_id="a")
    incident = Incident(title="T", graph=graph, uid="inc-1")
    found = [
        f for f in findings(incident, today=date(2026, 1, 1)) if f.kind is FindingKind.NO_ROOT_CAUSE
    ]
    assert [(f.incident_uid, f.subject, f.message) for f in found] == [
        ("inc-1", "inc-1", "no cause is marked as a root cause yet")
    ]
    assert {f.incident_uid for f in findings(incident, today=date(2026, 1, 1))} == {"inc-1"}


def test_an_unknown_preset_lists_the_presets() -> None:
    assert refused(preset, "7Q") == (
        "Unknown category preset '7Q'; use one of: Service (default), 6M, 8P, 4S"
    )


def test_graph_edits_that_make_no_sense_are_refused_in_words() -> None:
    graph = CauseGraph(problem="P", categories=["A", "B"])
    graph.add_cause(HEAD, text="one", cause_id="a")
    graph.add_cause(HEAD, text="two", cause_id="b")
    graph.add_link("b", "a")
    assert refused(graph.move_cause, "a", "b") == (
        "cause 'one' already contributes to cause 'two'; "
        "remove that link before making it the primary parent."
    )
    assert (
        refused(graph.remove_link, "a", "b") == "cause 'two' has no secondary link to cause 'one'."
    )
    assert (
        refused(graph.remove_link, HEAD, "a") == "cause 'one' has no secondary link to the problem."
    )
    assert (
        refused(graph.set_problem, "  ") == "The problem statement needs text; it cannot be empty."
    )
    assert graph.set_categories(["A", "B", "C"]) == ["A", "B"]
    placed = graph.move_cause("a", HEAD, index=0)
    assert (placed.cause.id, placed.cause.text, placed.parent, placed.index) == (
        "a",
        "one",
        HEAD,
        0,
    )


def test_relinking_an_action_names_it() -> None:
    graph = CauseGraph(problem="P", categories=["A"])
    graph.add_cause(HEAD, text="one", cause_id="a", root_cause=True)
    incident = Incident(title="T", graph=graph)
    incident.add_action(PreventiveAction(title="Fix", root_causes=["a"], uid="x"))
    relinked = incident.action("x").with_changes(root_causes=["zz"])
    assert refused(incident.replace_action, relinked) == (
        "Action 'Fix' addresses unknown cause 'zz'."
    )


def test_owners_are_sorted_ignoring_case() -> None:
    rows = [Row(act(owner=name)) for name in ("bob", "Carla", "alice", "Bob ")]
    rows.append(Row(act(ActionStatus.PROPOSED, owner="")))
    assert owners(rows) == ["alice", "bob", "Carla"]


def record(category: str, day: date | None) -> RootCauseRecord:
    occurred = datetime(day.year, day.month, day.day) if day else None
    return RootCauseRecord(1, "T", occurred, "c", "text", category)


def test_the_pareto_window_skips_undated_and_outside_incidents_but_counts_the_rest() -> None:
    records = [
        record("SOPs", None),
        record("SOPs", date(2025, 1, 1)),
        record("Tools", date(2026, 1, 1)),
        record("Tools", date(2026, 2, 1)),
        record("SOPs", date(2026, 3, 1)),
    ]
    bars = pareto(records, since=date(2026, 1, 1), until=date(2026, 12, 31))
    assert [(b.category, b.count) for b in bars] == [("Tools", 2), ("SOPs", 1)]


def test_the_pareto_bar_takes_the_most_common_spelling() -> None:
    records = [record("qc  checkpoints", None)] + [record("QC checkpoints", None)] * 2
    # "tools" twice beats "Tools" once, though "Tools" sorts first.
    records += [record("tools", None)] * 2 + [record("Tools", None)]
    assert [(b.category, b.count) for b in pareto(records)] == [
        ("QC checkpoints", 3),
        ("tools", 3),
    ]


def test_status_changes_without_a_note_keep_an_empty_note() -> None:
    action = PreventiveAction.propose(at=datetime(2026, 1, 1), title="Fix", root_causes=["r"])
    action.change_status(ActionStatus.CANCELLED, at=datetime(2026, 1, 2), note="dup")
    assert [change.note for change in action.history] == ["", "dup"]
    fresh = PreventiveAction(
        title="Fix",
        root_causes=["r"],
        owner="Ann",
        metric="m",
        target="t",
        due=date(2026, 1, 1),
        verify_on=date(2026, 2, 1),
    )
    assert fresh.change_status(ActionStatus.COMMITTED, at=datetime(2026, 1, 1)).note == ""


def test_a_move_off_the_lifecycle_names_the_allowed_ones() -> None:
    action = PreventiveAction(title="Fix", root_causes=["r"])
    assert refused(action.change_status, ActionStatus.IMPLEMENTED, at=datetime(2026, 1, 1)) == (
        "Action 'Fix' cannot go from proposed to implemented; allowed: committed, cancelled."
    )
    action.change_status(ActionStatus.CANCELLED, at=datetime(2026, 1, 1), note="dup")
    assert refused(action.change_status, ActionStatus.COMMITTED, at=datetime(2026, 1, 2)) == (
        "Action 'Fix' cannot go from cancelled to committed; allowed: none (it is final)."
    )
