"""The document owns every change: one method per kind, one transaction, one notice.

Each test reads what a view would read: the notice (what changed, who asked, where to
look), the model, and the file through a second connection.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from rca_desk.model import HEAD, ActionStatus, Evidence, PreventiveAction, RuleError
from rca_desk.store import WorkspaceError
from rca_desk.ui.document.action_commands import (
    ActionSteps,
    AddAction,
    ChangeStatus,
    DeleteAction,
    EditAction,
)
from rca_desk.ui.document.cause_commands import AddCause, EditCause, RemoveCause, SetProblem
from rca_desk.ui.document.changes import EVERYTHING, Changes
from rca_desk.ui.document.incident_document import IncidentDocument
from tests.ui.conftest import stored

AT = datetime(2026, 11, 20, 9, 30)


@pytest.fixture
def notices(document: IncidentDocument) -> list[Changes]:
    seen: list[Changes] = []
    document.changed.connect(seen.append)
    return seen


def first_cause(document: IncidentDocument) -> str:
    return document.graph.children(HEAD)[0]


def test_add_cause_sends_one_notice_naming_the_cause(
    document: IncidentDocument, notices: list[Changes]
) -> None:
    document.add_cause(HEAD, text="Runbook was out of date", cause_id="cNEW1", category="SOPs")
    assert len(notices) == 1
    notice = notices[0]
    assert notice.causes == {"cNEW1"}
    assert notice.incident == frozenset() and notice.actions == frozenset()
    assert notice.focus == "cNEW1" and notice.drawing and notice.graph
    assert stored(document).graph.cause("cNEW1").text == "Runbook was out of date"


def test_remove_cause_names_the_subtree_and_focuses_a_neighbour(
    document: IncidentDocument, notices: list[Changes]
) -> None:
    parent = first_cause(document)
    document.add_cause(parent, text="Child", cause_id="cKID", category=None, index=0)
    document.add_cause(parent, text="Sibling", cause_id="cSIB", category=None, index=1)
    document.add_cause("cKID", text="Grandchild", cause_id="cGRAND", category=None)
    notices.clear()
    removed = document.remove_cause("cKID")
    assert removed.ids == ["cKID", "cGRAND"]
    # The selection goes to the next sibling (one focus: no detour via the parent).
    assert notices == [Changes(causes=frozenset({"cKID", "cGRAND", parent}), focus="cSIB")]
    assert "cKID" not in stored(document).graph
    document.restore_causes(removed)
    assert notices[-1] == Changes(causes=frozenset({"cKID", "cGRAND"}), focus="cKID")
    assert stored(document).graph.parent("cGRAND") == "cKID"
    # The last sibling gives way to the one before it, an only child to its parent.
    document.add_cause(parent, text="Last", cause_id="cLAST", category=None)
    document.remove_cause("cLAST")
    assert notices[-1].focus == document.graph.children(parent)[-1]
    document.add_cause("cGRAND", text="Only", cause_id="cONLY", category=None)
    document.remove_cause("cONLY")
    assert notices[-1].focus == "cGRAND"


def test_incident_fields_name_the_fields_and_leave_the_drawing_alone(
    document: IncidentDocument, notices: list[Changes]
) -> None:
    old = document.update_incident(title="Quarter-end report lost a day", severity="high")
    assert old["title"] != "Quarter-end report lost a day"
    assert notices == [Changes(incident=frozenset({"title", "severity"}))]
    assert not notices[0].drawing  # the canvas need not lay out again
    assert stored(document).title == "Quarter-end report lost a day"
    document.set_problem("The client's report was a day late")
    assert notices[-1].incident == {"problem"} and notices[-1].drawing
    assert notices[-1].focus == HEAD


def test_a_refused_change_sends_nothing_and_changes_nothing(
    document: IncidentDocument, notices: list[Changes]
) -> None:
    before = stored(document)
    with pytest.raises(RuleError):
        document.update_cause(first_cause(document), text="   ")
    with pytest.raises(RuleError):
        document.update_incident(whys_depth=0)
    assert notices == []
    assert (
        stored(document).graph.cause(first_cause(document)).text
        == before.graph.cause(first_cause(document)).text
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.add_cause(HEAD, text="Never stored", cause_id="cNOPE"),
        lambda d: d.update_cause(first_cause(d), text="Never stored"),
        lambda d: d.update_incident(title="Never stored"),
        lambda d: d.set_problem("Never stored"),
        lambda d: d.set_categories([*d.graph.categories, "Never stored"]),
        lambda d: d.rename_category(d.graph.categories[0], "Never stored"),
    ],
    ids=["add", "edit", "incident", "problem", "categories", "rename"],
)
def test_a_failed_write_puts_the_model_back_and_sends_nothing(
    document: IncidentDocument,
    notices: list[Changes],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    change: object,
) -> None:
    from rca_desk.interchange.json_format import incident_to_dict

    before = incident_to_dict(document.incident)

    def refuse(*_args: object, **_kw: object) -> None:
        raise WorkspaceError(f"{tmp_path}: the change could not be saved (disk full).")

    for name in ("save_cause", "save_incident_fields", "save_subtree"):
        monkeypatch.setattr(document.workspace, name, refuse)
    with pytest.raises(WorkspaceError, match="disk full"):
        change(document)  # type: ignore[operator]
    assert incident_to_dict(document.incident) == before
    assert notices == []


def test_the_first_notice_names_who_asked_undo_and_redo_name_nobody(
    document: IncidentDocument, notices: list[Changes]
) -> None:
    inspector = object()
    cause = first_cause(document)
    assert document.execute(EditCause(document, cause, text="Reworded"), initiator=inspector)
    assert notices[-1].initiator is inspector and notices[-1].started_by(inspector)
    document.undo_stack.undo()
    assert notices[-1].initiator is None and not notices[-1].started_by(inspector)
    document.undo_stack.redo()
    assert notices[-1].initiator is None
    assert document.graph.cause(cause).text == "Reworded"
    assert len(notices) == 3


def test_each_command_sends_exactly_one_notice_per_step(
    document: IncidentDocument, notices: list[Changes]
) -> None:
    add = AddCause(document, HEAD, "Night shift had no runbook", category="SOPs")
    commands = [
        add,
        EditCause(document, first_cause(document), evidence=Evidence.SUPPORTED),
        SetProblem(document, "Reworded problem"),
    ]
    for command in commands:
        assert document.execute(command)
    assert document.execute(RemoveCause(document, add.cause_id))
    assert len(notices) == 4
    for _ in range(4):
        document.undo_stack.undo()
    assert len(notices) == 8
    assert notices[4].causes >= {add.cause_id}  # undo of the removal names the cause


def committable(document: IncidentDocument) -> str:
    """A root cause and a proposed action for it, ready to be committed."""
    root = document.graph.root_causes()[0]
    add = AddAction(
        document,
        title="Lock production deletes behind a second approval",
        root_causes=[root],
        at=AT,
    )
    assert document.execute(add)
    return add.uid


def test_a_batch_is_one_transaction_and_one_notice(
    document: IncidentDocument, notices: list[Changes]
) -> None:
    uid = committable(document)
    notices.clear()
    save_and_commit = ActionSteps(
        document,
        "Commit action",
        [
            EditAction(
                document,
                uid,
                owner="Dana",
                due=date(2026, 12, 15),
                verify_on=date(2027, 1, 15),
                metric="unapproved deletes",
                target="0",
            ),
            ChangeStatus(document, uid, ActionStatus.COMMITTED, at=AT),
        ],
    )
    assert document.execute(save_and_commit)
    assert notices == [Changes(actions=frozenset({uid}))]
    seen = stored(document).action(uid)
    assert (seen.owner, seen.status) == ("Dana", ActionStatus.COMMITTED)
    document.undo_stack.undo()
    assert len(notices) == 2
    seen = stored(document).action(uid)
    assert (seen.owner, seen.status) == ("", ActionStatus.PROPOSED)


def test_a_refused_step_takes_the_batch_back_whole(
    document: IncidentDocument, notices: list[Changes]
) -> None:
    uid = committable(document)
    notices.clear()
    before = stored(document).action(uid)
    steps = ActionSteps(
        document,
        "Commit action",
        [
            EditAction(document, uid, owner="Dana"),
            # No due date, verification date or measure: committing is refused.
            ChangeStatus(document, uid, ActionStatus.COMMITTED, at=AT),
        ],
    )
    assert not document.execute(steps)
    assert notices == [EVERYTHING]  # the model was read again from the file
    assert stored(document).action(uid) == before
    assert document.incident.action(uid).owner == ""


def test_a_refused_first_step_reads_nothing_again(
    document: IncidentDocument, notices: list[Changes]
) -> None:
    uid = committable(document)
    notices.clear()
    steps = ActionSteps(
        document, "Commit", [ChangeStatus(document, uid, ActionStatus.COMMITTED, at=AT)]
    )
    assert not document.execute(steps)
    assert notices == []  # nothing had changed, so nothing to tell


def sql(document: IncidentDocument, statement: str) -> None:
    """Another connection changes the file (a colleague, or a trigger that fails writes)."""
    conn = sqlite3.connect(document.workspace.path)
    try:
        conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


COMMIT_FIELDS = {
    "owner": "Dana",
    "due": date(2026, 12, 15),
    "verify_on": date(2027, 1, 15),
    "metric": "unapproved deletes",
    "target": "0",
}


def save_and_commit(document: IncidentDocument, uid: str, **fields: object) -> ActionSteps:
    return ActionSteps(
        document,
        "Commit action",
        [
            EditAction(document, uid, **(COMMIT_FIELDS | fields)),
            ChangeStatus(document, uid, ActionStatus.COMMITTED, at=AT),
        ],
    )


def test_a_database_error_inside_a_batch_leaves_model_and_file_alike(
    document: IncidentDocument,
) -> None:
    """SQLite refuses the second step's write: neither the model nor the file keeps the
    first step, and the next edit does not sneak the refused commit into the file."""
    uid = committable(document)
    sql(
        document,
        "CREATE TRIGGER full BEFORE UPDATE ON actions WHEN NEW.status = 'committed' "
        "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
    )
    assert not document.execute(save_and_commit(document, uid))
    shown = document.incident.action(uid)
    assert (shown.owner, shown.status) == ("", ActionStatus.PROPOSED)
    assert stored(document).action(uid).status is ActionStatus.PROPOSED
    sql(document, "DROP TRIGGER full")
    assert document.execute(EditAction(document, uid, notes="typo fixed"))
    saved = stored(document).action(uid)
    assert (saved.owner, saved.status, saved.notes) == ("", ActionStatus.PROPOSED, "typo fixed")


def test_a_colleague_deleting_a_root_cause_mid_batch_changes_nothing(
    document: IncidentDocument,
) -> None:
    uid = committable(document)
    add = AddCause(document, HEAD, "Second root cause", root_cause=True)
    assert document.execute(add)
    assert document.incident.id is not None
    sql(
        document,
        f"DELETE FROM causes WHERE incident_id = {document.incident.id} AND id = '{add.cause_id}'",
    )
    roots = [*document.incident.action(uid).root_causes, add.cause_id]
    assert not document.execute(save_and_commit(document, uid, root_causes=roots))
    assert document.incident.action(uid).owner == ""
    assert stored(document).action(uid).owner == ""


def test_a_failed_undo_of_a_batch_leaves_model_and_file_alike(
    document: IncidentDocument,
) -> None:
    uid = committable(document)
    assert document.execute(save_and_commit(document, uid))
    messages: list[str] = []
    document.refused.connect(messages.append)
    sql(
        document,
        "CREATE TRIGGER full BEFORE UPDATE ON actions WHEN NEW.owner = '' "
        "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
    )
    document.undo_stack.undo()
    assert "saved as shown" in messages[-1]
    shown, saved = document.incident.action(uid), stored(document).action(uid)
    assert (shown.owner, shown.status) == (saved.owner, saved.status)
    assert (saved.owner, saved.status) == ("Dana", ActionStatus.COMMITTED)


def test_renaming_to_an_untidy_name_rolls_back_to_the_old_name(
    document: IncidentDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = document.graph.categories[0]

    def refuse(*_args: object, **_kw: object) -> None:
        raise WorkspaceError("test.rcadesk: the change could not be saved (disk full).")

    monkeypatch.setattr(document.workspace, "save_incident_fields", refuse)
    with pytest.raises(WorkspaceError, match="disk full"):
        document.rename_category(old, "  Tools ")
    assert document.graph.categories[0] == old


def test_undoing_a_delete_puts_the_action_back_under_its_number(
    document: IncidentDocument,
) -> None:
    committable(document)
    committable(document)
    first = document.incident.actions[0]
    number = first.number
    order = [a.uid for a in document.incident.actions]
    assert document.execute(DeleteAction(document, first.uid))
    document.undo_stack.undo()
    saved = stored(document)
    assert [a.uid for a in saved.actions] == order
    assert saved.action(first.uid).number == number


def test_a_failed_commit_of_a_batch_reads_the_incident_again(
    document: IncidentDocument, notices: list[Changes], monkeypatch: pytest.MonkeyPatch
) -> None:
    uid = committable(document)
    notices.clear()
    workspace = document.workspace
    real = workspace.transaction

    from contextlib import contextmanager

    @contextmanager
    def failing_commit():  # type: ignore[no-untyped-def]
        with real():
            yield
            if workspace._depth == 1:  # the outermost: the batch's own transaction
                raise WorkspaceError("test.rcadesk: the change could not be saved (I/O error).")

    monkeypatch.setattr(workspace, "transaction", failing_commit)
    steps = ActionSteps(document, "Edit", [EditAction(document, uid, owner="Dana")])
    assert not document.execute(steps)
    monkeypatch.undo()
    assert document.incident.action(uid).owner == ""  # the model follows the file
    assert notices and notices[-1].everything


def test_replace_action_keeps_the_old_object_for_undo(
    document: IncidentDocument, notices: list[Changes]
) -> None:
    uid = committable(document)
    old = document.incident.action(uid)
    document.edit_action(uid, title="Second approval for production deletes")
    assert document.incident.action(uid) is not old
    assert old.title == "Lock production deletes behind a second approval"
    assert stored(document).action(uid).title == "Second approval for production deletes"
    assert isinstance(document.replace_action(old), PreventiveAction)
    assert stored(document).action(uid).title == old.title
    assert [n.actions for n in notices[-2:]] == [{uid}, {uid}]


def test_saving_the_form_and_committing_is_one_transaction_on_disk(
    document: IncidentDocument,
) -> None:
    """The action editor's "save fields, then change status" is one undo step and one
    transaction, so a crash between the two can never leave half of it in the file."""
    uid = committable(document)
    statements: list[str] = []
    document.workspace.conn.set_trace_callback(statements.append)
    try:
        assert document.execute(save_and_commit(document, uid))
    finally:
        document.workspace.conn.set_trace_callback(None)
    begins = [s for s in statements if s.startswith("BEGIN")]
    commits = [s for s in statements if s == "COMMIT"]
    assert (begins, commits) == (["BEGIN IMMEDIATE"], ["COMMIT"])
    saved = stored(document).action(uid)
    assert (saved.owner, saved.status) == ("Dana", ActionStatus.COMMITTED)


def test_removing_a_first_level_cause_focuses_one_on_the_same_bone(
    document: IncidentDocument, notices: list[Changes]
) -> None:
    """The neighbour of a cause on a category's bone is on that bone, not the next cause
    of another category that happens to follow it under the problem."""
    graph = document.graph
    lonely, other = "Suppliers", "Weather"
    document.set_categories([*graph.categories, lonely, other])
    document.add_cause(HEAD, text="Alone on its bone", cause_id="cA", category=lonely, index=0)
    document.add_cause(HEAD, text="On another bone", cause_id="cB", category=other, index=1)
    document.add_cause(HEAD, text="Also on it", cause_id="cC", category=other, index=2)
    document.remove_cause("cB")
    assert notices[-1].focus == "cC"  # the next on the same bone
    document.remove_cause("cA")
    assert notices[-1].focus == HEAD  # the last on its bone: the problem, not cC
