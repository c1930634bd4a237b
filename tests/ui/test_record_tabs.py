"""The incident's record and follow-up (issue 15), typed into the Record and Follow-up
tabs by keyboard: each change one undoable step, written through (a second connection
reads it), a bad value refused in one line with the stored value shown again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QTableWidget

from rca_desk.model import CheckIn, Incident, Participant
from rca_desk.model.follow_ups import planned_dates
from rca_desk.store import Workspace
from rca_desk.ui.incident.incident_tab import IncidentTab
from rca_desk.ui.workspace.main_window import MainWindow
from tests.conftest import TODAY
from tests.ui.conftest import leave_presenting, shown_window, stored


@pytest.fixture
def window(qtbot, workspace: Workspace) -> Iterator[MainWindow]:
    workspace.add_incident(
        Incident(title="Payroll late", affected="Contoso payroll\nEU region",
                 occurred_at=datetime(2026, 11, 2, 7, 40))
    )  # fmt: skip
    win = shown_window(qtbot, workspace, (1400, 950))
    yield win
    leave_presenting(win)


@pytest.fixture
def tab(window: MainWindow) -> IncidentTab:
    return window.open_incident(window.workspace.incidents()[0].id)


def type_into_cell(qtbot, table: QTableWidget, row: int, column: int, text: str) -> None:
    """F2 on the cell, replace its text, Enter; wait for the view's late commit."""
    table.setFocus()
    table.setCurrentCell(row, column)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not table
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QTableWidget.State.EditingState)
    qtbot.wait(20)  # the delegate commits on a queued call


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


# --------------------------------------------------------------------- Record
def test_timeline_events_are_added_by_insert_and_typed_in_place(qtbot, tab: IncidentTab) -> None:
    tab.views.setCurrentWidget(tab.record)
    table = tab.record.timeline.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Insert)
    # The new event starts at the incident's time, its "When" open for typing.
    editor = QApplication.focusWidget()
    assert editor is not None and editor.parent() is table.viewport()
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "2026-11-02 08:15")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.document.incident.timeline[0].at == datetime(2026, 11, 2, 8, 15))
    type_into_cell(qtbot, table, 0, 1, "Payroll export job failed")
    type_into_cell(qtbot, table, 0, 2, "job scheduler log")
    qtbot.waitUntil(lambda: tab.document.incident.timeline[0].source == "job scheduler log")
    (event,) = stored(tab.document).timeline
    assert (event.at, event.what, event.source) == (
        datetime(2026, 11, 2, 8, 15),
        "Payroll export job failed",
        "job scheduler log",
    )
    # An earlier event typed later still shows first: the table reads in time order.
    qtbot.keyClick(table, Qt.Key.Key_Insert)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(QApplication.focusWidget(), "2026-11-02 07:40")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: cell(table, 0, 0) == "2026-11-02 07:40")
    assert cell(table, 1, 1) == "Payroll export job failed"
    # Delete removes the selected event; undo puts it back.
    table.setCurrentCell(1, 1)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert [e.what for e in stored(tab.document).timeline] == ["New event"]
    tab.document.undo_stack.undo()
    assert len(stored(tab.document).timeline) == 2


def test_a_time_that_is_not_one_is_refused_in_one_line(
    qtbot, tab: IncidentTab, window: MainWindow
) -> None:
    tab.views.setCurrentWidget(tab.record)
    table = tab.record.timeline.table
    qtbot.mouseClick(tab.record.timeline.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    before = stored(tab.document).timeline
    type_into_cell(qtbot, table, 0, 0, "yesterday")
    assert window.statusBar().currentMessage() == (
        "An event's time must be a date and time like 2026-11-30 14:05, not 'yesterday'."
    )
    assert cell(table, 0, 0) == "2026-11-02 07:40"
    assert stored(tab.document).timeline == before


def test_participants_and_lessons_are_written_through(qtbot, tab: IncidentTab) -> None:
    tab.views.setCurrentWidget(tab.record)
    table = tab.record.participants.table
    qtbot.mouseClick(tab.record.participants.add_button, Qt.MouseButton.LeftButton)
    editor = QApplication.focusWidget()
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "Priya Nair")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: [p.name for p in tab.document.incident.participants] == ["Priya Nair"])
    type_into_cell(qtbot, table, 0, 1, "Facilitator")
    qtbot.waitUntil(lambda: [p.role for p in tab.document.incident.participants] == ["Facilitator"])
    assert [(p.name, p.role) for p in stored(tab.document).participants] == [
        ("Priya Nair", "Facilitator")
    ]
    lessons = tab.record.lessons
    lessons.setFocus()
    qtbot.keyClicks(lessons, "Test restores, not only backups")
    qtbot.keyClick(lessons, Qt.Key.Key_Tab)
    assert stored(tab.document).lessons == "Test restores, not only backups"


# ------------------------------------------------------------------ Follow-up
def set_resolved(qtbot, tab: IncidentTab, day: date) -> None:
    """Tick "Service restored on" (today), then type the day and leave the field."""
    tab.views.setCurrentWidget(tab.record)
    field = tab.record.resolved
    qtbot.mouseClick(field.check, Qt.MouseButton.LeftButton)
    assert tab.document.incident.resolved_at == TODAY
    field.edit.setFocus()
    field.edit.setDate(QDate(day.year, day.month, day.day))
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert tab.document.incident.resolved_at == day
    assert stored(tab.document).resolved_at == day


def test_the_cadence_plans_check_ins_in_one_undo_step(qtbot, tab: IncidentTab) -> None:
    follow = tab.follow_up
    assert not follow.propose_button.isEnabled()  # no resolved date yet
    set_resolved(qtbot, tab, date(2026, 11, 2))
    tab.views.setCurrentWidget(follow)
    assert follow.propose_button.isEnabled()
    qtbot.mouseClick(follow.propose_button, Qt.MouseButton.LeftButton)
    expected = planned_dates(date(2026, 11, 2))
    assert [c.planned for c in stored(tab.document).check_ins] == expected
    assert tab.document.undo_stack.undoText() == "Plan 12 check-ins"
    # Fewer weekly ones: the next proposal adds only dates not planned yet.
    tab.document.undo_stack.undo()
    assert stored(tab.document).check_ins == []
    spin = follow.spins["weekly"]
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(spin, "2")
    qtbot.keyClick(spin, Qt.Key.Key_Tab)
    assert stored(tab.document).cadence.weekly == 2
    qtbot.mouseClick(follow.propose_button, Qt.MouseButton.LeftButton)
    assert len(stored(tab.document).check_ins) == 10


def test_a_check_in_is_marked_held_with_its_summary_and_channel(qtbot, tab: IncidentTab) -> None:
    tab.document.update_incident(resolved_at=date(2026, 11, 2))
    tab.document.put_record("check_ins", CheckIn("k1", date(2026, 11, 16)))  # missed by TODAY
    follow = tab.follow_up
    tab.views.setCurrentWidget(follow)
    table = follow.check_ins.table
    table.setCurrentCell(0, 0)
    assert cell(table, 0, 2) == "missed"
    qtbot.mouseClick(follow.held_button, Qt.MouseButton.LeftButton)
    assert stored(tab.document).check_ins[0].held == TODAY
    assert cell(table, 0, 2) == "held"
    assert not follow.held_button.isEnabled()
    type_into_cell(qtbot, table, 0, 4, "Priya Nair")
    follow.summary.setFocus()
    qtbot.keyClicks(follow.summary, "Client confirmed payroll ran on time.")
    qtbot.keyClick(follow.summary, Qt.Key.Key_Tab)
    kept = stored(tab.document).check_ins[0]
    assert (kept.ours, kept.summary) == ("Priya Nair", "Client confirmed payroll ran on time.")
    # The channel is picked from a list (video call).
    table.setFocus()
    table.setCurrentCell(0, 3)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combo = QApplication.focusWidget()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.document.incident.check_ins[0].channel.value == "video")


def test_the_review_meeting_is_proposed_and_never_before_resolution(
    qtbot, tab: IncidentTab, window: MainWindow
) -> None:
    tab.document.update_incident(resolved_at=date(2026, 11, 2))
    follow = tab.follow_up
    tab.views.setCurrentWidget(follow)
    qtbot.mouseClick(follow.propose_review, Qt.MouseButton.LeftButton)
    assert stored(tab.document).review_meeting == date(2026, 12, 14)
    assert follow.review.value() == date(2026, 12, 14)
    follow.review.set_value(date(2026, 10, 1))
    follow.review.edit.editingFinished.emit()
    assert window.statusBar().currentMessage().startswith("The review meeting (2026-10-01)")
    assert follow.review.value() == date(2026, 12, 14)


def test_the_review_lists_follow_ups_due_and_opens_one(
    qtbot, tab: IncidentTab, window: MainWindow
) -> None:
    for record in (
        CheckIn("k1", date(2026, 11, 9), held=date(2026, 11, 9)),
        CheckIn("k2", date(2026, 11, 12)),  # missed on TODAY (2026-11-23)
        CheckIn("k3", date(2026, 11, 20)),  # due
        CheckIn("k4", date(2026, 12, 7)),  # later
    ):
        tab.document.put_record("check_ins", record)
    window.show_review()
    box = window.dashboard.follow_ups
    assert box.title() == "Follow-ups due (2)"
    title = tab.document.incident.title
    assert box.rows_shown() == [
        ("2026-11-12", "missed", "Contoso payroll", f"#1 {title}"),
        ("2026-11-20", "due", "Contoso payroll", f"#1 {title}"),
    ]
    item = box.list.topLevelItem(1)
    assert item is not None
    box.list.setCurrentItem(item)
    qtbot.keyClick(box.list, Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is tab
    assert tab.views.currentWidget() is tab.follow_up
    assert tab.follow_up.check_ins.current_id() == "k3"


def test_export_calendar_writes_actions_check_ins_and_the_review(
    qtbot, tab: IncidentTab, window: MainWindow, tmp_path
) -> None:
    import icalendar

    tab.document.update_incident(resolved_at=date(2026, 11, 2), review_meeting=date(2026, 12, 14))
    tab.document.put_record("check_ins", CheckIn("k1", date(2026, 11, 30)))
    tab.document.put_record("check_ins", CheckIn("k2", date(2026, 11, 9), held=date(2026, 11, 9)))
    messages: list[str] = []
    window.files.message.connect(messages.append)
    path = tmp_path / "follow-up.ics"
    assert window.files.export_calendar(path)
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    uids = sorted(str(e["UID"]) for e in calendar.walk("VEVENT"))
    assert uids == sorted(["k1-check-in@rca-desk", f"{tab.document.incident.uid}-review@rca-desk"])
    assert messages[-1] == (
        f"Wrote 2 calendar events to {path}: 0 due dates, 0 effectiveness checks, "
        "1 check-ins, 1 review meetings."
    )
    assert window.calendar_action.text() == "Export &calendar…"


def test_the_shortcut_list_names_the_table_and_report_keys(
    tab: IncidentTab, window: MainWindow
) -> None:
    from rca_desk.ui.workspace.shortcut_list import sections

    listed = dict(sections(window.actions(), tab.actions()))
    rows = listed["Record, Follow-up, Recovery and Report tabs"]
    assert [keys for keys, _ in rows] == ["Ins", "F2", "Del", "Ctrl+P"]
    assert tab.report.print_action.shortcut().toString() == "Ctrl+P"


def test_a_cell_being_typed_is_kept_when_the_tab_closes(
    qtbot, tab: IncidentTab, window: MainWindow
) -> None:
    tab.views.setCurrentWidget(tab.record)
    table = tab.record.participants.table
    qtbot.mouseClick(tab.record.participants.add_button, Qt.MouseButton.LeftButton)
    editor = QApplication.focusWidget()
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "Dana Weiss")  # no Enter: the tab is closed while typing
    assert table.state() == QTableWidget.State.EditingState
    tab.follow_up.summary.setPlainText("")  # nothing selected: nothing to keep there
    tab.record.lessons.setFocus()
    tab.record.lessons.setPlainText("Typed, never left")
    tab.record.lessons.document().setModified(True)
    window.close_tab_action.trigger()
    assert [p.name for p in stored(tab.document).participants] == ["Dana Weiss"]
    assert stored(tab.document).lessons == "Typed, never left"


def test_a_time_with_a_zone_is_refused(qtbot, tab: IncidentTab, window: MainWindow) -> None:
    tab.views.setCurrentWidget(tab.record)
    qtbot.mouseClick(tab.record.timeline.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    type_into_cell(qtbot, tab.record.timeline.table, 0, 0, "2026-11-30 14:05+02:00")
    assert window.statusBar().currentMessage() == (
        "An event's time must be a date and time like 2026-11-30 14:05, not "
        "'2026-11-30 14:05+02:00'."
    )
    assert stored(tab.document).timeline[0].at.tzinfo is None


def test_a_check_in_changed_with_an_idea_still_refreshes_the_guidance() -> None:
    """Notices merge in a batch: a parked idea beside a check-in must not hide the
    check-in, whose state is a finding."""
    from rca_desk.ui.document.changes import Changes

    idea = Changes(ideas=frozenset({"p1"}))
    timeline = Changes(records=frozenset({("timeline", "e1")}))
    check_in = Changes(records=frozenset({("check_ins", "k1")}))
    assert idea.beside_the_diagram and timeline.beside_the_diagram
    assert not check_in.beside_the_diagram
    assert not idea.merged(check_in).beside_the_diagram
    # The client's recovery records are findings too (issue 16: a client at risk).
    for kind in ("restitution", "measures", "measure_values", "confidence"):
        assert not Changes(records=frozenset({(kind, "x1")})).beside_the_diagram, kind


def test_a_change_from_elsewhere_waits_for_the_open_cell(qtbot, tab: IncidentTab) -> None:
    """Rows rebuilt under an open editor would put its text on another record."""
    document = tab.document
    document.put_record("participants", Participant("p1", "Ann"))
    document.put_record("participants", Participant("p2", "Bob"))
    tab.views.setCurrentWidget(tab.record)
    table = tab.record.participants.table
    table.setFocus()
    table.setCurrentCell(1, 0)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "Bea")
    # Meanwhile another window adds someone at the top: Bob's row moves down.
    document.put_record("participants", Participant("p0", "Aaron"), index=0)
    assert cell(table, 1, 0) == "Bob"  # not rebuilt under the editor
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: [p.name for p in document.incident.participants] == [
        "Aaron", "Ann", "Bea"
    ])  # fmt: skip
    assert [p.name for p in stored(document).participants] == ["Aaron", "Ann", "Bea"]
    qtbot.waitUntil(lambda: cell(table, 0, 0) == "Aaron")  # shown once the cell closed


def test_a_change_that_waited_for_a_cancelled_cell_is_shown_when_it_closes(
    qtbot, tab: IncidentTab
) -> None:
    document = tab.document
    document.put_record("participants", Participant("p1", "Ann"))
    tab.views.setCurrentWidget(tab.record)
    table = tab.record.participants.table
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    document.put_record("participants", Participant("p0", "Aaron"), index=0)  # elsewhere
    assert table.rowCount() == 1  # not rebuilt under the editor
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # nothing typed is kept: no command runs
    qtbot.waitUntil(lambda: table.rowCount() == 2)
    assert [cell(table, row, 0) for row in range(2)] == ["Aaron", "Ann"]
