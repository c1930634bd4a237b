"""The cause inspector, driven by typing and focus changes as a facilitator would.

Each edit must reach the model, the undo stack and the workspace file (read back through
a second connection); a refused edit must leave all three as they were and the inspector
showing the model again.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from rca_desk.model import HEAD, CauseGraph, Evidence, Incident, PreventiveAction
from rca_desk.model.analysis import FindingKind, findings
from rca_desk.store import Workspace
from rca_desk.ui.canvas.diagram_canvas import DiagramCanvas
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.incident.incident_tab import IncidentTab
from tests.conftest import TODAY
from tests.ui.conftest import stored

DELETED = "Sales history was deleted"
NO_DRY_RUN = "The update ran without a dry run"
UNNOTICED = "Nobody noticed for a day"
PROBLEM = "Quarter-end report a day late"


@pytest.fixture
def tab(qtbot, workspace: Workspace) -> Iterator[IncidentTab]:
    """One incident: two causes under the problem, one with a root cause that has a
    proposed (not yet committed) action, in a shown, active window."""
    graph = CauseGraph(problem=PROBLEM)
    deleted = graph.add_cause(HEAD, text=DELETED, category="Technology")
    graph.add_cause(deleted, text=NO_DRY_RUN, root_cause=True)
    graph.add_cause(HEAD, text=UNNOTICED, category="QC checkpoints")
    incident = Incident(title="Report late", graph=graph)
    root = graph.root_causes()[0]
    incident.add_action(
        PreventiveAction.propose(
            at=datetime(2026, 11, 20, 9, 0),
            title="Add a dry run",
            root_causes=[root],
            owner="Ann",
            due=date(2026, 12, 1),
        )
    )
    workspace.add_incident(incident)
    assert incident.id is not None
    document = IncidentDocument(workspace, workspace.load(incident.id))
    widget = IncidentTab(document, today=lambda: TODAY)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    with qtbot.waitActive(widget):
        widget.activateWindow()
    yield widget
    widget.fishbone.close_editor()
    widget.whys.close_editor()


def cause(tab: IncidentTab, text: str) -> str:
    graph = tab.document.graph
    return next(c for c in graph.cause_ids() if graph.cause(c).text == text)


def select(tab: IncidentTab, text: str) -> str:
    node = HEAD if text == PROBLEM else cause(tab, text)
    tab.fishbone.set_current(node)
    return node


def retype(qtbot, box: QPlainTextEdit, text: str) -> None:  # type: ignore[no-untyped-def]
    """Click into the box, select what is there and type over it."""
    box.setFocus(Qt.FocusReason.MouseFocusReason)
    assert box.hasFocus()
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, text)


def tab_away(qtbot, box: QPlainTextEdit) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(box, Qt.Key.Key_Tab)
    assert not box.hasFocus()


def stored_cause(tab: IncidentTab, node: str):  # type: ignore[no-untyped-def]
    return stored(tab.document).graph.cause(node)


# ------------------------------------------------------------ selection
def test_the_inspector_follows_the_selection(tab: IncidentTab) -> None:
    inspector = tab.inspector
    assert inspector.heading.text() == "Select a cause to see and edit its details."
    assert not inspector.text_edit.isEnabled()

    select(tab, DELETED)
    assert inspector.heading.text() == "Why #1"
    assert inspector.text_edit.toPlainText() == DELETED
    assert inspector.category.currentText() == "Technology"
    assert inspector.evidence.currentText() == "hypothesis"
    assert not inspector.root.isChecked()
    assert inspector.action_list.count() == 0
    assert inspector.warning.text() == ""

    select(tab, NO_DRY_RUN)
    assert inspector.heading.text() == "Why #2"
    assert inspector.text_edit.toPlainText() == NO_DRY_RUN
    assert inspector.category.currentText() == "Technology"  # inherited from its parent
    assert inspector.root.isChecked()
    assert [inspector.action_list.item(i).text() for i in range(inspector.action_list.count())] == [
        "Add a dry run — Ann, 2026-12-01, proposed"
    ]
    # The guidance list's findings about this cause, in the registry's sentences, each
    # with its own kind's badge.
    assert inspector.warning.kinds() == [
        FindingKind.UNCOVERED_ROOT_CAUSE,
        FindingKind.UNPROVEN_ROOT_CAUSE,
        FindingKind.RESTS_ON_HYPOTHESIS,
        FindingKind.SHALLOW_CHAIN,
    ]
    assert inspector.warning.text().splitlines()[0] == (
        f"root cause {NO_DRY_RUN!r} has no committed preventive action"
    )

    # the five-whys view selects the same way
    tab.views.setCurrentWidget(tab.whys)
    tab.whys.set_current(cause(tab, UNNOTICED))
    assert inspector.text_edit.toPlainText() == UNNOTICED
    assert inspector.category.currentText() == "QC checkpoints"

    select(tab, PROBLEM)
    assert inspector.heading.text() == "Problem statement"
    assert inspector.text_edit.toPlainText() == PROBLEM
    assert inspector.text_edit.isEnabled() and not inspector.note.isEnabled()
    assert not inspector.category.isEnabled() and not inspector.root.isEnabled()


def test_a_cause_that_blames_a_person_is_flagged(qtbot, tab: IncidentTab) -> None:
    node = select(tab, UNNOTICED)
    retype(qtbot, tab.inspector.text_edit, "Bob forgot to check the totals")
    tab_away(qtbot, tab.inspector.text_edit)
    assert tab.document.graph.cause(node).text == "Bob forgot to check the totals"
    assert FindingKind.BLAME in tab.inspector.warning.kinds()
    assert (
        "'Bob forgot to check the totals' blames a person and the chain ends there; ask what "
        "let the slip happen"
    ) in tab.inspector.warning.text().splitlines()


# --------------------------------------------------------------- typing
def test_typing_a_new_text_and_tabbing_away_renames_the_cause(qtbot, tab: IncidentTab) -> None:
    node = select(tab, DELETED)
    box = tab.inspector.text_edit
    retype(qtbot, box, "Sales history was overwritten")
    # nothing is committed while typing
    assert tab.document.graph.cause(node).text == DELETED
    assert tab.document.undo_stack.count() == 0
    tab_away(qtbot, box)
    assert tab.document.graph.cause(node).text == "Sales history was overwritten"
    assert stored_cause(tab, node).text == "Sales history was overwritten"
    drawn = tab.fishbone.labels[node].label.block.lines
    assert " ".join(drawn) == "Sales history was overwritten"  # the diagram shows it too
    stack = tab.document.undo_stack
    assert stack.count() == 1 and not stack.isClean()

    stack.undo()
    assert tab.document.graph.cause(node).text == DELETED
    assert stored_cause(tab, node).text == DELETED
    assert box.toPlainText() == DELETED
    assert stack.isClean()
    stack.redo()
    assert stored_cause(tab, node).text == "Sales history was overwritten"
    assert box.toPlainText() == "Sales history was overwritten"


def test_tabbing_through_without_typing_changes_nothing(qtbot, tab: IncidentTab) -> None:
    select(tab, DELETED)
    box = tab.inspector.text_edit
    box.setFocus(Qt.FocusReason.TabFocusReason)
    tab_away(qtbot, box)
    assert tab.document.undo_stack.count() == 0


def test_ctrl_enter_commits_without_leaving_the_box(qtbot, tab: IncidentTab) -> None:
    node = select(tab, DELETED)
    box = tab.inspector.text_edit
    retype(qtbot, box, "Sales history was truncated")
    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert box.hasFocus()
    assert stored_cause(tab, node).text == "Sales history was truncated"
    assert box.toPlainText() == "Sales history was truncated"  # no line break typed


def test_typing_an_evidence_note_is_an_undoable_edit(qtbot, tab: IncidentTab) -> None:
    node = select(tab, NO_DRY_RUN)
    note = tab.inspector.note
    note.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.keyClicks(note, "Seen in the deploy log")
    tab_away(qtbot, note)
    assert tab.document.graph.cause(node).evidence_note == "Seen in the deploy log"
    assert stored_cause(tab, node).evidence_note == "Seen in the deploy log"
    tab.document.undo_stack.undo()
    assert stored_cause(tab, node).evidence_note == ""
    assert note.toPlainText() == ""


def test_typing_a_stop_reason_is_an_undoable_edit_that_ends_the_chain(
    qtbot, tab: IncidentTab
) -> None:
    node = select(tab, UNNOTICED)  # a leaf at why 1 of 5: an open chain
    kinds = {f.kind for f in findings(tab.document.incident, today=TODAY) if f.subject == node}
    assert FindingKind.SHALLOW_CHAIN in kinds
    box = tab.inspector.stop
    assert box.isEnabled()
    box.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.keyClicks(box, "Monitoring is the client's own")
    tab_away(qtbot, box)
    assert tab.document.graph.cause(node).stop_reason == "Monitoring is the client's own"
    assert stored_cause(tab, node).stop_reason == "Monitoring is the client's own"
    assert tab.document.undo_stack.undoText() == "Edit stop reason"
    kinds = {f.kind for f in findings(tab.document.incident, today=TODAY) if f.subject == node}
    assert FindingKind.SHALLOW_CHAIN not in kinds
    tab.document.undo_stack.undo()
    assert stored_cause(tab, node).stop_reason == ""
    assert box.toPlainText() == ""
    # A cause with sub-causes does not end a chain: no stop reason is offered there.
    select(tab, DELETED)
    assert not box.isEnabled()


def test_choosing_the_evidence_with_the_keyboard(qtbot, tab: IncidentTab) -> None:
    node = select(tab, NO_DRY_RUN)
    evidence = tab.inspector.evidence
    evidence.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(evidence, Qt.Key.Key_Down)
    assert evidence.currentText() == "supported"
    assert tab.document.graph.cause(node).evidence is Evidence.SUPPORTED
    assert stored_cause(tab, node).evidence is Evidence.SUPPORTED
    tab.document.undo_stack.undo()
    assert evidence.currentText() == "hypothesis"
    assert stored_cause(tab, node).evidence is Evidence.HYPOTHESIS


def test_typing_the_problem_statement(qtbot, tab: IncidentTab) -> None:
    select(tab, PROBLEM)
    box = tab.inspector.text_edit
    retype(qtbot, box, "Quarter-end report delivered a day late")
    tab_away(qtbot, box)
    assert tab.document.graph.problem == "Quarter-end report delivered a day late"
    assert stored(tab.document).graph.problem == "Quarter-end report delivered a day late"
    tab.document.undo_stack.undo()
    assert stored(tab.document).graph.problem == PROBLEM
    assert box.toPlainText() == PROBLEM


def test_typing_is_kept_across_other_edits_of_the_cause(qtbot, tab: IncidentTab) -> None:
    node = select(tab, DELETED)
    note = tab.inspector.note
    note.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.keyClicks(note, "Half a thought")
    # meanwhile the cause is marked a root cause from the toolbar (which takes no focus)
    tab.root_action.trigger()
    assert tab.document.graph.cause(node).root_cause
    assert tab.inspector.root.isChecked()
    assert FindingKind.UNCOVERED_ROOT_CAUSE in tab.inspector.warning.kinds()
    assert note.toPlainText() == "Half a thought"
    assert note.hasFocus()
    # and its category is changed from the toolbar's category box
    tab.category_box.setCurrentText("SOPs")
    tab.category_box.activated.emit(tab.category_box.currentIndex())
    assert tab.inspector.category.currentText() == "SOPs"
    assert note.toPlainText() == "Half a thought"
    qtbot.keyClicks(note, ", finished")
    tab_away(qtbot, note)
    seen = stored_cause(tab, node)
    assert (seen.evidence_note, seen.root_cause, seen.category) == (
        "Half a thought, finished",
        True,
        "SOPs",
    )
    assert tab.document.undo_stack.count() == 3


def test_typing_survives_an_undo_of_another_cause_from_the_toolbar(qtbot, tab: IncidentTab) -> None:
    other = select(tab, UNNOTICED)
    retype(qtbot, tab.inspector.text_edit, "Nobody noticed for two days")
    tab_away(qtbot, tab.inspector.text_edit)
    node = select(tab, DELETED)
    note = tab.inspector.note
    note.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.keyClicks(note, "Half a thought")
    tab.undo_action.trigger()
    assert tab.document.graph.cause(other).text == UNNOTICED
    # The note is written to the cause it was typed for once the undo has finished.
    qtbot.waitUntil(lambda: stored_cause(tab, node).evidence_note == "Half a thought")
    assert tab.document.graph.cause(node).evidence_note == "Half a thought"


def test_clicking_another_cause_while_typing_keeps_the_text_for_the_first(
    qtbot, tab: IncidentTab
) -> None:
    canvas: DiagramCanvas = tab.fishbone
    node = select(tab, DELETED)
    retype(qtbot, tab.inspector.text_edit, "Sales history was dropped")
    other = cause(tab, UNNOTICED)
    canvas.fit()
    QApplication.processEvents()
    x, y = canvas.labels[other].label.rect.center
    at: QPoint = canvas.mapFromScene(x, y)
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert canvas.current == other
    assert stored_cause(tab, node).text == "Sales history was dropped"
    assert tab.inspector.text_edit.toPlainText() == UNNOTICED


# ------------------------------------------------------------- refusals
def test_an_empty_text_is_refused_and_the_cause_shown_again(qtbot, tab: IncidentTab) -> None:
    messages: list[str] = []
    tab.message.connect(messages.append)
    node = select(tab, DELETED)
    box = tab.inspector.text_edit
    box.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(box, Qt.Key.Key_Backspace)
    assert box.toPlainText() == ""
    tab_away(qtbot, box)
    assert box.toPlainText() == DELETED
    assert tab.document.graph.cause(node).text == DELETED
    assert stored_cause(tab, node).text == DELETED
    assert tab.document.undo_stack.count() == 0
    assert len(messages) == 1 and "empty" in messages[0].casefold()
    # the box follows the model again: an undoable edit elsewhere shows through
    retype(qtbot, box, "Sales history was erased")
    tab_away(qtbot, box)
    assert stored_cause(tab, node).text == "Sales history was erased"


def test_unmarking_a_root_cause_with_an_action_is_refused(qtbot, tab: IncidentTab) -> None:
    messages: list[str] = []
    tab.message.connect(messages.append)
    node = select(tab, NO_DRY_RUN)
    root = tab.inspector.root
    assert root.isChecked()
    qtbot.mouseClick(root, Qt.MouseButton.LeftButton)
    assert root.isChecked()  # put back
    assert tab.document.graph.cause(node).root_cause
    assert stored_cause(tab, node).root_cause
    assert tab.document.undo_stack.count() == 0
    assert messages and "unlink them before unmarking it as a root cause" in messages[0]


# -------------------------------------------------- leaving the incident
def test_finish_editing_keeps_what_is_being_typed_in_the_inspector(qtbot, tab: IncidentTab) -> None:
    """Closing a tab calls finish_editing while the text box still has the focus: the
    typing in progress, text and note, must reach the file."""
    node = select(tab, DELETED)
    retype(qtbot, tab.inspector.text_edit, "Sales history was purged")
    note = tab.inspector.note
    note.setFocus(Qt.FocusReason.MouseFocusReason)  # commits the text...
    assert stored_cause(tab, node).text == "Sales history was purged"
    qtbot.keyClicks(note, "Typed just before closing")  # ...the note is still in progress
    assert note.hasFocus()
    assert stored_cause(tab, node).evidence_note == ""
    tab.finish_editing()
    assert stored_cause(tab, node).evidence_note == "Typed just before closing"

    retype(qtbot, tab.inspector.text_edit, "Sales history vanished")
    assert tab.inspector.text_edit.hasFocus()
    tab.finish_editing()
    assert stored_cause(tab, node).text == "Sales history vanished"
    # finishing twice, or with nothing typed, adds no edit
    count = tab.document.undo_stack.count()
    tab.finish_editing()
    assert tab.document.undo_stack.count() == count
