"""The action editor and the incident's actions panel, driven like a person would."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from rca_desk.model import NOTE_REQUIRED, ActionStatus, Strength
from rca_desk.model.review import coverage
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.incident.action_editor import ActionEditor, to_qdate
from rca_desk.ui.incident.actions_panel import ActionsPanel
from tests.conftest import TODAY
from tests.ui.conftest import stored

S = ActionStatus

# Dialogs shown on the offscreen platform: Qt notes what that platform cannot do.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def panel(qtbot, document: IncidentDocument) -> ActionsPanel:
    widget = ActionsPanel(document, today=lambda: TODAY)
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def fill(editor: ActionEditor, **values: object) -> None:
    if "title" in values:
        editor.title.setText(str(values["title"]))
    if "owner" in values:
        editor.owner.setText(str(values["owner"]))
    if "due" in values:
        due = values["due"]
        assert isinstance(due, date)
        editor.due.check.setChecked(True)
        editor.due.edit.setDate(due)
    if "metric" in values:
        editor.metric_edit.setText(str(values["metric"]))
    if "target" in values:
        editor.target_edit.setText(str(values["target"]))
    if "verify_days" in values:
        editor.verify_choice.setCurrentIndex(editor.verify_choice.findData(values["verify_days"]))
    if "strength" in values:
        strength = values["strength"]
        assert isinstance(strength, Strength)
        editor.strength.setCurrentIndex(list(Strength).index(strength))


def click(editor: ActionEditor, which: QDialogButtonBox.StandardButton) -> None:
    editor.buttons.button(which).click()


# ------------------------------------------------------------------- panel
def test_coverage_line_and_uncovered_root_causes(panel: ActionsPanel) -> None:
    result = coverage(panel.document.incident)
    assert panel.coverage_label.text() == "5 of 6 root causes have a committed action"
    assert list(panel.start_buttons) == list(result.uncovered)
    assert panel.model.rowCount() == len(panel.document.incident.actions)


def test_start_action_creates_it_for_that_root_cause(qtbot, panel: ActionsPanel) -> None:
    document = panel.document
    uncovered = coverage(document.incident).uncovered[0]
    qtbot.mouseClick(panel.start_buttons[uncovered], Qt.MouseButton.LeftButton)
    editor = panel.editors[-1]
    assert editor.isVisible()
    assert editor.checked_root_causes() == [uncovered]
    assert editor.action is None and editor.status_box.isEnabled() is False
    due = TODAY + timedelta(days=10)
    fill(
        editor,
        title="Name a communications lead per key account",
        owner="Sam Whitfield",
        due=due,
        metric="Key-account incidents with a named lead",
        target="100%",
        verify_days=60,
        strength=Strength.INTERMEDIATE,
    )
    assert editor.verify_on() == due + timedelta(days=60)
    editor.save()
    assert editor.error_text() == ""
    assert editor.uid is not None
    seen = stored(document).action(editor.uid)
    assert (seen.title, seen.owner, seen.due, seen.verify_on, seen.status) == (
        "Name a communications lead per key account",
        "Sam Whitfield",
        due,
        due + timedelta(days=60),
        S.PROPOSED,
    )
    # proposing is not covering; committing is
    assert uncovered in panel.start_buttons
    assert editor.change_status(S.COMMITTED)
    assert stored(document).action(editor.uid).status == S.COMMITTED
    assert panel.coverage_label.text() == "6 of 6 root causes have a committed action"
    assert panel.start_buttons == {}
    # undo walks it back: the root cause is uncovered again
    document.undo_stack.undo()
    assert panel.coverage_label.text() == "5 of 6 root causes have a committed action"
    assert uncovered in panel.start_buttons


def test_double_click_edits_and_delete_is_undoable(qtbot, panel: ActionsPanel) -> None:
    document = panel.document
    first = document.incident.actions[0]
    rect = panel.table.visualRect(panel.proxy.index(0, 0))
    # an item view acts on a double click only over the item the press went to
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = panel.editors[-1]
    assert editor.uid == first.uid and editor.title.text() == first.title
    assert panel.edit_action(first.uid) is editor  # one editor per action
    editor.close()
    panel.select(first.uid)
    count = len(document.incident.actions)
    assert panel.delete_selected()
    assert len(stored(document).actions) == count - 1
    assert panel.model.rowCount() == count - 1
    document.undo_stack.undo()
    assert stored(document).actions[0].uid == first.uid


# ------------------------------------------------------------------- editor
def test_only_allowed_next_statuses_are_offered(qtbot, document: IncidentDocument) -> None:
    for action in document.incident.actions:
        editor = ActionEditor(document, uid=action.uid, today=lambda: TODAY)
        qtbot.addWidget(editor)
        offered = [editor.next_status.itemData(i) for i in range(editor.next_status.count())]
        assert offered == [s.value for s in action.allowed_next()]
        assert editor.change_button.isEnabled() is bool(action.allowed_next())
        assert editor.status_label.text().startswith(f"Current status: {action.status.label}")
        assert editor.history.topLevelItemCount() == len(action.history)


def test_a_note_is_asked_for_and_refusal_is_shown_inline(qtbot, document: IncidentDocument) -> None:
    action = next(a for a in document.incident.actions if a.status == S.IMPLEMENTED)
    editor = ActionEditor(document, uid=action.uid, today=lambda: TODAY)
    qtbot.addWidget(editor)
    editor.next_status.setCurrentIndex(editor.next_status.findData(S.VERIFIED_EFFECTIVE.value))
    assert editor.note_label.text() == "Note (required)"
    assert NOTE_REQUIRED[S.VERIFIED_EFFECTIVE] in editor.status_note.placeholderText().lower()
    depth = document.undo_stack.count()
    qtbot.mouseClick(editor.change_button, Qt.MouseButton.LeftButton)
    assert "needs a note: the evidence that it worked" in editor.error_text()
    assert editor.error.textFormat() == Qt.TextFormat.PlainText
    assert stored(document).action(action.uid).status == S.IMPLEMENTED
    assert document.undo_stack.count() == depth
    editor.status_note.setText("No data loss in two release cycles (release log)")
    editor.measured_edit.clear()
    qtbot.mouseClick(editor.change_button, Qt.MouseButton.LeftButton)
    assert "cannot be verified effective without its measured result" in editor.error_text()
    assert stored(document).action(action.uid).status == S.IMPLEMENTED
    # Checked a year before the day set for it: the form asks why, and refuses without.
    editor.measured_edit.setText("0 data-loss incidents in 2 releases")
    editor.verify_choice.setCurrentIndex(editor.verify_choice.findData(editor._CUSTOM))
    editor.verify_custom.setDate(to_qdate(date.today() + timedelta(days=365)))
    assert editor.early_note.isVisibleTo(editor)
    # Judging it not effective early needs no reason: the field goes away and comes back.
    editor.next_status.setCurrentIndex(editor.next_status.findData(S.NOT_EFFECTIVE.value))
    assert not editor.early_note.isVisibleTo(editor)
    editor.next_status.setCurrentIndex(editor.next_status.findData(S.VERIFIED_EFFECTIVE.value))
    assert editor.early_note.isVisibleTo(editor)
    assert editor.early_label.text().startswith("Why verify before ")
    qtbot.mouseClick(editor.change_button, Qt.MouseButton.LeftButton)
    assert "needs a note saying why it is early" in editor.error_text()
    assert stored(document).action(action.uid).status == S.IMPLEMENTED
    assert document.undo_stack.count() == depth
    editor.early_note.setText("the client's audit was moved forward")
    qtbot.mouseClick(editor.change_button, Qt.MouseButton.LeftButton)
    assert editor.error_text() == ""
    seen = stored(document).action(action.uid)
    assert seen.status == S.VERIFIED_EFFECTIVE
    assert seen.measured_result == "0 data-loss incidents in 2 releases"
    assert seen.history[-1].note == (
        "No data loss in two release cycles (release log)\n"
        "Early: the client's audit was moved forward"
    )
    assert document.undo_stack.count() == depth + 1  # the edits and the move: one step
    # the history list shows the new entry; a final status offers nothing more
    last = editor.history.topLevelItem(editor.history.topLevelItemCount() - 1)
    assert last.text(1) == "implemented → verified effective"
    assert last.text(2).startswith("No data loss in two release cycles (release log)")
    assert editor.next_status.count() == 0
    assert "final" in editor.status_label.text()


def test_unsaved_edits_go_with_the_status_change(qtbot, document: IncidentDocument) -> None:
    """Committing needs the owner and measure the person just typed: one undo step."""
    root = document.graph.root_causes()[0]
    editor = ActionEditor(document, root_causes=[root], today=lambda: TODAY)
    qtbot.addWidget(editor)
    fill(editor, title="Refresh staging weekly")
    click(editor, QDialogButtonBox.StandardButton.Apply)
    assert editor.uid is not None
    depth = document.undo_stack.count()
    assert not editor.change_status(S.COMMITTED)
    assert "cannot be committed without an owner, a due date" in editor.error_text()
    fill(editor, owner="Priya", due=TODAY + timedelta(days=7), metric="age", target="7 days")
    fill(editor, verify_days=30)
    assert editor.change_status(S.COMMITTED)
    assert document.undo_stack.count() == depth + 1
    seen = stored(document).action(editor.uid)
    assert (seen.owner, seen.status, seen.verify_on) == (
        "Priya",
        S.COMMITTED,
        TODAY + timedelta(days=37),
    )
    document.undo_stack.undo()
    seen = stored(document).action(editor.uid)
    assert (seen.owner, seen.status) == ("", S.PROPOSED)
    # the editor follows the undo (it had no unsaved edits)
    assert editor.owner.text() == "" and editor.status_label.text().endswith("proposed")


def test_model_refusal_on_save_keeps_the_dialog_open(qtbot, document: IncidentDocument) -> None:
    action = next(a for a in document.incident.actions if a.status == S.IN_PROGRESS)
    editor = ActionEditor(document, uid=action.uid, today=lambda: TODAY)
    qtbot.addWidget(editor)
    editor.show()
    editor.owner.setText("")
    click(editor, QDialogButtonBox.StandardButton.Save)
    assert editor.isVisible()
    assert "without an owner" in editor.error_text()
    assert stored(document).action(action.uid).owner == action.owner
    editor.owner.setText("New owner <b>bold</b>")
    click(editor, QDialogButtonBox.StandardButton.Save)
    assert not editor.isVisible()
    assert stored(document).action(action.uid).owner == "New owner <b>bold</b>"


def test_new_action_needs_a_root_cause_and_a_title(qtbot, document: IncidentDocument) -> None:
    editor = ActionEditor(document, today=lambda: TODAY)
    qtbot.addWidget(editor)
    count = len(document.incident.actions)
    assert not editor.save()
    assert "An action" in editor.error_text() or "root cause" in editor.error_text()
    editor.title.setText("Something")
    assert not editor.save()
    assert "must address at least one root cause" in editor.error_text()
    editor.set_root_causes(document.graph.root_causes()[:2])
    assert editor.save()
    assert len(stored(document).actions) == count + 1
    assert stored(document).action(editor.uid).root_causes == document.graph.root_causes()[:2]  # type: ignore[arg-type]


def test_verification_is_offered_30_60_90_days_after_due(qtbot, document: IncidentDocument) -> None:
    editor = ActionEditor(document, today=lambda: TODAY)
    qtbot.addWidget(editor)
    kinds = [editor.verify_choice.itemData(i) for i in range(editor.verify_choice.count())]
    assert kinds == ["none", "custom"]  # no due date yet: nothing to count from
    due = date(2027, 1, 31)
    fill(editor, due=due)
    texts = [editor.verify_choice.itemText(i) for i in range(editor.verify_choice.count())]
    assert texts == [
        "Not set",
        "30 days after due — 2027-03-02",
        "60 days after due — 2027-04-01",
        "90 days after due — 2027-05-01",
        "Custom date",
    ]
    fill(editor, verify_days=90)
    assert editor.verify_on() == date(2027, 5, 1)
    fill(editor, due=date(2027, 2, 28))  # the offset choice follows the due date
    assert editor.verify_on() == date(2027, 5, 29)
    editor.verify_choice.setCurrentIndex(editor.verify_choice.findData("custom"))
    assert editor.verify_custom.isEnabled()
    editor.verify_custom.setDate(date(2027, 6, 15))
    assert editor.verify_on() == date(2027, 6, 15)


def test_strength_examples_are_shown_as_help(qtbot, document: IncidentDocument) -> None:
    editor = ActionEditor(document, today=lambda: TODAY)
    qtbot.addWidget(editor)
    for strength in Strength:
        editor.strength.setCurrentIndex(list(Strength).index(strength))
        assert strength.examples in editor.strength_help.text()
        index = list(Strength).index(strength)
        assert editor.strength.itemData(index, Qt.ItemDataRole.ToolTipRole) == strength.examples


def test_editing_an_existing_action_loads_its_verification_choice(
    qtbot, document: IncidentDocument
) -> None:
    action = next(a for a in document.incident.actions if a.due and a.verify_on)
    editor = ActionEditor(document, uid=action.uid, today=lambda: TODAY)
    qtbot.addWidget(editor)
    assert editor.verify_on() == action.verify_on
    assert editor.pending_changes() == {}
    assert editor.save()  # nothing to save is not a refusal, and pushes nothing
    assert document.undo_stack.count() == 0


def test_unsaved_changes_are_not_dropped_without_asking(
    qtbot, panel: ActionsPanel, monkeypatch: pytest.MonkeyPatch
) -> None:
    action = panel.document.incident.actions[0]
    editor = panel.edit_action(action.uid)
    fill(editor, owner="Somebody else")
    answers: list[bool] = [False, True]
    asked: list[int] = []

    def answer() -> bool:
        asked.append(1)
        return answers.pop(0)

    monkeypatch.setattr(editor, "confirm_discard", answer)
    click(editor, QDialogButtonBox.StandardButton.Close)
    assert editor.isVisible() and len(asked) == 1  # "no": keep editing
    click(editor, QDialogButtonBox.StandardButton.Close)
    assert not editor.isVisible() and len(asked) == 2
    assert stored(panel.document).actions[0].owner == action.owner  # nothing saved


def test_the_editor_names_itself_on_its_saves_so_other_views_can_tell(
    qtbot, document: IncidentDocument
) -> None:
    """Its own save is announced as the editor's (it needs no reload from it); the undo
    of that save is nobody's, so the editor follows it like every other view."""
    root = document.graph.root_causes()[0]
    editor = ActionEditor(document, root_causes=[root], today=lambda: TODAY)
    qtbot.addWidget(editor)
    notices: list[object] = []
    document.changed.connect(notices.append)
    fill(editor, title="Refresh staging weekly")
    click(editor, QDialogButtonBox.StandardButton.Apply)
    assert [n.initiator for n in notices] == [editor]  # type: ignore[attr-defined]
    document.undo_stack.undo()
    assert notices[-1].initiator is None  # type: ignore[attr-defined]
