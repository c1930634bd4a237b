"""The parking lot beside the diagram (issue 14), driven by keys as in the room: ideas
typed into the capture box stay in order, Enter with nothing selected on the canvas parks
an idea instead of filing it under the first category, Enter in the list places an idea
at the diagram's selection and Delete discards it; every step is written through and
undoable, and a second connection reads the same."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from rca_desk.layout.geometry import category_node
from rca_desk.model import HEAD
from rca_desk.store import open_workspace
from rca_desk.ui.document.parking_commands import IDEA_MIME
from rca_desk.ui.incident.incident_tab import IncidentTab
from tests.ui.test_canvas import type_into_editor


@pytest.fixture
def tab(show_sample: Callable[[int, int], IncidentTab]) -> IncidentTab:
    return show_sample(1600, 900)


def stored_lot(tab: IncidentTab) -> list[str]:
    with open_workspace(tab.document.workspace.location, create=False) as other:
        incident_id = tab.document.incident.id
        assert incident_id is not None
        return [kept.text for kept in other.load(incident_id).parking]


def shown(tab: IncidentTab) -> list[str]:
    ideas = tab.parking.ideas
    return [ideas.item(i).text() for i in range(ideas.count())]


def capture(qtbot, tab: IncidentTab, *ideas: str) -> None:
    box = tab.parking.capture
    for text in ideas:
        qtbot.keyClicks(box, text)
        qtbot.keyClick(box, Qt.Key.Key_Return)
        assert box.text() == ""  # ready for the next one


def test_captured_ideas_are_parked_in_order_and_written_through(qtbot, tab: IncidentTab) -> None:
    causes = len(tab.document.graph)
    capture(qtbot, tab, "Queue depth nobody watched", "Retries made it worse", "<b>not bold</b>")
    assert shown(tab) == ["Queue depth nobody watched", "Retries made it worse", "<b>not bold</b>"]
    assert stored_lot(tab) == shown(tab)
    assert len(tab.document.graph) == causes  # parked, not put on a bone
    assert tab.parking.title.text() == "Parking lot (3)"
    tab.undo_action.trigger()
    assert stored_lot(tab) == shown(tab) == ["Queue depth nobody watched", "Retries made it worse"]


def test_enter_with_nothing_selected_parks_the_idea(qtbot, tab: IncidentTab) -> None:
    canvas = tab.fishbone
    first_bone = list(tab.document.graph.children(HEAD))
    canvas.set_current(None)
    qtbot.keyClick(canvas, Qt.Key.Key_Return)
    type_into_editor(qtbot, canvas, "Did the vendor change a default?")
    assert list(tab.document.graph.children(HEAD)) == first_bone  # no cause on SOPs
    assert stored_lot(tab) == ["Did the vendor change a default?"]


def test_enter_in_the_list_places_the_idea_at_the_selection(qtbot, tab: IncidentTab) -> None:
    capture(qtbot, tab, "Alert went to an old channel", "On-call phone was on silent")
    graph = tab.document.graph
    name = graph.categories[2]
    tab.fishbone.set_current(category_node(name))
    ideas = tab.parking.ideas
    ideas.setFocus()
    ideas.setCurrentRow(1)
    qtbot.keyClick(ideas, Qt.Key.Key_Return)
    placed = [
        c for c in graph.children(HEAD) if graph.cause(c).text == "On-call phone was on silent"
    ]
    assert len(placed) == 1 and graph.cause(placed[0]).category == name
    assert stored_lot(tab) == shown(tab) == ["Alert went to an old channel"]
    # Under a cause this time, from the five whys' selection.
    cause = graph.children(HEAD)[0]
    tab.views.setCurrentWidget(tab.whys)
    tab.whys.set_current(cause)
    ideas.setCurrentRow(0)
    qtbot.keyClick(ideas, Qt.Key.Key_Return)
    assert [graph.cause(c).text for c in graph.children(cause)][
        -1
    ] == "Alert went to an old channel"
    assert stored_lot(tab) == []
    # One undo puts the idea back in the lot, at its place, and takes the cause away.
    tab.undo_action.trigger()
    assert stored_lot(tab) == shown(tab) == ["Alert went to an old channel"]
    assert "Alert went to an old channel" not in [
        graph.cause(c).text for c in graph.children(cause)
    ]


def test_placing_needs_a_cause_or_a_bone_and_delete_discards(qtbot, tab: IncidentTab) -> None:
    capture(qtbot, tab, "Was the export affected too?")
    tab.fishbone.set_current(HEAD)
    ideas = tab.parking.ideas
    ideas.setFocus()
    ideas.setCurrentRow(0)
    with qtbot.waitSignal(tab.message) as said:
        qtbot.keyClick(ideas, Qt.Key.Key_Return)
    assert "Select a cause or a category" in said.args[0]
    assert stored_lot(tab) == ["Was the export affected too?"]
    qtbot.keyClick(ideas, Qt.Key.Key_Delete)
    assert stored_lot(tab) == shown(tab) == []
    tab.undo_action.trigger()
    assert stored_lot(tab) == shown(tab) == ["Was the export affected too?"]


def test_a_refused_idea_keeps_its_text_in_the_box(qtbot, tab: IncidentTab) -> None:
    box = tab.parking.capture
    qtbot.keyClicks(box, "x" * 2001)
    with qtbot.waitSignal(tab.message) as said:
        qtbot.keyClick(box, Qt.Key.Key_Return)
    assert "2000" in said.args[0]
    assert len(box.text()) == 2001 and stored_lot(tab) == []


def test_dragging_an_idea_onto_a_cause_places_it_there(qtbot, tab: IncidentTab) -> None:
    """The list's drag carries the idea; the diagram places it where it is dropped (a
    cause's label here), and dropping on the background places nothing."""
    capture(qtbot, tab, "The alert went to an old channel")
    ideas = tab.parking.ideas
    data = ideas.mimeData([ideas.item(0)])
    assert data.hasFormat(IDEA_MIME)
    canvas = tab.fishbone
    graph = tab.document.graph
    cause = graph.children(HEAD)[0]
    where = canvas.mapFromScene(canvas.labels[cause].sceneBoundingRect().center())

    def drop_at(point: QPoint) -> None:
        move = QDragEnterEvent(
            point,
            Qt.DropAction.MoveAction,
            data,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(canvas.viewport(), move)
        assert move.isAccepted()
        drop = QDropEvent(
            QPointF(point),
            Qt.DropAction.MoveAction,
            data,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(canvas.viewport(), drop)

    empty = next(
        QPoint(x, y)
        for x in range(5, canvas.viewport().width(), 40)
        for y in range(5, canvas.viewport().height(), 40)
        if canvas.node_at(QPointF(x, y)) is None
    )
    drop_at(empty)  # on the background: nothing to place it on
    assert stored_lot(tab) == ["The alert went to an old channel"]
    drop_at(where)
    assert [graph.cause(c).text for c in graph.children(cause)][
        -1
    ] == "The alert went to an old channel"
    assert stored_lot(tab) == shown(tab) == []
    assert canvas.current == cause


def test_two_enters_file_two_ideas_on_the_same_bone(qtbot, tab: IncidentTab) -> None:
    capture(qtbot, tab, "One", "Two")
    graph = tab.document.graph
    name = graph.categories[1]
    tab.fishbone.set_current(category_node(name))
    ideas = tab.parking.ideas
    ideas.setFocus()
    ideas.setCurrentRow(0)
    qtbot.keyClick(ideas, Qt.Key.Key_Return)
    qtbot.keyClick(ideas, Qt.Key.Key_Return)
    on_bone = [graph.cause(c).text for c in graph.children(HEAD) if graph.cause(c).category == name]
    assert on_bone[-2:] == ["One", "Two"]  # siblings on the bone, not a chain
    assert tab.fishbone.current == category_node(name)


def test_a_drop_of_an_idea_no_longer_here_is_refused_in_a_line(qtbot, tab: IncidentTab) -> None:
    canvas = tab.fishbone
    cause = tab.document.graph.children(HEAD)[0]
    causes = len(tab.document.graph)
    data = QMimeData()
    data.setData(IDEA_MIME, b"p-placed-elsewhere")
    where = canvas.mapFromScene(canvas.labels[cause].sceneBoundingRect().center())
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(where, Qt.DropAction.CopyAction, data, buttons, mods)
    QApplication.sendEvent(canvas.viewport(), enter)
    drop = QDropEvent(QPointF(where), Qt.DropAction.CopyAction, data, buttons, mods)
    with qtbot.waitSignal(tab.message) as said:
        QApplication.sendEvent(canvas.viewport(), drop)
    assert "no longer in this incident's parking lot" in said.args[0]
    assert not drop.isAccepted() and len(tab.document.graph) == causes
