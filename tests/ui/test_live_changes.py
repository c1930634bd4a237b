"""Two windows on one workspace: stale edits refused, others' changes followed, undo safe.

Each window is an :class:`IncidentDocument` on its own connection, as two apps (or two
people) have. The tests drive them through commands, like the views do.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from rca_desk.store import Workspace
from rca_desk.ui.document.cause_commands import AddCause, EditCause, MoveCause
from rca_desk.ui.document.changes import Changes
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.document.watcher import WorkspaceWatcher
from rca_desk.ui.workspace.main_window import MainWindow
from tests.conftest import TODAY
from tests.ui.conftest import stored


@pytest.fixture
def second(qapp: object, sample_workspace: Workspace) -> Iterator[IncidentDocument]:
    """The same incident in another window, over its own connection."""
    with Workspace.open(sample_workspace.path, create=False) as other:
        incident_id = other.incidents()[0].id
        yield IncidentDocument(other, other.load(incident_id))


def refusals(document: IncidentDocument) -> list[str]:
    said: list[str] = []
    document.refused.connect(said.append)
    return said


def notices(document: IncidentDocument) -> list[Changes]:
    seen: list[Changes] = []
    document.changed.connect(seen.append)
    return seen


def test_a_stale_edit_is_refused_with_a_plain_message_and_the_incident_reloaded(
    document: IncidentDocument, second: IncidentDocument
) -> None:
    document.execute(EditCause(document, "qc-2", text="Counts only"))
    said, seen = refusals(second), notices(second)
    second.execute(EditCause(second, "qc-1", text="Unrelated, fine"))
    depth = second.undo_stack.count()

    assert not second.execute(EditCause(second, "qc-2", text="Stale wording"))

    assert said == [
        "This cause was changed in another window a moment ago. The incident has been reloaded."
    ]
    assert second.graph.cause("qc-2").text == "Counts only"  # reloaded in place
    assert seen[-1].everything
    assert second.undo_stack.count() == depth  # the stack is kept
    assert stored(second).graph.cause("qc-2").text == "Counts only"


def test_following_others_keeps_the_stack_and_undo_of_untouched_rows_still_works(
    document: IncidentDocument, second: IncidentDocument
) -> None:
    second.execute(EditCause(second, "qc-1", text="Mine"))
    document.execute(EditCause(document, "qc-2", text="Theirs"))

    assert second.changed_elsewhere(second.workspace.edited()[second.incident.id])  # type: ignore[index]
    assert second.follow_others() is not None
    assert second.graph.cause("qc-2").text == "Theirs"
    assert second.undo_stack.count() == 1

    second.undo_stack.undo()  # qc-1 was not touched by the other window
    assert stored(second).graph.cause("qc-1").text != "Mine"
    assert stored(second).graph.cause("qc-2").text == "Theirs"
    assert second.follow_others() is None  # nothing new: our own write is no news


def test_an_undo_over_rows_another_window_changed_is_refused_and_the_stack_cleared(
    qtbot: QtBot, document: IncidentDocument, second: IncidentDocument
) -> None:
    second.execute(EditCause(second, "qc-2", text="Mine"))
    document.follow_others()
    document.execute(EditCause(document, "qc-2", text="Theirs, later"))
    second.follow_others()  # the window noticed: its own check would now pass
    said = refusals(second)

    second.undo_stack.undo()

    assert said and "changed in another window" in said[0]
    assert "undo history cleared" in said[0]
    qtbot.waitUntil(lambda: second.undo_stack.count() == 0)
    assert stored(second).graph.cause("qc-2").text == "Theirs, later"
    assert second.graph.cause("qc-2").text == "Theirs, later"


def test_an_undo_before_the_window_noticed_is_refused_by_the_store(
    qtbot: QtBot, document: IncidentDocument, second: IncidentDocument
) -> None:
    second.execute(EditCause(second, "qc-2", text="Mine"))
    document.follow_others()
    document.execute(EditCause(document, "qc-2", text="Theirs, later"))
    said = refusals(second)

    second.undo_stack.undo()  # no follow_others(): the revision check catches it

    assert said and said[0].startswith("This cause was changed in another window")
    qtbot.waitUntil(lambda: second.undo_stack.count() == 0)
    assert second.graph.cause("qc-2").text == "Theirs, later"


def test_commands_made_after_the_reload_undo_normally(
    document: IncidentDocument, second: IncidentDocument
) -> None:
    document.execute(EditCause(document, "qc-2", text="Theirs"))
    second.follow_others()
    second.execute(EditCause(second, "qc-2", text="Mine, after seeing theirs"))
    second.undo_stack.undo()
    assert stored(second).graph.cause("qc-2").text == "Theirs"
    second.undo_stack.redo()
    assert stored(second).graph.cause("qc-2").text == "Mine, after seeing theirs"


def test_the_cycle_race_through_two_documents(
    document: IncidentDocument, second: IncidentDocument
) -> None:
    document.execute(MoveCause(document, "sop-4", "sop-5"))
    said = refusals(second)
    assert not second.execute(MoveCause(second, "sop-5", "sop-4"))
    assert "cycle" in said[0]
    assert second.graph.parent("sop-4") == "sop-5"  # reloaded: the window shows the truth
    assert stored(second).graph.parent("sop-5") == "sop-1"


def test_answering_a_cause_another_window_deleted_says_so(
    document: IncidentDocument, second: IncidentDocument
) -> None:
    from rca_desk.ui.document.cause_commands import RemoveCause

    document.execute(RemoveCause(document, "sop-5"))
    said = refusals(second)
    assert not second.execute(AddCause(second, "sop-5", "Why was it brought forward?"))
    assert said == [
        "The cause this one hangs under was removed in another window a moment ago. "
        "The incident has been reloaded."
    ]
    assert "sop-5" not in second.graph


def test_the_watcher_notices_another_connection_s_commit(
    qtbot: QtBot, document: IncidentDocument, second: IncidentDocument
) -> None:
    watcher = WorkspaceWatcher(second.workspace)
    heard: list[dict[int, int]] = []
    watcher.changed.connect(heard.append)
    assert not watcher.poll()
    second.execute(EditCause(second, "qc-1", text="Our own commit"))
    assert not watcher.poll()  # our own connection's commits are no news
    document.execute(EditCause(document, "qc-2", text="Theirs"))
    assert watcher.poll()
    assert heard == [document.workspace.edited()]
    assert not watcher.poll()


def test_an_open_window_follows_another_process_within_its_poll(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.files.add_sample()
    incident_id = window.workspace.incidents()[0].id
    view = window.open_incident(incident_id)
    canvas = view.view()
    canvas.set_current("qc-2")
    bar = canvas.horizontalScrollBar()
    bar.setValue(bar.maximum() // 2)
    scrolled = bar.value()

    with Workspace.open(window.workspace.path, create=False) as other:
        incident = other.load(incident_id)
        incident.update_cause("qc-2", text="Changed by a script")
        other.save_cause(incident, "qc-2")
        incident.update_fields(title="Retitled by a script")
        other.save_incident_fields(incident, ["title"])

    qtbot.waitUntil(lambda: view.document.graph.cause("qc-2").text == "Changed by a script")
    assert canvas.current == "qc-2"  # selection kept
    assert bar.value() == scrolled  # and the scroll position
    assert window.tabs.tabText(window.tabs.indexOf(view)) == "Retitled by a script"
    assert window.incident_list.selected_summary().title == "Retitled by a script"  # type: ignore[union-attr]


def test_an_incident_deleted_elsewhere_closes_its_tab_with_a_message(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.files.add_sample()
    incident_id = window.workspace.incidents()[0].id
    window.open_incident(incident_id)
    assert window.tabs.count() == 3
    with Workspace.open(window.workspace.path, create=False) as other:
        other.delete_incident(incident_id)
    qtbot.waitUntil(lambda: incident_id not in window.open_views)
    assert window.tabs.count() == 2  # the incident list and the review
    assert "was deleted in another window" in window.statusBar().currentMessage()


def test_an_open_action_editor_never_writes_back_a_field_it_did_not_change(
    qtbot: QtBot, document: IncidentDocument, second: IncidentDocument
) -> None:
    from rca_desk.ui.document.action_commands import EditAction
    from rca_desk.ui.incident.action_editor import ActionEditor

    uid = second.incident.actions[0].uid
    editor = ActionEditor(second, uid=uid, today=lambda: TODAY)
    qtbot.addWidget(editor)
    editor.title.setText("Retitled in the open editor")  # unsaved typing
    document.execute(EditAction(document, uid, owner="Dana (changed elsewhere)"))
    second.follow_others()  # the watcher read it in; the editor keeps the typing

    assert editor.save()
    saved = stored(second).action(uid)
    assert saved.title == "Retitled in the open editor"
    assert saved.owner == "Dana (changed elsewhere)"  # not the form's older owner


def test_an_open_action_editor_refuses_to_overwrite_a_field_changed_meanwhile(
    qtbot: QtBot, document: IncidentDocument, second: IncidentDocument
) -> None:
    from rca_desk.ui.document.action_commands import EditAction
    from rca_desk.ui.incident.action_editor import ActionEditor

    uid = second.incident.actions[0].uid
    editor = ActionEditor(second, uid=uid, today=lambda: TODAY)
    qtbot.addWidget(editor)
    editor.title.setText("My title")
    editor.owner.setText("Me")
    document.execute(EditAction(document, uid, title="Their title"))
    second.follow_others()

    assert not editor.save()
    assert editor.error_text().startswith("The title changed in another window")
    assert editor.title.text() == "Their title"  # the form shows theirs...
    assert editor.owner.text() == "Me"  # ...and keeps my other edit
    assert stored(second).action(uid).title == "Their title"
    assert editor.save()  # saved again, consciously
    assert stored(second).action(uid).owner == "Me"


def test_the_review_on_screen_follows_another_process(qtbot: QtBot, window: MainWindow) -> None:
    window.files.add_sample()
    window.show_review()
    incident_id = window.workspace.incidents()[0].id
    with Workspace.open(window.workspace.path, create=False) as other:
        incident = other.load(incident_id)
        uid = incident.actions[0].uid
        retitled = incident.action(uid).with_changes(title="Retitled by the other office")
        incident.replace_action(retitled)
        other.save_action(incident, retitled)

    def shown() -> set[str]:
        return {row.action.title for row in window.dashboard.proxy.visible_rows()}

    qtbot.waitUntil(lambda: "Retitled by the other office" in shown())
