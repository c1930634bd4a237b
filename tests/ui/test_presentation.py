"""Presentation mode (issue 14), driven by QTest keys only: F11 shows the diagram full
screen in its slide frame, the canvas has the keyboard, I or / goes to the capture box
where Enter parks ideas and Esc goes back, Esc on the diagram leaves with the selection
kept and nothing lost; the text is measured on the screen at 1920 x 1080."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from rca_desk.model import HEAD
from rca_desk.store import Workspace, open_workspace
from rca_desk.ui.canvas.diagram_canvas import DiagramCanvas
from rca_desk.ui.incident.presentation import HEADER_HEIGHT, Presentation
from rca_desk.ui.workspace.main_window import MainWindow
from tests.ui.conftest import leave_presenting, shown_window


@pytest.fixture
def window(qtbot, sample_workspace: Workspace) -> Iterator[MainWindow]:
    win = shown_window(qtbot, sample_workspace, (1920, 1080))
    yield win
    leave_presenting(win)


def present(qtbot, window: MainWindow) -> Presentation:
    tab = window.open_incident(window.workspace.incidents()[0].id)
    tab.fishbone.setFocus()
    qtbot.keyClick(tab.fishbone, Qt.Key.Key_F11)
    shown = tab.presentation
    assert shown is not None and shown.isVisible() and shown.isFullScreen()
    # The projector's 1920 x 1080 (the offscreen platform's screen is smaller).
    shown.showNormal()
    shown.resize(1920, 1080)
    qtbot.waitUntil(
        lambda: shown.canvas.viewport().size().toTuple() == (1920, 1080 - HEADER_HEIGHT)
    )
    shown.canvas.fit()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is shown.canvas)
    return shown


def smallest_cause_text_on_screen(shown: Presentation) -> float:
    canvas = shown.canvas
    assert canvas.diagram is not None
    zoom = canvas.zoom()
    sizes = [lb.block.size for lb in canvas.diagram.labels.values() if lb.kind == "cause"]
    return min(sizes) * zoom


def test_f11_shows_the_slide_full_screen_and_legible(qtbot, window: MainWindow) -> None:
    shown = present(qtbot, window)
    assert shown.canvas.frame == pytest.approx(16 / 9)
    frame = shown.canvas.slide_rect()
    assert frame is not None
    visible = shown.canvas.mapToScene(shown.canvas.viewport().rect()).boundingRect()
    assert visible.contains(frame.adjusted(1, 1, -1, -1))  # the whole slide is on screen
    # The header costs a little, and the sample still reads at 16 px or more at 1080p.
    assert smallest_cause_text_on_screen(shown) >= 16.0


def test_capture_box_parks_ideas_and_esc_goes_back_then_leaves(qtbot, window: MainWindow) -> None:
    shown = present(qtbot, window)
    canvas = shown.canvas
    tab = window.open_views[window.workspace.incidents()[0].id]
    cause = tab.document.graph.children(HEAD)[0]
    canvas.set_current(cause)
    qtbot.keyClick(canvas, Qt.Key.Key_I)
    assert QApplication.focusWidget() is shown.capture
    for idea in ("Queue depth nobody watched", "Retries made it worse"):
        qtbot.keyClicks(shown.capture, idea)
        qtbot.keyClick(shown.capture, Qt.Key.Key_Return)
        assert shown.capture.text() == "" and QApplication.focusWidget() is shown.capture
    assert shown.parked.text() == "Parking lot: 2"
    qtbot.keyClick(shown.capture, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is canvas and shown.isVisible()
    qtbot.keyClick(canvas, Qt.Key.Key_Slash)
    assert QApplication.focusWidget() is shown.capture
    qtbot.keyClick(shown.capture, Qt.Key.Key_Escape)
    # The keyboard model works here too: Home, then back out along the bones.
    qtbot.keyClick(canvas, Qt.Key.Key_Home)
    assert canvas.current == HEAD
    canvas.set_current(cause)
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert not shown.isVisible() and tab.presentation is None
    assert tab.fishbone.current == cause  # the selection came back with us
    with open_workspace(window.workspace.location, create=False) as other:
        incident_id = tab.document.incident.id
        assert incident_id is not None
        texts = [kept.text for kept in other.load(incident_id).parking]
    assert texts == ["Queue depth nobody watched", "Retries made it worse"]
    assert [tab.parking.ideas.item(i).text() for i in range(2)] == texts


def test_a_cause_typed_in_place_is_kept_when_leaving(qtbot, window: MainWindow) -> None:
    shown = present(qtbot, window)
    canvas = shown.canvas
    tab = window.open_views[window.workspace.incidents()[0].id]
    cause = tab.document.graph.children(HEAD)[0]
    canvas.set_current(cause)
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    assert canvas.editor is not None
    qtbot.keyClicks(canvas.editor, "Nobody owned the job")
    shown.leave()  # e.g. F11 from the window manager: what was typed is kept
    assert "Nobody owned the job" in [
        tab.document.graph.cause(c).text for c in tab.document.graph.children(cause)
    ]


def test_f11_without_an_incident_says_what_to_do(qtbot, window: MainWindow) -> None:
    window.tabs.setCurrentIndex(0)
    window.present_action.trigger()
    assert "Open an incident" in window.statusBar().currentMessage()


def test_leaving_leaves_no_canvas_behind(qtbot, window: MainWindow) -> None:
    """Each round of F11 in and out must not add a canvas that goes on laying out every
    edit; F11 also leaves from the capture box."""
    tab = window.open_incident(window.workspace.incidents()[0].id)
    for _ in range(3):
        shown = present(qtbot, window)
        qtbot.keyClick(shown.canvas, Qt.Key.Key_I)
        assert QApplication.focusWidget() is shown.capture
        qtbot.keyClick(shown.capture, Qt.Key.Key_F11)
        assert tab.presentation is None
        window.activateWindow()  # the window manager's part (offscreen has none)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.waitUntil(lambda: len(tab.findChildren(DiagramCanvas)) == 2)
    assert len(tab.findChildren(Presentation)) == 0
