"""The view never jumps (issue 14): editing keeps the problem head where it was on the
screen, unless the edited item has to be scrolled into view; and the in-place editor
always opens inside the viewport, the view scrolling to its anchor first."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPointF, QRect, Qt

from rca_desk.model import HEAD
from rca_desk.ui.canvas.diagram_canvas import VISIBLE_MARGIN, DiagramCanvas
from rca_desk.ui.incident.incident_tab import IncidentTab
from tests.ui.test_canvas import type_into_editor


@pytest.fixture
def tab(show_sample: Callable[[int, int], IncidentTab]) -> IncidentTab:
    return show_sample(1400, 900)


def head_on_screen(canvas: DiagramCanvas) -> QPointF:
    rect = canvas.labels[HEAD].sceneBoundingRect()
    return QPointF(canvas.mapFromScene(rect.center()))


def fully_visible(canvas: DiagramCanvas, node: str) -> bool:
    rect = canvas.mapFromScene(canvas.labels[node].sceneBoundingRect()).boundingRect()
    return canvas.viewport().rect().contains(rect)


@pytest.mark.parametrize("start", ["fitted", "at 100 %"])
@pytest.mark.parametrize("which", ["fishbone", "whys"])
def test_adding_and_deleting_keeps_the_head_in_place(
    qtbot, tab: IncidentTab, which: str, start: str
) -> None:
    canvas: DiagramCanvas = getattr(tab, which)
    tab.views.setCurrentWidget(canvas)
    if start == "fitted":  # the whole diagram in view: where the room works
        canvas.fit()
    else:
        canvas.reset_zoom()
        canvas.centerOn(canvas.labels[HEAD])
    graph = tab.document.graph
    for round_ in range(6):
        cause = graph.children(HEAD)[round_ % 3]
        canvas.set_current(cause)
        for action in ("add", "delete"):
            here = head_on_screen(canvas)
            if action == "add":
                qtbot.keyClick(canvas, Qt.Key.Key_Tab if round_ % 2 else Qt.Key.Key_Return)
                type_into_editor(qtbot, canvas, f"Idea number {round_} from the room")
            else:
                qtbot.keyClick(canvas, Qt.Key.Key_Delete)
            selected = canvas.current
            assert selected is not None and fully_visible(canvas, selected)
            shift = head_on_screen(canvas) - here
            if abs(shift.x()) > 1 or abs(shift.y()) > 1:
                # Only a scroll that the selected item needed: without it, it would have
                # been out of sight or nearer the edge than the view's margin.
                rect = canvas.mapFromScene(canvas.labels[selected].sceneBoundingRect())
                unscrolled = rect.boundingRect().translated(-shift.toPoint())
                m = VISIBLE_MARGIN
                comfortable = canvas.viewport().rect().adjusted(m, m, -m, -m)
                assert not comfortable.contains(unscrolled), (round_, action, shift)


def test_the_editor_opens_inside_the_viewport(qtbot, tab: IncidentTab) -> None:
    canvas = tab.fishbone
    graph = tab.document.graph
    far = graph.children(HEAD)[-1]
    canvas.reset_zoom()
    canvas.zoom_by(2.0)
    for node in (far, HEAD):
        # Scroll the anchor far out of sight, then ask for a cause under it.
        canvas.centerOn(canvas.labels[node].sceneBoundingRect().center() + QPointF(3000, 3000))
        canvas.current = node
        qtbot.keyClick(canvas, Qt.Key.Key_Tab)
        editor = canvas.editor
        assert editor is not None
        area: QRect = canvas.viewport().rect()
        assert area.contains(editor.geometry()), (node, editor.geometry(), area)
        assert fully_visible(canvas, node)
        qtbot.keyClick(editor, Qt.Key.Key_Escape)


def test_fit_gives_back_the_room_a_deep_zoom_out_took(qtbot, tab: IncidentTab) -> None:
    """The scene grows to keep a viewport of room at any zoom; Fit (where the view moves
    anyway) starts it again, so the scroll bars do not stay twenty screens long."""
    canvas = tab.fishbone
    canvas.reset_zoom()
    for _ in range(30):
        canvas.zoom_by(0.8)
    huge = canvas.scene().sceneRect().width()
    canvas.fit()
    fitted = canvas.scene().sceneRect().width()
    assert canvas.diagram is not None
    assert fitted < huge / 4
    assert fitted >= canvas.diagram.bounds.w + 2 * canvas.viewport().width() / canvas.zoom() - 1
