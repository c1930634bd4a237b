"""The workshop agenda and its timer (issue 14): edited on the Incident tab (undoable,
written through), counted down in the presentation header on a fake clock, with a
quiet signal once when a step's time is up, and driven by T, Shift+T and Ctrl+Shift+T on
the diagram, presenting or not."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QSpinBox

from rca_desk.layout.palette import contrast_ratio
from rca_desk.model import DEFAULT_AGENDA, AgendaStep
from rca_desk.store import Workspace
from rca_desk.ui.common.info_bar import BAR_COLOURS
from rca_desk.ui.incident.agenda_clock import AGENDA_KEYS
from rca_desk.ui.incident.incident_tab import IncidentTab
from rca_desk.ui.incident.presentation import HEADER_HEIGHT, Presentation
from rca_desk.ui.workspace.main_window import MainWindow
from rca_desk.ui.workspace.shortcut_list import sections
from tests.clocks import FakeClock
from tests.ui.conftest import leave_presenting, shown_window, stored


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def window(qtbot, sample_workspace: Workspace, clock: FakeClock) -> Iterator[MainWindow]:
    win = shown_window(qtbot, sample_workspace, (1600, 1000), timer_clock=clock)
    yield win
    leave_presenting(win)


@pytest.fixture
def tab(qtbot, window: MainWindow) -> IncidentTab:
    tab = window.open_incident(window.workspace.incidents()[0].id)
    tab.fishbone.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tab.fishbone)
    return tab


def present(qtbot, tab: IncidentTab) -> Presentation:
    qtbot.keyClick(tab.fishbone, Qt.Key.Key_F11)
    shown = tab.presentation
    assert shown is not None
    shown.showNormal()
    shown.resize(1920, 1080)
    qtbot.waitUntil(
        lambda: shown.canvas.viewport().size().toTuple() == (1920, 1080 - HEADER_HEIGHT)
    )
    qtbot.waitUntil(lambda: QApplication.focusWidget() is shown.canvas)
    return shown


def cells(tab: IncidentTab) -> list[tuple[str, str]]:
    table = tab.form.agenda.table
    out = []
    for row in range(table.rowCount()):
        name, minutes = table.item(row, 0), table.item(row, 1)
        assert name is not None and minutes is not None
        out.append((name.text(), minutes.text()))
    return out


# ------------------------------------------------------------------ editing
def test_the_form_shows_the_default_agenda_and_its_total(tab: IncidentTab) -> None:
    assert cells(tab) == [("Facts", "10"), ("Causes", "25"), ("Whys", "20"), ("Actions", "15")]
    assert tab.form.agenda.total.text() == "Total 1 h 10 min"


def test_minutes_typed_in_the_table_are_written_through_and_undone(qtbot, tab: IncidentTab) -> None:
    table = tab.form.agenda.table
    tab.views.setCurrentWidget(tab.form)
    tab.form.ensureWidgetVisible(table)
    qtbot.mouseClick(
        table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=table.visualItemRect(
            table.item(0, 1)  # type: ignore[arg-type]
        ).center(),
    )
    qtbot.keyClick(table, Qt.Key.Key_Down)  # to Causes' minutes
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QSpinBox) and editor.value() == 25
    editor.selectAll()
    qtbot.keyClicks(editor, "40")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    expected = (DEFAULT_AGENDA[0], AgendaStep("Causes", 40), *DEFAULT_AGENDA[2:])
    qtbot.waitUntil(lambda: tab.document.incident.agenda == expected)  # the view commits late
    assert stored(tab.document).agenda == expected
    assert tab.form.agenda.total.text() == "Total 1 h 25 min"
    assert tab.document.undo_stack.undoText() == "Edit incident agenda"
    tab.document.undo_stack.undo()
    assert stored(tab.document).agenda == DEFAULT_AGENDA
    assert cells(tab)[1] == ("Causes", "25")


def test_a_blank_step_name_is_refused_in_one_line_and_put_back(
    qtbot, tab: IncidentTab, window: MainWindow
) -> None:
    table = tab.form.agenda.table
    item = table.item(2, 0)
    assert item is not None
    item.setText("   ")  # as if typed: the table commits it
    assert tab.document.incident.agenda == DEFAULT_AGENDA
    assert cells(tab)[2] == ("Whys", "20")
    assert window.statusBar().currentMessage() == "Agenda step 3 needs a name."


def test_steps_are_added_moved_removed_and_reset_each_as_one_undo_step(
    qtbot, tab: IncidentTab
) -> None:
    editor = tab.form.agenda
    editor.table.setCurrentCell(0, 0)
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    # The new step comes after the selected one, with its name open for typing.
    name_editor = QApplication.focusWidget()
    assert name_editor is not None and name_editor.parent() is editor.table.viewport()
    qtbot.keyClicks(name_editor, "Timeline")
    qtbot.keyClick(name_editor, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            [s.name for s in tab.document.incident.agenda]
            == ["Facts", "Timeline", "Causes", "Whys", "Actions"]
        )
    )
    qtbot.mouseClick(editor.up_button, Qt.MouseButton.LeftButton)
    assert [s.name for s in stored(tab.document).agenda][:2] == ["Timeline", "Facts"]
    editor.table.setCurrentCell(4, 0)
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert [s.name for s in stored(tab.document).agenda] == ["Timeline", "Facts", "Causes", "Whys"]
    qtbot.mouseClick(editor.default_button, Qt.MouseButton.LeftButton)
    assert stored(tab.document).agenda == DEFAULT_AGENDA
    stack = tab.document.undo_stack
    for names in (
        ["Timeline", "Facts", "Causes", "Whys"],
        ["Timeline", "Facts", "Causes", "Whys", "Actions"],
        ["Facts", "Timeline", "Causes", "Whys", "Actions"],
    ):
        stack.undo()
        assert [s.name for s in stored(tab.document).agenda] == names


def test_the_last_step_cannot_be_removed(qtbot, tab: IncidentTab) -> None:
    tab.document.update_incident(agenda=(AgendaStep("Only", 30),))
    assert not tab.form.agenda.remove_button.isEnabled()


# ------------------------------------------------------------------ the timer
def test_the_header_counts_the_step_down_on_the_fake_clock(
    qtbot, tab: IncidentTab, clock: FakeClock
) -> None:
    shown = present(qtbot, tab)
    assert shown.countdown.text() == "Facts 1/4  10:00  (press T to start)"
    qtbot.keyClick(shown.canvas, Qt.Key.Key_T)
    clock.advance(9 * 60 + 30)
    qtbot.waitUntil(lambda: shown.countdown.text() == "Facts 1/4  0:30")
    assert "background" not in shown.countdown.styleSheet()
    qtbot.keyClick(shown.canvas, Qt.Key.Key_T)  # pause: the clock moves, the count not
    clock.advance(600)
    shown.agenda.poll()
    assert shown.countdown.text() == "Facts 1/4  0:30  paused"


def test_the_end_of_a_step_is_a_quiet_signal_said_once(
    qtbot, tab: IncidentTab, clock: FakeClock
) -> None:
    shown = present(qtbot, tab)
    ended: list[str] = []
    tab.agenda.stepEnded.connect(ended.append)
    qtbot.keyClick(shown.canvas, Qt.Key.Key_T)
    clock.advance(10 * 60 + 5)
    qtbot.waitUntil(lambda: shown.countdown.text() == "Facts 1/4  +0:05")
    assert ended == ["Facts"]
    assert shown.hint.text() == "Time is up for Facts. Shift+T moves on to Causes."
    background, _border, text = BAR_COLOURS["warning"]
    assert f"background: {background}" in shown.countdown.styleSheet()
    assert contrast_ratio(text, background) >= 4.5
    clock.advance(60)
    qtbot.waitUntil(lambda: shown.countdown.text() == "Facts 1/4  +1:05")
    assert ended == ["Facts"], "said once, not at every tick"
    # Shift+T: the next step from its full time, still running, the amber gone.
    qtbot.keyClick(shown.canvas, Qt.Key.Key_T, Qt.KeyboardModifier.ShiftModifier)
    assert shown.countdown.text() == "Causes 2/4  25:00"
    assert "background" not in shown.countdown.styleSheet()
    clock.advance(60)
    qtbot.waitUntil(lambda: shown.countdown.text() == "Causes 2/4  24:00")
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(shown.canvas, Qt.Key.Key_T, ctrl_shift)
    assert shown.countdown.text() == "Facts 1/4  10:00"


def test_the_timer_runs_on_when_presentation_is_left_and_resumed(
    qtbot, tab: IncidentTab, clock: FakeClock, window: MainWindow
) -> None:
    shown = present(qtbot, tab)
    qtbot.keyClick(shown.canvas, Qt.Key.Key_T)
    qtbot.keyClick(shown.canvas, Qt.Key.Key_Escape)
    assert tab.presentation is None
    window.activateWindow()  # the offscreen platform has no window manager to do it
    clock.advance(120)
    label = tab.form.agenda.timer_label
    qtbot.waitUntil(lambda: label.text() == "Facts 1/4  8:00")
    assert tab.form.agenda.start_button.text() == "Pause"
    again = present(qtbot, tab)
    assert again.countdown.text() == "Facts 1/4  8:00"


def test_t_works_on_the_diagram_in_the_tab_and_the_end_goes_to_the_status_bar(
    qtbot, tab: IncidentTab, clock: FakeClock, window: MainWindow
) -> None:
    qtbot.keyClick(tab.fishbone, Qt.Key.Key_T)
    assert tab.agenda.timer.running
    clock.advance(600)
    qtbot.waitUntil(
        lambda: (
            window.statusBar().currentMessage()
            == "Time is up for Facts. Shift+T moves on to Causes."
        )
    )
    for _ in range(5):  # past the last step: stays there
        qtbot.keyClick(tab.fishbone, Qt.Key.Key_T, Qt.KeyboardModifier.ShiftModifier)
    assert tab.agenda.timer.step.name == "Actions"
    clock.advance(15 * 60)
    qtbot.waitUntil(
        lambda: (
            window.statusBar().currentMessage() == "Time is up for Actions. It was the last step."
        )
    )
    qtbot.keyClick(tab.fishbone, Qt.Key.Key_T)
    assert not tab.agenda.timer.running
    # Typed in place, T is a letter: the timer is not touched.
    qtbot.keyClick(tab.fishbone, Qt.Key.Key_Home)
    qtbot.keyClick(tab.fishbone, Qt.Key.Key_F2)
    editor = tab.fishbone.editor
    assert editor is not None
    qtbot.keyClicks(editor, "Tt")
    assert editor.toPlainText().endswith("Tt")
    assert not tab.agenda.timer.running
    qtbot.keyClick(editor, Qt.Key.Key_Escape)


def test_an_agenda_edited_while_presenting_shows_in_the_header(qtbot, tab: IncidentTab) -> None:
    shown = present(qtbot, tab)
    tab.document.update_incident(agenda=(AgendaStep("Timeline", 5), AgendaStep("Fishbone", 30)))
    assert shown.countdown.text() == "Timeline 1/2  5:00  (press T to start)"


def test_the_shortcut_list_names_the_timer_keys(tab: IncidentTab, window: MainWindow) -> None:
    listed = dict(sections(window.actions(), tab.actions()))
    rows = next(rows for title, rows in listed.items() if title.startswith("Agenda timer"))
    assert [keys for keys, _ in rows] == ["T", "Shift+T", "Ctrl+Shift+T"]
    assert len(rows) == len(AGENDA_KEYS)


def test_the_step_the_timer_is_on_is_bold_in_the_table(qtbot, tab: IncidentTab) -> None:
    table = tab.form.agenda.table

    def bold_rows() -> list[int]:
        return [r for r in range(table.rowCount()) if table.item(r, 0).font().bold()]  # type: ignore[union-attr]

    assert bold_rows() == [0]
    qtbot.mouseClick(tab.form.agenda.next_button, Qt.MouseButton.LeftButton)
    assert bold_rows() == [1]
    assert tab.document.undo_stack.count() == 0, "moving the timer is not an edit"
