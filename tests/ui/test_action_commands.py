"""Action commands: every lifecycle move through the undo stack, written through at once.

"Stored" always means what a second connection to the workspace file reads, so a test
fails if a change only reached the model.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from rca_desk.model import (
    NOTE_REQUIRED,
    TRANSITIONS,
    ActionStatus,
    Incident,
    PreventiveAction,
    Strength,
)
from rca_desk.store import WorkspaceError
from rca_desk.ui.document.action_commands import (
    ActionSteps,
    AddAction,
    ChangeStatus,
    DeleteAction,
    EditAction,
)
from rca_desk.ui.document.incident_document import IncidentDocument
from tests.conftest import TODAY
from tests.ui.conftest import stored

S = ActionStatus
AT = datetime(2026, 11, 23, 10, 30)

#: The moves that bring a fresh (proposed) action to each status.
PATHS: dict[ActionStatus, list[ActionStatus]] = {
    S.PROPOSED: [],
    S.COMMITTED: [S.COMMITTED],
    S.IN_PROGRESS: [S.COMMITTED, S.IN_PROGRESS],
    S.IMPLEMENTED: [S.COMMITTED, S.IN_PROGRESS, S.IMPLEMENTED],
    S.VERIFIED_EFFECTIVE: [S.COMMITTED, S.IN_PROGRESS, S.IMPLEMENTED, S.VERIFIED_EFFECTIVE],
    S.NOT_EFFECTIVE: [S.COMMITTED, S.IN_PROGRESS, S.IMPLEMENTED, S.NOT_EFFECTIVE],
    S.CANCELLED: [S.CANCELLED],
}


def stored_action(document: IncidentDocument, uid: str) -> PreventiveAction | None:
    found = [a for a in stored(document).actions if a.uid == uid]
    return found[0] if found else None


def actions_snapshot(incident: Incident) -> list[tuple[object, ...]]:
    """Everything about an incident's actions that a person could see, in order."""
    return [
        (
            a.uid,
            a.title,
            tuple(a.root_causes),
            a.owner,
            a.due,
            a.strength,
            a.metric,
            a.target,
            a.measured_result,
            a.verify_on,
            a.notes,
            a.status,
            tuple(a.history),
        )
        for a in incident.actions
    ]


def add_ready_action(document: IncidentDocument, **over: object) -> str:
    """A new proposed action with everything committing needs; returns its uid."""
    fields: dict[str, object] = {
        "title": "Weekly automated staging refresh",
        "root_causes": [document.graph.root_causes()[0]],
        "owner": "Priya Nair",
        "due": TODAY + timedelta(days=14),
        "strength": Strength.STRONG,
        "metric": "Days since last staging refresh",
        "target": "at most 7",
        "measured_result": "6 days at most since the start",
        "verify_on": TODAY + timedelta(days=44),
        "at": AT,
    }
    fields.update(over)
    command = AddAction(document, **fields)  # type: ignore[arg-type]
    assert document.execute(command)
    return command.uid


def note_for(status: ActionStatus) -> str:
    return f"note for {status.label}" if status in NOTE_REQUIRED else ""


def bring_to(document: IncidentDocument, uid: str, status: ActionStatus) -> None:
    for i, step in enumerate(PATHS[status]):
        command = ChangeStatus(
            document,
            uid,
            step,
            note=note_for(step),
            early="the client's audit was moved",
            at=AT + timedelta(hours=i + 1),
        )
        assert document.execute(command), step


# --------------------------------------------------------------------- lifecycle
ALL_PAIRS = [(a, b) for a in ActionStatus for b in ActionStatus]


@pytest.mark.parametrize(("start", "to"), ALL_PAIRS, ids=[f"{a}->{b}" for a, b in ALL_PAIRS])
def test_every_status_change_through_the_command(
    document: IncidentDocument, qtbot, start: ActionStatus, to: ActionStatus
) -> None:
    uid = add_ready_action(document)
    bring_to(document, uid, start)
    before_file = stored_action(document, uid)
    assert before_file is not None and before_file.status == start
    depth = document.undo_stack.count()
    later = AT + timedelta(days=3)

    if to not in TRANSITIONS[start]:
        with qtbot.waitSignal(document.refused) as refused:
            assert not document.execute(ChangeStatus(document, uid, to, note="x", at=later))
        assert f"cannot go from {start.label} to {to.label}" in refused.args[0]
        assert document.undo_stack.count() == depth
        assert document.incident.action(uid).status == start
        assert stored_action(document, uid) == before_file
        return

    with qtbot.waitSignal(document.changed, check_params_cb=lambda c: c.actions == {uid}):
        early = "the audit was moved"  # verify_on is weeks after ``later``
        assert document.execute(
            ChangeStatus(document, uid, to, note=note_for(to), early=early, at=later)
        )
    seen = stored_action(document, uid)
    assert seen is not None and seen.status == to
    last = seen.history[-1]
    assert (last.from_status, last.to_status, last.at, last.note) == (
        start,
        to,
        later,
        note_for(to) + (f"\nEarly: {early}" if to is S.VERIFIED_EFFECTIVE else ""),
    )
    assert len(seen.history) == len(before_file.history) + 1

    with qtbot.waitSignal(document.changed, check_params_cb=lambda c: c.actions == {uid}):
        document.undo_stack.undo()
    assert stored_action(document, uid) == before_file
    assert document.incident.action(uid).status == start
    document.undo_stack.redo()
    assert stored_action(document, uid) == seen
    assert document.incident.action(uid).history == seen.history


@pytest.mark.parametrize("to", sorted(NOTE_REQUIRED))
def test_a_status_that_needs_a_note_is_refused_without_one(
    document: IncidentDocument, to: ActionStatus
) -> None:
    uid = add_ready_action(document)
    start = next(s for s, nxt in TRANSITIONS.items() if to in nxt and s != S.NOT_EFFECTIVE)
    bring_to(document, uid, start)
    messages: list[str] = []
    document.refused.connect(messages.append)
    before = stored_action(document, uid)
    assert not document.execute(ChangeStatus(document, uid, to, note="   "))
    assert messages == [f"Marking an action {to.label} needs a note: {NOTE_REQUIRED[to]}."]
    assert stored_action(document, uid) == before


def test_committing_needs_owner_dates_and_measure(document: IncidentDocument) -> None:
    uid = add_ready_action(document, owner="", metric="", verify_on=None)
    messages: list[str] = []
    document.refused.connect(messages.append)
    assert not document.execute(ChangeStatus(document, uid, S.COMMITTED))
    assert (
        "without an owner, a success measure (metric and target), a verification date"
        in (messages[0])
    )
    assert stored_action(document, uid).status == S.PROPOSED  # type: ignore[union-attr]


def test_history_keeps_every_change_in_order(document: IncidentDocument) -> None:
    uid = add_ready_action(document)
    bring_to(document, uid, S.NOT_EFFECTIVE)
    assert document.execute(
        ChangeStatus(document, uid, S.IN_PROGRESS, note="second attempt", at=AT + timedelta(9))
    )
    history = stored_action(document, uid).history  # type: ignore[union-attr]
    moves = [(h.from_status, h.to_status) for h in history]
    assert moves == [
        (None, S.PROPOSED),
        (S.PROPOSED, S.COMMITTED),
        (S.COMMITTED, S.IN_PROGRESS),
        (S.IN_PROGRESS, S.IMPLEMENTED),
        (S.IMPLEMENTED, S.NOT_EFFECTIVE),
        (S.NOT_EFFECTIVE, S.IN_PROGRESS),
    ]
    assert [h.at for h in history] == sorted(h.at for h in history)
    assert history[-1].note == "second attempt"
    assert history[-2].note == note_for(S.NOT_EFFECTIVE)
    # Undo all the way: the creation entry is the last to go, with the action itself.
    while document.undo_stack.canUndo():
        document.undo_stack.undo()
    assert stored_action(document, uid) is None
    assert all(a.uid != uid for a in document.incident.actions)


# ------------------------------------------------------------ add, edit, delete
def test_add_is_written_through_and_undoable(document: IncidentDocument) -> None:
    before = actions_snapshot(stored(document))
    uid = add_ready_action(document, notes="from the workshop")
    seen = stored_action(document, uid)
    assert seen is not None
    assert seen.number is not None
    assert (seen.title, seen.owner, seen.strength, seen.notes) == (
        "Weekly automated staging refresh",
        "Priya Nair",
        Strength.STRONG,
        "from the workshop",
    )
    assert [(h.from_status, h.to_status, h.at) for h in seen.history] == [(None, S.PROPOSED, AT)]
    document.undo_stack.undo()
    assert actions_snapshot(stored(document)) == before
    assert actions_snapshot(document.incident) == before
    document.undo_stack.redo()
    again = stored_action(document, uid)
    assert again is not None and again.history == seen.history


def test_add_refused_for_a_cause_that_is_not_a_root_cause(document: IncidentDocument) -> None:
    not_root = next(c for c in document.graph.cause_ids() if c not in document.graph.root_causes())
    messages: list[str] = []
    document.refused.connect(messages.append)
    before = actions_snapshot(stored(document))
    command = AddAction(document, title="Retrain", root_causes=[not_root])
    assert not document.execute(command)
    assert "not marked as a root cause" in messages[0]
    assert not document.execute(AddAction(document, title="   ", root_causes=[not_root]))
    assert not document.execute(AddAction(document, title="Nothing", root_causes=[]))
    assert actions_snapshot(stored(document)) == before
    assert document.undo_stack.count() == 0


EDITS: list[dict[str, object]] = [
    {"title": "Daily automated staging refresh"},
    {"owner": "Lena Ortiz"},
    {"due": TODAY + timedelta(days=20), "verify_on": TODAY + timedelta(days=80)},
    {"strength": Strength.WEAK},
    {"metric": "Refresh age in days", "target": "at most 1"},
    {"notes": "Agreed with the platform lead"},
]


@pytest.mark.parametrize("changes", EDITS, ids=lambda c: "+".join(c))
def test_edit_each_field(document: IncidentDocument, changes: dict[str, object]) -> None:
    uid = add_ready_action(document)
    bring_to(document, uid, S.COMMITTED)
    before = stored_action(document, uid)
    assert document.execute(EditAction(document, uid, **changes))
    seen = stored_action(document, uid)
    for name, value in changes.items():
        assert getattr(seen, name) == value
    document.undo_stack.undo()
    assert stored_action(document, uid) == before
    assert actions_snapshot(document.incident) == actions_snapshot(stored(document))
    document.undo_stack.redo()
    assert stored_action(document, uid) == seen


def test_edit_root_causes(document: IncidentDocument) -> None:
    roots = document.graph.root_causes()
    uid = add_ready_action(document, root_causes=[roots[0]])
    assert document.execute(EditAction(document, uid, root_causes=[roots[1], roots[0]]))
    assert stored_action(document, uid).root_causes == [roots[1], roots[0]]  # type: ignore[union-attr]
    document.undo_stack.undo()
    assert stored_action(document, uid).root_causes == [roots[0]]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "changes",
    [
        {"owner": "  "},
        {"metric": ""},
        {"due": None},
        {"verify_on": TODAY},  # before the due date
        {"title": ""},
        {"root_causes": []},
        {"notes": "x" * 20_000},
    ],
    ids=["no-owner", "no-metric", "no-due", "verify-before-due", "blank-title", "no-roots", "long"],
)
def test_edits_the_model_refuses_change_nothing(
    document: IncidentDocument, changes: dict[str, object]
) -> None:
    uid = add_ready_action(document)
    bring_to(document, uid, S.IN_PROGRESS)
    before_model = actions_snapshot(document.incident)
    before_file = actions_snapshot(stored(document))
    depth = document.undo_stack.count()
    messages: list[str] = []
    document.refused.connect(messages.append)
    assert not document.execute(EditAction(document, uid, **changes))
    assert messages
    assert actions_snapshot(document.incident) == before_model
    assert actions_snapshot(stored(document)) == before_file
    assert document.undo_stack.count() == depth


def test_delete_and_undo_put_it_back_in_place_with_history(document: IncidentDocument) -> None:
    uid = add_ready_action(document)
    bring_to(document, uid, S.IN_PROGRESS)
    document.execute(EditAction(document, uid, root_causes=document.graph.root_causes()[:2]))
    before = actions_snapshot(stored(document))
    # delete the first action, then one in the middle; undo both
    first = document.incident.actions[0].uid
    assert document.execute(DeleteAction(document, first))
    assert document.execute(DeleteAction(document, uid))
    assert stored_action(document, uid) is None and stored_action(document, first) is None
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert actions_snapshot(stored(document)) == before
    assert actions_snapshot(document.incident) == before
    document.undo_stack.redo()
    assert stored_action(document, first) is None


def test_deleting_front_actions_and_undoing_keeps_the_order(document: IncidentDocument) -> None:
    """Undo of two deletes from the front must not leave the file in another order."""
    order = [a.uid for a in document.incident.actions]
    assert len(order) >= 3
    assert document.execute(DeleteAction(document, order[0]))
    assert document.execute(DeleteAction(document, order[1]))
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert [a.uid for a in stored(document).actions] == order


def test_steps_are_one_undo_step_and_all_or_nothing(document: IncidentDocument) -> None:
    uid = add_ready_action(document, owner="")
    depth = document.undo_stack.count()
    before = stored_action(document, uid)
    # the edit alone is fine, the commit after it is not (no metric): neither stays
    steps = ActionSteps(
        document,
        "Commit",
        [
            EditAction(document, uid, owner="Ann", metric=""),
            ChangeStatus(document, uid, S.COMMITTED),
        ],
    )
    assert not document.execute(steps)
    assert stored_action(document, uid) == before
    assert document.incident.action(uid).owner == ""
    # with the missing field in the same step it goes through, as one undo step
    steps = ActionSteps(
        document,
        "Commit",
        [EditAction(document, uid, owner="Ann"), ChangeStatus(document, uid, S.COMMITTED)],
    )
    assert document.execute(steps)
    assert document.undo_stack.count() == depth + 1
    seen = stored_action(document, uid)
    assert seen is not None and (seen.owner, seen.status) == ("Ann", S.COMMITTED)
    document.undo_stack.undo()
    assert stored_action(document, uid) == before


def test_a_failed_write_leaves_the_action_as_it_was(
    document: IncidentDocument, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    uid = add_ready_action(document)
    before = actions_snapshot(document.incident)

    def refuse(*_args: object, **_kw: object) -> None:
        raise WorkspaceError(f"{tmp_path}: the change could not be saved (disk full).")

    monkeypatch.setattr(document.workspace, "save_action", refuse)
    monkeypatch.setattr(document.workspace, "delete_action", refuse)
    messages: list[str] = []
    document.refused.connect(messages.append)
    assert not document.execute(ChangeStatus(document, uid, S.COMMITTED))
    assert not document.execute(EditAction(document, uid, owner="Someone else"))
    assert not document.execute(DeleteAction(document, uid))
    assert not document.execute(AddAction(document, title="New", root_causes=[]))
    assert len(messages) == 4 and all("disk full" in m or "root cause" in m for m in messages)
    assert actions_snapshot(document.incident) == before


def test_a_verified_action_keeps_its_dates(document: IncidentDocument) -> None:
    """Even verified effective, an action keeps its due and verification dates (the
    constructor's commitment rule), though the verification date may still move."""
    uid = add_ready_action(document)
    bring_to(document, uid, S.VERIFIED_EFFECTIVE)
    assert not document.execute(EditAction(document, uid, due=None, verify_on=None))
    later = date(2027, 1, 31)
    assert document.execute(EditAction(document, uid, verify_on=later))
    assert stored_action(document, uid).verify_on == later  # type: ignore[union-attr]
