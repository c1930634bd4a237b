"""A whole workshop, the way a facilitator runs it (issue 14): QTest key events only, no
slot calls and no setFocus, in presentation mode, on an empty workspace. At every step
the edited or selected item is inside the viewport, and the agenda's timer (on a fake
clock) walks the steps with T and Shift+T; at the end a second connection reads the
workspace back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtWidgets import QApplication

from rca_desk.model import HEAD, Evidence
from rca_desk.store import Workspace, open_workspace
from rca_desk.ui.canvas.diagram_canvas import DiagramCanvas
from rca_desk.ui.incident.incident_tab import IncidentTab
from rca_desk.ui.incident.presentation import Presentation
from rca_desk.ui.workspace.main_window import MainWindow
from rca_desk.ui.workspace.new_incident import NewIncidentDialog
from tests.clocks import FakeClock
from tests.ui.conftest import leave_presenting, shown_window

CTRL = Qt.KeyboardModifier.ControlModifier
IDEAS = [
    "Runbook skips the tenant check",
    "Checklist has no data step",
    "Nobody trained on restores",
    "New starter ran the migration",
    "Script used the wrong partition key",
    "Backups were never restored",
    "No check compares row counts",
    "Staging has one tenant only",
]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def window(qtbot, tmp_path: Path, clock: FakeClock) -> Iterator[MainWindow]:
    workspace = Workspace.open(tmp_path / "room.rcadesk")
    win = shown_window(qtbot, workspace, (1600, 1000), timer_clock=clock)
    yield win
    leave_presenting(win)
    win.close()
    win.workspace.close()


def inside(canvas: DiagramCanvas, node: str | None) -> None:
    """The item is wholly in the viewport (what the room can see)."""
    assert node is not None and node in canvas.labels, node
    rect = canvas.mapFromScene(canvas.labels[node].sceneBoundingRect()).boundingRect()
    assert canvas.viewport().rect().contains(rect), (node, rect)


def editor_inside(canvas: DiagramCanvas) -> None:
    assert canvas.editor is not None
    area: QRect = canvas.viewport().rect()
    assert area.contains(canvas.editor.geometry())


def press(qtbot, widget, key, mods=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(widget, key, mods)


def type_cause(qtbot, canvas: DiagramCanvas, text: str) -> None:
    editor_inside(canvas)
    assert canvas.editor is not None
    qtbot.keyClicks(canvas.editor, text)
    qtbot.keyClick(canvas.editor, Qt.Key.Key_Return)
    assert canvas.editor is None


def create_incident_by_keys(qtbot, window: MainWindow) -> IncidentTab:
    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NewIncidentDialog)
        qtbot.keyClicks(dialog.title, "Quarter-end report lost a day")
        qtbot.keyClicks(dialog.problem, "The client's quarter-end report was missing a day")
        qtbot.keyClick(dialog.title, Qt.Key.Key_Return)

    QTimer.singleShot(50, fill)
    press(qtbot, window.incident_list.table, Qt.Key.Key_N, CTRL)
    tab = window.tabs.currentWidget()
    assert isinstance(tab, IncidentTab)
    return tab


def test_a_whole_workshop_by_keyboard_in_presentation_mode(
    qtbot, window: MainWindow, clock: FakeClock
) -> None:
    tab = create_incident_by_keys(qtbot, window)
    graph = tab.document.graph
    # A window manager gives the window back its activation when the dialog closes; the
    # offscreen platform has none, so the test does what it would.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    press(qtbot, tab.fishbone, Qt.Key.Key_F11)
    shown = tab.presentation
    assert isinstance(shown, Presentation)
    canvas = shown.canvas
    qtbot.waitUntil(lambda: QApplication.focusWidget() is canvas)

    # The agenda's first step starts with T; the header counts it down.
    press(qtbot, canvas, Qt.Key.Key_T)
    clock.advance(4 * 60)
    qtbot.waitUntil(lambda: shown.countdown.text() == "Facts 1/4  6:00")

    # Capture eight ideas: I, then Enter after each, then Esc back to the diagram.
    press(qtbot, canvas, Qt.Key.Key_I)
    for idea in IDEAS:
        qtbot.keyClicks(shown.capture, idea)
        press(qtbot, shown.capture, Qt.Key.Key_Return)
    press(qtbot, shown.capture, Qt.Key.Key_Escape)
    assert [kept.text for kept in tab.document.incident.parking] == IDEAS
    assert len(graph) == 0

    # Sort them onto four bones: Ctrl+N, then P twice (the agenda's causes step).
    press(qtbot, canvas, Qt.Key.Key_T, Qt.KeyboardModifier.ShiftModifier)
    assert shown.countdown.text() == "Causes 2/4  25:00"
    for number in range(1, 5):
        press(qtbot, canvas, getattr(Qt.Key, f"Key_{number}"), CTRL)
        inside(canvas, canvas.current)
        for _ in range(2):
            press(qtbot, canvas, Qt.Key.Key_P)
            inside(canvas, canvas.current)
    assert tab.document.incident.parking == []
    for number, name in enumerate(graph.categories[:4]):
        on_bone = [c for c in graph.children(HEAD) if graph.cause(c).category == name]
        assert [graph.cause(c).text for c in on_bone] == IDEAS[2 * number : 2 * number + 2]

    # Ask why three levels deep on the first bone's first cause; the causes step ran
    # over, which the header said once.
    clock.advance(26 * 60)
    qtbot.waitUntil(lambda: shown.countdown.text() == "Causes 2/4  +1:00")
    assert shown.hint.text() == "Time is up for Causes. Shift+T moves on to Whys."
    press(qtbot, canvas, Qt.Key.Key_T, Qt.KeyboardModifier.ShiftModifier)
    assert shown.countdown.text() == "Whys 3/4  20:00"
    press(qtbot, canvas, Qt.Key.Key_1, CTRL)
    press(qtbot, canvas, Qt.Key.Key_Left)
    top = canvas.current
    assert top is not None and graph.cause(top).text == IDEAS[0]
    for level in range(1, 4):
        press(qtbot, canvas, Qt.Key.Key_Tab)
        type_cause(qtbot, canvas, f"Why {level}: the step was never written down")
        inside(canvas, canvas.current)
    deepest = canvas.current
    assert deepest is not None and len(graph.subtree(top)) == 4

    # Mark two root causes and set their evidence: the deepest why, and bone 2's first.
    press(qtbot, canvas, Qt.Key.Key_R, CTRL)
    press(qtbot, canvas, Qt.Key.Key_E)
    press(qtbot, canvas, Qt.Key.Key_E)  # hypothesis -> supported -> verified
    inside(canvas, deepest)
    press(qtbot, canvas, Qt.Key.Key_2, CTRL)
    press(qtbot, canvas, Qt.Key.Key_Left)
    second = canvas.current
    assert second is not None and graph.cause(second).text == IDEAS[2]
    press(qtbot, canvas, Qt.Key.Key_R, CTRL)
    press(qtbot, canvas, Qt.Key.Key_E)
    inside(canvas, second)
    assert set(graph.root_causes()) == {deepest, second}

    # Leave presentation mode; start an action for each root cause from the tab, in the
    # agenda's last step, which runs on outside presentation mode.
    press(qtbot, canvas, Qt.Key.Key_T, Qt.KeyboardModifier.ShiftModifier)
    press(qtbot, canvas, Qt.Key.Key_Escape)
    assert tab.presentation is None and not shown.isVisible()
    fishbone = tab.fishbone
    window.activateWindow()  # the window manager's part again (see above)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is fishbone)
    for root, title in (
        (second, "Train every on-call engineer on restores"),
        (deepest, "Write the tenant check into the runbook"),
    ):
        press(qtbot, fishbone, Qt.Key.Key_Home)
        path = [root]
        while graph.parent(path[0]) != HEAD:
            path.insert(0, graph.parent(path[0]))
        number = graph.categories.index(graph.cause(path[0]).category) + 1
        press(qtbot, fishbone, getattr(Qt.Key, f"Key_{number}"), CTRL)
        for _ in path:
            press(qtbot, fishbone, Qt.Key.Key_Left)
        assert fishbone.current == root
        inside(fishbone, root)
        press(qtbot, fishbone, Qt.Key.Key_A, CTRL | Qt.KeyboardModifier.ShiftModifier)
        editor = tab.actions_panel.editors[-1]
        qtbot.waitUntil(editor.isVisible)
        qtbot.keyClicks(editor.title, title)
        press(qtbot, editor.title, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda e=editor: e.uid is not None)
        tab.views.setCurrentWidget(fishbone)

    clock.advance(60)
    qtbot.waitUntil(lambda: tab.form.agenda.timer_label.text() == "Actions 4/4  14:00")

    # A second connection reads back what the room did.
    with open_workspace(window.workspace.location, create=False) as other:
        incident_id = tab.document.incident.id
        assert incident_id is not None
        stored = other.load(incident_id)
    assert stored.title == "Quarter-end report lost a day"
    assert len(stored.graph) == 11 and stored.parking == []
    assert {stored.graph.cause(c).text for c in stored.graph.root_causes()} == {
        "Why 3: the step was never written down",
        IDEAS[2],
    }
    assert stored.graph.cause(deepest).evidence is Evidence.VERIFIED
    assert stored.graph.cause(second).evidence is Evidence.SUPPORTED
    assert sorted(a.title for a in stored.actions) == [
        "Train every on-call engineer on restores",
        "Write the tenant check into the runbook",
    ]
    assert {tuple(a.root_causes) for a in stored.actions} == {(deepest,), (second,)}
