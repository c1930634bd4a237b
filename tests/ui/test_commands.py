"""Undoable commands change the model and the workspace together, and undo both."""

from __future__ import annotations

from pathlib import Path

import pytest

from rca_desk.model import HEAD, Evidence, Incident
from rca_desk.store import Workspace, WorkspaceError
from rca_desk.ui.document.cause_commands import (
    AddCause,
    EditCause,
    MoveCause,
    RemoveCause,
    RenameCategory,
    SetCategories,
    SetLink,
    SetProblem,
)
from rca_desk.ui.document.incident_document import IncidentDocument
from tests.ui.conftest import stored


def same(a: Incident, b: Incident) -> bool:
    from rca_desk.interchange.json_format import incident_to_dict

    return incident_to_dict(a) == incident_to_dict(b)


def undo_redo_round_trip(document: IncidentDocument) -> None:
    """Undo restores the file and the model exactly; redo brings the change back."""
    after = stored(document)
    document.undo_stack.undo()
    before = stored(document)
    assert same(before, document.incident)
    document.undo_stack.redo()
    assert same(stored(document), after)
    assert same(document.incident, after)


def test_add_cause_is_written_through_and_undoable(document: IncidentDocument) -> None:
    start = stored(document)
    command = AddCause(document, HEAD, "Night shift had no runbook", category="SOPs")
    assert document.execute(command)
    seen = stored(document)
    assert seen.graph.cause(command.cause_id).text == "Night shift had no runbook"
    assert seen.graph.parent(command.cause_id) == HEAD
    document.undo_stack.undo()
    assert command.cause_id not in document.graph
    assert same(stored(document), start)
    document.undo_stack.redo()
    assert stored(document).graph.cause(command.cause_id).category == "SOPs"


def test_add_at_index_keeps_sibling_order(document: IncidentDocument) -> None:
    graph = document.graph
    first = graph.children(HEAD)[0]
    command = AddCause(document, HEAD, "Inserted second", index=1)
    document.execute(command)
    assert stored(document).graph.children(HEAD)[:2] == (first, command.cause_id)
    undo_redo_round_trip(document)


def test_edit_each_field(document: IncidentDocument) -> None:
    cause = next(iter(document.graph.cause_ids()))
    changes = [
        {"text": "Reworded"},
        {"category": "Training"},
        {"evidence": Evidence.VERIFIED},
        {"evidence_note": "Seen in the deploy log"},
    ]
    for change in changes:
        assert document.execute(EditCause(document, cause, **change))
        field, value = next(iter(change.items()))
        assert getattr(stored(document).graph.cause(cause), field) == value
        undo_redo_round_trip(document)


def test_remove_subtree_and_undo_restores_everything(document: IncidentDocument) -> None:
    graph = document.graph
    addressed = {c for a in document.incident.actions for c in a.root_causes}
    target = next(c for c in graph.cause_ids() if not set(graph.subtree(c)) & addressed)
    child = AddCause(document, target, "A deeper why")
    document.execute(child)
    other = next(c for c in graph.children(HEAD) if c not in graph.chain(target))
    document.execute(SetLink(document, other, child.cause_id, present=True))
    before = stored(document)
    subtree = graph.subtree(target)
    assert len(subtree) > 1
    assert document.execute(RemoveCause(document, target))
    after = stored(document)
    assert not set(subtree) & set(after.graph.cause_ids())
    assert (other, child.cause_id) not in after.graph.links()
    document.undo_stack.undo()
    assert same(stored(document), before)
    assert same(document.incident, before)


def test_remove_refused_when_an_action_addresses_it(document: IncidentDocument, qtbot) -> None:
    action = document.incident.actions[0]
    root = action.root_causes[0]
    before = stored(document)
    with qtbot.waitSignal(document.refused) as blocker:
        assert not document.execute(RemoveCause(document, root))
    assert "action" in blocker.args[0]
    assert document.undo_stack.count() == 0
    assert same(stored(document), before)


def test_move_to_another_category_bone(document: IncidentDocument) -> None:
    cause = document.graph.children(HEAD)[0]
    old_category = document.graph.cause(cause).category
    new_category = next(c for c in document.graph.categories if c != old_category)
    assert document.execute(MoveCause(document, cause, HEAD, category=new_category))
    assert stored(document).graph.cause(cause).category == new_category
    undo_redo_round_trip(document)


def test_a_moved_branch_takes_its_sub_causes_along(document: IncidentDocument) -> None:
    graph = document.graph
    top = AddCause(document, HEAD, "Top", category="SOPs")
    document.execute(top)
    same = AddCause(document, top.cause_id, "Same category below")
    other = AddCause(document, top.cause_id, "Training below")
    document.execute(same)
    document.execute(other)
    document.execute(EditCause(document, other.cause_id, category="Training"))
    assert document.execute(MoveCause(document, top.cause_id, HEAD, category="Communication"))
    seen = stored(document).graph
    assert seen.cause(top.cause_id).category == "Communication"
    assert seen.cause(same.cause_id).category == "Communication"
    assert seen.cause(other.cause_id).category == "Training"  # had its own category
    document.undo_stack.undo()
    seen = stored(document).graph
    assert seen.cause(same.cause_id).category == "SOPs"
    assert graph.cause(same.cause_id).category == "SOPs"
    undo_redo_round_trip(document)


def test_move_under_another_cause_and_cycle_refused(document: IncidentDocument) -> None:
    graph = document.graph
    a, b = graph.children(HEAD)[:2]
    assert document.execute(MoveCause(document, b, a))
    assert stored(document).graph.parent(b) == a
    undo_redo_round_trip(document)
    # a now explains b; hanging a under b would make a cycle.
    before = stored(document)
    messages: list[str] = []
    document.refused.connect(messages.append)
    assert not document.execute(MoveCause(document, a, b))
    assert messages and "cycle" in messages[0]
    assert same(stored(document), before)


def test_links_problem_and_categories(document: IncidentDocument) -> None:
    graph = document.graph
    a, b = graph.children(HEAD)[:2]
    leaf = graph.subtree(b)[-1]
    assert document.execute(SetLink(document, a, leaf, present=True))
    assert (a, leaf) in stored(document).graph.links()
    undo_redo_round_trip(document)
    assert document.execute(SetProblem(document, "Client reports late"))
    assert stored(document).graph.problem == "Client reports late"
    undo_redo_round_trip(document)
    categories = [*graph.categories, "Suppliers"]
    assert document.execute(SetCategories(document, categories))
    assert stored(document).graph.categories == categories
    undo_redo_round_trip(document)
    used = graph.cause(a).category
    assert document.execute(RenameCategory(document, used, "Renamed"))
    seen = stored(document)
    assert seen.graph.cause(a).category == "Renamed" and used not in seen.graph.categories
    undo_redo_round_trip(document)


def test_failed_write_rolls_the_model_back(
    document: IncidentDocument, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def refuse(*_args: object, **_kw: object) -> None:
        raise WorkspaceError(f"{tmp_path}: the change could not be saved (disk full).")

    cause = next(iter(document.graph.cause_ids()))
    text = document.graph.cause(cause).text
    count = len(document.graph)
    monkeypatch.setattr(document.workspace, "save_cause", refuse)
    messages: list[str] = []
    document.refused.connect(messages.append)
    assert not document.execute(EditCause(document, cause, text="Never saved"))
    assert not document.execute(AddCause(document, HEAD, "Never added"))
    assert document.graph.cause(cause).text == text
    assert len(document.graph) == count
    assert len(messages) == 2 and "disk full" in messages[0]
    assert document.undo_stack.count() == 0


def test_failed_undo_reports_and_clears_history_without_crashing(
    qtbot, document: IncidentDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    cause = next(iter(document.graph.cause_ids()))
    assert document.execute(EditCause(document, cause, text="Reworded once"))
    assert document.execute(EditCause(document, cause, text="Reworded twice"))

    def refuse(*_args: object, **_kw: object) -> None:
        raise WorkspaceError("test.rcadesk: the change could not be saved (disk full).")

    monkeypatch.setattr(document.workspace, "save_cause", refuse)
    messages: list[str] = []
    document.refused.connect(messages.append)
    document.undo_stack.undo()
    assert messages and "disk full" in messages[0]
    assert document.graph.cause(cause).text == "Reworded twice"  # model still equals file
    assert same(stored(document), document.incident)
    qtbot.waitUntil(lambda: document.undo_stack.count() == 0)


def test_rename_category_with_spaces_undoes_cleanly(document: IncidentDocument) -> None:
    assert document.execute(RenameCategory(document, "SOPs", "  Runbooks  "))
    assert "Runbooks" in document.graph.categories
    document.undo_stack.undo()
    assert "SOPs" in document.graph.categories
    assert same(stored(document), document.incident)
    assert not document.execute(RenameCategory(document, "SOPs", "   "))


def test_two_sessions_editing_different_fields_keep_both(
    document: IncidentDocument,
) -> None:
    from rca_desk.ui.document.cause_commands import EditIncident

    with Workspace.open(document.workspace.path, create=False) as other_ws:
        assert document.incident.id is not None
        other = IncidentDocument(other_ws, other_ws.load(document.incident.id))
        assert document.execute(EditIncident(document, title="Title from A"))
        assert other.execute(EditIncident(other, whys_depth=6))  # B's model is stale
        assert document.execute(SetProblem(document, "Problem from A"))
        assert other.execute(SetCategories(other, [*other.graph.categories, "From B"]))
        seen = stored(document)
        assert seen.title == "Title from A" and seen.whys_depth == 6
        assert seen.graph.problem == "Problem from A" and "From B" in seen.graph.categories
