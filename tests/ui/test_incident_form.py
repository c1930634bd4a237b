"""The incident form, typed into: each field commits when focus leaves it (or on Enter for a
single line) as one undoable edit, written through to the workspace."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from rca_desk.model import Impact, Incident, Severity
from rca_desk.store import Workspace
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.incident.incident_form import IncidentForm
from tests.ui.conftest import stored

MakeForm = Callable[[Incident], IncidentForm]


@pytest.fixture
def make(qtbot, workspace: Workspace) -> MakeForm:
    def build(incident: Incident) -> IncidentForm:
        workspace.add_incident(incident)
        form = IncidentForm(IncidentDocument(workspace, incident))
        qtbot.addWidget(form)
        form.resize(700, 900)
        form.show()
        qtbot.waitExposed(form)
        with qtbot.waitActive(form):
            form.activateWindow()
        return form

    return build


def click_into(widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.MouseFocusReason)
    assert widget.hasFocus()


def tab_into(widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    assert widget.hasFocus()


def type_over(qtbot, widget: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    click_into(widget)
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def tab_away(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(widget, Qt.Key.Key_Tab)
    assert not widget.hasFocus()


def test_typed_facts_are_written_through_and_undoable(qtbot, make: MakeForm) -> None:
    form = make(Incident(title="Late payroll"))
    stack = form.document.undo_stack
    type_over(qtbot, form.title, "Payroll file two days late")
    assert stack.count() == 0  # nothing is committed while typing
    tab_away(qtbot, form.title)
    type_over(qtbot, form.affected, "Acme payroll")
    tab_away(qtbot, form.affected)
    click_into(form.severity)
    qtbot.keyClicks(form.severity, "c")  # picks "critical" by its first letter
    assert form.severity.currentText() == "critical"
    type_over(qtbot, form.depth_box, "7")
    tab_away(qtbot, form.depth_box)

    seen = stored(form.document)
    assert (seen.title, seen.affected, seen.severity, seen.whys_depth) == (
        "Payroll file two days late",
        "Acme payroll",
        Severity.CRITICAL,
        7,
    )
    assert form.document.incident.whys_depth == 7
    assert stack.count() == 4

    stack.undo()
    assert stored(form.document).whys_depth == 5 and form.depth_box.value() == 5
    stack.undo()
    assert stored(form.document).severity is Severity.MEDIUM
    assert form.severity.currentText() == "medium"
    stack.undo()
    stack.undo()
    assert stored(form.document).title == "Late payroll"
    assert form.title.text() == "Late payroll"
    assert stack.isClean()
    stack.redo()
    assert stored(form.document).title == "Payroll file two days late"


def test_enter_commits_a_single_line(qtbot, make: MakeForm) -> None:
    form = make(Incident(title="Late payroll"))
    type_over(qtbot, form.title, "Payroll late again")
    qtbot.keyClick(form.title, Qt.Key.Key_Return)
    assert form.title.hasFocus()
    assert stored(form.document).title == "Payroll late again"
    tab_away(qtbot, form.title)  # leaving afterwards adds no second edit
    assert form.document.undo_stack.count() == 1


def test_typed_long_texts_are_written_when_focus_leaves(qtbot, make: MakeForm) -> None:
    form = make(Incident(title="Late payroll"))
    click_into(form.description)
    qtbot.keyClicks(form.description, "The payroll file reached the client on Wednesday")
    tab_away(qtbot, form.description)
    click_into(form.containment)
    qtbot.keyClicks(form.containment, "Sent by hand")
    tab_away(qtbot, form.containment)
    click_into(form.impact["financial"])
    qtbot.keyClicks(form.impact["financial"], "Late fees")
    tab_away(qtbot, form.impact["financial"])
    seen = stored(form.document)
    assert seen.description == "The payroll file reached the client on Wednesday"
    assert seen.containment == "Sent by hand"
    assert seen.impact == Impact(financial="Late fees")
    assert form.document.undo_stack.count() == 3
    form.document.undo_stack.undo()
    assert stored(form.document).impact == Impact()
    assert form.impact["financial"].toPlainText() == ""


def test_a_blank_title_is_refused_and_put_back(qtbot, make: MakeForm) -> None:
    form = make(Incident(title="Late payroll"))
    click_into(form.title)
    qtbot.keyClick(form.title, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(form.title, Qt.Key.Key_Backspace)
    assert form.title.text() == ""
    tab_away(qtbot, form.title)
    assert form.title.text() == "Late payroll"
    assert form.document.incident.title == "Late payroll"
    assert stored(form.document).title == "Late payroll"
    assert form.document.undo_stack.count() == 0


def test_tabbing_through_changes_nothing(qtbot, make: MakeForm) -> None:
    form = make(Incident(title="When?"))
    for widget in (form.title, form.affected, form.depth_box, form.description):
        tab_into(widget)
        tab_away(qtbot, widget)
    assert form.document.undo_stack.count() == 0
    assert stored(form.document).occurred_at is None
    assert form.occurred.text() == "not set"


def test_tab_walks_through_the_date_and_out(qtbot, make: MakeForm) -> None:
    form = make(Incident(title="Late payroll", occurred_at=datetime(2026, 11, 1, 9, 0)))
    tab_into(form.occurred)
    for _section in range(4):  # year, month, day, hour; the fifth Tab leaves the minutes
        qtbot.keyClick(form.occurred, Qt.Key.Key_Tab)
        assert form.occurred.hasFocus()
    tab_away(qtbot, form.occurred)
    assert form.document.undo_stack.count() == 0


def test_tab_leaves_a_date_that_is_not_set(qtbot, make: MakeForm) -> None:
    form = make(Incident(title="When?"))
    tab_into(form.occurred)
    for _press in range(6):
        qtbot.keyClick(form.occurred, Qt.Key.Key_Tab)
        if not form.occurred.hasFocus():
            break
    assert not form.occurred.hasFocus()
    assert form.document.undo_stack.count() == 0


def test_typing_a_date_and_time(qtbot, make: MakeForm) -> None:
    form = make(Incident(title="Late payroll", occurred_at=datetime(2026, 11, 1, 9, 0)))
    assert form.occurred.text() == "2026-11-01 09:00"
    tab_into(form.occurred)  # the year is selected
    qtbot.keyClicks(form.occurred, "202611020640")  # the sections fill in turn
    assert form.occurred.text() == "2026-11-02 06:40"
    tab_away(qtbot, form.occurred)
    assert stored(form.document).occurred_at == datetime(2026, 11, 2, 6, 40)
    form.document.undo_stack.undo()
    assert stored(form.document).occurred_at == datetime(2026, 11, 1, 9, 0)
    assert form.occurred.text() == "2026-11-01 09:00"


def test_typing_a_date_where_none_was_set(qtbot, make: MakeForm) -> None:
    form = make(Incident(title="When?"))
    tab_into(form.occurred)
    qtbot.keyClicks(form.occurred, "202611020640")
    form.title.setFocus(Qt.FocusReason.MouseFocusReason)  # click elsewhere
    assert stored(form.document).occurred_at == datetime(2026, 11, 2, 6, 40)
